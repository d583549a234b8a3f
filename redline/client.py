"""The user's side of the bus: submit a task folder, follow its events, fetch its artifacts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import nats.errors

from services.compare.summary import describe_changes, describe_counts, describe_errors
from shared.bus import STREAM, Bus
from shared.errors import TransientError
from shared.events import (
    PREFIX,
    Event,
    EvidenceReady,
    ObjectRef,
    ReportAccepted,
    ReportDrafted,
    ReportRevised,
    RevisionRequested,
    SourceFile,
    TaskCompleted,
    TaskFailed,
    TaskSubmitted,
)
from shared.status import STAGE_OF
from shared.status import TERMINAL as TERMINAL_STAGES
from shared.storage import digest_of
from shared.taskid import new_task_id
from shared.telemetry import tracer

TERMINAL = {TaskCompleted.event_type(), TaskFailed.event_type()}
HEADROOM = 4096
"""Bytes kept free in a message for its headers and envelope."""


class SubmissionTooLarge(ValueError):
    """task.submitted would exceed the largest message the NATS server accepts."""


class SubmitTimeout(TimeoutError):
    """The NATS server did not acknowledge an upload or task.submitted in time."""


IN_PROGRESS = b"+WPI"
"""The acknowledgement a service sends while it works on a message (model heartbeats, streamed tokens)."""


class Silence(TimeoutError):
    """No sign of life from the task for ``seconds``; ``stage`` was still working on it."""

    def __init__(self, stage: str, seconds: float) -> None:
        super().__init__(f"no sign of life for {seconds:g} s while {stage} was working")
        self.stage = stage
        self.seconds = seconds


@dataclass(frozen=True)
class Alive:
    """A sign of life: the durable (service) that reported the task's message as in progress."""

    service: str


def ack_target(subject: str) -> tuple[str, str, int] | None:
    """(stream, durable, stream sequence) of a JetStream acknowledgement subject, in its short
    (``$JS.ACK.<stream>.<durable>.<delivered>.<seq>…``) or domain form; None for another subject."""
    tokens = subject.split(".")
    if len(tokens) == 9:
        return tokens[2], tokens[3], int(tokens[5])
    if len(tokens) >= 11:
        return tokens[4], tokens[5], int(tokens[7])
    return None


def task_id_for(folder: Path) -> str:
    """A fresh task id for a folder, safe whatever the folder is called: '005-3f2a9c1b'."""
    return new_task_id(folder.resolve().name)


async def submit(
    bus: Bus,
    task_id: str,
    files: dict[str, bytes],
    query: str,
    multimodal: list[dict] | None = None,
    max_rounds: int = 3,
    title: str = "",
) -> TaskSubmitted | TaskCompleted | TaskFailed:
    """Upload the source files and publish task.submitted (``title`` is the task's human name); for
    a task id that already ended, nothing is uploaded and its stored task.completed or task.failed
    is returned instead (a new run takes a new task id). ``SubmissionTooLarge`` before anything is
    uploaded when the event would not fit in one message; ``SubmitTimeout`` when the server does
    not acknowledge."""
    if ended := await stored_result(bus, task_id):
        return ended
    names = sorted(files)
    sources = [SourceFile(name=name, ref=source_ref(task_id, name, files[name])) for name in names]
    submitted = TaskSubmitted(
        task_id=task_id,
        title=title,
        query=query,
        sources=sources,
        max_rounds=max_rounds,
        multimodal=multimodal or [],
    )
    check_size(submitted, bus.nc.max_payload)
    with tracer().start_as_current_span("redline submit", attributes={"redline.task_id": task_id}):
        try:
            await asyncio.gather(*(bus.store.put(source.ref.key, files[source.name]) for source in sources))
            await bus.publish(submitted, advance=False)
        except (nats.errors.TimeoutError, TransientError) as exc:
            raise SubmitTimeout(
                f"the NATS server did not acknowledge task {task_id}'s upload in time ({exc}); "
                "nothing was started: submit again"
            ) from exc
    return submitted


def source_ref(task_id: str, name: str, data: bytes) -> ObjectRef:
    """Where a source file of a task is stored, as the object store will report it."""
    return ObjectRef(key=f"{task_id}/sources/{name}", digest=digest_of(data), size=len(data))


def check_size(submitted: TaskSubmitted, max_payload: int) -> None:
    """``SubmissionTooLarge`` naming the sizes when ``submitted`` cannot travel in one message."""
    size = len(submitted.model_dump_json().encode()) + HEADROOM
    if size <= max_payload:
        return
    request = len(submitted.query.encode())
    raise SubmissionTooLarge(
        f"task {submitted.task_id} cannot be submitted: its task.submitted event would be {size / 1e6:.2f} MB "
        f"({len(submitted.sources)} source files listed, a {request / 1e6:.2f} MB request) and the NATS server "
        f"takes at most {max_payload / 1e6:.2f} MB per message (max_payload). Pack the files into one "
        "archive (.zip, .tar.gz), use fewer files, or shorten the request. Nothing was uploaded."
    )


async def stored_result(bus: Bus, task_id: str) -> TaskCompleted | TaskFailed | None:
    """The task.completed or task.failed of a task that already ended, from the status bucket."""
    status = await bus.status.get(task_id)
    if status is None or status.stage not in TERMINAL_STAGES or not status.result:
        return None
    return (TaskCompleted if status.stage == "completed" else TaskFailed).model_validate(status.result)


class TaskWatcher:
    """Every event of one task as it is published (subscribe before submitting), and every sign of
    life between them: a service telling the stream it is still working on one of the task's messages
    (its heartbeat, or a model's tokens arriving)."""

    def __init__(self, bus: Bus, task_id: str) -> None:
        self.bus = bus
        self.task_id = task_id
        self.working = STAGE_OF["task.submitted"]
        self._queue: asyncio.Queue[Event | Alive] = asyncio.Queue()
        self._subscriptions: list = []
        self._ours: dict[int, bool] = {}

    async def open(self) -> TaskWatcher:
        self._subscriptions = [
            await self.bus.nc.subscribe(f"{PREFIX}.>", cb=self._receive),
            await self.bus.nc.subscribe("$JS.ACK.>", cb=self._acknowledged),
        ]
        return self

    async def _receive(self, msg) -> None:
        if (msg.headers or {}).get("ce-subject") == self.task_id:
            try:
                self._queue.put_nowait(Event.model_validate_json(msg.data))
            except ValueError:  # not an event this client can read: the services fail the task
                return

    async def _acknowledged(self, msg) -> None:
        target = ack_target(msg.subject)
        if msg.data != IN_PROGRESS or target is None or target[0] != STREAM:
            return
        _, durable, sequence = target
        if sequence not in self._ours:
            try:
                stored = await self.bus.js.get_msg(STREAM, sequence)
            except Exception:  # gone from the stream, or not allowed: not a sign of this task's life
                self._ours[sequence] = False
                return
            self._ours[sequence] = (stored.headers or {}).get("ce-subject") == self.task_id
        if self._ours[sequence]:
            self._queue.put_nowait(Alive(durable))

    async def events(self, timeout: float, alive: Callable[[str], None] | None = None) -> AsyncIterator[Event]:
        """Events in arrival order, until task.completed or task.failed. Each sign of life calls
        ``alive`` with the working service and restarts the clock; ``Silence`` after ``timeout`` s
        without either."""
        seen: set[str] = set()
        while True:
            try:
                item = await asyncio.wait_for(self._queue.get(), timeout)
            except TimeoutError:
                raise Silence(self.working, timeout) from None
            if isinstance(item, Alive):
                if alive is not None:
                    alive(item.service)
                continue
            if item.id in seen:
                continue
            seen.add(item.id)
            self.working = STAGE_OF.get(item.type.removeprefix(f"{PREFIX}.").rsplit(".", 1)[0], self.working)
            yield item
            if item.type in TERMINAL:
                return

    async def close(self) -> None:
        for subscription in self._subscriptions:
            await subscription.unsubscribe()


async def fetch_artifacts(bus: Bus, completed: TaskCompleted, out: Path) -> list[Path]:
    """Write every artifact of a completed task into ``out`` (read from the store all at once)."""
    out.mkdir(parents=True, exist_ok=True)
    contents = await asyncio.gather(*(bus.store.get(ref.key) for ref in completed.artifacts))
    written = []
    for ref, data in zip(completed.artifacts, contents, strict=False):
        path = out / ref.key.rsplit("/", 1)[-1]
        path.write_bytes(data)
        written.append(path)
    return written


NOTED_WRITER_CHECKS = ("draft.quotes_sources", "draft.section_fallback")
"""Writer findings the draft's progress line shows: what the user would not guess from "written by"."""

def describe(event: Event) -> str:
    """One line of progress for an event."""
    data = event.payload()
    match data:
        case TaskSubmitted():
            name = f"{data.title} ({data.task_id}): " if data.title else ""
            return f"submitted   {name}{len(data.sources)} source files"
        case EvidenceReady():
            failed = [s.source for s in data.sources if s.error]
            note = f"; failed: {', '.join(failed)}" if failed else ""
            skipped = f"; skipped: {', '.join(data.skipped)}" if data.skipped else ""
            return f"ingest      {data.units} units from {len(data.sources)} sources{note}{skipped}"
        case ReportDrafted():
            notes = "".join(f"\n            note: {f.message}" for f in data.writer_findings if f.check in NOTED_WRITER_CHECKS)
            return f"draft       v1 written by {data.writer} ({len(data.text)} characters){notes}"
        case RevisionRequested():
            last = data.loop.rounds[-1]
            return f"validate    v{last.report_version}: {last.errors} errors, {last.warnings} warnings → revise v{data.loop.base_version}"
        case ReportRevised():
            base = data.loop.base()
            return f"revise      v{data.report_version} from v{base.report_version}: {describe_changes(base.text, data.text)}"
        case ReportAccepted():
            last = data.rounds[-1]
            return f"validate    v{last.report_version}: {last.errors} errors → accept v{data.report_version} ({data.stop_reason})"
        case TaskCompleted():
            numbers = data.numbers
            if not numbers:
                return f"compare     {len(data.artifacts)} artifacts written"
            return (
                f"compare     v1 → v{data.report_version}: {describe_counts(numbers)}; {describe_errors(numbers)}; "
                f"{len(data.artifacts)} artifacts written"
            )
        case TaskFailed():
            return f"FAILED      at {data.stage}: {data.reason}"
    return data.NAME
