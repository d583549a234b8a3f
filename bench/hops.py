"""Hop latency: publish an event → its handler starts, through a real nats-server on loopback.

    python -m bench.hops [--events 2000]

Events are published one at a time (each waits for the previous to be handled), so each
figure is one hop: JetStream publish + store + pull delivery + envelope parsing.
The baseline, in the same run on the same server: bare nats-py, the same bytes published with
``js.publish`` and taken by a durable pull subscription fetching one message at a time —
no envelope, no headers, no status board, no settle rules.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

from shared.bus import STREAM, Bus
from shared.consumer import Consumer
from shared.embedded import EmbeddedNats
from shared.events import Event, TaskSubmitted
from shared.logging import configure_logging
from shared.settings import NatsSettings, ServiceSettings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def figures(hops: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(hops), 3),
        "p99_ms": round(percentile(hops, 0.99), 3),
        "max_ms": round(max(hops), 3),
    }


async def measure_bare(bus: Bus, events: int, payload: bytes) -> list[float]:
    """The baseline: ``js.publish`` → a bare pull fetch loop → ack, one message at a time."""
    subject = "redline.bench.bare.v1"
    subscription = await bus.js.pull_subscribe(subject, durable="bench-bare", stream=STREAM)
    hops = []
    for _ in range(events):
        started = time.perf_counter()
        await bus.js.publish(subject, payload, stream=STREAM)
        (message,) = await subscription.fetch(1, timeout=1.0)
        hops.append((time.perf_counter() - started) * 1000)
        await message.ack()
    await subscription.unsubscribe()
    return hops


async def measure(events: int) -> dict:
    async with EmbeddedNats() as server:
        bus = await Bus.connect(NatsSettings(url=server.url), source="/bench")
        sent: dict[str, float] = {}
        hops: list[float] = []
        handled = asyncio.Event()

        async def handler(data):
            hops.append((time.perf_counter() - sent[data.task_id]) * 1000)
            handled.set()
            return []

        consumer = Consumer(bus, "bench", {TaskSubmitted.event_type(): handler}, ServiceSettings(), stage="bench")
        await consumer.start()
        for i in range(events):
            handled.clear()
            task_id = f"hop-{i}"
            sent[task_id] = time.perf_counter()
            await bus.publish(TaskSubmitted(task_id=task_id, query="q", sources=[]))
            await handled.wait()
        await consumer.stop()
        payload = Event.wrap(TaskSubmitted(task_id="hop-0", query="q", sources=[]), "/bench").model_dump_json()
        bare = await measure_bare(bus, events, payload.encode())
        await bus.close()
    return {"events": events, "redline": figures(hops), "bare_nats_py": figures(bare), "target_p99_ms": 5.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()
    configure_logging("WARNING")
    print(json.dumps(asyncio.run(measure(args.events))))


if __name__ == "__main__":
    main()
