"""What a task had finished when the run stopped waiting for it, saved from its events.

``original.md`` is the first draft, ``latest.md`` the newest version written after it, ``final.md``
the accepted version when validation had already accepted one, and ``findings.json`` every round
checked so far with the reason the run stopped.
"""

from __future__ import annotations

import json
from pathlib import Path

from shared.events import Event, ReportAccepted, ReportDrafted, ReportRevised, RevisionRequested
from shared.findings import count_errors


def save_partial(events: list[Event], note: str, out: Path) -> list[Path]:
    """Write what ``events`` hold of the task's reports and checks into ``out``; the files written."""
    texts: dict[str, str] = {}
    rounds, remaining = [], []
    for event in events:
        data = event.payload()
        if isinstance(data, ReportDrafted):
            texts["original.md"] = data.text
        elif isinstance(data, ReportRevised):
            texts["latest.md"] = data.text
        elif isinstance(data, ReportAccepted):
            texts["final.md"] = data.text
        if isinstance(data, (RevisionRequested, ReportRevised)):
            rounds = data.loop.rounds
        elif isinstance(data, ReportAccepted):
            rounds = data.rounds
        if isinstance(data, (RevisionRequested, ReportAccepted)):
            remaining = data.findings
    findings = {
        "task_id": events[0].subject if events else "",
        "stop_reason": note,
        "complete": False,
        "errors_remaining": count_errors(remaining),
        "remaining": [f.model_dump() for f in remaining],
        "rounds": [r.model_dump() for r in rounds],
    }
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts.items():
        written.append(out / name)
        written[-1].write_text(text.strip() + "\n", encoding="utf-8")
    written.append(out / "findings.json")
    written[-1].write_text(json.dumps(findings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return written
