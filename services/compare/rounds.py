"""What each validation round raised and resolved, and which sentence each finding names.

A finding's *problem* is its check, its section and the sentence it names (without citations), or
its citation when it names no sentence. From one version to the next, the sentence a problem
names is followed through the alignment (``align_reports``): kept, it stays; edited, it becomes the
edited sentence; removed, it is gone. A problem is *resolved* when no finding of the next version
has it; changing the sentence's citations or wording alone resolves nothing. *Raised* are the
problems of a version its base did not have. A round's base is the last earlier round whose version
was not rejected, since a rejected revision is dropped and the next one revises the base again.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from services.compare.alignment import Sentence, align_reports, plain_text, split_report
from shared.events import RoundRecord
from shared.findings import Finding

Problem = tuple[str, str, str]


class RoundChange(BaseModel):
    """One round: the version it checked, its verdict, and the findings it raised and resolved."""

    report_version: int
    verdict: str
    note: str = ""
    errors: int
    warnings: int
    raised: list[Finding]
    resolved: list[Finding]


def unique(findings: list[Finding]) -> list[Finding]:
    """``findings`` with each repeated finding (same key, same message) once."""
    seen: dict[tuple, Finding] = {}
    for finding in findings:
        seen.setdefault((*finding.key, finding.message), finding)
    return list(seen.values())


def locate(plain: list[str], wanted: str) -> int | None:
    """The position of the first sentence equal to ``wanted``, else of the first that contains it or
    is contained in it (a finding may quote a whole line); None when none does."""
    if not wanted:
        return None
    index = next((i for i, text in enumerate(plain) if text == wanted), None)
    if index is None:
        index = next((i for i, text in enumerate(plain) if text and (wanted in text or text in wanted)), None)
    return index


def position_of(finding: Finding, written: list[str], plain: list[str]) -> int | None:
    """The position of the sentence ``finding`` names among sentences ``written`` (their ``plain``
    text beside them): its ``sentence_index`` when that sentence says what it quotes, else the
    sentence written as quoted, else the one ``locate`` finds."""
    wanted, at = plain_text(finding.sentence), finding.sentence_index
    if wanted and at is not None and at < len(plain) and plain[at] == wanted:
        return at
    quoted = finding.sentence.strip()
    return written.index(quoted) if quoted in written else locate(plain, wanted)


def problem(finding: Finding, subject: str | None) -> Problem | None:
    """The problem of ``finding`` with the sentence it names given as ``subject`` (None: gone)."""
    if subject is None:
        return None
    return (finding.check, finding.section, subject or finding.citation)


def subjects_in(text: str) -> Callable[[Finding], str]:
    """The sentence a finding names in ``text``: the whole sentence it quotes, without citations."""
    plain = [s.plain for s in split_report(text)]

    def subject(finding: Finding) -> str:
        wanted = plain_text(finding.sentence)
        index = locate(plain, wanted)
        return wanted if index is None else plain[index]

    return subject


def carried_into(before: str, after: str) -> Callable[[Finding], str | None]:
    """The sentence of ``after`` that a finding on ``before`` names once its sentence is followed
    through the alignment; None when that sentence was removed."""
    rows = [r for r in align_reports(before, after) if r.original]
    plain = [r.original.plain for r in rows if r.original]

    def carried(finding: Finding) -> str | None:
        wanted = plain_text(finding.sentence)
        index = locate(plain, wanted)
        if index is None:
            return wanted
        final = rows[index].final
        return final.plain if final else None

    return carried


def resolved_between(before: list[Finding], before_text: str, after: list[Finding], after_text: str) -> list[Finding]:
    """The findings of ``before`` whose problem no finding of ``after`` has (each one counted, as the
    error counts count them)."""
    subject, carried = subjects_in(after_text), carried_into(before_text, after_text)
    present = {problem(f, subject(f)) for f in after}
    return [f for f in before if problem(f, carried(f)) not in present]


def raised_between(before: list[Finding], before_text: str, after: list[Finding], after_text: str) -> list[Finding]:
    """The findings of ``after`` whose problem no finding of ``before`` had."""
    subject, carried = subjects_in(after_text), carried_into(before_text, after_text)
    known = {problem(f, carried(f)) for f in before}
    return [f for f in after if problem(f, subject(f)) not in known]


def grouped(findings: list[Finding]) -> list[tuple[Finding, int]]:
    """Each repeated finding (``unique``) once, with how many times it occurs."""
    counts: dict[tuple, list[Finding]] = {}
    for finding in findings:
        counts.setdefault((*finding.key, finding.message), []).append(finding)
    return [(found[0], len(found)) for found in counts.values()]


def round_changes(rounds: list[RoundRecord]) -> list[RoundChange]:
    """Raised and resolved findings of every round, in order."""
    changes = []
    base: RoundRecord | None = None
    for record in rounds:
        before, before_text = (base.findings, base.text) if base else ([], "")
        changes.append(
            RoundChange(
                report_version=record.report_version,
                verdict=record.verdict,
                note=record.note,
                errors=record.errors,
                warnings=record.warnings,
                raised=raised_between(before, before_text, record.findings, record.text),
                resolved=resolved_between(before, before_text, record.findings, record.text),
            )
        )
        if record.verdict != "rejected":
            base = record
    return changes


def place_findings(
    sentences: list[Sentence], findings: list[Finding]
) -> tuple[dict[int, list[Finding]], list[Finding]]:
    """Each finding at the sentence it names (by ``Sentence.index``), and those that name none.

    A finding names the sentence at its ``sentence_index`` when that sentence's text without
    citations equals its ``sentence``'s; else the sentence written exactly as its ``sentence``
    (citations included); else the one ``locate`` finds. Findings with no ``sentence`` (length, a
    missing section) name none.
    """
    placed: dict[int, list[Finding]] = {}
    unplaced: list[Finding] = []
    plain = [s.plain for s in sentences]
    written = [s.text.strip() for s in sentences]
    for finding in unique(findings):
        position = position_of(finding, written, plain)
        if position is None:
            unplaced.append(finding)
        else:
            placed.setdefault(sentences[position].index, []).append(finding)
    return placed, unplaced
