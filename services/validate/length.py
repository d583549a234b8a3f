"""Length checks: the report's length against the requested range, and any length the report
states about itself.

字 are counted with ``shared.wordcount.count_zi`` (its ``CONVENTION``), words with ``count_words``;
the compared count leaves citations out, and messages give the count with citations too.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from shared.citations import strip_citations
from shared.findings import Finding
from shared.requirements import LengthRange, Requirements
from shared.wordcount import CONVENTION, count_words, count_zi

SELF_REPORT_TOLERANCE = 0.10
NUMBER = r"(\d[\d,，]*)"
STATED_ZI = re.compile(
    rf"(?:字数|全文|全篇|本文|正文|本报告|报告|总计|共计|合计)\s*[:：]?\s*(?:(?:约为|大约|约|近|共计|共|计|为|达)\s*){{0,2}}{NUMBER}"
    rf"\s*(?:余|多)?\s*字|[（(【\[]\s*(?:约|共|共计|总计)\s*{NUMBER}\s*(?:余|多)?\s*字\s*[)）】\]]"
)
STATED_WORDS = re.compile(
    rf"(?:about|approximately|around|roughly|nearly|~|total\s+of)\s*{NUMBER}\s+words\b"
    rf"|word\s+count\s*[:：]?\s*(?:about|approximately|around|~)?\s*{NUMBER}|\(\s*{NUMBER}\s+words\s*\)",
    re.IGNORECASE,
)
INCLUDES_CITATIONS = re.compile(r"^.{0,6}?(?:(?<!不)含(?:注释|引用|引文|标注|参考)|includ\w*\s+(?:citations|references))", re.I)
UNIT_NAMES = {"zi": "字", "words": "words", "characters": "characters"}


def measure(text: str, unit: str) -> tuple[int, int]:
    """The length of ``text`` in ``unit`` ('zi', 'words' or 'characters'): without and with citations."""
    if unit == "words":
        return count_words(strip_citations(text)), count_words(text)
    if unit == "characters":
        return len(re.sub(r"\s+", "", strip_citations(text))), len(re.sub(r"\s+", "", text))
    return count_zi(text), count_zi(text, include_citations=True)


def convention(unit: str) -> str:
    """How ``unit`` is counted, for messages."""
    if unit == "words":
        return "words separated by spaces, citations excluded"
    if unit == "characters":
        return "characters other than whitespace, citations excluded"
    return CONVENTION


def describe_range(length: LengthRange) -> str:
    """'2000–3000 字', 'at least 2000 字' or 'at most 3000 字'."""
    name = UNIT_NAMES.get(length.unit, length.unit)
    if length.minimum is not None and length.maximum is not None:
        return f"{length.minimum}–{length.maximum} {name}"
    if length.minimum is not None:
        return f"at least {length.minimum} {name}"
    return f"at most {length.maximum} {name}"


def check_length(text: str, requirements: Requirements) -> list[Finding]:
    """``length.too_short`` / ``length.too_long``: the count without citations outside the range."""
    length = requirements.length
    if length is None or (length.minimum is None and length.maximum is None):
        return []
    count, with_citations = measure(text, length.unit)
    name = UNIT_NAMES.get(length.unit, length.unit)
    if length.minimum is not None and count < length.minimum:
        check, fix = "length.too_short", f"Add about {length.minimum - count} {name} of supported content."
    elif length.maximum is not None and count > length.maximum:
        check, fix = "length.too_long", f"Cut about {count - length.maximum} {name}."
    else:
        return []
    return [
        Finding(
            check=check,
            severity="error",
            message=(
                f"The report has {count} {name}; the request asks for {describe_range(length)}"
                f"{f' ({length.text})' if length.text else ''}. Counted as: {convention(length.unit)}. "
                f"With citations counted it has {with_citations} {name}."
            ),
            evidence=f"{count} {name} without citations, {with_citations} with",
            fix=fix,
        )
    ]


class Statement(NamedTuple):
    """A length the report states about itself."""

    phrase: str
    number: int
    unit: str
    with_citations: bool


def stated_lengths(text: str) -> list[Statement]:
    """Every length the text states about itself; it counts citations when the words right after
    it say so ("含注释", "including citations")."""
    found = []
    for pattern, unit in ((STATED_ZI, "zi"), (STATED_WORDS, "words")):
        for match in pattern.finditer(text):
            number = int(re.sub(r"[,，]", "", next(g for g in match.groups() if g)))
            with_citations = bool(INCLUDES_CITATIONS.match(text[match.end():]))
            found.append(Statement(match.group(0), number, unit, with_citations))
    return found


def check_self_report(text: str) -> list[Finding]:
    """``length.self_report``: a stated length more than 10 % off the real count (without
    citations, or with them when the statement says it includes them)."""
    findings = []
    for phrase, stated, unit, with_citations in stated_lengths(text):
        counts = measure(text, unit)
        real = counts[1] if with_citations else counts[0]
        if abs(stated - real) <= SELF_REPORT_TOLERANCE * real:
            continue
        name = UNIT_NAMES[unit]
        findings.append(
            Finding(
                check="length.self_report",
                severity="error",
                message=(
                    f"The report says '{phrase}' but has {counts[0]} {name} ({convention(unit)}); "
                    f"{counts[1]} with citations."
                ),
                sentence=phrase,
                evidence=phrase,
                fix=f"Remove the statement of length, or state the real count ({counts[0]} {name}).",
            )
        )
    return findings
