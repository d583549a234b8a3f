"""Object store: redline's put and get against the client library's, on an embedded nats-server.

    python -m bench.objects

For each size (a 2 KB artifact, a 2.2 MB paper, a 20 MB video), seven puts of new keys and seven
gets, median milliseconds. Baseline: nats-py's own object store (``put`` publishes one chunk per
round trip; ``get`` streams the chunks through a push consumer with flow control). redline's put
checks for identical bytes first, then publishes up to 64 chunks ahead of their acknowledgements;
its get reads the chunks with direct gets. Both write and read the same layout.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time

from shared.bus import Bus
from shared.embedded import EmbeddedNats
from shared.settings import NatsSettings
from shared.storage import BUCKET

SIZES = {"2 KB": 2_000, "2.2 MB (the Attention paper's size)": 2_215_244, "20 MB": 20_000_000}
"""Sizes that are not whole numbers of chunks, as real files are."""
REPEATS = 7


async def median_ms(call, keys: list[str]) -> float:
    """Median milliseconds of ``await call(key)`` over ``keys``, one call at a time."""
    seconds = []
    for key in keys:
        start = time.perf_counter()
        await call(key)
        seconds.append(time.perf_counter() - start)
    return round(statistics.median(seconds) * 1000, 2)


async def measure() -> dict:
    results = {}
    async with EmbeddedNats() as server:
        bus = await Bus.connect(NatsSettings(url=server.url), source="/bench")
        library = await bus.js.object_store(BUCKET)
        for label, size in SIZES.items():
            data = (bytes(range(256)) * (size // 256 + 1))[:size]
            ours = [f"redline/{size}/{i}" for i in range(REPEATS)]
            theirs = [f"library/{size}/{i}" for i in range(REPEATS)]
            results[label] = {
                "redline_put_ms": await median_ms(lambda key, data=data: bus.store.put(key, data), ours),
                "library_put_ms": await median_ms(lambda key, data=data: library.put(key, data), theirs),
                "redline_get_ms": await median_ms(bus.store.get, ours),
                "library_get_ms": await median_ms(library.get, theirs),
            }
        await bus.close()
    return results


def markdown(results: dict) -> str:
    rows = ["| object | put: redline | put: nats-py | get: redline | get: nats-py |", "|---|---:|---:|---:|---:|"]
    for label, r in results.items():
        cells = [r["redline_put_ms"], r["library_put_ms"], r["redline_get_ms"], r["library_get_ms"]]
        rows.append(f"| {label} | " + " | ".join(f"{ms} ms" for ms in cells) + " |")
    return "\n".join(rows)


def main() -> None:
    results = asyncio.run(measure())
    print(json.dumps(results))
    print()
    print(markdown(results))


if __name__ == "__main__":
    main()
