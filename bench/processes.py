"""Services as separate processes: ``python -m services.<stage>``, each with its own health port.

The offline writer drafts (no model is configured for the children) and no spans are exported;
each process logs warnings and errors into its own file.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from shared.embedded import free_port


def service_env(nats_url: str, health_port: int, extra: dict[str, str]) -> dict[str, str]:
    """The child's environment: NATS URL, health port, quiet logs, offline writer, no OTLP export."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_EXPORTER_OTLP")}
    env |= {
        "NATS_URL": nats_url,
        "REDLINE_HEALTH_PORT": str(health_port),
        "REDLINE_LOG_LEVEL": "WARNING",
        "REDLINE_DRAFT_MODEL": "",
    }
    return env | extra


def http_get(url: str) -> tuple[int, str]:
    """Status and body of a GET; the status of an HTTP error too."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a live process (Linux ``/proc``); None where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory (``VmHWM``) of a live process in MB (Linux ``/proc``); None where unavailable."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    kilobytes = next((int(line.split()[1]) for line in lines if line.startswith("VmHWM:")), None)
    return kilobytes / 1024 if kilobytes is not None else None


class ServiceProcess:
    """One service process: start, wait until ready, pause/resume, kill, stop."""

    def __init__(
        self, stage: str, nats_url: str, logs: Path, name: str = "", env: dict[str, str] | None = None
    ) -> None:
        self.stage = stage
        self.name = name or stage
        self.nats_url = nats_url
        self.health_port = free_port()
        self.log_path = logs / f"{self.name}.log"
        self.extra_env = env or {}
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServiceProcess:
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", f"services.{self.stage}"],
                env=service_env(self.nats_url, self.health_port, self.extra_env),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    @property
    def process(self) -> subprocess.Popen[bytes]:
        """The running process; ``start`` first."""
        if self._process is None:
            raise RuntimeError(f"{self.name} was not started")
        return self._process

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    async def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait until ``/readyz`` answers 200: connected, stream and durable bound."""
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            if not self.alive:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: {self.log_tail()}")
            try:
                if (await asyncio.to_thread(http_get, f"http://127.0.0.1:{self.health_port}/readyz"))[0] == 200:
                    return
            except OSError:
                pass
            await asyncio.sleep(0.2)
        raise TimeoutError(f"{self.name} was not ready within {timeout:.0f} s: {self.log_tail()}")

    def metrics(self) -> str:
        """The process's ``/metrics`` text."""
        return http_get(f"http://127.0.0.1:{self.health_port}/metrics")[1]

    def cpu(self) -> float | None:
        return cpu_seconds(self.process.pid) if self.alive else None

    def peak_memory_mb(self) -> float | None:
        return peak_rss_mb(self.process.pid) if self.alive else None

    def signal(self, sig: signal.Signals) -> None:
        """Send ``sig`` (SIGSTOP, SIGCONT, SIGKILL...) to the process."""
        self.process.send_signal(sig)

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to ack, nak or drain."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM (after SIGCONT, in case it is paused) and wait; SIGKILL when it does not exit in time."""
        if not self.alive:
            return self._process.returncode if self._process else None
        self.process.send_signal(signal.SIGCONT)
        self.process.terminate()
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.process.returncode

    def log_tail(self, lines: int = 3) -> str:
        if not self.log_path.exists():
            return ""
        return " | ".join(self.log_path.read_text(errors="replace").strip().splitlines()[-lines:])


def handled(metrics_text: str, subject: str) -> int:
    """``redline_messages_handled_total`` of one subject in a ``/metrics`` text (0 when absent)."""
    prefix = f'redline_messages_handled_total{{subject="{subject}"}} '
    for line in metrics_text.splitlines():
        if line.startswith(prefix):
            return int(float(line[len(prefix) :]))
    return 0
