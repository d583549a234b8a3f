"""Findings: what a check found wrong (or worth a warning) in a report."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning"]


class Finding(BaseModel):
    """One result of one check at one place in a report."""

    check: str = Field(description="Check id, e.g. 'structure.section_missing', 'citation.unresolved'.")
    severity: Severity
    message: str
    section: str = ""
    sentence: str = ""
    sentence_index: int | None = Field(
        default=None, description="Position of the sentence among the report's sentences (shared.report), from 0."
    )
    citation: str = ""
    evidence: str = Field(default="", description="What the check looked at.")
    fix: str = Field(default="", description="A concrete suggested fix.")

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity of a finding across rounds: same check at the same place."""
        return (self.check, self.section, self.sentence, self.citation)


def count_errors(findings: list[Finding]) -> int:
    """How many findings are errors."""
    return sum(1 for f in findings if f.severity == "error")
