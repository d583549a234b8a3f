"""``redline run``: one task folder through the whole chain in this process, outputs to a folder.

With no NATS_URL an embedded nats-server is started for the run; with one, the run uses that
server (the four services still run here). With no model configured and the ``local`` extra
installed, the embedded model (``shared.local_model``) is assembled if needed, started on loopback
for the run and stopped at its end; the draft service then writes section by section. When it
cannot start, one line says why and the offline extractive writer drafts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from redline.chain import LocalChain
from redline.client import TaskWatcher, describe, fetch_artifacts, new_task_id, submit
from services.draft.settings import DraftModelSettings
from services.ingest.folder import collect_files
from shared.bus import Bus
from shared.embedded import EmbeddedNats
from shared.events import Event, TaskCompleted
from shared.local_model import EmbeddedModel, LocalModelError, LocalModelSettings, assemble, installed, spec_named
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
    model_setup: dict[str, float] = field(default_factory=dict)


LOCAL_CALL_TIMEOUT = "600"
LOCAL_DEADLINE = "3600"


@contextlib.asynccontextmanager
async def model_for_run(echo: Callable[[str], None], setup: dict[str, float]):
    """The embedded model for the duration of the run, when no model is configured and the ``local``
    extra is installed; the draft service finds it through ``REDLINE_DRAFT_*`` variables, restored after.
    Yields the seconds one draft message may take (0 when no embedded model runs)."""
    local = LocalModelSettings()
    if DraftModelSettings().configured or not installed(local):
        yield 0.0
        return
    spec = spec_named(local.model)
    try:
        started = time.monotonic()
        path = await asyncio.to_thread(assemble, spec, local.cache_dir)
        setup["assemble_s"] = round(time.monotonic() - started, 2)
        server = EmbeddedModel(path, spec.name, local.context, local.threads, local.start_timeout)
        started = time.monotonic()
        await server.start()
        setup["start_s"] = round(time.monotonic() - started, 2)
    except LocalModelError as error:
        echo(f"model       local model unavailable: {error}; the offline extractive writer drafts")
        yield 0.0
        return
    echo(f"model       {spec.name} (llama.cpp, 127.0.0.1:{server.port}, context {local.context}) started in "
         f"{setup['start_s']:.1f} s; stopped when the run ends")  # fmt: skip
    overrides = {
        "REDLINE_DRAFT_BASE_URL": server.url,
        "REDLINE_DRAFT_API_KEY": "local",
        "REDLINE_DRAFT_MODEL": spec.name,
        "REDLINE_DRAFT_PER_SECTION": "true",
        "REDLINE_DRAFT_CONTEXT": str(local.context),
        "REDLINE_DRAFT_TIMEOUT": os.environ.get("REDLINE_DRAFT_TIMEOUT", LOCAL_CALL_TIMEOUT),
        "REDLINE_DRAFT_DEADLINE": os.environ.get("REDLINE_DRAFT_DEADLINE", LOCAL_DEADLINE),
    }
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        yield float(overrides["REDLINE_DRAFT_DEADLINE"])
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        server.stop()


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
    task_id = new_task_id(folder)
    result = RunResult(task_id=task_id, out=out)
    events: list[Event] = []
    async with model_for_run(echo, result.model_setup) as draft_seconds, nats_for_run(nats_settings or NatsSettings()) as settings:
        timeout = max(timeout, draft_seconds)
        chain = await LocalChain().start(settings)
        client = await Bus.connect(settings, source="/cli")
        try:
            with tracer().start_as_current_span("redline run", attributes={"redline.task_id": task_id}):
                watcher = await TaskWatcher(client, task_id).open()
                await submit(client, task_id, files, query, multimodal, max_rounds)
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
