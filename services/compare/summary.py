"""The comparison document (``comparison.json``): alignment, findings and numbers of one task.

The numbers (``Numbers``) are defined here once, in ``DEFINITIONS``; the progress lines, findings.json,
comparison.json/md and report.html all report these same figures.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.compare.alignment import EDIT_SIMILARITY, AlignedSentence, Sentence, Status, align_reports
from services.compare.rounds import RoundChange, place_findings, resolved_between, round_changes
from shared.events import ReportAccepted
from shared.findings import Finding, count_errors
from shared.wordcount import CONVENTION, count_zi

SUPPORT_RULE = (
    "A cited sentence counts as supported when no error-level finding names it: for the original, the "
    "findings of the first round; for the final, the findings that remain in the accepted version. "
    "Sentences without citations are left out."
)
DEFINITIONS = {
    "kept": "An original sentence whose text without citations is in the final unchanged.",
    "recited": "A kept sentence whose citations changed.",
    "edited": f"An original sentence paired, in order, with a final one at least {EDIT_SIMILARITY:.0%} alike "
    "(text without citations).",
    "added": "A final sentence paired with no original one.",
    "removed": "An original sentence paired with no final one (a moved sentence is removed and added).",
    "supported": SUPPORT_RULE,
    "preserved": "A supported original sentence that the final keeps (unchanged or only re-cited); preservation "
    "is preserved / supported original sentences.",
    "resolved": "An error of the first draft whose problem (same check, same section, the same sentence followed "
    "through the edits) no finding of the accepted version has. Re-pointing a citation or rewording a "
    "sentence resolves nothing by itself; removing the sentence does.",
    "remaining": "The error-level findings of the accepted version.",
}


class SentenceRow(BaseModel):
    """One aligned sentence with its citations and the findings that name it on each side."""

    status: Status
    recited: bool = Field(description="Kept or edited, with different citations.")
    original: Sentence | None
    final: Sentence | None
    findings_before: list[Finding] = Field(description="First-round findings naming the original sentence.")
    findings_after: list[Finding] = Field(description="Remaining findings naming the final sentence.")
    supported_before: bool | None = Field(description="None when the original sentence is absent or uncited.")
    supported_after: bool | None = Field(description="None when the final sentence is absent or uncited.")


class Side(BaseModel):
    """Numbers of one report."""

    characters: int = Field(description="Code points of the stripped text, as comparison.txt counts.")
    zi: int = Field(description="字数 by the length convention.")
    sentences: int
    cited: int
    supported: int
    supported_share: float | None = Field(description="supported / cited; None without cited sentences.")


class Numbers(BaseModel):
    before: Side
    after: Side
    kept: int
    edited: int
    added: int
    removed: int
    recited: int = Field(description="Kept sentences whose citations changed.")
    preservable: int = Field(description="Supported sentences of the original.")
    preserved: int = Field(description="Of those, kept unchanged or only re-cited.")
    preservation: float | None
    errors_before: int = Field(description="Error-level findings of the first draft.")
    resolved: int = Field(description="Errors of the first draft whose problem the accepted version no longer has.")
    remaining: int = Field(description="Error-level findings of the accepted version.")


class Comparison(BaseModel):
    """Everything ``comparison.json`` holds."""

    task_id: str
    query: str
    language: str
    accepted_version: int
    stop_reason: str
    definitions: dict[str, str] = Field(default_factory=lambda: dict(DEFINITIONS))
    length_convention: str = CONVENTION
    numbers: Numbers
    rounds: list[RoundChange]
    sentences: list[SentenceRow]
    unplaced_before: list[Finding] = Field(description="First-round findings that name no sentence.")
    unplaced_after: list[Finding] = Field(description="Remaining findings that name no sentence.")


def share(part: int, whole: int) -> float | None:
    """``part / whole`` to four places; None when ``whole`` is 0."""
    return round(part / whole, 4) if whole else None


def supported(sentence: Sentence | None, findings: dict[int, list[Finding]]) -> bool | None:
    """Whether a cited sentence is named by no error; None for an absent or uncited sentence."""
    if sentence is None or not sentence.citations:
        return None
    return not any(f.severity == "error" for f in findings.get(sentence.index, []))


def side(text: str, sentences: list[Sentence | None], verdicts: list[bool | None]) -> Side:
    """The numbers of one report from its sentences and their support verdicts."""
    cited = sum(v is not None for v in verdicts)
    backed = sum(v is True for v in verdicts)
    return Side(
        characters=len(text.strip()),
        zi=count_zi(text),
        sentences=sum(s is not None for s in sentences),
        cited=cited,
        supported=backed,
        supported_share=share(backed, cited),
    )


def sentence_counts(alignment: list[AlignedSentence]) -> dict[str, int]:
    """How many sentences are kept, edited, added, removed, and kept but re-cited."""
    counts = {status: sum(r.status == status for r in alignment) for status in ("kept", "edited", "added", "removed")}
    return counts | {"recited": sum(r.status == "kept" and r.recited for r in alignment)}


def describe_counts(n: dict) -> str:
    """'24 kept (2 re-cited), 3 edited, 1 added, 0 removed' for sentence counts (or ``Numbers`` as a dict)."""
    return f"{n['kept']} kept ({n['recited']} re-cited), {n['edited']} edited, {n['added']} added, {n['removed']} removed"


def describe_changes(before: str, after: str) -> str:
    """The sentence counts of two versions, as ``describe_counts`` words them."""
    return describe_counts(sentence_counts(align_reports(before, after)))


def describe_errors(n: dict) -> str:
    """'errors 17 → 2 (15 resolved)' for ``Numbers`` as a dict."""
    return f"errors {n['errors_before']} → {n['remaining']} ({n['resolved']} resolved)"


def build_comparison(data: ReportAccepted) -> Comparison:
    """The comparison of the task's original draft with its accepted version."""
    alignment = align_reports(data.original_text, data.text)
    first = next((r.findings for r in data.rounds if r.report_version == 1), [])
    placed_before, unplaced_before = place_findings([r.original for r in alignment if r.original], first)
    placed_after, unplaced_after = place_findings([r.final for r in alignment if r.final], data.findings)
    rows = [
        SentenceRow(
            status=r.status,
            recited=r.recited,
            original=r.original,
            final=r.final,
            findings_before=placed_before.get(r.original.index, []) if r.original else [],
            findings_after=placed_after.get(r.final.index, []) if r.final else [],
            supported_before=supported(r.original, placed_before),
            supported_after=supported(r.final, placed_after),
        )
        for r in alignment
    ]
    preservable = [r for r in rows if r.supported_before]
    preserved = sum(r.status == "kept" for r in preservable)
    first_errors = [f for f in first if f.severity == "error"]
    numbers = Numbers(
        before=side(data.original_text, [r.original for r in rows], [r.supported_before for r in rows]),
        after=side(data.text, [r.final for r in rows], [r.supported_after for r in rows]),
        **sentence_counts(alignment),
        preservable=len(preservable),
        preserved=preserved,
        preservation=share(preserved, len(preservable)),
        errors_before=count_errors(first_errors),
        resolved=len(resolved_between(first_errors, data.original_text, data.findings, data.text)),
        remaining=count_errors(data.findings),
    )
    return Comparison(
        task_id=data.task_id,
        query=data.context.query,
        language=data.requirements.language,
        accepted_version=data.report_version,
        stop_reason=data.stop_reason,
        numbers=numbers,
        rounds=round_changes(data.rounds),
        sentences=rows,
        unplaced_before=unplaced_before,
        unplaced_after=unplaced_after,
    )
