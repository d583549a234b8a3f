"""Compare handler: report.accepted → the task's artifacts in the object store → task.completed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.compare.comparison import render_comparison
from shared.events import EventData, ReportAccepted, TaskCompleted
from shared.evidence import EvidenceLoader
from shared.findings import count_errors
from shared.wordcount import CONVENTION


@dataclass
class Deps:
    evidence: EvidenceLoader
    clock: Callable[[], datetime] = datetime.now


def artifact_key(task_id: str, name: str) -> str:
    return f"{task_id}/out/{name}"


def findings_document(data: ReportAccepted, sources: list[dict], skipped: list[str]) -> dict:
    """Everything the checks did, every round: what ``findings.json`` holds."""
    return {
        "task_id": data.task_id,
        "requirements": data.requirements,
        "length_convention": CONVENTION,
        "accepted_version": data.report_version,
        "stop_reason": data.stop_reason,
        "errors_remaining": count_errors(data.findings),
        "remaining": [f.model_dump() for f in data.findings],
        "rounds": [r.model_dump() for r in data.rounds],
        "sources": sources,
        "skipped": skipped,
    }


async def on_report_accepted(data: ReportAccepted, deps: Deps) -> list[EventData]:
    """Write original.md, final.md, comparison.txt and findings.json; announce completion."""
    pack = await deps.evidence.load(data.context.evidence)
    document = findings_document(data, [s.model_dump() for s in pack.sources], pack.skipped)
    files = {
        "original.md": data.original_text.strip() + "\n",
        "final.md": data.text.strip() + "\n",
        "comparison.txt": render_comparison(
            data.task_id, data.context.query, data.original_text, data.text, deps.clock()
        ),
        "findings.json": json.dumps(document, ensure_ascii=False, indent=2) + "\n",
    }
    refs = [
        await deps.evidence.store.put(artifact_key(data.task_id, name), text.encode())
        for name, text in files.items()
    ]
    return [
        TaskCompleted(
            task_id=data.task_id,
            round=data.round,
            report_version=data.report_version,
            stop_reason=data.stop_reason,
            errors=count_errors(data.findings),
            artifacts=refs,
        )
    ]
