"""Health and metrics over HTTP: ``/livez``, ``/readyz`` and ``/metrics`` on one small server.

- ``/livez``: 200 while the fetch loop made progress recently (``probe.live()``), else 503;
  Kubernetes restarts a pod whose loop is stuck.
- ``/readyz``: 200 while connected to NATS with the stream and the durable bound
  (``probe.ready()``), else 503; Kubernetes stops counting the pod as available.
- ``/metrics``: the Prometheus text format from ``shared.metrics``.

The server speaks just enough HTTP/1.1 for probes and scrapers: GET (or HEAD) with no body,
one request per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Protocol

from shared import metrics

READ_TIMEOUT = 5.0
MAX_REQUEST_BYTES = 8192
REASONS = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 400: "Bad Request", 503: "Service Unavailable"}


class Probe(Protocol):
    """What the health server asks the service."""

    def live(self) -> bool: ...

    def ready(self) -> bool: ...


class Liveness:
    """Alive while the last ``beat()`` is at most ``window`` seconds old; the fetch loop beats."""

    def __init__(self, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._last = clock()

    def beat(self) -> None:
        """Record progress now."""
        self._last = self._clock()

    def live(self) -> bool:
        """Whether the last beat is recent enough."""
        return self._clock() - self._last <= self.window


def respond(status: int, body: bytes, content_type: str = "text/plain; charset=utf-8", head: bool = False) -> bytes:
    """A complete HTTP/1.1 response that closes the connection."""
    lines = [
        f"HTTP/1.1 {status} {REASONS[status]}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
        "Cache-Control: no-store",
        "Connection: close",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (b"" if head else body)


def route(method: str, path: str, probe: Probe) -> bytes:
    """The response to one request line."""
    head = method == "HEAD"
    if method not in ("GET", "HEAD"):
        return respond(405, b"method not allowed\n")
    path = path.split("?", 1)[0]
    if path == "/livez":
        ok = probe.live()
        return respond(200 if ok else 503, b"ok\n" if ok else b"fetch loop stalled\n", head=head)
    if path == "/readyz":
        ok = probe.ready()
        return respond(200 if ok else 503, b"ok\n" if ok else b"not connected or consumer not bound\n", head=head)
    if path == "/metrics":
        return respond(200, metrics.render(), content_type=metrics.CONTENT_TYPE, head=head)
    return respond(404, b"not found\n", head=head)


class HealthServer:
    """Serves the probe and the metrics on ``host:port`` (port 0 picks a free port, see ``port``)."""

    def __init__(self, host: str, port: int, probe: Probe) -> None:
        self.host = host
        self.port = port
        self.probe = probe
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        """Start listening; ``port`` then holds the bound port."""
        self._server = await asyncio.start_server(self._serve, self.host, self.port, limit=MAX_REQUEST_BYTES)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and close open connections."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
            parts = head.split(b"\r\n", 1)[0].decode("latin-1").split()
            if len(parts) != 3:
                writer.write(respond(400, b"bad request\n"))
            else:
                writer.write(route(parts[0], parts[1], self.probe))
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
