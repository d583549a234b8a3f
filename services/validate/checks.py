"""The deterministic checks the validator runs on every report version (no model, no I/O).

Check ids are stable: the revising writer acts on them.

- ``structure.empty``, ``structure.placeholder``, and ``structure.preamble`` on a text under 200 字:
  the text is not a report, and nothing else is checked.
- ``structure.preamble``, ``structure.truncated``, ``structure.title_missing``,
  ``structure.section_missing``, ``structure.section_order``, ``structure.section_empty``
- ``length.too_short``, ``length.too_long``, ``length.self_report``
- ``citation.unresolved``, ``citation.noncanonical`` (warning), ``citation.missing``
  (error when the request asks for sources, else warning)
- ``citation.unsupported`` (error for missing anchors, warning for low support), ``claim.uncited``
- ``metadata.title``, ``metadata.authors``, ``metadata.link_kind``; ``metadata.year``,
  ``metadata.venue`` (warnings)
- ``language.mismatch``, ``register.colloquial`` (warning)
- ``source.injection``: a warning per source unit holding an instruction to the writer, an error per
  report sentence repeating one (``services.validate.injection``)
- ``claim.off_topic``, ``coverage.main_uncited``; ``coverage.source_missing`` (warning)
- ``repetition.paragraph``, ``repetition.sentence``: near-duplicate text (``services.validate.repetition``)
"""

from __future__ import annotations

from collections import Counter

from services.validate.citations import check_citations, check_sections_cited
from services.validate.claims import check_uncited
from services.validate.injection import check_injection
from services.validate.language import check_language, check_register
from services.validate.length import check_length, check_self_report
from services.validate.metadata import check_metadata
from services.validate.relevance import check_main_cited, check_off_topic, check_source_kinds
from services.validate.repetition import check_repetition
from services.validate.structure import (
    check_empty,
    check_placeholder,
    check_preamble,
    check_sections,
    check_title,
    check_truncated,
    is_fragment,
    sections_of,
)
from services.validate.support import check_support
from shared.findings import Finding, count_errors
from shared.report import read_report
from shared.requirements import Requirements
from shared.units import EvidencePack

__all__ = ["run_checks", "sections_of", "summarise"]


def run_checks(text: str, requirements: Requirements, pack: EvidencePack, query: str = "") -> list[Finding]:
    """Every finding for one report version: structure, length, citations (resolution, support,
    uncited claims), metadata, language and register, then — when ``query`` (the request) is given —
    relevance to it and coverage of the sources it names."""
    gate = check_empty(text) or check_placeholder(text)
    preamble = check_preamble(text)
    if gate or (preamble and is_fragment(text)):
        return gate + preamble
    findings = [
        *preamble,
        *check_truncated(text),
        *check_title(text, requirements),
        *check_sections(text, requirements),
        *check_length(text, requirements),
        *check_self_report(text),
        *check_citations(text, requirements, pack),
        *check_sections_cited(text, requirements),
        *check_support(text, requirements, pack),
        *check_uncited(text, requirements),
        *check_metadata(text, pack),
        *check_language(text, requirements),
        *check_register(text, requirements),
        *check_injection(text, pack),
        *check_repetition(text, requirements),
        *(relevance(text, requirements, pack, query) if query else []),
    ]
    return located(text, findings)


def located(text: str, findings: list[Finding]) -> list[Finding]:
    """``findings`` with the index of the sentence each quotes, where the check left it out and the
    quote is a whole sentence of the report."""
    index = {sentence.text: sentence.index for sentence in reversed(read_report(text).sentences)}
    return [
        f.model_copy(update={"sentence_index": index[f.sentence]}) if f.sentence_index is None and f.sentence in index else f
        for f in findings
    ]


def relevance(text: str, requirements: Requirements, pack: EvidencePack, query: str) -> list[Finding]:
    """Relevance to the request and coverage of the sources it names (only when there is a request)."""
    return [
        *check_off_topic(text, requirements, pack, query),
        *check_source_kinds(query, pack),
        *check_main_cited(text, requirements, pack),
    ]


def summarise(findings: list[Finding]) -> dict:
    """Counts of findings: ``{"total": n, "by_severity": {...}, "by_check": {...}}``."""
    return {
        "total": len(findings),
        "by_severity": {"error": count_errors(findings), "warning": len(findings) - count_errors(findings)},
        "by_check": dict(Counter(f.check for f in findings)),
    }
