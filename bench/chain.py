"""The example task end to end: through the bus vs the same handlers called directly.

    python -m bench.chain [--runs 5] [--task example|reference]

"bus": the four services on an embedded nats-server, the task submitted and awaited as
``redline run`` does. "direct": the same handlers called in one process on the same input,
each event handed straight to the next handler, with an in-memory object store.
The ratio is the cost of the bus and orchestration. ``--task reference`` uses a task of the
reference size from ../shared/corpus (task 005's 60 web pages, the Attention paper, request 005).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

from redline.chain import LocalChain
from redline.client import TaskWatcher, submit
from redline.example import write_example
from services.compare.handlers import Deps as CompareDeps
from services.compare.handlers import on_report_accepted
from services.draft.handlers import Deps as DraftDeps
from services.draft.handlers import on_evidence_ready, on_revision_requested
from services.ingest.folder import collect_files, find_query
from services.ingest.handlers import Deps as IngestDeps
from services.ingest.handlers import on_task_submitted
from services.validate.handlers import Deps as ValidateDeps
from services.validate.handlers import on_report
from shared.bus import Bus
from shared.embedded import EmbeddedNats
from shared.events import EventData, SourceFile, TaskSubmitted
from shared.evidence import EvidenceLoader
from shared.logging import configure_logging
from shared.settings import NatsSettings
from shared.storage import MemoryObjectStore


async def run_direct(task_id: str, files: dict[str, bytes], query: str) -> str:
    """Hand each event to the next handler until task.completed; returns the last event's name."""
    store = MemoryObjectStore()
    evidence = EvidenceLoader(store)
    handlers = {
        "task.submitted": partial(on_task_submitted, deps=IngestDeps(store=store)),
        "evidence.ready": partial(on_evidence_ready, deps=DraftDeps(evidence=evidence)),
        "revision.requested": partial(on_revision_requested, deps=DraftDeps(evidence=evidence)),
        "report.drafted": partial(on_report, deps=ValidateDeps(evidence=evidence)),
        "report.revised": partial(on_report, deps=ValidateDeps(evidence=evidence)),
        "report.accepted": partial(on_report_accepted, deps=CompareDeps(evidence=evidence)),
    }
    sources = [SourceFile(name=n, ref=await store.put(f"{task_id}/sources/{n}", d)) for n, d in sorted(files.items())]
    pending: list[EventData] = [TaskSubmitted(task_id=task_id, query=query, sources=sources)]
    last = pending[0]
    while pending:
        last = pending.pop(0)
        if last.NAME in handlers:
            pending.extend(await handlers[last.NAME](last))
    return last.NAME


async def run_bus(settings: NatsSettings, task_id: str, files: dict[str, bytes], query: str) -> str:
    client = await Bus.connect(settings, source="/bench")
    watcher = await TaskWatcher(client, task_id).open()
    await submit(client, task_id, files, query)
    events = [e async for e in watcher.events(120)]
    await client.close()
    return events[-1].type


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def reference_task() -> tuple[dict[str, bytes], str]:
    """Task 005's web pages and a real paper, with request 005."""
    pages = CORPUS / "mirothinker_mm" / "task005" / "long_context_sampled_60.json"
    paper = CORPUS / "papers" / "Attention_Is_All_You_Need_arXiv1706.03762v7.pdf"
    if not pages.exists():
        raise SystemExit("the reference task needs ../shared/corpus")
    lines = (CORPUS / "mirothinker_mm" / "query.jsonl").read_text(encoding="utf-8").splitlines()
    query = next(json.loads(line)["query"] for line in lines if json.loads(line)["task"] == "005")
    return {"long_context.json": pages.read_bytes(), "paper.pdf": paper.read_bytes()}, query


def example_task() -> tuple[dict[str, bytes], str]:
    folder = write_example(Path(tempfile.mkdtemp()) / "example")
    return collect_files(folder), find_query(folder, None)[0]


async def measure(runs: int, task: str) -> dict:
    files, query = reference_task() if task == "reference" else example_task()
    direct, bus = [], []
    async with EmbeddedNats() as server:
        settings = NatsSettings(url=server.url)
        chain = await LocalChain().start(settings)
        for i in range(runs + 1):  # the first of each is a warm-up
            start = time.perf_counter()
            await run_direct(f"direct-{i}", files, query)
            direct.append(time.perf_counter() - start)
            start = time.perf_counter()
            await run_bus(settings, f"bus-{i}", files, query)
            bus.append(time.perf_counter() - start)
        await chain.stop()
    direct_s, bus_s = statistics.median(direct[1:]), statistics.median(bus[1:])
    return {
        "task": task,
        "runs": runs,
        "direct_ms": round(direct_s * 1000, 1),
        "bus_ms": round(bus_s * 1000, 1),
        "overhead_ms": round((bus_s - direct_s) * 1000, 1),
        "overhead_pct": round(100 * (bus_s - direct_s) / direct_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--task", choices=["example", "reference"], default="example")
    args = parser.parse_args()
    configure_logging("WARNING")
    print(json.dumps(asyncio.run(measure(args.runs, args.task))))


if __name__ == "__main__":
    main()
