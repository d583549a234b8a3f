"""The bus: one NATS connection with the stream, the status board and the object store.

Publishing is the only way an event leaves a service: it sets ``Nats-Msg-Id`` to the
event's deterministic id (the stream drops a republished event inside its duplicate
window), writes the CloudEvents attributes as ``ce-*`` headers next to ``traceparent``,
and moves the task's status forward.

Provisioning: the stream, both buckets and the durables are created and updated by one admin
identity (``redline bootstrap``); a service or client only binds to them, creating what is
missing where its NATS user may (an embedded or development server). A publish the server
refuses ("Permissions Violation", which nats-py reports only to the error callback) raises
``PermissionDenied`` at once instead of timing out.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import nats
from nats.aio.client import Client
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from shared.errors import PermissionDenied
from shared.events import PREFIX, Event, EventData
from shared.settings import NatsSettings
from shared.status import BUCKET as STATUS_BUCKET
from shared.status import StatusBoard, TaskStatus
from shared.storage import NatsObjectStore
from shared.telemetry import inject_headers

T = TypeVar("T")

STREAM = "REDLINE"
DUPLICATE_WINDOW = 120.0
MAX_AGE = 7 * 24 * 3600.0
DEAD_LETTER = f"{PREFIX}.deadletter"
"""Where a message that cannot be failed as a task is parked, with the reason in its headers."""
DENIED = re.compile(r'permissions violation for (publish|subscription) to "([^"]+)"', re.IGNORECASE)


def stream_config(replicas: int = 1) -> StreamConfig:
    """The one stream every event is stored in."""
    return StreamConfig(
        name=STREAM,
        subjects=[f"{PREFIX}.>"],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        duplicate_window=DUPLICATE_WINDOW,
        max_age=MAX_AGE,
        num_replicas=replicas,
    )


def event_headers(event: Event) -> dict[str, str]:
    """Message headers of an event: dedupe id, CloudEvents attributes, trace context."""
    headers = {
        "Nats-Msg-Id": event.id,
        "ce-specversion": event.specversion,
        "ce-id": event.id,
        "ce-type": event.type,
        "ce-source": event.source,
        "ce-subject": event.subject,
        "ce-time": event.time.isoformat(),
        "content-type": event.datacontenttype,
    }
    return inject_headers(headers)


class Bus:
    """A connected client with JetStream, the status board and the object store bound."""

    def __init__(self, nc: Client, source: str) -> None:
        self.nc = nc
        self.js = nc.jetstream()
        self.source = source
        self.status = StatusBoard(self.js)
        self.store = NatsObjectStore(self.js)
        self.denials: list[str] = []
        """Every permission violation the server reported on this connection, in order."""
        self._waiting: list[tuple[str, asyncio.Future[str]]] = []

    @classmethod
    async def connect(cls, settings: NatsSettings, source: str, **options: Any) -> Bus:
        """Connect (``options`` go to ``nats.connect``, e.g. callbacks), bind the stream and both
        buckets, creating what is missing with ``settings.replicas``."""
        name = source.strip("/").replace("/", "-")
        forward: Callable[[Exception], Awaitable[None]] | None = options.pop("error_cb", None)
        bus: Bus | None = None

        async def on_error(exc: Exception) -> None:
            if bus is not None:
                bus.record_error(exc)
            if forward is not None:
                await forward(exc)

        nc = await nats.connect(**settings.connect_options(name=name) | options, error_cb=on_error)
        bus = cls(nc, source)
        try:
            await bus.bind_stream(settings.replicas)
            await bus.status.bind(settings.replicas)
            await bus.store.bind(settings.replicas)
        except BaseException:
            await nc.close()
            raise
        return bus

    def record_error(self, exc: Exception) -> None:
        """Note a permission violation and wake the calls waiting on its subject."""
        text = str(exc).removeprefix("nats: ").strip("'")
        match = DENIED.search(text)
        if not match:
            return
        self.denials.append(text)
        for subject, waiter in self._waiting:
            if subject.lower() == match.group(2).lower() and not waiter.done():  # nats-py lowercases it
                waiter.set_result(text)

    async def unless_denied(self, subject: str, call: Awaitable[T]) -> T:
        """``await call``, which publishes on ``subject``; ``PermissionDenied`` as soon as the
        server refuses that subject to this user."""
        entry: tuple[str, asyncio.Future[str]] = (subject, asyncio.get_running_loop().create_future())
        self._waiting.append(entry)
        work = asyncio.ensure_future(call)
        try:
            waiters: set[asyncio.Future[Any]] = {work, entry[1]}
            await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._waiting.remove(entry)
            if not work.done():
                work.cancel()
        if work.done() and not work.cancelled():
            return work.result()
        raise PermissionDenied(f"permission denied: {entry[1].result()}")

    def denied_since(self, mark: int) -> str:
        """The first permission violation recorded after ``len(denials)`` was ``mark``, or ''."""
        return self.denials[mark] if len(self.denials) > mark else ""

    async def bind_stream(self, replicas: int = 1) -> None:
        """Check the stream exists; create it when it does not (where this user may)."""
        try:
            await self.js.stream_info(STREAM)
        except NotFoundError:
            try:
                create = self.js.add_stream(stream_config(replicas))
                await self.unless_denied(f"$JS.API.STREAM.CREATE.{STREAM}", create)
            except PermissionDenied as exc:
                raise PermissionDenied(
                    f"stream {STREAM} does not exist and this NATS user may not create it: "
                    f"run `redline bootstrap` as the admin user first ({exc})"
                ) from exc

    async def ensure_stream(self, replicas: int = 1) -> None:
        """Create the stream, or bring an existing one to the current configuration (admin only)."""
        config = stream_config(replicas)
        try:
            await self.js.add_stream(config)
        except BadRequestError:
            await self.js.update_stream(config)

    async def publish(self, data: EventData, advance: bool = True) -> Event:
        """Publish one event and, unless ``advance`` is false, advance its task's status; returns
        the envelope sent."""
        event = Event.wrap(data, self.source)
        body = event.model_dump_json().encode()
        headers = event_headers(event)
        await self.unless_denied(event.type, self.js.publish(event.type, body, headers=headers, stream=STREAM))
        if advance:
            await self.unless_denied(f"$KV.{STATUS_BUCKET}.{data.task_id}", self.status.advance(TaskStatus.after(data)))
        return event

    async def close(self) -> None:
        """Drain the connection: flush what is pending, then close."""
        if not self.nc.is_closed:
            await self.nc.drain()
