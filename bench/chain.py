"""The example task end to end: through the bus vs the same handlers called directly.

    python -m bench.chain [--runs 5] [--task example|reference]

"bus": the four services on an embedded nats-server, the task submitted and awaited as
``redline run`` does. "direct": the same services' routes called in one process on the same input
(``redline.direct``), each event handed straight to the next handler, with an in-memory object store.
The ratio is the cost of the bus and orchestration per task: the services and the client are
connected before the clock starts (a process connects once, whatever number of tasks it runs);
the client's connect is timed apart. Runs alternate direct and bus; medians and quartiles are
reported, since one run of the small example is short enough for the machine's noise to show. ``--task reference`` uses a task of the
reference size from ../shared/corpus (task 005's 60 web pages, the Attention paper, request 005).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from redline.chain import LocalChain
from redline.client import TaskWatcher, submit
from redline.direct import run_direct
from redline.example import write_example
from redline.folder import collect_files, find_query
from shared.bus import Bus
from shared.embedded import EmbeddedNats
from shared.logging import configure_logging
from shared.settings import NatsSettings


async def run_bus(client: Bus, task_id: str, files: dict[str, bytes], query: str) -> str:
    """Submit through ``client`` and wait for the task's last event; returns its type."""
    watcher = await TaskWatcher(client, task_id).open()
    await submit(client, task_id, files, query)
    events = [e async for e in watcher.events(120)]
    await watcher.close()
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


def quartiles(seconds: list[float]) -> list[float]:
    """25th, 50th and 75th percentiles in milliseconds."""
    return [round(q * 1000, 1) for q in statistics.quantiles(seconds, n=4)]


async def timed_connect(settings: NatsSettings) -> tuple[Bus, float]:
    start = time.perf_counter()
    client = await Bus.connect(settings, source="/bench")
    return client, time.perf_counter() - start


async def measure(runs: int, task: str) -> dict:
    files, query = reference_task() if task == "reference" else example_task()
    direct, bus, connects = [], [], []
    async with EmbeddedNats() as server:
        settings = NatsSettings(url=server.url)
        chain = await LocalChain().start(settings)
        for _ in range(5):
            client, seconds = await timed_connect(settings)
            connects.append(seconds)
            await client.close()
        client, _ = await timed_connect(settings)
        for i in range(runs + 1):  # the first of each is a warm-up
            start = time.perf_counter()
            await run_direct(f"direct-{i}", files, query)
            direct.append(time.perf_counter() - start)
            start = time.perf_counter()
            await run_bus(client, f"bus-{i}", files, query)
            bus.append(time.perf_counter() - start)
        await client.close()
        await chain.stop()
    direct_s, bus_s = statistics.median(direct[1:]), statistics.median(bus[1:])
    return {
        "task": task,
        "runs": runs,
        "direct_ms": round(direct_s * 1000, 1),
        "bus_ms": round(bus_s * 1000, 1),
        "direct_quartiles_ms": quartiles(direct[1:]),
        "bus_quartiles_ms": quartiles(bus[1:]),
        "overhead_ms": round((bus_s - direct_s) * 1000, 1),
        "overhead_pct": round(100 * (bus_s - direct_s) / direct_s, 1),
        "client_connect_ms": round(statistics.median(connects) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=0, help="0: 30 for the example, 9 for the reference task")
    parser.add_argument("--task", choices=["example", "reference"], default="example")
    args = parser.parse_args()
    configure_logging("WARNING")
    runs = args.runs or (9 if args.task == "reference" else 30)
    print(json.dumps(asyncio.run(measure(runs, args.task))))


if __name__ == "__main__":
    main()
