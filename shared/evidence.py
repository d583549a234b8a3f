"""Saving and loading a task's evidence pack in the object store, cached by digest; the sentence
embeddings a loaded pack carries join the process's cache (``shared.embeddings``), so the draft and
the checks encode none of its sentences again."""

from __future__ import annotations

from collections import OrderedDict

from shared import embeddings
from shared.events import ObjectRef
from shared.storage import ObjectStore
from shared.units import EvidencePack


class EvidenceLoader:
    """Saves and reads evidence packs. A pack never changes once saved and is addressed by its
    digest, so a loader keeps the last ``capacity`` packs it saved or read: a service reads each
    pack once for all rounds. The cache is the loader's own (each service builds one), so nothing
    read in one place is seen in another. Handlers must not modify a loaded pack."""

    def __init__(self, store: ObjectStore, capacity: int = 8) -> None:
        self.store = store
        self.capacity = capacity
        self._cache: OrderedDict[str, EvidencePack] = OrderedDict()

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
        embeddings.remember(pack.vectors)
        self._remember(ref.digest, pack)
        return pack

    def _remember(self, digest: str, pack: EvidencePack) -> None:
        self._cache[digest] = pack
        self._cache.move_to_end(digest)
        while len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
