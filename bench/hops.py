"""Hop latency: publish an event → its handler starts, through a real nats-server on loopback.

    python -m bench.hops [--events 2000]

Events are published one at a time (each waits for the previous to be handled), so each
figure is one hop: JetStream publish + store + pull delivery + envelope parsing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

from shared.bus import Bus
from shared.consumer import Consumer
from shared.embedded import EmbeddedNats
from shared.events import TaskSubmitted
from shared.logging import configure_logging
from shared.settings import NatsSettings, ServiceSettings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


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
        await bus.close()
    return {
        "events": events,
        "p50_ms": round(statistics.median(hops), 3),
        "p99_ms": round(percentile(hops, 0.99), 3),
        "max_ms": round(max(hops), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()
    configure_logging("WARNING")
    print(json.dumps(asyncio.run(measure(args.events))))


if __name__ == "__main__":
    main()
