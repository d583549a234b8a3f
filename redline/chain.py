"""All four services in one process, each with its own connection: what ``redline run`` starts."""

from __future__ import annotations

import asyncio

from services.compare import app as compare_app
from services.compare.settings import Settings as CompareSettings
from services.draft import app as draft_app
from services.draft.settings import Settings as DraftSettings
from services.ingest import app as ingest_app
from services.ingest.settings import Settings as IngestSettings
from services.validate import app as validate_app
from services.validate.settings import Settings as ValidateSettings
from shared.bus import Bus
from shared.consumer import Consumer
from shared.service import start_consumer
from shared.settings import NatsSettings

SERVICES = [
    (ingest_app, IngestSettings),
    (draft_app, DraftSettings),
    (validate_app, ValidateSettings),
    (compare_app, CompareSettings),
]


class LocalChain:
    """The four services' consumers, started and stopped together."""

    def __init__(self) -> None:
        self.running: list[tuple[Bus, Consumer]] = []

    async def start(self, nats_settings: NatsSettings, skip: frozenset[str] = frozenset()) -> LocalChain:
        """Connect and start every service whose stage is not in ``skip``."""
        for app, settings_class in SERVICES:
            if app.STAGE in skip:
                continue
            bus = await Bus.connect(nats_settings, source=f"/services/{app.STAGE}")
            self.running.append((bus, await start_consumer(bus, app, settings_class())))
        return self

    async def stop(self) -> None:
        """Stop every consumer, then drain every connection."""
        await asyncio.gather(*(consumer.stop() for _, consumer in self.running))
        await asyncio.gather(*(bus.close() for bus, _ in self.running))
        self.running = []
