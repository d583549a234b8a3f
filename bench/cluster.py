"""The services as separate processes on a 3-node NATS cluster: scaling and failure on one machine.

    python -m bench.cluster [--validators 1,2,4] [--drafts N] [--repeats 3] [--tasks 12] [--pack auto|example|corpus]

Each scenario gets a fresh 3-node cluster on loopback (routes between the nodes, JetStream on
file storage). Every process is given all three URLs (``NATS_URL`` as a comma list) and
``NATS_REPLICAS=3``, so the stream and both buckets are replicated on every node; once the
services are up, every replica of the stream and of its durables is awaited.

1. throughput: only validator processes consume. One evidence pack (corpus task 005 when the
   corpus is beside the repository, else the bundled example), and a backlog of report.drafted
   events (the offline writer's draft of that task, under many task ids) published while the
   validators are paused (SIGSTOP); the clock runs from SIGCONT to the last report.accepted /
   revision.requested. 1, 2 and 4 validator processes, repeated round robin; the CPU seconds of
   the validators and the NATS nodes show how much of the machine the validators really got.
2. node failure: all four services (two validators) run a batch of whole tasks; the node that
   leads the stream is SIGKILLed in the middle. The stream itself is then read with an ordered
   consumer: every task must have exactly one task.completed and no task.failed.
3. validator failure: one validator takes a message, is frozen (SIGSTOP) while it holds it, then
   SIGKILLed; a second validator gets the message after ``ack_wait`` and completes it. The
   consumer's delivery count shows the redelivery.

Prints a JSON summary, then a markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import nats.errors
from nats.js.api import ClusterInfo, ConsumerInfo, StreamInfo

from bench.natscluster import NatsCluster
from bench.processes import ServiceProcess, cpu_seconds, handled
from redline.client import submit
from redline.example import write_example
from redline.folder import collect_files, find_query
from services.draft.handlers import OFFLINE_WRITER
from services.draft.writer import draft_report
from services.ingest.sources import ingest_files
from services.validate import app as validate_app
from services.validate.checks import run_checks
from shared.bus import STREAM, Bus
from shared.consumer import NATS_TRANSIENT
from shared.events import (
    PREFIX,
    Event,
    ReportAccepted,
    ReportDrafted,
    RevisionRequested,
    TaskCompleted,
    TaskContext,
    TaskFailed,
)
from shared.logging import configure_logging
from shared.requirements import parse_request
from shared.retry import retrying
from shared.settings import NatsSettings
from shared.status import BUCKET as STATUS_BUCKET
from shared.status import TERMINAL
from shared.storage import BUCKET as OBJECT_BUCKET
from shared.units import EvidencePack

REPLICAS = 3
CORES = os.cpu_count() or 1
STREAMS = {"stream": STREAM, "status": f"KV_{STATUS_BUCKET}", "objects": f"OBJ_{OBJECT_BUCKET}"}
OUTPUTS = (ReportAccepted.event_type(), RevisionRequested.event_type())
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
CORPUS_FILES = {
    "Attention_Is_All_You_Need_arXiv1706.03762v7.pdf": "papers/Attention_Is_All_You_Need_arXiv1706.03762v7.pdf",
    "3b1b_2024_attention_zh.srt": "transcripts/3b1b_2024_attention_zh.srt",
    "long_context_sampled_60.json": "mirothinker_mm/task005/long_context_sampled_60.json",
}
CORPUS_QUERY = ("mirothinker_mm/query.jsonl", "005")


@dataclass
class Plan:
    """How much work each scenario does."""

    validators: tuple[int, ...] = (1, 2, 4)
    drafts: int = 0
    repeats: int = 3
    tasks: int = 12
    pack: str = "auto"
    ack_wait: float = 3.0
    timeout: float = 180.0


@dataclass
class Workload:
    """A task's request, its evidence pack, the offline writer's first draft, and how long checking
    that draft takes in this process (median of three)."""

    name: str
    query: str
    pack: EvidencePack
    draft: str
    check_seconds: float


def make_workload(name: str, files: dict[str, bytes], query: str) -> Workload:
    """Ingest ``files``, draft with the offline writer, and time the checks of that draft."""
    pack = ingest_files(files, name)
    requirements = parse_request(query)
    draft = draft_report(requirements, query, pack)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        run_checks(draft, requirements, pack)
        timings.append(time.perf_counter() - start)
    return Workload(name, query, pack, draft, statistics.median(timings))


def drafts_for(workload: Workload, counts: tuple[int, ...], seconds: float = 6.0) -> int:
    """A backlog that keeps one validator busy about ``seconds``, divisible by every count."""
    step = math.lcm(*counts)
    return max(step, math.ceil(seconds / workload.check_seconds / step) * step)


def example_workload(folder: Path) -> Workload:
    """The bundled example task (a 4-page paper, five Chinese web pages)."""
    write_example(folder)
    return make_workload("example", collect_files(folder), find_query(folder, None)[0])


def corpus_workload() -> Workload | None:
    """Corpus task 005 (a 15-page paper, a video transcript, 60 web pages), or None when absent."""
    paths = {name: CORPUS / relative for name, relative in CORPUS_FILES.items()}
    queries = CORPUS / CORPUS_QUERY[0]
    if not queries.exists() or not all(path.exists() for path in paths.values()):
        return None
    lines = [json.loads(line) for line in queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    query = next(line["query"] for line in lines if line["task"] == CORPUS_QUERY[1])
    return make_workload("corpus-005", {name: path.read_bytes() for name, path in paths.items()}, query)


def choose_workload(pack: str, example: Workload) -> Workload:
    """'example', 'corpus', or 'auto' (the corpus task when present, else the example)."""
    if pack in ("corpus", "auto"):
        workload = corpus_workload()
        if workload:
            return workload
        if pack == "corpus":
            raise SystemExit("the corpus task is not available; use --pack example")
    return example


def service(stage: str, urls: list[str], logs: Path, name: str, env: dict[str, str] | None = None) -> ServiceProcess:
    """A service process given every node's URL and replicated storage."""
    return ServiceProcess(stage, ",".join(urls), logs, name=name, env={"NATS_REPLICAS": str(REPLICAS)} | (env or {}))


async def connect(urls: list[str]) -> Bus:
    """The bench's own bus, connected to every node, with the stream and buckets replicated; it
    retries while a new cluster is still electing its JetStream leader."""
    settings = NatsSettings(url=",".join(urls), replicas=REPLICAS)
    bus = await retrying(
        lambda: Bus.connect(settings, source="/bench", error_cb=quiet, reconnect_time_wait=0.5),
        NATS_TRANSIENT,
        within=60.0,
        what="bench: creating the replicated stream while the cluster elects its leader",
    )
    await wait_settled(bus)
    return bus


async def quiet(exc: Exception) -> None:
    """Connection errors are expected here: a node is killed on purpose."""


async def wait_settled(bus: Bus, timeout: float = 30.0) -> None:
    """Wait until the stream, both buckets and every durable have a leader and current followers
    (a stream created a moment ago has no leader yet: a publish to it finds no responders)."""
    async with asyncio.timeout(timeout):
        while not await settled(bus):
            await asyncio.sleep(0.1)


async def settled(bus: Bus) -> bool:
    """Whether the stream, both buckets and each durable have a leader and every other replica current."""
    try:
        infos = [await bus.js.stream_info(name) for name in STREAMS.values()] + await bus.js.consumers_info(STREAM)
    except nats.errors.Error:  # no leader to answer yet
        return False
    return all(healthy(info.cluster) for info in infos)


def healthy(cluster: ClusterInfo | None) -> bool:
    """A leader and every other replica current."""
    peers = (cluster.replicas or []) if cluster else []
    return bool(cluster and cluster.leader) and len(peers) == REPLICAS - 1 and all(p.current for p in peers)


async def patiently(call: Callable[[], Awaitable], timeout: float = 60.0):
    """``await call()``, retried while the cluster elects new leaders after a node was killed, or
    while a new stream's subjects are not yet known on every node (the request times out or nobody
    answers)."""
    async with asyncio.timeout(timeout):
        while True:
            try:
                return await call()
            except nats.errors.Error:
                await asyncio.sleep(0.2)


async def replicas_of(bus: Bus) -> dict[str, int | None]:
    """Configured replicas of the stream and both buckets."""
    return {key: (await bus.js.stream_info(name)).config.num_replicas for key, name in STREAMS.items()}


class Arrivals:
    """When each task's output event arrived (a core subscription: fine while no node fails)."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._changed = asyncio.Event()

    async def open(self, bus: Bus, subjects: tuple[str, ...]) -> Arrivals:
        for subject in subjects:
            await bus.nc.subscribe(subject, cb=self._receive)
        return self

    async def _receive(self, msg) -> None:
        task_id = (msg.headers or {}).get("ce-subject", "")
        self.times.setdefault(task_id, time.perf_counter())
        self._changed.set()

    async def wait(self, task_ids: list[str], timeout: float) -> float:
        """The arrival time of the last of ``task_ids``; ``TimeoutError`` when some never arrive."""
        async with asyncio.timeout(timeout):
            while not all(task_id in self.times for task_id in task_ids):
                self._changed.clear()
                await self._changed.wait()
        return max(self.times[task_id] for task_id in task_ids)


async def publish_drafts(bus: Bus, context: TaskContext, text: str, task_ids: list[str]) -> None:
    """One report.drafted (v1) per task id, all for the same evidence pack."""
    for task_id in task_ids:
        draft = ReportDrafted(task_id=task_id, round=1, context=context, text=text, writer=OFFLINE_WRITER)
        await patiently(partial(bus.publish, draft))  # a republished event is dropped by its id


async def put_evidence(bus: Bus, workload: Workload) -> TaskContext:
    data = workload.pack.model_dump_json().encode()
    ref = await patiently(lambda: bus.store.put(f"bench/{workload.name}/evidence.json", data))
    return TaskContext(query=workload.query, evidence=ref)


def start_validators(count: int, urls: list[str], logs: Path, tag: str, env: dict[str, str]) -> list[ServiceProcess]:
    return [
        service("validate", urls, logs, f"validate-{tag}-{i + 1}", env).start()
        for i in range(count)
    ]


async def stop_all(processes: list[ServiceProcess]) -> None:
    await asyncio.gather(*(asyncio.to_thread(p.stop) for p in processes))


def cpu_of(pids: list[int]) -> float:
    """Summed CPU seconds of live processes (0 where /proc is unavailable)."""
    return sum(cpu_seconds(pid) or 0.0 for pid in pids)


async def measure_validators(
    bus: Bus, cluster: NatsCluster, arrivals: Arrivals, context: TaskContext, text: str, count: int, drafts: int,
    tag: str, logs: Path, timeout: float,
) -> dict:
    """Seconds for ``count`` validator processes to drain a backlog of ``drafts`` drafts, and the CPU
    seconds the validators and the NATS nodes spent meanwhile."""
    validators = start_validators(count, cluster.urls, logs, tag, {})
    try:
        await asyncio.gather(*(v.wait_ready() for v in validators))
        await wait_settled(bus)
        warmup = [f"{tag}-warm-{i}" for i in range(2 * count)]
        await publish_drafts(bus, context, text, warmup)
        await arrivals.wait(warmup, timeout)
        for v in validators:
            v.signal(signal.SIGSTOP)
        task_ids = [f"{tag}-{i}" for i in range(drafts)]
        await publish_drafts(bus, context, text, task_ids)
        validator_pids = [v.process.pid for v in validators]
        nats_pids = [node.running.pid for node in cluster.nodes]
        cpu_before = cpu_of(validator_pids), cpu_of(nats_pids)
        start = time.perf_counter()
        for v in validators:
            v.signal(signal.SIGCONT)
        seconds = await arrivals.wait(task_ids, timeout) - start
        cpu = cpu_of(validator_pids) - cpu_before[0], cpu_of(nats_pids) - cpu_before[1]
    finally:
        await stop_all(validators)
    return {"seconds": seconds, "per_second": drafts / seconds, "validator_cpu_s": cpu[0], "nats_cpu_s": cpu[1]}


def summarise(count: int, drafts: int, samples: list[dict], base: float) -> dict:
    """Median of the repeats for one validator count; speedup and efficiency against ``base`` msg/s."""
    rate = statistics.median(s["per_second"] for s in samples)
    speedup = rate / base
    cpu = statistics.median(s["validator_cpu_s"] for s in samples)
    seconds = statistics.median(s["seconds"] for s in samples)
    return {
        "validators": count,
        "messages": drafts,
        "per_second": round(rate, 2),
        "samples_per_second": [round(s["per_second"], 2) for s in samples],
        "seconds": round(seconds, 2),
        "validator_cpu_s": round(cpu, 2),
        "validator_cores": round(cpu / seconds, 2),
        "messages_per_validator_cpu_s": round(drafts / cpu, 2) if cpu else None,
        "nats_cpu_s": round(statistics.median(s["nats_cpu_s"] for s in samples), 2),
        "speedup": round(speedup, 2),
        "efficiency": round(speedup / count, 2),
        "efficiency_vs_ceiling": round(speedup / min(count, CORES), 2),
    }


async def throughput(plan: Plan, workload: Workload, logs: Path) -> dict:
    """Validate-stage throughput for each validator count, repeated round-robin so load from other
    work on the machine spreads over every count; the median of the repeats is reported."""
    drafts = plan.drafts or drafts_for(workload, plan.validators)
    samples: dict[int, list[dict]] = {count: [] for count in plan.validators}
    async with NatsCluster(REPLICAS) as cluster:
        bus = await connect(cluster.urls)
        try:
            context = await put_evidence(bus, workload)
            arrivals = await Arrivals().open(bus, OUTPUTS)
            for repeat in range(plan.repeats):
                for count in plan.validators:
                    samples[count].append(
                        await measure_validators(
                            bus, cluster, arrivals, context, workload.draft, count, drafts,
                            f"x{count}-r{repeat}", logs, plan.timeout,
                        )
                    )
            replicas = await replicas_of(bus)
        finally:
            await bus.close()
    first = plan.validators[0]
    base = statistics.median(s["per_second"] for s in samples[first]) / first
    return {
        "pack": workload.name,
        "units": len(workload.pack.units),
        "draft_chars": len(workload.draft),
        "check_ms_in_process": round(workload.check_seconds * 1000, 1),
        "repeats": plan.repeats,
        "cores": CORES,
        "replicas": replicas,
        "runs": [summarise(count, drafts, samples[count], base) for count in plan.validators],
    }


async def statuses(bus: Bus, task_ids: list[str]) -> dict[str, str]:
    """Each task's stage from the status bucket ('?' while it cannot be read)."""
    found = {}
    for task_id in task_ids:
        try:
            status = await bus.status.get(task_id)
        except Exception:  # a node is gone and the bucket's leader is being elected
            status = None
        found[task_id] = status.stage if status else "?"
    return found


async def wait_terminal(bus: Bus, task_ids: list[str], enough: int, timeout: float) -> dict[str, str]:
    """Poll the status bucket until at least ``enough`` tasks are completed or failed."""
    async with asyncio.timeout(timeout):
        while True:
            found = await statuses(bus, task_ids)
            if sum(stage in TERMINAL for stage in found.values()) >= enough:
                return found
            await asyncio.sleep(0.25)


async def audit(bus: Bus) -> tuple[Counter, list[str]]:
    """Read the whole stream with an ordered consumer: (task id, subject) → messages, and the
    reason of every task.failed."""
    counts: Counter = Counter()
    failures: list[str] = []
    if (await patiently(lambda: bus.js.stream_info(STREAM))).state.messages == 0:
        return counts, failures
    subscription = await patiently(lambda: bus.js.subscribe(f"{PREFIX}.>", stream=STREAM, ordered_consumer=True))
    try:
        while True:
            msg = await subscription.next_msg(timeout=10)
            task_id = msg.headers.get("ce-subject", "")
            counts[(task_id, msg.subject)] += 1
            if msg.subject == TaskFailed.event_type():
                failed = TaskFailed.model_validate(Event.model_validate_json(msg.data).data)
                failures.append(f"{task_id} at {failed.stage}: {failed.reason}")
            if msg.metadata.num_pending == 0:
                return counts, failures
    finally:
        await subscription.unsubscribe()


async def consumer_deliveries(bus: Bus) -> dict[str, int]:
    """Messages delivered so far by each durable (redeliveries included)."""
    found = {}
    for durable in ("ingest", "draft", "validate", "compare"):
        info: ConsumerInfo = await patiently(partial(bus.js.consumer_info, STREAM, durable))
        found[durable] = delivered_count(info)
    return found


def delivered_count(info: ConsumerInfo) -> int:
    """Messages a durable delivered so far (redeliveries included)."""
    return (info.delivered.consumer_seq or 0) if info.delivered else 0


def stream_leader(info: StreamInfo) -> str:
    """The name of the node leading a replicated stream."""
    if info.cluster is None or not info.cluster.leader:
        raise RuntimeError(f"stream {info.config.name} reports no leader")
    return info.cluster.leader


def durable_messages(counts: Counter) -> dict[str, int]:
    """Messages each durable had to handle, from the stream's own counts."""
    by_subject: Counter[str] = Counter()
    for (_, subject), n in counts.items():
        by_subject[subject.removeprefix(f"{PREFIX}.").rsplit(".", 1)[0]] += n
    return {
        "ingest": by_subject["task.submitted"],
        "draft": by_subject["evidence.ready"] + by_subject["revision.requested"],
        "validate": by_subject["report.drafted"] + by_subject["report.revised"],
        "compare": by_subject["report.accepted"],
    }


async def node_failure(plan: Plan, logs: Path, folder: Path) -> dict:
    """A batch of whole tasks; the stream's leader node is SIGKILLed in the middle."""
    files, query = collect_files(folder), find_query(folder, None)[0]
    env = {"REDLINE_ACK_WAIT": str(plan.ack_wait * 2)}
    stages = ["ingest", "draft", "validate", "validate", "compare"]
    async with NatsCluster(REPLICAS) as cluster:
        bus = await connect(cluster.urls)
        services = [
            service(stage, cluster.urls, logs, f"{stage}-{i}", env).start()
            for i, stage in enumerate(stages)
        ]
        try:
            await asyncio.gather(*(s.wait_ready() for s in services))
            await wait_settled(bus)
            task_ids = [f"batch-{i}" for i in range(plan.tasks)]
            start = time.perf_counter()
            await asyncio.gather(*(patiently(partial(submit, bus, task_id, files, query)) for task_id in task_ids))
            at_kill = await wait_terminal(bus, task_ids, max(1, plan.tasks // 4), plan.timeout)
            leader = cluster.node_named(stream_leader(await bus.js.stream_info(STREAM)))
            cluster.kill(leader)
            killed_at = time.perf_counter() - start
            final = await wait_terminal(bus, task_ids, plan.tasks, plan.timeout)
            seconds = time.perf_counter() - start
            info = await patiently(lambda: bus.js.stream_info(STREAM))
            counts, failures = await audit(bus)
            deliveries = await consumer_deliveries(bus)
        finally:
            await stop_all(services)
            await bus.close()
    completed = Counter({t: counts[(t, TaskCompleted.event_type())] for t in task_ids})
    messages = durable_messages(counts)
    return {
        "tasks": plan.tasks,
        "services": stages,
        "killed": leader.name,
        "killed_at_s": round(killed_at, 2),
        "stages_at_kill": dict(Counter(at_kill.values())),
        "seconds": round(seconds, 2),
        "final_status": dict(Counter(final.values())),
        "completed_once": sum(n == 1 for n in completed.values()),
        "completed_twice_or_more": sum(n > 1 for n in completed.values()),
        "lost": sum(n == 0 for n in completed.values()),
        "failed": len(failures),
        "failures": failures,
        "redeliveries": {d: deliveries[d] - messages[d] for d in deliveries},
        "stream_leader_after": info.cluster.leader,
        "stream_messages": info.state.messages,
    }


async def hold_message(bus: Bus, holder: ServiceProcess, context: TaskContext, text: str, attempts: int = 5) -> str:
    """Publish drafts until ``holder`` is frozen (SIGSTOP) with one unacked; returns that task id."""
    for attempt in range(attempts):
        task_id = f"held-{attempt}"
        await publish_drafts(bus, context, text, [task_id])
        async with asyncio.timeout(30):
            while (await bus.js.consumer_info(STREAM, validate_app.DURABLE)).num_ack_pending == 0:
                await asyncio.sleep(0.002)
        holder.signal(signal.SIGSTOP)
        if (await bus.js.consumer_info(STREAM, validate_app.DURABLE)).num_ack_pending == 1:
            return task_id
        holder.signal(signal.SIGCONT)  # it finished before it froze: try again
    raise RuntimeError(f"the validator never held a message in {attempts} attempts")


async def acked(bus: Bus, durable: str, timeout: float) -> ConsumerInfo:
    """The durable's info once nothing is waiting for an ack (the ack follows the output event)."""
    async with asyncio.timeout(timeout):
        while (info := await bus.js.consumer_info(STREAM, durable)).num_ack_pending:
            await asyncio.sleep(0.05)
    return info


async def validator_failure(plan: Plan, logs: Path, workload: Workload) -> dict:
    """A validator is SIGKILLed while it holds a message; another validator completes it."""
    env = {"REDLINE_ACK_WAIT": str(plan.ack_wait)}
    async with NatsCluster(REPLICAS) as cluster:
        bus = await connect(cluster.urls)
        arrivals = await Arrivals().open(bus, OUTPUTS)
        first = service("validate", cluster.urls, logs, "validate-a", env).start()
        second = service("validate", cluster.urls, logs, "validate-b", env)
        try:
            context = await put_evidence(bus, workload)
            await first.wait_ready()
            await wait_settled(bus)
            held = await hold_message(bus, first, context, workload.draft)
            holding = await bus.js.consumer_info(STREAM, validate_app.DURABLE)
            first.kill()
            killed_at = time.perf_counter()
            await second.start().wait_ready()
            done = await arrivals.wait([held], plan.timeout)
            after = await acked(bus, validate_app.DURABLE, plan.timeout)
            counts, _ = await audit(bus)
            handled_by_second = handled(second.metrics(), ReportDrafted.event_type())
        finally:
            await stop_all([first, second])
            await bus.close()
    published = sum(n for (_, subject), n in counts.items() if subject == ReportDrafted.event_type())
    outputs = sum(counts[(held, subject)] for subject in OUTPUTS)
    return {
        "ack_wait_s": plan.ack_wait,
        "held_task": held,
        "ack_pending_when_killed": holding.num_ack_pending,
        "completed_after_kill_s": round(done - killed_at, 2),
        "drafts_published": published,
        "deliveries": delivered_count(after),
        "redeliveries": delivered_count(after) - published,
        "handled_by_second_validator": handled_by_second,
        "outputs_for_held_task": outputs,
        "ack_pending_after": after.num_ack_pending,
    }


async def run(plan: Plan) -> dict:
    """Every scenario, in order; temp dirs and processes are cleaned up whatever happens."""
    with tempfile.TemporaryDirectory(prefix="redline-bench-") as tmp:
        root = Path(tmp)
        logs = root / "logs"
        logs.mkdir()
        load_before = os.getloadavg()[0]
        example = example_workload(root / "example")
        workload = choose_workload(plan.pack, example)
        summary = {
            "throughput": await throughput(plan, workload, logs),
            "node_failure": await node_failure(plan, logs, root / "example"),
            "validator_failure": await validator_failure(plan, logs, example),
        }
        summary["machine"] = {"cores": CORES, "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
        return summary


def markdown(summary: dict) -> str:
    """The summary as markdown tables."""
    t, n, v = summary["throughput"], summary["node_failure"], summary["validator_failure"]
    lines = [
        f"Validate-stage throughput: pack `{t['pack']}` ({t['units']} units; one check of the draft takes "
        f"{t['check_ms_in_process']} ms in-process), a backlog of {t['runs'][0]['messages']} drafts, median of "
        f"{t['repeats']} runs; {t['cores']} cores bound the ceiling at {t['cores']}× one validator, shared with "
        f"3 nats-servers and this script. Replicas: {t['replicas']}.",
        "",
        "| validators | msg/s (median) | runs msg/s | speedup | efficiency | vs min(n, cores) "
        "| cores the validators got | msg per validator CPU s | NATS CPU s |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in t["runs"]:
        lines.append(
            f"| {r['validators']} | {r['per_second']} | {', '.join(map(str, r['samples_per_second']))} | "
            f"{r['speedup']}× | {r['efficiency']:.0%} | {r['efficiency_vs_ceiling']:.0%} | "
            f"{r['validator_cores']} | {r['messages_per_validator_cpu_s']} | {r['nats_cpu_s']} |"
        )
    lines += [
        "",
        "| failure | result |",
        "|---|---|",
        f"| node {n['killed']} (the stream leader) SIGKILLed {n['killed_at_s']} s into a batch of {n['tasks']} "
        f"tasks; task stages then: {n['stages_at_kill']} | {n['completed_once']} completed once, "
        f"{n['completed_twice_or_more']} more than once, {n['lost']} without task.completed, {n['failed']} "
        f"task.failed {n['failures'] or ''}; batch {n['seconds']} s; redeliveries per durable {n['redeliveries']} |",
        f"| validator SIGKILLed while holding `{v['held_task']}` (ack pending {v['ack_pending_when_killed']}, "
        f"ack wait {v['ack_wait_s']} s) | {v['deliveries']} deliveries for {v['drafts_published']} published "
        f"drafts ({v['redeliveries']} redelivered); the second validator handled {v['handled_by_second_validator']}; "
        f"{v['outputs_for_held_task']} output for the held task, {v['completed_after_kill_s']} s after the kill |",
        "",
        f"Load average (1 min) before and after: {summary['machine']['load_avg_1m']}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--validators", default="1,2,4", help="validator process counts, comma-separated")
    parser.add_argument("--drafts", type=int, default=Plan.drafts, help="backlog per run; 0: ~6 s for one validator")
    parser.add_argument("--repeats", type=int, default=Plan.repeats, help="throughput runs per validator count")
    parser.add_argument("--tasks", type=int, default=Plan.tasks, help="whole tasks in the node-failure batch")
    parser.add_argument("--pack", choices=["auto", "example", "corpus"], default=Plan.pack)
    args = parser.parse_args()
    configure_logging("ERROR")
    validators = tuple(int(n) for n in args.validators.split(","))
    summary = asyncio.run(run(Plan(validators, args.drafts, args.repeats, args.tasks, args.pack)))
    print(json.dumps(summary, indent=2))
    print()
    print(markdown(summary))


if __name__ == "__main__":
    main()
