"""A whole task without NATS: the four stage handlers called in one process, each event handed
straight to the next, sources and artifacts in an in-memory object store. The baseline the chain
benchmark measures the bus against, and a way for tests to run a task end to end."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from services.compare.handlers import Deps as CompareDeps
from services.compare.handlers import on_report_accepted
from services.draft.handlers import Deps as DraftDeps
from services.draft.handlers import on_evidence_ready, on_revision_requested
from services.ingest.handlers import Deps as IngestDeps
from services.ingest.handlers import on_task_submitted
from services.validate.handlers import Deps as ValidateDeps
from services.validate.handlers import on_report
from shared.events import EventData, SourceFile, TaskSubmitted
from shared.evidence import EvidenceLoader
from shared.storage import MemoryObjectStore

Tamper = Callable[[EventData], EventData]


def handlers_for(store: MemoryObjectStore) -> dict:
    """Event name → handler, every stage reading and writing ``store``."""
    evidence = EvidenceLoader(store)
    return {
        "task.submitted": partial(on_task_submitted, deps=IngestDeps(evidence=evidence)),
        "evidence.ready": partial(on_evidence_ready, deps=DraftDeps(evidence=evidence)),
        "revision.requested": partial(on_revision_requested, deps=DraftDeps(evidence=evidence)),
        "report.drafted": partial(on_report, deps=ValidateDeps(evidence=evidence)),
        "report.revised": partial(on_report, deps=ValidateDeps(evidence=evidence)),
        "report.accepted": partial(on_report_accepted, deps=CompareDeps(evidence=evidence)),
    }


async def run_direct(
    task_id: str, files: dict[str, bytes], query: str, store: MemoryObjectStore | None = None, tamper: Tamper | None = None
) -> list[EventData]:
    """Every event of the task in order, the last one task.completed. ``tamper`` may change each
    event before its handler sees it (tests use it to break a draft)."""
    store = store or MemoryObjectStore()
    handlers = handlers_for(store)
    sources = [SourceFile(name=n, ref=await store.put(f"{task_id}/sources/{n}", d)) for n, d in sorted(files.items())]
    pending: list[EventData] = [TaskSubmitted(task_id=task_id, query=query, sources=sources)]
    events: list[EventData] = []
    while pending:
        event = tamper(pending.pop(0)) if tamper else pending.pop(0)
        events.append(event)
        if event.NAME in handlers:
            pending.extend(await handlers[event.NAME](event))
    return events
