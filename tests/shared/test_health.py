"""Health server: real HTTP on loopback; /livez and /readyz follow the probe, /metrics is Prometheus."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request

import pytest

from shared import metrics
from shared.health import HealthServer, Liveness


class FakeProbe:
    def __init__(self, live: bool = True, ready: bool = True) -> None:
        self.is_live = live
        self.is_ready = ready

    def live(self) -> bool:
        return self.is_live

    def ready(self) -> bool:
        return self.is_ready


def fetch(port: int, path: str, method: str = "GET") -> tuple[int, str, str]:
    """Status, content type and body of one request (urllib raises on 4xx/5xx; catch that too)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.fixture
async def served():
    probe = FakeProbe()
    server = HealthServer("127.0.0.1", 0, probe)
    await server.start()
    yield server, probe
    await server.stop()


async def get(server: HealthServer, path: str, method: str = "GET") -> tuple[int, str, str]:
    return await asyncio.to_thread(fetch, server.port, path, method)


async def test_livez_is_200_while_live(served):
    server, _ = served
    assert (await get(server, "/livez"))[0] == 200


async def test_livez_is_503_with_a_reason_when_the_loop_stalled(served):
    server, probe = served
    probe.is_live = False
    status, _, body = await get(server, "/livez")
    assert status == 503
    assert "stalled" in body


async def test_readyz_follows_the_probe(served):
    server, probe = served
    assert (await get(server, "/readyz"))[0] == 200
    probe.is_ready = False
    status, _, body = await get(server, "/readyz")
    assert status == 503
    assert "not connected" in body


async def test_metrics_serves_prometheus_text(served):
    server, _ = served
    metrics.record_handled("redline.test.health.v1", 0.1)
    status, content_type, body = await get(server, "/metrics")
    assert status == 200
    assert content_type.startswith("text/plain")
    assert 'redline_messages_handled_total{subject="redline.test.health.v1"}' in body


async def test_unknown_path_is_404(served):
    server, _ = served
    assert (await get(server, "/nope"))[0] == 404


async def test_post_is_405(served):
    server, _ = served
    assert (await get(server, "/livez", method="POST"))[0] == 405


async def test_head_returns_status_without_body(served):
    server, _ = served
    status, _, body = await get(server, "/readyz", method="HEAD")
    assert (status, body) == (200, "")


async def test_garbage_request_line_gets_400(served):
    server, _ = served
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"nonsense\r\n\r\n")
    await writer.drain()
    reply = await reader.read()
    writer.close()
    assert reply.startswith(b"HTTP/1.1 400")


async def test_stop_closes_the_port(served):
    server, _ = served
    await server.stop()
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", server.port)


def test_liveness_is_live_within_the_window():
    now = [100.0]
    liveness = Liveness(window=30, clock=lambda: now[0])
    now[0] += 30
    assert liveness.live()


def test_liveness_dies_after_the_window_and_a_beat_revives_it():
    now = [100.0]
    liveness = Liveness(window=30, clock=lambda: now[0])
    now[0] += 31
    assert not liveness.live()
    liveness.beat()
    assert liveness.live()
