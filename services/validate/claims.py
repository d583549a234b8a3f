"""Check 5: sentences that state checkable facts without a citation (``claim.uncited``).

A claim is a sentence that states a number (dates included), a URL, a name (two or more capitalised
Latin words in a row: a person, a paper title, a spelled-out term), a result or a comparison (提升,
优于, outperforms, …). A lone acronym or term (LLM, Transformer) is not a claim by itself. Headings, the title line, table rule lines, reference-list entries, bold term labels ending in a colon and
sentences that state the report's own length are not claims. A claim with a number, a date or a
name is an error when the request asks for sources, otherwise every uncited claim is a warning.
"""

from __future__ import annotations

import re

from services.validate.anchors import find_anchors
from services.validate.length import stated_lengths
from shared.findings import Finding
from shared.report import heading_parts, read_report
from shared.requirements import Requirements

RESULT = re.compile(
    r"提升|提高|降低|减少|增加|优于|超过|超越|领先|达到|取得|胜率|准确率|显著|最佳|最优|首次|更[高低好快强]"
    r"|\b(?:outperform\w*|improv\w*|achiev\w*|surpass\w*|exceed\w*|better|worse|higher|lower|faster|slower"
    r"|state-of-the-art|best|first|increas\w*|decreas\w*|reduc\w*)\b",
    re.IGNORECASE,
)
REFERENCE_ENTRY = re.compile(r"^\s*(?:\[\d+\]|\d+\.\s+[A-Z][a-z]+,)|^\s*(?:[-*]\s*)?https?://\S+\s*$")
NAME = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+(?:[ \-](?:[A-Z][A-Za-z]*|of|and|the|for|is|in|on|to)){0,6}[ \-][A-Z][A-Za-z]+")
TITLE_LINE = re.compile(r"^\s*#?\s*《[^》]+》\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
TERM_LABEL = re.compile(r"^(?:[-*+]|\d+[.、)])?\s*\*\*[^*]+\*\*\s*[:：]$")


def is_claim_line(line: str) -> bool:
    """Whether a line may hold claims: not empty, not a heading, title, table rule, reference entry
    or a bold term label introducing the list below it (``2. **直接偏好优化（DPO）**：``)."""
    stripped = line.strip()
    if not stripped or TITLE_LINE.match(stripped) or TABLE_RULE.match(stripped) or REFERENCE_ENTRY.match(stripped):
        return False
    if TERM_LABEL.match(stripped):
        return False
    style, rest = heading_parts(stripped)
    return not (style and len(rest) <= 40 and not rest.endswith(("。", ".")))


def claim_kind(sentence: str) -> str:
    """What makes ``sentence`` a claim: 'fact' (a number, date, URL or name), 'result', or '' (not a claim)."""
    if NAME.search(sentence) or any(a.kind in ("number", "url") for a in find_anchors(sentence)):
        return "fact"
    return "result" if RESULT.search(sentence) else ""


def check_uncited(text: str, requirements: Requirements) -> list[Finding]:
    """``claim.uncited`` for every claim sentence that has no citation."""
    report = read_report(text)
    spans = report.sections(requirements)
    stated = {s.phrase for s in stated_lengths(text)}
    findings = []
    for sentence in report.sentences:
        if sentence.groups or not is_claim_line(report.line_at(sentence.start).text):
            continue
        if any(phrase in sentence.text for phrase in stated):
            continue
        kind = claim_kind(sentence.text)
        if not kind:
            continue
        error = requirements.cite_sources and kind == "fact"
        findings.append(
            Finding(
                check="claim.uncited",
                severity="error" if error else "warning",
                message="The sentence states "
                + ("a number, date or name" if kind == "fact" else "a result or comparison")
                + " without a citation.",
                section=report.section_at(spans, sentence.start),
                sentence=sentence.text,
                sentence_index=sentence.index,
                fix="Cite the unit the claim comes from, or remove the claim.",
            )
        )
    return findings
