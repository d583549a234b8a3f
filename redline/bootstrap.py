"""``redline bootstrap``: create or update the stream, both buckets and every service's durable.

Run once per deployment (and after an upgrade) as the admin NATS user; the services' and the
end user's NATS users may then only bind to what exists. Each durable takes its settings
(ack wait, redeliveries, concurrency) from that service's environment variables.
"""

from __future__ import annotations

from redline.chain import SERVICES
from shared.bus import STREAM, Bus
from shared.consumer import consumer_config
from shared.service import wired
from shared.settings import NatsSettings


async def bootstrap(settings: NatsSettings) -> list[str]:
    """Bring the stream, the buckets and the four durables to this version's configuration; one
    line per object provisioned."""
    bus = await Bus.connect(settings, source="/bootstrap")
    try:
        await bus.ensure_stream(settings.replicas)
        done = [f"stream {STREAM} ({settings.replicas} replicas)", "bucket redline-status", "bucket redline-objects"]
        for app, settings_class in SERVICES:
            config = consumer_config(app.DURABLE, list(wired(app, bus.store)), settings_class())
            await bus.js.add_consumer(STREAM, config)
            done.append(f"durable {app.DURABLE}: {', '.join(config.filter_subjects or [])}")
    finally:
        await bus.close()
    return done
