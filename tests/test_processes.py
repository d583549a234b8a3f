"""The four services as separate processes against one nats-server, driven by the CLI."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import urllib.request

import pytest

from redline.cli import main
from redline.client import TaskWatcher, submit
from redline.example import write_example
from services.ingest.folder import collect_files, find_query
from shared.bus import Bus
from shared.embedded import free_port

pytestmark = [pytest.mark.nats, pytest.mark.slow]

STAGES = ["ingest", "draft", "validate", "compare"]


@pytest.fixture
def services(nats_url):
    """Each service started with ``python -m services.<stage>``; validate serves health on a port."""
    health = free_port()
    processes = {}
    for stage in STAGES:
        env = os.environ | {"NATS_URL": nats_url, "REDLINE_LOG_LEVEL": "WARNING"}
        if stage == "validate":
            env["REDLINE_HEALTH_PORT"] = str(health)
        processes[stage] = subprocess.Popen([sys.executable, "-m", f"services.{stage}"], env=env)
    yield processes, health
    for process in processes.values():
        if process.poll() is None:
            process.kill()
            process.wait()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


async def wait_ready(port: int, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        try:
            if (await asyncio.to_thread(get, f"http://127.0.0.1:{port}/readyz"))[0] == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.2)
    raise TimeoutError("validate never became ready")


async def test_separate_processes_complete_a_task_and_stop_on_sigterm(services, nats_settings, tmp_path, monkeypatch):
    processes, health = services
    folder = write_example(tmp_path / "example")
    await wait_ready(health)
    client = await Bus.connect(nats_settings, source="/test")
    watcher = await TaskWatcher(client, "procs").open()
    await submit(client, "procs", collect_files(folder), find_query(folder, None)[0])
    events = [e async for e in watcher.events(60)]
    await client.close()
    monkeypatch.setenv("NATS_URL", nats_settings.url)
    fetched = await asyncio.to_thread(main, ["fetch", "procs", "--out", str(tmp_path / "out")])
    status, metrics = await asyncio.to_thread(get, f"http://127.0.0.1:{health}/metrics")
    for process in processes.values():
        process.send_signal(signal.SIGTERM)
    codes = [await asyncio.to_thread(p.wait, 30) for p in processes.values()]

    assert events[-1].type == "redline.task.completed.v1"
    assert fetched == 0 and (tmp_path / "out" / "comparison.txt").exists()
    assert status == 200 and 'redline_messages_handled_total{subject="redline.report.drafted.v1"} 1.0' in metrics
    assert codes == [0, 0, 0, 0]
