"""The object store: source files and large artifacts, addressed by key (claim check).

``NatsObjectStore`` is the real one (a JetStream object-store bucket); ``MemoryObjectStore``
is its test double with the same methods.
"""

from __future__ import annotations

import base64
import hashlib

from nats.js.client import JetStreamContext
from nats.js.api import ObjectStoreConfig
from nats.js.errors import ObjectNotFoundError

from shared.errors import PoisonError
from shared.events import ObjectRef

BUCKET = "redline-objects"


def digest_of(data: bytes) -> str:
    """The digest in the object store's own form: 'SHA-256=' + base64url."""
    return "SHA-256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode()


class NatsObjectStore:
    """A JetStream object-store bucket."""

    def __init__(self, js: JetStreamContext, bucket: str = BUCKET) -> None:
        self._js = js
        self._bucket = bucket
        self._store = None

    async def bind(self, replicas: int = 1) -> None:
        """Create the bucket with ``replicas`` if it does not exist, then bind to it."""
        try:
            self._store = await self._js.object_store(self._bucket)
        except Exception:
            self._store = await self._js.create_object_store(self._bucket, ObjectStoreConfig(replicas=replicas))

    async def put(self, key: str, data: bytes) -> ObjectRef:
        """Store ``data`` under ``key``, replacing what was there; the same bytes are not rewritten,
        so a retried upload cannot disturb a reader of the object."""
        digest = digest_of(data)
        try:
            current = await self._store.get_info(key)
            if current.digest == digest and current.size == len(data):
                return ObjectRef(key=key, digest=digest, size=len(data))
        except ObjectNotFoundError:
            pass
        info = await self._store.put(key, data)
        return ObjectRef(key=key, digest=info.digest or digest_of(data), size=info.size)

    async def get(self, key: str) -> bytes:
        """The bytes under ``key``; ``PoisonError`` when there are none."""
        try:
            result = await self._store.get(key)
        except ObjectNotFoundError as exc:
            raise PoisonError(f"object {key!r} is not in the store") from exc
        return result.data

    async def keys(self, prefix: str) -> list[str]:
        """Every key that starts with ``prefix``."""
        try:
            infos = await self._store.list(ignore_deletes=True)
        except Exception:  # an empty bucket answers "not found"
            return []
        return sorted(info.name for info in infos if info.name.startswith(prefix))


class MemoryObjectStore:
    """An in-process store with the same methods, for unit tests of handlers."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    async def put(self, key: str, data: bytes) -> ObjectRef:
        self.objects[key] = data
        return ObjectRef(key=key, digest=digest_of(data), size=len(data))

    async def get(self, key: str) -> bytes:
        if key not in self.objects:
            raise PoisonError(f"object {key!r} is not in the store")
        return self.objects[key]

    async def keys(self, prefix: str) -> list[str]:
        return sorted(k for k in self.objects if k.startswith(prefix))
