"""``redline run``: one task folder through the whole chain in this process, outputs to a folder.

With no NATS_URL an embedded nats-server is started for the run; with one, the run uses that
server (the four services still run here).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from redline.chain import LocalChain
from redline.client import TaskWatcher, describe, fetch_artifacts, submit, task_id_for
from services.ingest.folder import collect_files
from shared.bus import Bus
from shared.embedded import EmbeddedNats
from shared.events import Event, TaskCompleted
from shared.settings import NatsSettings
from shared.telemetry import configure_tracing, tracer
from shared.tracefile import CollectingExporter


@dataclass
class RunResult:
    """What a run produced: the task id, where its outputs are, and why it failed if it did."""

    task_id: str
    out: Path
    failure: str = ""
    files: list[Path] = field(default_factory=list)


@contextlib.asynccontextmanager
async def nats_for_run(settings: NatsSettings):
    """The configured NATS, or an embedded server for the duration of the run."""
    if settings.url:
        yield settings
        return
    async with EmbeddedNats() as server:
        yield settings.model_copy(update={"url": server.url})


async def run_folder(
    folder: Path,
    query: str,
    out: Path,
    multimodal: list[dict] | None = None,
    max_rounds: int = 3,
    echo: Callable[[str], None] = print,
    timeout: float = 300.0,
    nats_settings: NatsSettings | None = None,
) -> RunResult:
    """Run one task folder end to end and write every output into ``out``."""
    collector = CollectingExporter()
    configure_tracing("redline", collector)
    files = collect_files(folder)
    task_id = task_id_for(folder)
    result = RunResult(task_id=task_id, out=out)
    events: list[Event] = []
    async with nats_for_run(nats_settings or NatsSettings()) as settings:
        chain = await LocalChain().start(settings)
        client = await Bus.connect(settings, source="/cli")
        try:
            with tracer().start_as_current_span("redline run", attributes={"redline.task_id": task_id}):
                watcher = await TaskWatcher(client, task_id).open()
                await submit(client, task_id, files, query, multimodal, max_rounds, title=folder.resolve().name)
                async for event in watcher.events(timeout):
                    events.append(event)
                    echo(describe(event))
                await watcher.close()
            last = events[-1].payload()
            if isinstance(last, TaskCompleted):
                result.files = await fetch_artifacts(client, last, out)
            else:
                result.failure = f"{last.stage}: {last.reason}"
        finally:
            await client.close()
            await chain.stop()
    out.mkdir(parents=True, exist_ok=True)
    result.files.append(write_events(out / "events.jsonl", events))
    collector.write(out / "trace.json", task_id)
    result.files.append(out / "trace.json")
    return result


def write_events(path: Path, events: list[Event]) -> Path:
    """Every event of the task, one envelope per line."""
    path.write_text("".join(e.model_dump_json() + "\n" for e in events), encoding="utf-8")
    return path
