"""The revision loop: accept a checked version, or ask draft for another revision.

The loop's state travels in the events (``LoopState``): this module writes it into each
revision.requested, reads it back from report.revised, and owns the version numbers. A revision is
rejected (and its base kept) when it has more errors than its base, is much shorter (unless its
base was too long), or is a placeholder. The loop stops when the best version has no error, when a
round did not lower the error count (a rejected revision never does), or when the revision budget
is spent; the stop reason says which.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.events import (
    LoopState,
    ReportAccepted,
    ReportDrafted,
    ReportRevised,
    RevisionRequested,
    RoundRecord,
    Verdict,
)
from shared.findings import Finding, count_errors
from shared.requirements import Requirements

SHORTER_LIMIT = 0.5


@dataclass(frozen=True)
class Version:
    """One report version with what the checks found in it."""

    number: int
    text: str
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return count_errors(self.findings)


@dataclass(frozen=True)
class Decision:
    """What to do next: ``accept`` with a stop reason, or revise ``best``."""

    best: Version
    record: RoundRecord
    accept: bool
    stop_reason: str = ""


def rejection_reason(new: Version, base: Version) -> str:
    """Why ``new`` is worse than ``base``, or '' when it is not."""
    if any(f.check == "structure.placeholder" for f in new.findings):
        return "the revision is a placeholder, not a report"
    if new.errors > base.errors:
        return f"the revision has more errors ({new.errors}) than version {base.number} ({base.errors})"
    asked_shorter = any(f.check == "length.too_long" for f in base.findings)
    if len(new.text.strip()) < SHORTER_LIMIT * len(base.text.strip()) and not asked_shorter:
        return f"the revision is much shorter ({len(new.text.strip())} vs {len(base.text.strip())} characters)"
    return ""


def no_progress(new: Version, base: Version, rejected: str) -> str:
    """The stop reason of a round that did not lower the error count."""
    if rejected:
        return f"no progress: version {new.number} was rejected, so the loop stops at version {base.number}"
    return (
        f"no progress: version {new.number} has {new.errors} errors, version {base.number} had {base.errors}; "
        "the loop stops"
    )


def decide(new: Version, base: Version | None, max_rounds: int) -> Decision:
    """Judge ``new`` (a revision of ``base``, or the first draft when ``base`` is None)."""
    rejected = rejection_reason(new, base) if base else ""
    best = base if base is not None and rejected else new
    revisions = new.number - 1
    verdict: Verdict
    if best.errors == 0:
        verdict, stop = "pass", "passed: no error-level finding"
    elif base is not None and best.errors >= base.errors:
        verdict, stop = "stop", no_progress(new, base, rejected)
    elif revisions >= max_rounds:
        verdict, stop = "stop", f"revision budget spent ({max_rounds}); {best.errors} errors remain"
    else:
        verdict, stop = "revise", ""
    record = RoundRecord(
        report_version=new.number,
        chars=len(new.text.strip()),
        errors=new.errors,
        warnings=len(new.findings) - new.errors,
        findings=new.findings,
        verdict="rejected" if rejected else verdict,
        note=rejected,
        text=new.text,
    )
    return Decision(best=best, record=record, accept=verdict != "revise", stop_reason=stop)


def base_of(loop: LoopState) -> Version:
    """The version a revision revises, with what the checks found in it."""
    record = loop.base()
    return Version(record.report_version, record.text, record.findings)


def next_step(
    data: ReportDrafted | ReportRevised, findings: list[Finding], requirements: Requirements
) -> RevisionRequested | ReportAccepted:
    """The loop's next event for a checked version: another revision of the best version so far,
    or its acceptance."""
    loop = data.loop if isinstance(data, ReportRevised) else None
    base = base_of(loop) if loop else None
    decision = decide(Version(data.report_version, data.text, findings), base, data.context.max_rounds)
    authorship = {"writer": data.writer, "usage": data.usage, "writer_findings": data.writer_findings}
    rounds = [*(loop.rounds if loop else []), decision.record.model_copy(update=authorship)]
    original = loop.original_text if loop else data.text
    best = decision.best
    if decision.accept:
        return ReportAccepted(
            task_id=data.task_id,
            round=data.round,
            context=data.context,
            report_version=best.number,
            text=best.text,
            original_text=original,
            stop_reason=decision.stop_reason,
            findings=best.findings,
            rounds=rounds,
            requirements=requirements,
        )
    state = LoopState(
        original_text=original, rounds=rounds, base_version=best.number, next_version=data.report_version + 1
    )
    return RevisionRequested(
        task_id=data.task_id, round=data.round, context=data.context, text=best.text, findings=best.findings, loop=state
    )
