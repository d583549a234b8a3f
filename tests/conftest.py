"""Fixtures: a real nats-server per test (from the pinned wheel), or ``--nats-url`` to use one."""

from __future__ import annotations

import asyncio
import contextlib

import nats
import nats.js.errors
import pytest

from shared.embedded import EmbeddedNats
from shared.settings import NatsSettings


def pytest_addoption(parser):
    parser.addoption("--nats-url", default="", help="use this NATS server instead of starting one per test")


async def reset_server(url: str) -> None:
    """Delete redline's stream and buckets on a shared server so a test starts clean."""
    nc = await nats.connect(url)
    js = nc.jetstream()
    for name in ("REDLINE", "KV_redline-status", "OBJ_redline-objects"):
        with contextlib.suppress(nats.js.errors.NotFoundError):
            await js.delete_stream(name)
    await nc.close()


@pytest.fixture
def nats_url(request) -> str:
    """URL of a NATS server with JetStream and nothing of redline's on it."""
    url = request.config.getoption("--nats-url")
    if url:
        asyncio.run(reset_server(url))
        yield url
        return
    server = EmbeddedNats()
    asyncio.run(server.start())
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def nats_settings(nats_url) -> NatsSettings:
    return NatsSettings(url=nats_url)


@pytest.fixture(scope="session", autouse=True)
def offline_writer_unless_asked():
    """Runs draft with the offline writer: the embedded local model only starts where a test removes this."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REDLINE_LOCAL_MODEL", "off")
        yield
