"""Units already read, reused when the same bytes are ingested again.

An in-process, least-recently-used cache keyed by how the file is read (its reader and the
arguments it gets besides the bytes) and the SHA-256 of its bytes; each ingest service instance
holds one (``services.ingest.handlers.Deps``), and the oldest entry is dropped past ``capacity``.
Only successful reads are kept. A hit is returned as fresh copies addressed to the name asked
for, so callers may change what they get.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

from pydantic import BaseModel

from shared.units import SourceMeta, Unit

CAPACITY = 64


def digest(data: bytes) -> str:
    """The SHA-256 of ``data``, hex."""
    return hashlib.sha256(data).hexdigest()


def fingerprint(value: object) -> str:
    """A short stable text for a reader argument: the digest of bytes, the JSON of anything else."""
    if isinstance(value, bytes):
        return digest(value)
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def cache_key(reader: str, data: bytes, context: dict | None = None) -> tuple[str, str]:
    """The key of ``data`` read by ``reader`` with the keyword arguments ``context``: the reader's
    name with the context's fingerprint, and the bytes' digest."""
    arguments = ";".join(f"{key}={fingerprint(value)}" for key, value in sorted((context or {}).items()))
    return f"{reader}({arguments})", digest(data)


def renamed(units: list[Unit], meta: SourceMeta, name: str) -> tuple[list[Unit], SourceMeta]:
    """Copies of ``units`` and ``meta`` whose source is ``name``."""
    return [unit.model_copy(update={"source": name}) for unit in units], meta.model_copy(update={"source": name})


class UnitCache:
    """The last ``capacity`` files read, by (reader, digest); safe to share between threads."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple[str, str], tuple[list[Unit], SourceMeta]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], name: str) -> tuple[list[Unit], SourceMeta] | None:
        """The units stored under ``key`` (a reader and a digest), addressed to ``name``."""
        with self._lock:
            if key not in self._entries:
                return None
            self._entries.move_to_end(key)
            units, meta = self._entries[key]
        return renamed(units, meta, name)

    def put(self, key: tuple[str, str], units: list[Unit], meta: SourceMeta) -> None:
        """Remember ``units`` and ``meta`` under ``key`` (copies, so later changes do not leak in)."""
        with self._lock:
            self._entries[key] = renamed(units, meta, meta.source)
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
