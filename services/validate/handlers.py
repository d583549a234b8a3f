"""Validate handler: report.drafted / report.revised → revision.requested or report.accepted."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from services.validate.checks import run_checks
from services.validate.judge import Judge
from services.validate.loop import next_step
from shared.events import EventData, ReportDrafted, ReportRevised
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
    findings = await asyncio.to_thread(run_checks, data.text, requirements, pack, data.context.query)
    if deps.judge is not None:
        findings = await deps.judge.review(findings, pack)
    return [next_step(data, findings, requirements)]
