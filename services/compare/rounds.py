"""What each validation round raised and resolved, and which sentence each finding names.

A finding's identity across rounds is ``Finding.key``. A round's findings are compared with those
of its base — the last earlier round whose version was not rejected, since a rejected revision is
dropped and the next one revises the base again: keys new in the round are *raised*, keys of the
base missing from it are *resolved*.
"""

from __future__ import annotations

from pydantic import BaseModel

from services.compare.alignment import Sentence, plain_text
from shared.events import RoundRecord
from shared.findings import Finding


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
    """``findings`` with one finding per key, the first of each."""
    seen: dict[tuple, Finding] = {}
    for finding in findings:
        seen.setdefault(finding.key, finding)
    return list(seen.values())


def round_changes(rounds: list[RoundRecord]) -> list[RoundChange]:
    """Raised and resolved findings of every round, in order."""
    changes = []
    base: list[Finding] = []
    for record in rounds:
        found = unique(record.findings)
        before, now = {f.key for f in base}, {f.key for f in found}
        changes.append(
            RoundChange(
                report_version=record.report_version,
                verdict=record.verdict,
                note=record.note,
                errors=record.errors,
                warnings=record.warnings,
                raised=[f for f in found if f.key not in before],
                resolved=[f for f in base if f.key not in now],
            )
        )
        if record.verdict != "rejected":
            base = found
    return changes


def place_findings(
    sentences: list[Sentence], findings: list[Finding]
) -> tuple[dict[int, list[Finding]], list[Finding]]:
    """Each finding at the sentence it names (by ``Sentence.index``), and those that name none.

    A finding names the sentence at its ``sentence_index`` when that sentence's text without
    citations equals its ``sentence``'s; else the first sentence whose text does; failing that, the
    first whose text contains it or is contained in it (a finding may quote a whole line). Findings
    with no ``sentence`` (length, a missing section) name none.
    """
    placed: dict[int, list[Finding]] = {}
    unplaced: list[Finding] = []
    plain = [(s.index, s.plain) for s in sentences]
    for finding in unique(findings):
        wanted = plain_text(finding.sentence)
        at = finding.sentence_index
        index = at if wanted and at is not None and at < len(plain) and plain[at] == (at, wanted) else None
        if index is None:
            index = next((i for i, text in plain if wanted and text == wanted), None)
        if index is None:
            index = next((i for i, text in plain if wanted and text and (wanted in text or text in wanted)), None)
        if index is None:
            unplaced.append(finding)
        else:
            placed.setdefault(index, []).append(finding)
    return placed, unplaced
