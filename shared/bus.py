"""The bus: one NATS connection with the stream, the status board and the object store.

Publishing is the only way an event leaves a service: it sets ``Nats-Msg-Id`` to the
event's deterministic id (the stream drops a republished event inside its duplicate
window), writes the CloudEvents attributes as ``ce-*`` headers next to ``traceparent``,
and moves the task's status forward.
"""

from __future__ import annotations

import nats
from nats.aio.client import Client
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError

from shared.events import PREFIX, Event, EventData
from shared.settings import NatsSettings
from shared.status import StatusBoard, TaskStatus
from shared.storage import NatsObjectStore
from shared.telemetry import inject_headers

STREAM = "REDLINE"
DUPLICATE_WINDOW = 120.0
MAX_AGE = 7 * 24 * 3600.0


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

    @classmethod
    async def connect(cls, settings: NatsSettings, source: str, **options) -> Bus:
        """Connect (``options`` go to ``nats.connect``, e.g. callbacks), create the stream and buckets
        with ``settings.replicas`` if missing, and bind to them."""
        name = source.strip("/").replace("/", "-")
        nc = await nats.connect(**settings.connect_options(name=name) | options)
        bus = cls(nc, source)
        await bus.ensure_stream(settings.replicas)
        await bus.status.bind(settings.replicas)
        await bus.store.bind(settings.replicas)
        return bus

    async def ensure_stream(self, replicas: int = 1) -> None:
        """Create the stream, or bring an existing one to the current configuration."""
        config = stream_config(replicas)
        try:
            await self.js.add_stream(config)
        except BadRequestError:
            await self.js.update_stream(config)

    async def publish(self, data: EventData) -> Event:
        """Publish one event and advance its task's status; returns the envelope sent."""
        event = Event.wrap(data, self.source)
        await self.js.publish(
            event.type,
            event.model_dump_json().encode(),
            headers=event_headers(event),
            stream=STREAM,
        )
        await self.status.advance(TaskStatus.after(data))
        return event

    async def close(self) -> None:
        """Drain the connection: flush what is pending, then close."""
        if not self.nc.is_closed:
            await self.nc.drain()
