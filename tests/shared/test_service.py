"""A service against a real nats-server: one whose JetStream is not ready when it starts, one that
holds a durable from before an upgrade."""

from __future__ import annotations

import asyncio
import subprocess

import pytest

from bench.processes import ServiceProcess
from services.draft import app as draft_app
from services.draft.settings import Settings as DraftSettings
from shared.bus import STREAM, Bus
from shared.consumer import StaleDurable, consumer_config
from shared.embedded import EmbeddedNats, accepts_connections, find_server_binary, free_port
from shared.service import start_consumer

pytestmark = pytest.mark.nats


async def started_without_jetstream(port: int) -> subprocess.Popen:
    """A nats-server on ``port`` with JetStream off: every JetStream request gets no answer."""
    server = subprocess.Popen([str(find_server_binary()), "-a", "127.0.0.1", "-p", str(port)])
    while not await accepts_connections(port):
        await asyncio.sleep(0.05)
    return server


async def test_a_service_retries_until_jetstream_answers(tmp_path):
    port = free_port()
    plain = await started_without_jetstream(port)
    service = ServiceProcess("compare", f"nats://127.0.0.1:{port}", tmp_path).start()
    try:
        await asyncio.sleep(3)
        plain.terminate()
        plain.wait()
        assert service.alive, service.log_tail()
        async with EmbeddedNats(port=port):
            await service.wait_ready(timeout=30)
    finally:
        service.stop()
        plain.kill()


async def test_a_durable_left_with_another_versions_subjects_is_refused_saying_what_to_run(nats_settings):
    bus = await Bus.connect(nats_settings, source="/services/draft")
    before = ["redline.evidence.ready.v1", "redline.revision.requested.v1"]
    await bus.js.add_consumer(STREAM, consumer_config(draft_app.DURABLE, before, DraftSettings()))
    try:
        with pytest.raises(StaleDurable) as refused:
            await start_consumer(bus, draft_app, DraftSettings())
    finally:
        await bus.close()

    assert str(refused.value) == (
        "durable draft takes redline.evidence.ready.v1, redline.revision.requested.v1, but this version consumes "
        "redline.evidence.ready.v1, redline.revision.requested.v2: run `redline bootstrap` (as the admin user) to update it"
    )
