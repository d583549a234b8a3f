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
"""

from __future__ import annotations

from collections import Counter

from services.validate.citations import check_citations, check_sections_cited
from services.validate.claims import check_uncited
from services.validate.injection import check_injection
from services.validate.language import check_language, check_register
from services.validate.length import check_length, check_self_report
from services.validate.metadata import check_metadata
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
from shared.requirements import Requirements
from shared.units import EvidencePack

__all__ = ["run_checks", "sections_of", "summarise"]


def run_checks(text: str, requirements: Requirements, pack: EvidencePack) -> list[Finding]:
    """Every finding for one report version: structure, length, citations (resolution, support,
    uncited claims), metadata, then language and register."""
    gate = check_empty(text) or check_placeholder(text)
    preamble = check_preamble(text)
    if gate or (preamble and is_fragment(text)):
        return gate + preamble
    return [
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
    ]


def summarise(findings: list[Finding]) -> dict:
    """Counts of findings: ``{"total": n, "by_severity": {...}, "by_check": {...}}``."""
    return {
        "total": len(findings),
        "by_severity": {"error": count_errors(findings), "warning": len(findings) - count_errors(findings)},
        "by_check": dict(Counter(f.check for f in findings)),
    }
