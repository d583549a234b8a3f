"""A service process against a real nats-server whose JetStream is not ready when it starts."""

from __future__ import annotations

import asyncio
import subprocess

import pytest

from bench.processes import ServiceProcess
from shared.embedded import EmbeddedNats, accepts_connections, find_server_binary, free_port

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
