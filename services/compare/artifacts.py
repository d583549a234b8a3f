"""Every file the compare service writes for a task, built from the accepted report and its evidence."""

from __future__ import annotations

import json
from datetime import datetime

from services.compare.comparison import render_comparison
from services.compare.final_html import render_final_html
from services.compare.report_html import render_report_html
from services.compare.report_md import render_comparison_md
from services.compare.summary import Comparison, build_comparison
from shared.events import ReportAccepted
from shared.findings import count_errors
from shared.units import EvidencePack
from shared.wordcount import CONVENTION


def findings_document(data: ReportAccepted, pack: EvidencePack, comparison: Comparison) -> dict:
    """Everything the checks did, every round: what ``findings.json`` holds, with the comparison's
    numbers and their definitions."""
    return {
        "task_id": data.task_id,
        "requirements": data.requirements.model_dump(),
        "length_convention": CONVENTION,
        "accepted_version": data.report_version,
        "stop_reason": data.stop_reason,
        "complete": True,
        "errors_remaining": count_errors(data.findings),
        "numbers": comparison.numbers.model_dump(),
        "definitions": comparison.definitions,
        "remaining": [f.model_dump() for f in data.findings],
        "rounds": [r.model_dump() for r in data.rounds],
        "sources": [s.model_dump() for s in pack.sources],
        "skipped": pack.skipped,
    }


def build_artifacts(data: ReportAccepted, pack: EvidencePack, generated_at: datetime) -> dict[str, str]:
    """File name → text: original.md, final.md, comparison.txt, findings.json, comparison.json,
    comparison.md, report.html, and final.html when the request asks for HTML."""
    requirements = data.requirements
    comparison = build_comparison(data)
    files = {
        "original.md": data.original_text.strip() + "\n",
        "final.md": data.text.strip() + "\n",
        "comparison.txt": render_comparison(
            data.task_id, data.context.query, data.original_text, data.text, generated_at
        ),
        "findings.json": json.dumps(findings_document(data, pack, comparison), ensure_ascii=False, indent=2) + "\n",
        "comparison.json": comparison.model_dump_json(indent=2) + "\n",
        "comparison.md": render_comparison_md(comparison),
        "report.html": render_report_html(comparison, pack.units),
    }
    if requirements.output_format == "html":
        files["final.html"] = render_final_html(data.text, requirements.title or data.task_id, requirements.language)
    return files
