"""Reliability under faults and load: the services as separate processes on a real nats-server.

    python -m bench.faults [--quick] [--readme]

Everything runs on loopback, bounded in tasks and in time. One deployment (a restartable
nats-server on file storage, the four services started with ``python -m services.<stage>``,
the offline writer) takes these scenarios in turn, each with its own task ids:

- kill -9 of each service in the middle of a message, then a restart: ingest while it reads a
  large PDF, draft while a model call streams from the scripted OpenAI-compatible server, validate
  and compare frozen (SIGSTOP) at a moment they hold a message, then killed;
- a message that kills its service at every delivery (ingest killed each time it holds it);
- kill -9 of nats-server mid-run and a restart on the same port and store;
- duplicates: one folder submitted twice at once, its event republished with the same id, and
  again once the duplicate window is past (a new message id), and the folder submitted again;
- a slow consumer: a validator stalled past the ack wait while it holds a message, a second one
  takes over, then the first resumes;
- events from the future or the past: unknown types, a newer version, bytes that are not an event;
- (full run) a node of a 3-node cluster killed (``bench.cluster``), and load: 50 tasks submitted
  at once with 1 and with 2 validators, with throughput, peak memory per service and the largest
  backlog each durable had.

Each scenario reads the stream itself afterwards: per task, how many task.completed and
task.failed it got. A task is completed or failed with exactly one of them, lost with none,
duplicated with more. Prints a markdown table; ``--readme`` also writes it into bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import signal
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from bench.cluster import Plan, audit, node_failure, statuses
from bench.processes import ServiceProcess
from redline.client import submit
from redline.example import write_example
from redline.folder import collect_files, find_query
from services.draft.writer import draft_report
from services.ingest.handlers import evidence_key
from services.ingest.sources import ingest_files
from shared.bus import STREAM, Bus, event_headers
from shared.embedded import accepts_connections, find_server_binary, free_port
from shared.events import Event, TaskCompleted, TaskFailed, TaskSubmitted
from shared.logging import configure_logging
from shared.requirements import parse_request
from shared.settings import NatsSettings, ServiceSettings
from shared.status import TERMINAL
from shared.units import EvidencePack
from tests.openai_server import ScriptedServer, reply
from tests.services.ingest.fixtures import text_pdf

ACK_WAIT = 4.0
"""Seconds before a message a killed service held is delivered again (the services' REDLINE_ACK_WAIT)."""
COMPLETED, FAILED = TaskCompleted.event_type(), TaskFailed.event_type()
README = Path(__file__).with_name("README.md")
BEGIN, END = "<!-- faults:begin -->", "<!-- faults:end -->"


@dataclass
class Row:
    """One scenario's outcome, counted from the stream."""

    scenario: str
    submitted: int
    completed: int
    failed: int
    lost: int
    duplicated: int
    expected: tuple[int, int]
    reasons: list[str] = field(default_factory=list)
    note: str = ""
    judged: bool = True
    """Whether what the task ended with is right (hostile input: the reason it was given)."""

    @property
    def held(self) -> bool:
        """Every task ended once, as many completed and failed as the scenario means to, rightly."""
        right = (self.completed, self.failed) == self.expected and self.judged
        return right and self.lost == 0 and self.duplicated == 0


def outcome(scenario: str, task_ids: list[str], counts: Counter, failures: list[str], expected_failed: int = 0,
            note: str = "") -> Row:
    """The row of ``task_ids`` from the stream's counts per (task id, subject)."""
    ends = {t: (counts[(t, COMPLETED)], counts[(t, FAILED)]) for t in task_ids}
    return Row(
        scenario=scenario,
        submitted=len(task_ids),
        completed=sum(c >= 1 and f == 0 for c, f in ends.values()),
        failed=sum(f >= 1 and c == 0 for c, f in ends.values()),
        lost=sum(c + f == 0 for c, f in ends.values()),
        duplicated=sum(c + f > 1 for c, f in ends.values()),
        expected=(len(task_ids) - expected_failed, expected_failed),
        reasons=[reason for reason in failures if reason.split(" at ", 1)[0] in ends],
        note=note,
    )


class RestartableNats:
    """One nats-server with JetStream on file storage, on a fixed loopback port and store, so it
    can be killed and started again with everything it had stored."""

    def __init__(self, root: Path) -> None:
        self.port = free_port()
        self.store = root / "jetstream"
        self.log = root / "nats-server.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    async def start(self, timeout: float = 20.0) -> None:
        command = [str(find_server_binary()), "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", str(self.store)]
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        async with asyncio.timeout(timeout):
            while not await accepts_connections(self.port):
                await asyncio.sleep(0.05)

    @property
    def process(self) -> subprocess.Popen[bytes]:
        """The running process; ``start`` first."""
        if self._process is None:
            raise RuntimeError("nats-server was not started")
        return self._process

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


async def quiet(exc: Exception) -> None:
    """Connection errors are expected here: servers and services are killed on purpose."""


class Deployment:
    """A restartable nats-server, the four services as processes (``validators`` of validate),
    and the bench's own client."""

    def __init__(self, root: Path, validators: int = 1) -> None:
        self.root = root
        self.logs = root / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.server = RestartableNats(root)
        names = ["ingest", "draft", *(f"validate-{i + 1}" for i in range(validators)), "compare"]
        self.services = {name: self._process(name) for name in names}
        self._bus: Bus | None = None

    @property
    def bus(self) -> Bus:
        """The bench's own client; ``start`` first."""
        if self._bus is None:
            raise RuntimeError("the deployment was not started")
        return self._bus

    def _process(self, name: str, env: dict[str, str] | None = None) -> ServiceProcess:
        stage = name.split("-")[0]
        return ServiceProcess(stage, self.server.url, self.logs, name=name, env={"REDLINE_ACK_WAIT": str(ACK_WAIT)} | (env or {}))

    async def start(self) -> Deployment:
        await self.server.start()
        self._bus = await Bus.connect(NatsSettings(url=self.server.url), "/bench", error_cb=quiet, reconnect_time_wait=0.5)
        for process in self.services.values():
            process.start()
        await asyncio.gather(*(process.wait_ready() for process in self.services.values()))
        return self

    async def replace(self, name: str, env: dict[str, str] | None = None) -> ServiceProcess:
        """Kill -9 the service ``name`` (if alive) and start it again, with ``env`` added."""
        old = self.services[name]
        if old.alive:
            old.kill()
        self.services[name] = self._process(name, env)
        self.services[name].start()
        await self.services[name].wait_ready()
        return self.services[name]

    async def add_validator(self) -> ServiceProcess:
        name = f"validate-{sum(n.startswith('validate') for n in self.services) + 1}"
        self.services[name] = self._process(name)
        await self.services[name].start().wait_ready()
        return self.services[name]

    async def stop(self) -> None:
        await asyncio.gather(*(asyncio.to_thread(p.stop) for p in self.services.values()))
        if self._bus:
            await self._bus.close()
        self.server.stop()

    async def __aenter__(self) -> Deployment:
        try:
            return await self.start()
        except BaseException:
            await self.stop()
            raise

    async def __aexit__(self, *exc) -> None:
        await self.stop()


@dataclass
class Task:
    """A task folder's files and request."""

    files: dict[str, bytes]
    query: str


def example_task(root: Path) -> Task:
    folder = write_example(root / "example")
    return Task(collect_files(folder), find_query(folder, None)[0])


def large_pdf_task(example: Task, pages: int) -> Task:
    """The example with a long text PDF beside it (reading it takes ingest seconds)."""
    body = "Attention lets each position weigh every other position of the sequence. " * 40
    pdf = text_pdf([f"Page {n + 1}. {body}" for n in range(pages)], title="A long report")
    return Task(example.files | {"long-report.pdf": pdf}, example.query)


async def submit_all(bus: Bus, task: Task, task_ids: list[str]) -> None:
    await asyncio.gather(*(submit(bus, task_id, task.files, task.query) for task_id in task_ids))


async def settle(bus: Bus, task_ids: list[str], timeout: float) -> None:
    """Wait until every task is completed or failed in the status bucket, at most ``timeout`` s
    (a task still open then counts as lost)."""
    try:
        async with asyncio.timeout(timeout):
            while not all(stage in TERMINAL for stage in (await statuses(bus, task_ids)).values()):
                await asyncio.sleep(0.25)
    except TimeoutError:
        pass
    await asyncio.sleep(1.0)  # a duplicate would arrive now


async def ack_pending(bus: Bus, durable: str) -> int:
    try:
        return (await bus.js.consumer_info(STREAM, durable)).num_ack_pending
    except Exception:  # the durable is not created yet, or the server restarts
        return 0


async def holding(bus: Bus, durable: str, timeout: float = 60.0) -> None:
    """Wait until the durable has a message out for acknowledgement."""
    async with asyncio.timeout(timeout):
        while not await ack_pending(bus, durable):
            await asyncio.sleep(0.002)


async def delivered(bus: Bus, durable: str) -> int:
    """How many deliveries the durable has made (0 before it exists)."""
    try:
        return (await bus.js.consumer_info(STREAM, durable)).delivered.consumer_seq
    except Exception:
        return 0


async def delivered_after(bus: Bus, durable: str, seen: int, timeout: float) -> int:
    """Wait until the durable delivers a message after its ``seen``-th delivery; its count now."""
    async with asyncio.timeout(timeout):
        while (count := await delivered(bus, durable)) <= seen:
            await asyncio.sleep(0.01)
    return count


async def freeze_holding(bus: Bus, process: ServiceProcess, durable: str, timeout: float = 60.0) -> None:
    """SIGSTOP ``process`` at a moment it holds a message (the only consumer of ``durable``)."""
    async with asyncio.timeout(timeout):
        while True:
            await holding(bus, durable, timeout)
            process.signal(signal.SIGSTOP)
            if await ack_pending(bus, durable):
                return
            process.signal(signal.SIGCONT)  # it settled before it froze: try again


async def scenario(deployment: Deployment, name: str, task_ids: list[str], fault: Callable[[], Awaitable[str]],
                   start: Callable[[], Awaitable[None]], timeout: float, expected_failed: int = 0) -> Row:
    """Start the work, apply the fault, wait for every task, count the ends from the stream."""
    await start()
    note = await fault()
    await settle(deployment.bus, task_ids, timeout)
    counts, failures = await audit(deployment.bus)
    return outcome(name, task_ids, counts, failures, expected_failed, note)


async def kill_ingest(deployment: Deployment, example: Task, pages: int, timeout: float) -> Row:
    ids = ["ingest-kill-large", "ingest-kill-1", "ingest-kill-2"]

    async def start():
        await submit(deployment.bus, ids[0], large_pdf_task(example, pages).files, example.query)
        await submit_all(deployment.bus, example, ids[1:])

    async def fault():
        await holding(deployment.bus, "ingest")
        await asyncio.sleep(1.0)  # into the PDF
        await deployment.replace("ingest")
        return f"killed 1 s into a {pages}-page PDF; restarted"

    return await scenario(deployment, "kill -9 ingest while it reads a large PDF", ids, fault, start, timeout)


async def crash_loop(deployment: Deployment, example: Task, pages: int, timeout: float) -> Row:
    """A task whose message kills ingest at every delivery: once its deliveries run out, the task
    fails with the reason (the server's max-deliveries advisory) and the next task completes."""
    ids = ["crash-loop", "after-crash-loop"]
    deliveries = ServiceSettings().max_deliver

    seen = 0

    async def start():
        nonlocal seen
        seen = await delivered(deployment.bus, "ingest")
        await submit(deployment.bus, ids[0], large_pdf_task(example, pages).files, example.query)

    async def fault():
        nonlocal seen
        for _ in range(deliveries):
            seen = await delivered_after(deployment.bus, "ingest", seen, timeout)
            await deployment.replace("ingest")
        await submit(deployment.bus, ids[1], example.files, example.query)
        return f"ingest killed -9 at each of the {deliveries} deliveries of the first task, restarted each time"

    return await scenario(
        deployment, "a message that kills its service at every delivery", ids, fault, start, timeout, expected_failed=1
    )


async def kill_draft(deployment: Deployment, example: Task, timeout: float) -> Row:
    """The draft service writes with the scripted model, which streams its reply slowly."""
    ids = ["draft-kill-1", "draft-kill-2"]
    pack = ingest_files(example.files, "draft-kill")
    text = draft_report(parse_request(example.query), example.query, pack)
    async with ScriptedServer(then=reply(text), chunk=max(1, len(text) // 20), pause=0.1) as model:
        env = {"REDLINE_DRAFT_BASE_URL": model.url, "REDLINE_DRAFT_API_KEY": "scripted", "REDLINE_DRAFT_MODEL": "scripted"}
        await deployment.replace("draft", env)

        async def start():
            await submit_all(deployment.bus, example, ids)

        async def fault():
            async with asyncio.timeout(60):
                while not model.requests:
                    await asyncio.sleep(0.05)
            await asyncio.sleep(0.8)  # mid-stream: about 2 s per reply
            await deployment.replace("draft", env)
            return "killed mid-stream of model call 1; restarted; {calls} model calls in all"

        row = await scenario(deployment, "kill -9 draft while a model reply streams", ids, fault, start, timeout)
        row.note = row.note.format(calls=len(model.requests))
    await deployment.replace("draft")
    return row


async def kill_frozen(deployment: Deployment, stage: str, example: Task, timeout: float, tasks: int = 3) -> Row:
    """Freeze ``stage`` while it holds a message, then kill -9 it and start it again."""
    ids = [f"{stage}-kill-{i}" for i in range(tasks)]
    name = next(n for n in deployment.services if n.split("-")[0] == stage)

    async def start():
        await submit_all(deployment.bus, example, ids)

    async def fault():
        await freeze_holding(deployment.bus, deployment.services[name], stage)
        await deployment.replace(name)
        return "frozen while holding a message, killed, restarted"

    label = {"validate": "kill -9 validate mid-message", "compare": "kill -9 compare while it writes artifacts"}[stage]
    return await scenario(deployment, label, ids, fault, start, timeout)


async def restart_nats(deployment: Deployment, example: Task, timeout: float, tasks: int = 4) -> Row:
    ids = [f"nats-restart-{i}" for i in range(tasks)]

    async def start():
        await submit_all(deployment.bus, example, ids)

    async def fault():
        async with asyncio.timeout(timeout):
            while not (ended := [t for t, stage in (await statuses(deployment.bus, ids)).items() if stage in TERMINAL]):
                await asyncio.sleep(0.05)
        deployment.server.kill()
        await asyncio.sleep(1.0)
        await deployment.server.start()
        return f"nats-server killed (-9) once {len(ended)} of {len(ids)} tasks had ended, restarted 1 s later on its store"

    return await scenario(deployment, "kill -9 and restart nats-server mid-run", ids, fault, start, timeout)


async def duplicates(deployment: Deployment, example: Task, timeout: float) -> Row:
    """One task: its folder submitted twice at once; once it ended, its task.submitted republished
    with the same message id, then with a new one (as after the duplicate window), and the folder
    submitted again."""
    task_id = "duplicate-1"
    bus = deployment.bus

    async def start():
        await asyncio.gather(*(submit(bus, task_id, example.files, example.query) for _ in range(2)))

    async def fault():
        await settle(bus, [task_id], timeout)
        event = Event.wrap(TaskSubmitted(task_id=task_id, query=example.query, sources=[]), "/bench")
        body = event.model_dump_json().encode()
        await bus.js.publish(event.type, body, headers=event_headers(event), stream=STREAM)
        await bus.js.publish(event.type, body, headers=event_headers(event) | {"Nats-Msg-Id": "after-window"}, stream=STREAM)
        again = await submit(bus, task_id, example.files, example.query)
        return f"submitted twice at once, then its event twice, then the folder again (answered: {again.NAME})"

    return await scenario(deployment, "duplicate submit of a folder and of its event", [task_id], fault, start, timeout)


async def slow_consumer(deployment: Deployment, example: Task, timeout: float, tasks: int = 3) -> Row:
    """A validator stalls past the ack wait while it holds a message; another takes over; the first
    resumes and finishes its stale copy."""
    ids = [f"slow-validator-{i}" for i in range(tasks)]
    name = next(n for n in deployment.services if n.startswith("validate"))
    stalled = deployment.services[name]

    async def start():
        await submit_all(deployment.bus, example, ids)

    async def fault():
        await freeze_holding(deployment.bus, stalled, "validate")
        second = await deployment.add_validator()
        await asyncio.sleep(ACK_WAIT * 1.5)
        stalled.signal(signal.SIGCONT)
        await settle(deployment.bus, ids, timeout)
        second.stop()
        del deployment.services[second.name]
        return f"stalled {ACK_WAIT * 1.5:g} s (ack wait {ACK_WAIT:g} s) holding a message; a second validator took over"

    return await scenario(deployment, "slow consumer: a validator stalls past the ack wait", ids, fault, start, timeout)


UNREADABLE: dict[str, dict[str, Any]] = {
    "future-type": {"type": "redline.task.exploded.v1"},
    "future-version": {"type": "redline.task.submitted.v2"},
    "future-spec": {"specversion": "2.0"},
    "past-shape": {"data": {"task_id": "past-shape", "query": ["not", "text"]}},
}


async def unreadable_events(deployment: Deployment, example: Task, timeout: float) -> Row:
    """Events this code cannot read, published beside normal tasks; plus bytes naming no task."""
    good = ["beside-unreadable-1", "beside-unreadable-2"]
    bad = sorted(UNREADABLE)
    bus = deployment.bus

    async def start():
        await submit_all(deployment.bus, example, good)
        for task_id, changes in UNREADABLE.items():
            event = Event.wrap(TaskSubmitted(task_id=task_id, query="q", sources=[]), "/bench")
            body = json.dumps(event.model_dump(mode="json") | changes).encode()
            await bus.js.publish(event.type, body, headers=event_headers(event), stream=STREAM)
        await bus.js.publish(TaskSubmitted.event_type(), b"\x00 not an event", stream=STREAM)

    async def fault():
        return "4 unreadable events naming a task, and bytes naming none (parked on redline.deadletter)"

    return await scenario(
        deployment, "events from the future or the past", good + bad, fault, start, timeout, expected_failed=len(bad)
    )


async def cluster_node(root: Path, example_folder: Path, tasks: int) -> Row:
    logs = root / "cluster-logs"
    logs.mkdir(exist_ok=True)
    result = await node_failure(Plan(tasks=tasks, timeout=180.0), logs, example_folder)
    return Row(
        scenario="kill -9 a node (the stream leader) of a 3-node cluster",
        submitted=tasks,
        completed=result["completed_once"],
        failed=result["failed"],
        lost=result["lost"],
        duplicated=result["completed_twice_or_more"],
        expected=(tasks, 0),
        reasons=result["failures"],
        note=f"node {result['killed']} killed {result['killed_at_s']} s in; replicas 3",
    )


@dataclass
class Load:
    """What one load run measured."""

    validators: int
    tasks: int
    seconds: float
    per_second: float
    submit_seconds: float
    peak_memory_mb: dict[str, float]
    largest_backlog: dict[str, int]
    largest_ack_pending: dict[str, int]
    max_ack_pending: dict[str, int | None]
    stream_messages: int
    stream_mb: float


async def backlog(bus: Bus, peaks: dict[str, int], pending: dict[str, int], stop: asyncio.Event) -> None:
    """Sample each durable's unprocessed and unacknowledged counts until ``stop``."""
    while not stop.is_set():
        try:
            for info in await bus.js.consumers_info(STREAM):
                name = info.name
                peaks[name] = max(peaks.get(name, 0), info.num_pending or 0)
                pending[name] = max(pending.get(name, 0), info.num_ack_pending or 0)
        except Exception:
            pass
        await asyncio.sleep(0.2)


async def load(root: Path, example: Task, validators: int, tasks: int, timeout: float) -> tuple[Row, Load]:
    """``tasks`` tasks submitted at once on a fresh deployment with ``validators`` validators."""
    ids = [f"load-{validators}v-{i}" for i in range(tasks)]
    async with Deployment(root / f"load-{validators}", validators) as deployment:
        peaks: dict[str, int] = {}
        pending: dict[str, int] = {}
        stop = asyncio.Event()
        sampler = asyncio.create_task(backlog(deployment.bus, peaks, pending, stop))
        started = time.perf_counter()
        await submit_all(deployment.bus, example, ids)
        submitted = time.perf_counter() - started
        await settle(deployment.bus, ids, timeout)
        seconds = time.perf_counter() - started - 1.0  # settle waits one second for duplicates
        stop.set()
        await sampler
        memory: dict[str, float] = {name: round(p.peak_memory_mb() or 0.0) for name, p in deployment.services.items()}
        limits = {info.name: info.config.max_ack_pending for info in await deployment.bus.js.consumers_info(STREAM)}
        info = await deployment.bus.js.stream_info(STREAM)
        counts, failures = await audit(deployment.bus)
    row = outcome(f"load: {tasks} tasks at once, {validators} validator{'s' * (validators > 1)}", ids, counts, failures)
    done = row.completed
    return row, Load(
        validators=validators,
        tasks=tasks,
        seconds=round(seconds, 1),
        per_second=round(done / seconds, 2),
        submit_seconds=round(submitted, 2),
        peak_memory_mb=memory,
        largest_backlog=peaks,
        largest_ack_pending=pending,
        max_ack_pending=limits,
        stream_messages=info.state.messages,
        stream_mb=round(info.state.bytes / 1e6, 1),
    )


async def hostile(deployment: Deployment, example: Task, root: Path, sizes: tuple[int, int, int],
                  timeout: float) -> list[Row]:
    """Every hostile task folder of ``bench.hostile`` submitted as its own task, all at once and
    beside two normal tasks; each judged by that module from what the task ended with (its
    failure reason, or the evidence pack ingest stored). No rows when the module is absent."""
    try:
        from bench import hostile as cases_module
    except ImportError:
        return []
    cases = cases_module.cases(*sizes)
    beside = ["beside-hostile-1", "beside-hostile-2"]
    ids = {case.name: f"hostile-{case.name}" for case in cases}
    refused: dict[str, str] = {}
    await submit_all(deployment.bus, example, beside)
    for case in cases:
        folder = cases_module.build(case, root / "hostile")
        try:
            files = collect_files(folder)
        except (OSError, ValueError) as exc:  # refused before anything is submitted
            refused[case.name] = str(exc)
            continue
        await submit(deployment.bus, ids[case.name], files, example.query)
    submitted = [ids[c.name] for c in cases if c.name not in refused]
    await settle(deployment.bus, submitted + beside, timeout)
    counts, failures = await audit(deployment.bus)
    rows = [outcome("hostile input: two normal tasks beside the cases below", beside, counts, failures)]
    for case in cases:
        task_id = ids[case.name]
        if case.name in refused:
            result = cases_module.Result(failure=refused[case.name])
        else:
            result = await ended_with(deployment.bus, task_id, cases_module.Result)
        verdict = cases_module.judge(case, result)
        meant_to_fail = int(case.outcome == "failed")
        row = outcome(f"hostile input: {case.what}", [task_id], counts, failures, meant_to_fail)
        if case.name in refused:
            row = replace(row, submitted=0, failed=1, lost=0, reasons=[f"{task_id} at submit: {refused[case.name]}"])
        rows.append(replace(row, judged=verdict.ok, note=f"{verdict.outcome}: {verdict.detail[:160]}"))
    return rows


async def ended_with(bus: Bus, task_id: str, result_type):
    """What ingest made of a task (``bench.hostile``'s ``Result``): its failure reason, or the
    sources, skipped files and unit texts of the evidence pack ingest stored."""
    status = await bus.status.get(task_id)
    if status is None or status.stage not in TERMINAL:
        return result_type(failure="the task did not end")
    if status.stage == "failed" and status.result.get("stage") == "ingest":
        return result_type(failure=status.detail)
    pack = EvidencePack.model_validate_json(await bus.store.get(evidence_key(task_id)))
    return result_type(sources=pack.sources, skipped=pack.skipped, texts=[unit.text for unit in pack.units])


@dataclass
class Scale:
    """How much each scenario does: the full table, or the reduced CI run."""

    pdf_pages: int = 400
    load_tasks: int = 50
    load_validators: tuple[int, ...] = (1, 2)
    cluster_tasks: int = 6
    hostile_sizes: tuple[int, int, int] = (500, 3000, 20)
    """Zip-bomb members in MB, pages of the long blank PDF, MB of the large long_context.json."""
    timeout: float = 240.0


QUICK = Scale(pdf_pages=150, load_tasks=0, load_validators=(), cluster_tasks=0, hostile_sizes=(40, 2100, 5), timeout=90.0)


async def run(scale: Scale, root: Path) -> dict:
    """Every scenario, in order; processes and servers are stopped whatever happens."""
    example = example_task(root)
    rows: list[Row] = []
    started = time.perf_counter()
    async with Deployment(root / "faults") as deployment:
        rows.append(await kill_ingest(deployment, example, scale.pdf_pages, scale.timeout))
        rows.append(await crash_loop(deployment, example, scale.pdf_pages, scale.timeout))
        rows.append(await kill_draft(deployment, example, scale.timeout))
        rows.append(await kill_frozen(deployment, "validate", example, scale.timeout))
        rows.append(await kill_frozen(deployment, "compare", example, scale.timeout))
        rows.append(await restart_nats(deployment, example, scale.timeout))
        rows.append(await duplicates(deployment, example, scale.timeout))
        rows.append(await slow_consumer(deployment, example, scale.timeout))
        rows.append(await unreadable_events(deployment, example, scale.timeout))
        rows += await hostile(deployment, example, root, scale.hostile_sizes, scale.timeout)
    if scale.cluster_tasks:
        rows.append(await cluster_node(root, root / "example", scale.cluster_tasks))
    loads = []
    for validators in scale.load_validators:
        row, measured = await load(root, example, validators, scale.load_tasks, scale.timeout)
        rows.append(row)
        loads.append(measured)
    return {"rows": rows, "loads": loads, "seconds": round(time.perf_counter() - started)}


def markdown(result: dict) -> str:
    """The reliability table, and the load table when load ran."""
    lines = [
        "| scenario | submitted | completed | failed (reason) | lost | duplicated | as meant | what was done |",
        "|---|---:|---:|---|---:|---:|---|---|",
    ]
    for row in result["rows"]:
        reasons = "; ".join(sorted({short(reason) for reason in row.reasons}))
        failed = f"{row.failed} ({reasons})" if row.failed else "0"
        lines.append(
            f"| {row.scenario} | {row.submitted} | {row.completed} | {cell(failed)} | {row.lost} | {row.duplicated} | "
            f"{'yes' if row.held else '**no**'} | {cell(row.note)} |"
        )
    if result["loads"]:
        lines += [
            "",
            "| validators | tasks | all ended in | tasks/s | submit of all took | peak memory MB per service "
            "| largest backlog per durable (max ack pending) | stream |",
            "|---:|---:|---:|---:|---:|---|---|---|",
        ]
        for m in result["loads"]:
            memory = ", ".join(f"{k} {v}" for k, v in m.peak_memory_mb.items())
            backlog_text = ", ".join(
                f"{k} {m.largest_backlog.get(k, 0)} ({m.largest_ack_pending.get(k, 0)}/{m.max_ack_pending[k]})"
                for k in sorted(m.max_ack_pending)
            )
            lines.append(
                f"| {m.validators} | {m.tasks} | {m.seconds} s | {m.per_second} | {m.submit_seconds} s | {memory} "
                f"| {backlog_text} | {m.stream_messages} messages, {m.stream_mb} MB |"
            )
    return "\n".join(lines)


def cell(text: str) -> str:
    """``text`` as one markdown table cell: line breaks and pipes shown, not obeyed."""
    return text.replace("\n", "\\n").replace("|", "/")


def short(reason: str) -> str:
    """A failure reason without its task and stage, its first line, at most 110 characters."""
    text = reason.split(": ", 1)[-1]
    text = re.sub(r"^unreadable event on \S+: ", "unreadable: ", text)
    return text if len(text) <= 110 else text[:109] + "…"


def write_readme(table: str, seconds: int) -> None:
    """Replace the generated part of bench/README.md's reliability section."""
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    stamp = f"`make faults` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {seconds} s:"
    README.write_text(f"{head}{BEGIN}\n{stamp}\n\n{table}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the reduced run of the CI test (no cluster, no load)")
    parser.add_argument("--readme", action="store_true", help="write the table into bench/README.md")
    args = parser.parse_args()
    configure_logging("ERROR")
    with tempfile.TemporaryDirectory(prefix="redline-faults-") as tmp:
        result = asyncio.run(run(QUICK if args.quick else Scale(), Path(tmp)))
    print(json.dumps({"rows": [asdict(r) for r in result["rows"]], "loads": [asdict(m) for m in result["loads"]]}, indent=1))
    table = markdown(result)
    print()
    print(table)
    if args.readme:
        write_readme(table, result["seconds"])


if __name__ == "__main__":
    main()
