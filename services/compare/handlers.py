"""Compare handler: report.accepted → the task's artifacts in the object store → task.completed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.compare.artifacts import build_artifacts
from shared.events import EventData, ReportAccepted, TaskCompleted
from shared.evidence import EvidenceLoader
from shared.findings import count_errors


@dataclass
class Deps:
    evidence: EvidenceLoader
    clock: Callable[[], datetime] = datetime.now


def artifact_key(task_id: str, name: str) -> str:
    return f"{task_id}/out/{name}"


async def on_report_accepted(data: ReportAccepted, deps: Deps) -> list[EventData]:
    """Put every artifact of ``build_artifacts`` in the object store (all at once); announce completion."""
    pack = await deps.evidence.load(data.context.evidence)
    files = build_artifacts(data, pack, deps.clock())
    refs = await asyncio.gather(
        *(deps.evidence.store.put(artifact_key(data.task_id, name), text.encode()) for name, text in files.items())
    )
    return [
        TaskCompleted(
            task_id=data.task_id,
            round=data.round,
            report_version=data.report_version,
            stop_reason=data.stop_reason,
            errors=count_errors(data.findings),
            artifacts=list(refs),
            numbers=json.loads(files["comparison.json"])["numbers"],
        )
    ]
