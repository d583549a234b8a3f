"""``redline run``: one task folder through the whole chain in this process, outputs to a folder.

With no NATS_URL an embedded nats-server is started for the run; with one, the run uses that
server (the four services still run here). A run ends in one of four ways (``RunResult.ending``):
clean, finished with errors, failed, or silent for longer than the timeout — then what was finished
is saved (``redline.partial``). With no model configured and the ``local`` extra installed, the
embedded model (``shared.local_model``) is assembled if needed, started on loopback for the run and
stopped at its end; the draft service then writes section by section. When it cannot start, one
line says why and the offline extractive writer drafts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from redline import exits
from redline.chain import LocalChain
from redline.client import Silence, TaskWatcher, describe, fetch_artifacts, submit, task_id_for
from redline.inputs import read_folder
from redline.partial import save_partial
from services.draft.settings import DraftModelSettings
from shared.bus import Bus
from shared.embedded import EmbeddedNats
from shared.events import Event, TaskCompleted, TaskFailed
from shared.local_model import EmbeddedModel, LocalModelError, LocalModelSettings, assemble, installed, spec_named
from shared.settings import NatsSettings, environment
from shared.telemetry import configure_tracing, tracer
from shared.tracefile import CollectingExporter


@dataclass
class RunResult:
    """What a run produced: the task id, where its outputs are, how it ended and what remains."""

    task_id: str
    out: Path
    failure: str = ""
    files: list[Path] = field(default_factory=list)
    errors: int = 0
    version: int = 0
    stop_reason: str = ""
    silent: Silence | None = None
    model_setup: dict[str, float] = field(default_factory=dict)

    def exit_code(self) -> int:
        """The command's exit status for this ending (``redline.exits``)."""
        if self.silent:
            return exits.TIMED_OUT
        if self.failure:
            return exits.FAILED
        return exits.ERRORS if self.errors else exits.CLEAN

    def last_line(self) -> str:
        """What the run's last line says: how it ended, what remains and where to read it."""
        where = f"{self.out}/"
        if self.silent:
            return (
                f"task {self.task_id} timed out: no sign of life for {self.silent.seconds:g} s while "
                f"{self.silent.stage} was working; what was finished is in {where}"
            )
        if self.failure:
            return f"task {self.task_id} failed at {self.failure}"
        if self.errors:
            return (
                f"task {self.task_id} finished with {self.errors} errors left in the accepted report "
                f"(v{self.version}: {self.stop_reason}); read them in {self.out / 'report.html'} "
                f"or {self.out / 'findings.json'}"
            )
        return f"task {self.task_id} done: no errors in the accepted report (v{self.version}); outputs in {where}"


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
    try:
        with environment(overrides):
            yield float(overrides["REDLINE_DRAFT_DEADLINE"])
    finally:
        server.stop()


@contextlib.asynccontextmanager
async def nats_for_run(settings: NatsSettings):
    """The configured NATS, or an embedded server for the duration of the run."""
    if settings.url:
        yield settings
        return
    async with EmbeddedNats() as server:
        yield settings.model_copy(update={"url": server.url})


def timed(echo: Callable[[str], None]) -> Callable[[Event], None]:
    """A callback that echoes an event's line with the seconds its stage took (since the last event)."""
    last = time.monotonic()

    def echo_event(event: Event) -> None:
        nonlocal last
        now = time.monotonic()
        echo(f"{describe(event)}  [{now - last:.1f} s]")
        last = now

    return echo_event


async def run_folder(
    folder: Path,
    query: str,
    out: Path,
    multimodal: list[dict] | None = None,
    max_rounds: int = 3,
    echo: Callable[[str], None] = print,
    timeout: float = 300.0,
    nats_settings: NatsSettings | None = None,
    alive: Callable[[str], None] | None = None,
) -> RunResult:
    """Run one task folder end to end and write every output into ``out``; ``timeout`` is the
    longest silence (no event and no sign of life) the run waits through."""
    collector = CollectingExporter()
    configure_tracing("redline", collector)
    files = read_folder(folder)
    task_id = task_id_for(folder)
    result = RunResult(task_id=task_id, out=out)
    events: list[Event] = []
    echo_event = timed(echo)
    async with model_for_run(echo, result.model_setup) as draft_seconds, nats_for_run(nats_settings or NatsSettings()) as settings:
        timeout = max(timeout, draft_seconds)
        chain = await LocalChain().start(settings)
        client = await Bus.connect(settings, source="/cli")
        try:
            with tracer().start_as_current_span("redline run", attributes={"redline.task_id": task_id}):
                watcher = await TaskWatcher(client, task_id).open()
                await submit(client, task_id, files, query, multimodal, max_rounds, title=folder.resolve().name)
                try:
                    async for event in watcher.events(timeout, alive):
                        events.append(event)
                        echo_event(event)
                except Silence as silence:
                    result.silent = silence
                await watcher.close()
            last = events[-1].payload() if events else None
            if result.silent:
                result.files = save_partial(events, silence_note(result.silent), out)
            elif isinstance(last, TaskCompleted):
                result.files = await fetch_artifacts(client, last, out)
                result.errors, result.version, result.stop_reason = last.errors, last.report_version, last.stop_reason
            elif isinstance(last, TaskFailed):
                result.failure = f"{last.stage}: {last.reason}"
            else:
                result.failure = "the end of its events: neither task.completed nor task.failed arrived"
        finally:
            await client.close()
            await chain.stop()
    out.mkdir(parents=True, exist_ok=True)
    result.files.append(write_events(out / "events.jsonl", events))
    collector.write(out / "trace.json", task_id)
    result.files.append(out / "trace.json")
    return result


def silence_note(silence: Silence) -> str:
    return f"timed out: {silence}"


def write_events(path: Path, events: list[Event]) -> Path:
    """Every event of the task, one envelope per line."""
    path.write_text("".join(e.model_dump_json() + "\n" for e in events), encoding="utf-8")
    return path
