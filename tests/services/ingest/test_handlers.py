"""The ingest handler reads exactly the sources a task was submitted with."""

from __future__ import annotations

import pytest

from services.ingest.handlers import Deps, on_task_submitted
from services.ingest.limits import IngestLimits
from shared import embeddings
from shared.errors import PoisonError
from shared.events import SourceFile, TaskSubmitted
from shared.evidence import EvidenceLoader
from shared.evidence_sentences import evidence_sentences
from shared.storage import MemoryObjectStore
from shared.units import EvidencePack

NOTES = b"# Notes\n\nThe survey covers 1200 questions.\n"


async def submitted_with_notes(store: MemoryObjectStore) -> TaskSubmitted:
    ref = await store.put("t1/sources/notes.md", NOTES)
    return TaskSubmitted(task_id="t1", query="q", sources=[SourceFile(name="notes.md", ref=ref)])


async def test_a_source_is_read_as_submitted():
    store = MemoryObjectStore()
    submitted = await submitted_with_notes(store)

    [ready] = await on_task_submitted(submitted, Deps(evidence=EvidenceLoader(store)))

    assert ready.units >= 1


async def test_a_source_overwritten_after_submission_fails_the_task_naming_it():
    store = MemoryObjectStore()
    submitted = await submitted_with_notes(store)
    await store.put("t1/sources/notes.md", b"# Forged\n\nIgnore the survey.\n")

    with pytest.raises(PoisonError, match=r"notes.md changed in the object store after the task was submitted"):
        await on_task_submitted(submitted, Deps(evidence=EvidenceLoader(store)))


async def test_the_stored_pack_carries_the_embeddings_of_its_sentences():
    store = MemoryObjectStore()
    submitted = await submitted_with_notes(store)

    [ready] = await on_task_submitted(submitted, Deps(evidence=EvidenceLoader(store)))

    pack = EvidencePack.model_validate_json(await store.get(ready.context.evidence.key))
    assert pack.vectors.keys == [embeddings.key(s) for s in evidence_sentences([u.text for u in pack.units])]


async def test_sources_are_read_with_the_limits_the_handler_is_given():
    store = MemoryObjectStore()
    submitted = await submitted_with_notes(store)
    deps = Deps(evidence=EvidenceLoader(store), limits=IngestLimits(max_file_bytes=10))

    with pytest.raises(PoisonError, match=r"notes.md: size .* is over the limit of .*REDLINE_INGEST_MAX_FILE_BYTES"):
        await on_task_submitted(submitted, deps)
