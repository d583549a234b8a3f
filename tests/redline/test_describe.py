"""The progress line of each event (pure: an envelope in, a line out)."""

from __future__ import annotations

from redline.client import describe
from shared.events import Event, ObjectRef, ReportDrafted, TaskContext
from shared.findings import Finding

CONTEXT = TaskContext(query="q", evidence=ObjectRef(key="t/evidence.json", digest="SHA-256=x", size=1))


def test_a_section_the_model_could_not_write_is_noted_under_the_draft_line():
    fallback = Finding(
        check="draft.section_fallback",
        severity="warning",
        message="Section 'Methods' quotes its evidence (offline extractive writer): the model call failed.",
        section="Methods",
    )
    drafted = ReportDrafted(task_id="t", round=1, context=CONTEXT, text="# R", writer="model:m", writer_findings=[fallback])

    line = describe(Event.wrap(drafted, "/test"))

    assert "note: Section 'Methods' quotes its evidence" in line
