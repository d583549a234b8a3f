"""The user's side of the bus: submit a task folder, follow its events, fetch its artifacts."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from shared.bus import Bus
from shared.events import PREFIX, Event, EventData, SourceFile, TaskCompleted, TaskFailed, TaskSubmitted
from shared.telemetry import tracer

TERMINAL = {TaskCompleted.event_type(), TaskFailed.event_type()}


def new_task_id(folder: Path) -> str:
    """A task id that starts with the folder name: '005-3f2a9c1b'."""
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in folder.resolve().name) or "task"
    return f"{stem}-{uuid.uuid4().hex[:8]}"


async def submit(
    bus: Bus,
    task_id: str,
    files: dict[str, bytes],
    query: str,
    multimodal: list[dict] | None = None,
    max_rounds: int = 3,
) -> TaskSubmitted:
    """Upload the source files and publish task.submitted."""
    with tracer().start_as_current_span("redline submit", attributes={"redline.task_id": task_id}):
        names = sorted(files)
        refs = await asyncio.gather(*(bus.store.put(f"{task_id}/sources/{name}", files[name]) for name in names))
        sources = [SourceFile(name=name, ref=ref) for name, ref in zip(names, refs)]
        submitted = TaskSubmitted(
            task_id=task_id, query=query, sources=sources, max_rounds=max_rounds, multimodal=multimodal or []
        )
        await bus.publish(submitted)
    return submitted


class TaskWatcher:
    """Every event of one task as it is published (subscribe before submitting)."""

    def __init__(self, bus: Bus, task_id: str) -> None:
        self.bus = bus
        self.task_id = task_id
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self._subscription = None

    async def open(self) -> TaskWatcher:
        self._subscription = await self.bus.nc.subscribe(f"{PREFIX}.>", cb=self._receive)
        return self

    async def _receive(self, msg) -> None:
        if (msg.headers or {}).get("ce-subject") == self.task_id:
            self._queue.put_nowait(Event.model_validate_json(msg.data))

    async def events(self, timeout: float) -> AsyncIterator[Event]:
        """Events in arrival order, until task.completed or task.failed; ``TimeoutError`` after ``timeout`` s of silence."""
        seen: set[str] = set()
        while True:
            event = await asyncio.wait_for(self._queue.get(), timeout)
            if event.id in seen:
                continue
            seen.add(event.id)
            yield event
            if event.type in TERMINAL:
                return

    async def close(self) -> None:
        if self._subscription:
            await self._subscription.unsubscribe()


async def fetch_artifacts(bus: Bus, completed: TaskCompleted, out: Path) -> list[Path]:
    """Write every artifact of a completed task into ``out`` (read from the store all at once)."""
    out.mkdir(parents=True, exist_ok=True)
    contents = await asyncio.gather(*(bus.store.get(ref.key) for ref in completed.artifacts))
    written = []
    for ref, data in zip(completed.artifacts, contents):
        path = out / ref.key.rsplit("/", 1)[-1]
        path.write_bytes(data)
        written.append(path)
    return written


def describe(event: Event) -> str:
    """One line of progress for an event."""
    data: EventData = event.payload()
    match data.NAME:
        case "task.submitted":
            return f"submitted   {len(data.sources)} source files"
        case "evidence.ready":
            failed = [s.source for s in data.sources if s.error]
            note = f"; failed: {', '.join(failed)}" if failed else ""
            skipped = f"; skipped: {', '.join(data.skipped)}" if data.skipped else ""
            return f"ingest      {data.units} units from {len(data.sources)} sources{note}{skipped}"
        case "report.drafted":
            notes = "".join(f"\n            note: {f.message}" for f in data.writer_findings if f.check == "draft.quotes_sources")
            return f"draft       v1 written by {data.writer} ({len(data.text)} characters){notes}"
        case "revision.requested":
            last = data.rounds[-1]
            return f"validate    v{last.report_version}: {last.errors} errors, {last.warnings} warnings → revise v{data.report_version}"
        case "report.revised":
            return f"revise      v{data.report_version} from v{data.base_version} ({data.preserved:.0%} of sentences kept)"
        case "report.accepted":
            last = data.rounds[-1]
            return f"validate    v{last.report_version}: {last.errors} errors → accept v{data.report_version} ({data.stop_reason})"
        case "task.completed":
            return f"compare     {len(data.artifacts)} artifacts written"
        case "task.failed":
            return f"FAILED      at {data.stage}: {data.reason}"
    return data.NAME
