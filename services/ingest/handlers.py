"""Ingest handler: task.submitted → evidence.ready (units stored as one evidence pack, with the
embeddings of their sentences, computed once here for every later check)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from services.ingest.cache import UnitCache
from services.ingest.endpoints import OFFLINE, Endpoints
from services.ingest.errors import SourceError
from services.ingest.limits import DEFAULT_LIMITS, IngestLimits
from services.ingest.sources import ingest_files
from shared.errors import PoisonError
from shared.events import EventData, EvidenceReady, TaskContext, TaskSubmitted
from shared.evidence import EvidenceLoader
from shared.evidence_sentences import with_vectors
from shared.requirements import read_language
from shared.storage import digest_of


@dataclass
class Deps:
    """What the handler reads with: the evidence store, the limits, the model endpoints and the
    cache of units already read (one per service instance)."""

    evidence: EvidenceLoader
    limits: IngestLimits = field(default_factory=lambda: DEFAULT_LIMITS)
    endpoints: Endpoints = field(default_factory=lambda: OFFLINE)
    cache: UnitCache = field(default_factory=UnitCache)


def evidence_key(task_id: str) -> str:
    return f"{task_id}/evidence.json"


async def on_task_submitted(data: TaskSubmitted, deps: Deps) -> list[EventData]:
    """Read every uploaded source into units; fail the task only when nothing usable remains."""
    contents = await asyncio.gather(*(deps.evidence.store.get(source.ref.key) for source in data.sources))
    for source, content in zip(data.sources, contents, strict=False):
        if digest_of(content) != source.ref.digest:
            raise PoisonError(
                f"{source.name} changed in the object store after the task was submitted (its digest differs); "
                "submit the task again"
            )
    files = {source.name: content for source, content in zip(data.sources, contents, strict=False)}
    language = read_language(data.query)
    try:
        pack = await asyncio.to_thread(
            ingest_files,
            files,
            data.task_id,
            data.multimodal,
            limits=deps.limits,
            cache=deps.cache,
            language=language,
            endpoints=deps.endpoints,
        )
    except SourceError as exc:
        raise PoisonError(str(exc)) from exc
    pack = await asyncio.to_thread(with_vectors, pack)
    ref = await deps.evidence.save(evidence_key(data.task_id), pack)
    context = TaskContext(query=data.query, evidence=ref, max_rounds=data.max_rounds)
    return [
        EvidenceReady(
            task_id=data.task_id,
            context=context,
            units=len(pack.units),
            sources=pack.sources,
            skipped=pack.skipped,
        )
    ]
