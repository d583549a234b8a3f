"""Saving and loading a task's evidence pack in the object store, cached by digest."""

from __future__ import annotations

from collections import OrderedDict
from typing import ClassVar

from shared.events import ObjectRef
from shared.storage import ObjectStore
from shared.units import EvidencePack


class EvidenceLoader:
    """Saves and reads evidence packs. A pack never changes once saved and is addressed by its
    digest, so every loader of a process shares one cache of the last few: a service reads each
    pack once for all rounds, and services running in one process (``redline run``) never read
    back a pack one of them saved. Handlers must not modify a loaded pack."""

    capacity: ClassVar[int] = 8
    _cache: ClassVar[OrderedDict[str, EvidencePack]] = OrderedDict()

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    async def save(self, key: str, pack: EvidencePack) -> ObjectRef:
        """Put ``pack`` under ``key`` and keep it in the cache; returns its reference."""
        ref = await self.store.put(key, pack.model_dump_json().encode())
        self._remember(ref.digest, pack)
        return ref

    async def load(self, ref: ObjectRef) -> EvidencePack:
        """The pack behind ``ref``."""
        if ref.digest in self._cache:
            self._cache.move_to_end(ref.digest)
            return self._cache[ref.digest]
        pack = EvidencePack.model_validate_json(await self.store.get(ref.key))
        self._remember(ref.digest, pack)
        return pack

    def _remember(self, digest: str, pack: EvidencePack) -> None:
        self._cache[digest] = pack
        self._cache.move_to_end(digest)
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
