"""A whole task without NATS: the four services wired as they wire themselves (``shared.service.wired``)
in one process, each event handed straight to the handler of its subject, sources and artifacts in an
in-memory object store. The baseline the chain benchmark measures the bus against, and a way for tests
to run a task end to end through the production wiring."""

from __future__ import annotations

from collections.abc import Callable

from redline.chain import SERVICES
from shared.consumer import Handler
from shared.events import EventData, SourceFile, TaskSubmitted
from shared.service import wired
from shared.storage import MemoryObjectStore, ObjectStore

Tamper = Callable[[EventData], EventData]


def routes_for(store: ObjectStore) -> dict[str, Handler]:
    """Subject → handler of every service, each service's dependencies on ``store``."""
    return {subject: handler for app, _ in SERVICES for subject, handler in wired(app, store).items()}


async def run_direct(
    task_id: str, files: dict[str, bytes], query: str, store: MemoryObjectStore | None = None, tamper: Tamper | None = None
) -> list[EventData]:
    """Every event of the task in order, the last one task.completed. ``tamper`` may change each
    event before its handler sees it (tests use it to break a draft)."""
    store = store or MemoryObjectStore()
    routes = routes_for(store)
    sources = [SourceFile(name=n, ref=await store.put(f"{task_id}/sources/{n}", d)) for n, d in sorted(files.items())]
    pending: list[EventData] = [TaskSubmitted(task_id=task_id, query=query, sources=sources)]
    events: list[EventData] = []
    while pending:
        event = tamper(pending.pop(0)) if tamper else pending.pop(0)
        events.append(event)
        if event.event_type() in routes:
            pending.extend(await routes[event.event_type()](event))
    return events
