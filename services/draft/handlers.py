"""Draft handlers: evidence.ready → report.drafted (v1); revision.requested → report.revised.

A revision answers its request (``RevisionRequested.revised``): the loop's state and the new
version's number come from the validator and go back unread.

With a model configured (``Deps.model``) the model writes and revises: in one call
(``services.draft.composer``), or section by section when its settings say ``per_section``
(``services.draft.sections``, what the embedded local model uses);
without one the offline extractive writer does. Whoever writes, a required reference section is then
written by construction (``services.draft.references``). ``Deps.progress``, when set, is awaited while a
model's tokens arrive, so the caller can report the message as in progress.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from services.draft.composer import Written, draft_with_model, revise_with_model
from services.draft.references import with_references
from services.draft.sections import draft_by_section, revise_by_sentence
from services.draft.settings import DraftModelSettings
from services.draft.writer import draft_report, language_notice, revise_report
from shared.events import EventData, EvidenceReady, ReportDrafted, RevisionRequested
from shared.evidence import EvidenceLoader
from shared.model import ModelClient, Progress
from shared.requirements import parse_request

OFFLINE_WRITER = "offline-extractive"


@dataclass
class Deps:
    evidence: EvidenceLoader
    model: ModelClient[DraftModelSettings] | None = None
    progress: Progress | None = None


async def on_evidence_ready(data: EvidenceReady, deps: Deps) -> list[EventData]:
    """Write the first draft from the evidence."""
    pack = await deps.evidence.load(data.context.evidence)
    query = data.context.query
    requirements = parse_request(query)
    if deps.model is None:
        notice = language_notice(pack, requirements.language)
        text = await asyncio.to_thread(draft_report, requirements, query, pack)
        written = Written(text=text, writer=OFFLINE_WRITER, findings=[notice] if notice else [])
    elif deps.model.settings.per_section:
        written = await draft_by_section(deps.model, requirements, query, pack, deps.progress)
    else:
        written = await draft_with_model(deps.model, requirements, query, pack, deps.progress)
    return [
        ReportDrafted(
            task_id=data.task_id,
            round=1,
            context=data.context,
            text=with_references(written.text, requirements, pack),
            writer=written.writer,
            usage=written.usage,
            writer_findings=written.findings,
        )
    ]


async def on_revision_requested(data: RevisionRequested, deps: Deps) -> list[EventData]:
    """Revise the named version, changing only what the findings name."""
    pack = await deps.evidence.load(data.context.evidence)
    query = data.context.query
    requirements = parse_request(query)
    if deps.model is None:
        text = await asyncio.to_thread(revise_report, data.text, data.findings, requirements, query, pack)
        written = Written(text=text, writer=OFFLINE_WRITER)
    elif deps.model.settings.per_section:
        written = await revise_by_sentence(deps.model, data.text, data.findings, requirements, query, pack, deps.progress)
    else:
        written = await revise_with_model(deps.model, data.text, data.findings, requirements, query, pack, deps.progress)
    text = with_references(written.text, requirements, pack)
    return [data.revised(text, written.writer, written.usage, written.findings)]
