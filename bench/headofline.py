"""Head-of-line blocking in ingest: a heavy task (a PDF of figures, every page read by OCR) is
submitted first, a small one right after, to one ingest replica on a real nats-server.

``race`` returns the order in which the two tasks leave ingest (``evidence.ready`` or
``task.failed``) and how long the small one waited. ``python -m bench.headofline`` runs it with
ingest handling one message at a time (the old default) and with the current default, side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import dataclass

from bench.hostile import NOTES, figure_pdf
from redline.client import submit
from services.ingest import app as ingest_app
from services.ingest.settings import Settings
from shared.bus import Bus
from shared.embedded import EmbeddedNats
from shared.events import Event, EvidenceReady, TaskFailed
from shared.logging import configure_logging
from shared.service import start_consumer
from shared.settings import NatsSettings

HEAVY = "heavy"
SMALL = "small"


@dataclass(frozen=True)
class Finish:
    """A task leaving ingest: its event's name, the failure reason ('' on success) and the
    seconds since the heavy task was submitted."""

    task: str
    event: str
    reason: str
    seconds: float


async def race(nats: NatsSettings, concurrency: int, pages: int, timeout: float = 600.0) -> list[Finish]:
    """Submit the heavy task (a PDF of ``pages`` pages of figures), then the small one, to an ingest
    replica handling ``concurrency`` messages at once; both tasks' finishes in the order they came."""
    client = await Bus.connect(nats, source="/bench")
    service = await Bus.connect(nats, source="/services/ingest")
    consumer = await start_consumer(service, ingest_app, Settings(concurrency=concurrency, drain_timeout=1.0))
    finishes: list[Finish] = []
    done = asyncio.Event()
    started = time.perf_counter()

    async def receive(msg) -> None:
        data = Event.model_validate_json(msg.data).payload()
        finishes.append(Finish(data.task_id, data.NAME, getattr(data, "reason", ""), time.perf_counter() - started))
        if len(finishes) == 2:
            done.set()

    for name in (EvidenceReady.event_type(), TaskFailed.event_type()):
        await client.nc.subscribe(name, cb=receive)
    try:
        started = time.perf_counter()
        await submit(client, HEAVY, {"figures.pdf": figure_pdf(pages)}, "Summarise the sources.")
        await submit(client, SMALL, {"notes.md": NOTES.encode()}, "Summarise the sources.")
        await asyncio.wait_for(done.wait(), timeout)
    finally:
        await consumer.stop()
        await service.close()
        await client.close()
    return finishes


async def compare(pages: int) -> list[tuple[int, list[Finish]]]:
    """``race`` with one message at a time and with the default concurrency, each on a fresh server."""
    runs = []
    for concurrency in (1, Settings().concurrency):
        async with EmbeddedNats() as server:
            runs.append((concurrency, await race(NatsSettings(url=server.url), concurrency, pages)))
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="pages of the heavy PDF")
    args = parser.parse_args()
    configure_logging("WARNING")
    print(f"heavy task: {args.pages}-page PDF of figures (every page OCR-read); small task: one Markdown file")
    print("| ingest concurrency | small task left ingest after (s) | heavy task left ingest after (s) | order |")
    print("|---|---|---|---|")
    for concurrency, finishes in asyncio.run(compare(args.pages)):
        at = {finish.task: finish.seconds for finish in finishes}
        order = " → ".join(finish.task for finish in finishes)
        print(f"| {concurrency} | {at[SMALL]:.1f} | {at[HEAVY]:.1f} | {order} |", flush=True)


if __name__ == "__main__":
    main()
