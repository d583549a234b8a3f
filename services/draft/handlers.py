"""Draft handlers: evidence.ready → report.drafted (v1); revision.requested → report.revised (vN+1)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from services.draft.writer import draft_report, preserved_share, revise_report
from shared.events import EventData, EvidenceReady, ReportDrafted, ReportRevised, RevisionRequested
from shared.evidence import EvidenceLoader
from shared.requirements import parse_request

OFFLINE_WRITER = "offline-extractive"


@dataclass
class Deps:
    evidence: EvidenceLoader


async def on_evidence_ready(data: EvidenceReady, deps: Deps) -> list[EventData]:
    """Write the first draft from the evidence."""
    pack = await deps.evidence.load(data.context.evidence)
    requirements = parse_request(data.context.query)
    text = await asyncio.to_thread(draft_report, requirements, data.context.query, pack)
    return [ReportDrafted(task_id=data.task_id, round=1, context=data.context, text=text, writer=OFFLINE_WRITER)]


async def on_revision_requested(data: RevisionRequested, deps: Deps) -> list[EventData]:
    """Revise the named version, changing only what the findings name."""
    pack = await deps.evidence.load(data.context.evidence)
    requirements = parse_request(data.context.query)
    text = await asyncio.to_thread(revise_report, data.text, data.findings, requirements, data.context.query, pack)
    version = data.rounds[-1].report_version + 1
    return [
        ReportRevised(
            task_id=data.task_id,
            round=version,
            context=data.context,
            report_version=version,
            text=text,
            base_version=data.report_version,
            base_text=data.text,
            original_text=data.original_text,
            rounds=data.rounds,
            writer=OFFLINE_WRITER,
            preserved=preserved_share(data.text, text),
        )
    ]
