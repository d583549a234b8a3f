"""The four services as separate processes against one nats-server, driven by the CLI."""

from __future__ import annotations

import asyncio

import pytest

from bench.processes import ServiceProcess
from redline.cli import main
from redline.client import TaskWatcher, submit
from redline.example import write_example
from redline.folder import collect_files, find_query
from shared.bus import Bus

pytestmark = [pytest.mark.nats, pytest.mark.slow]

STAGES = ["ingest", "draft", "validate", "compare"]


@pytest.fixture
def services(nats_url, tmp_path):
    """Each service started with ``python -m services.<stage>``, serving health on its own port."""
    processes = {stage: ServiceProcess(stage, nats_url, tmp_path).start() for stage in STAGES}
    yield processes
    for process in processes.values():
        if process.alive:
            process.kill()


async def test_separate_processes_complete_a_task_and_stop_on_sigterm(services, nats_settings, tmp_path, monkeypatch):
    folder = write_example(tmp_path / "example")
    await asyncio.gather(*(process.wait_ready() for process in services.values()))
    client = await Bus.connect(nats_settings, source="/test")
    watcher = await TaskWatcher(client, "procs").open()
    await submit(client, "procs", collect_files(folder), find_query(folder, None)[0])
    events = [e async for e in watcher.events(60)]
    await client.close()
    monkeypatch.setenv("NATS_URL", nats_settings.url)
    fetched = await asyncio.to_thread(main, ["fetch", "procs", "--out", str(tmp_path / "out")])
    metrics = await asyncio.to_thread(services["validate"].metrics)
    codes = await asyncio.gather(*(asyncio.to_thread(process.stop) for process in services.values()))

    assert events[-1].type == "redline.task.completed.v1"
    assert fetched == 0
    assert (tmp_path / "out" / "comparison.txt").exists()
    assert 'redline_messages_handled_total{subject="redline.report.drafted.v1"} 1.0' in metrics
    assert codes == [0, 0, 0, 0]
