"""Running one service alone: settings → connect → consume until SIGTERM → drain."""

from __future__ import annotations

import argparse
import asyncio
import signal
from collections.abc import Callable
from types import ModuleType

import nats.errors
import nats.js.errors
import structlog

from shared.bus import Bus
from shared.consumer import NATS_TRANSIENT, Consumer, Handler, StaleDurable
from shared.errors import PermissionDenied
from shared.health import HealthServer
from shared.logging import configure_logging
from shared.retry import retrying
from shared.settings import NatsSettings, ServiceSettings
from shared.storage import ObjectStore
from shared.telemetry import configure_tracing

log = structlog.get_logger()


def wired(app: ModuleType, store: ObjectStore) -> dict[str, Handler]:
    """A service's subjects and handlers, with the dependencies it builds on ``store``: the one way a
    service is wired, on the bus (``start_consumer``) and in one process (``redline.direct``)."""
    routes: dict[str, Handler] = app.routes(app.dependencies(store))
    return routes


async def start_consumer(bus: Bus, app: ModuleType, settings: ServiceSettings) -> Consumer:
    """Bind the service's durable (refusing one left with another version's subjects) and start
    handling its subjects."""
    consumer = Consumer(bus, app.DURABLE, wired(app, bus.store), settings, app.STAGE)
    await consumer.start()
    return consumer


async def start(app: ModuleType, settings: ServiceSettings, nats_settings: NatsSettings) -> tuple[Bus, Consumer]:
    """Connect and bind, retrying while the bus is not ready yet (no server listening, or a cluster
    still electing its JetStream leader) for up to ``settings.startup_timeout`` seconds."""
    bus = await retrying(
        lambda: Bus.connect(nats_settings, source=f"/services/{app.STAGE}"),
        (*NATS_TRANSIENT, nats.errors.NoServersError, OSError),
        settings.startup_timeout,
        f"{app.STAGE}: connecting to NATS",
    )
    try:
        consumer = await retrying(
            lambda: start_consumer(bus, app, settings),
            NATS_TRANSIENT,
            settings.startup_timeout,
            f"{app.STAGE}: binding its durable",
        )
    except BaseException:
        await bus.close()
        raise
    return bus, consumer


async def serve(app: ModuleType, settings: ServiceSettings, nats_settings: NatsSettings) -> None:
    """Run until SIGTERM or SIGINT, then stop fetching, finish in-flight work and drain."""
    if not nats_settings.url:
        raise SystemExit(f"{app.STAGE}: set NATS_URL to the NATS server to consume from")
    configure_tracing(f"redline-{app.STAGE}")
    bus, consumer = await start(app, settings, nats_settings)
    health = HealthServer("0.0.0.0", settings.health_port, consumer) if settings.health_port else None
    if health:
        await health.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("service started", service=app.STAGE, durable=app.DURABLE, concurrency=settings.concurrency)
    await stop.wait()
    log.info("service stopping", service=app.STAGE)
    await consumer.stop()
    await bus.close()
    if health:
        await health.stop()


def main(app: ModuleType, settings_class: Callable[[], ServiceSettings]) -> None:
    """``python -m services.<stage>``: parse --help, read settings from the environment, serve."""
    parser = argparse.ArgumentParser(
        prog=f"python -m services.{app.STAGE}",
        description=f"{(app.__doc__ or '').strip()} Settings come from the environment: NATS_URL, NATS_USER, "
        "NATS_PASSWORD, NATS_TOKEN, NATS_CREDS, NATS_TLS_CA/CERT/KEY, REDLINE_CONCURRENCY, "
        "REDLINE_ACK_WAIT, REDLINE_MAX_DELIVER, REDLINE_DRAIN_TIMEOUT, REDLINE_STARTUP_TIMEOUT, REDLINE_HEALTH_PORT, REDLINE_LOG_LEVEL.",
    )
    parser.parse_args()
    settings = settings_class()
    configure_logging(settings.log_level)
    try:
        asyncio.run(serve(app, settings, NatsSettings()))
    except (PermissionDenied, StaleDurable) as exc:
        raise SystemExit(f"{app.STAGE}: {exc}") from exc
