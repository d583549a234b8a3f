"""Loading a task's evidence pack from the object store, cached by digest."""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

from shared.events import ObjectRef
from shared.units import EvidencePack


class ObjectStore(Protocol):
    async def put(self, key: str, data: bytes) -> ObjectRef: ...
    async def get(self, key: str) -> bytes: ...


class EvidenceLoader:
    """Reads evidence packs; keeps the last few so every round of a task reads it once."""

    def __init__(self, store: ObjectStore, capacity: int = 8) -> None:
        self.store = store
        self.capacity = capacity
        self._cache: OrderedDict[str, EvidencePack] = OrderedDict()

    async def load(self, ref: ObjectRef) -> EvidencePack:
        """The pack behind ``ref``."""
        if ref.digest in self._cache:
            self._cache.move_to_end(ref.digest)
            return self._cache[ref.digest]
        pack = EvidencePack.model_validate_json(await self.store.get(ref.key))
        self._cache[ref.digest] = pack
        if len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        return pack
