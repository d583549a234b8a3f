"""Validate handler: report.drafted / report.revised → revision.requested or report.accepted."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from services.validate.checks import run_checks
from services.validate.judge import Judge
from services.validate.loop import Version, decide
from shared.events import EventData, ReportAccepted, ReportDrafted, ReportRevised, RevisionRequested
from shared.evidence import EvidenceLoader
from shared.requirements import parse_request


@dataclass
class Deps:
    evidence: EvidenceLoader
    judge: Judge | None = None


async def on_report(data: ReportDrafted | ReportRevised, deps: Deps) -> list[EventData]:
    """Check one report version (the judge, when there is one, reviews the doubted citations) and
    decide: revise again, or accept the best version."""
    pack = await deps.evidence.load(data.context.evidence)
    requirements = parse_request(data.context.query)
    findings = await asyncio.to_thread(run_checks, data.text, requirements, pack)
    if deps.judge is not None:
        findings = await deps.judge.review(findings, pack)
    new = Version(data.report_version, data.text, findings)
    rounds = list(getattr(data, "rounds", []))
    base = None
    if isinstance(data, ReportRevised):
        base_record = next(r for r in rounds if r.report_version == data.base_version)
        base = Version(data.base_version, data.base_text, base_record.findings)
    original = getattr(data, "original_text", data.text)
    decision = decide(new, base, data.context.max_rounds)
    authorship = {"writer": data.writer, "usage": data.usage, "writer_findings": data.writer_findings}
    rounds.append(decision.record.model_copy(update=authorship))
    best = {
        "task_id": data.task_id,
        "round": data.round,
        "context": data.context,
        "report_version": decision.best.number,
        "text": decision.best.text,
        "findings": decision.best.findings,
        "original_text": original,
        "rounds": rounds,
    }
    if decision.accept:
        return [ReportAccepted(**best, stop_reason=decision.stop_reason, requirements=requirements.model_dump())]
    return [RevisionRequested(**best)]
