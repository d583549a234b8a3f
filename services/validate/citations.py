"""Citation checks: every citation resolves to a unit of the evidence pack, is written in canonical
form, and every required section cites something.

Each bracket is reported once: ``citation.unresolved`` names every citation in it that resolves to
nothing, ``citation.noncanonical`` a bracket whose citations all resolve but are written otherwise.
Findings carry the raw bracket, the sentence that holds it (quoted and by index) and its section.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import NamedTuple

from shared.citations import (
    TITLE_LIMIT,
    Citation,
    CitationGroup,
    format_citation,
    resolve,
    unit_citation,
)
from shared.findings import Finding
from shared.report import Report, read_report
from shared.requirements import Requirements
from shared.units import EvidencePack, Unit

CLOSE_ENOUGH = 0.5  # similarity above which a real title or source name is suggested as the fix


class Place(NamedTuple):
    """Where a citation bracket sits: its sentence (text and index) and section."""

    sentence: str
    section: str
    index: int | None  # type: ignore[assignment]  # a field named like tuple.index; callers read the field


def places_of(report: Report, groups: list[CitationGroup], requirements: Requirements) -> list[Place]:
    """The sentence and section of each group (the line stands in when no sentence covers it)."""
    spans = report.sections(requirements)
    places = []
    for group in groups:
        sentence = report.sentence_at(group.start)
        text = sentence.text if sentence else report.line_at(group.start).text
        places.append(Place(text.strip(), report.section_at(spans, group.start), sentence.index if sentence else None))
    return places


def similarity(a: str, b: str) -> float:
    """How alike two names are, 0..1."""
    return SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def nearest(units: list[Unit], index: int) -> Unit:
    """The unit whose index is closest to ``index``."""
    return min(units, key=lambda u: abs(u.index - index))


def closest(name: str, names: set[str]) -> str:
    """The member of ``names`` most like ``name`` when it is alike enough, else ``""``."""
    best = max(sorted(names), key=lambda n: similarity(name, n), default="")
    return best if best and similarity(name, best) >= CLOSE_ENOUGH else ""


def whole_source(citation: Citation, pack: EvidencePack) -> list[Unit]:
    """Every unit of the page, file or link a citation names, whatever range it gives."""
    units = resolve(citation.model_copy(update={"first": None, "last": None}), pack.units)
    if not units and citation.kind in ("page", "frame"):
        units = resolve(citation.model_copy(update={"kind": "file", "first": None, "last": None}), pack.units)
    return units


def unknown_title(citation: Citation, pack: EvidencePack, lang: str) -> tuple[str, str]:
    """Reason and fix for a web-page title that matches no retrieved page."""
    reason = f"no retrieved page has the title '{citation.source}'"
    close = closest(citation.source, {u.title[:TITLE_LIMIT] for u in pack.units if u.kind == "chunk" and u.title})
    if not close:
        return reason, "Cite a retrieved page by its real title, or remove the claim."
    page = [u for u in pack.units if u.kind == "chunk" and u.title.startswith(close)]
    return reason, f"Did you mean {unit_citation(nearest(page, citation.first or 0), lang)}?"


def unknown_source(citation: Citation, pack: EvidencePack) -> tuple[str, str]:
    """Reason and fix for a file or link that is not part of the evidence."""
    if citation.kind == "web":
        return "no unit of the evidence comes from this link", "Cite the unit the claim comes from, or remove it."
    names = {u.source for u in pack.units} | {meta.source for meta in pack.sources}
    known = ", ".join(sorted(names)) or "none were ingested"
    reason = f"the source '{citation.source}' is not among the task's files"
    close = closest(citation.source, names)
    if close:
        return reason, f"Did you mean '{close}'? Known sources: {known}."
    return reason, f"Cite one of the task's files: {known}."


def diagnose(citation: Citation, pack: EvidencePack, lang: str) -> tuple[str, str] | None:
    """``None`` when the citation resolves, whole range included; else why it does not and the
    closest real unit address to cite instead."""
    if citation.shorthand and not citation.source:
        return f"'{citation.raw}' gives only a locator and no source is cited before it", "Name the source in the citation."
    whole = whole_source(citation, pack)
    if not whole:
        return unknown_title(citation, pack, lang) if citation.kind == "chunk" else unknown_source(citation, pack)
    first = citation.first or 0
    last = citation.last if citation.last is not None else first
    low, high = min(u.index for u in whole), max(u.index for u in whole)
    if resolve(citation, pack.units) and (citation.first is None or low <= first <= last <= high):
        return None
    span = f"{first}-{last}" if last != first else f"{first}"
    where = "the page" if citation.kind == "chunk" else citation.source
    fix = unit_citation(nearest(whole, min(max(first, low), high)), lang)
    return f"{citation.kind} {span} is outside {where}'s range {low}–{high}", f"Cite an existing unit, e.g. {fix}."


def canonical_group(group: CitationGroup, lang: str) -> str:
    """The canonical bracket for all citations of one group: ``[a; b]``."""
    inner = [format_citation(c, lang)[1:-1] for c in group.citations]
    return "[" + "; ".join(inner) + "]"


def check_citations(text: str, requirements: Requirements, pack: EvidencePack) -> list[Finding]:
    """``citation.unresolved`` for every bracket holding a citation that points at no unit or at a
    range running past its source's units (one finding naming all of them); ``citation.noncanonical``
    for every bracket whose citations all resolve but that is not written in canonical form."""
    report = read_report(text)
    lang = requirements.language
    findings = []
    for group, place in zip(report.groups, places_of(report, report.groups, requirements), strict=False):
        where = {"section": place.section, "sentence": place.sentence, "sentence_index": place.index}
        unresolved = [(c, problem) for c in group.citations if (problem := diagnose(c, pack, lang))]
        if unresolved:
            findings.append(unresolved_finding(group, unresolved, lang, where))
            continue
        canonical = canonical_group(group, lang)
        if canonical != group.raw:
            notes = "; ".join(dict.fromkeys(c.note for c in group.citations if c.note))
            findings.append(
                Finding(
                    check="citation.noncanonical",
                    severity="warning",
                    message=f"Citation {group.raw} is not in canonical form"
                    + (f" ('{notes}' names no page, chunk or frame)." if notes else "."),
                    citation=group.raw,
                    fix=f"Write it as {canonical}.",
                    **where,
                )
            )
    return findings


def unresolved_finding(
    group: CitationGroup, unresolved: list[tuple[Citation, tuple[str, str]]], lang: str, where: dict
) -> Finding:
    """The one ``citation.unresolved`` finding of a bracket: every citation that does not resolve and why."""
    cited = ", ".join(dict.fromkeys(format_citation(c, lang) for c, _ in unresolved))
    reasons = "; ".join(dict.fromkeys(reason for _, (reason, _) in unresolved))
    verb = "does" if len(unresolved) == 1 else "do"
    return Finding(
        check="citation.unresolved",
        severity="error",
        message=f"Citation {cited} {verb} not resolve: {reasons}.",
        citation=group.raw,
        evidence="; ".join(dict.fromkeys(c.raw or group.raw for c, _ in unresolved)),
        fix=unresolved[0][1][1],
        **where,
    )


def check_sections_cited(text: str, requirements: Requirements) -> list[Finding]:
    """``citation.missing``: a required section with no citation at all (an error when the request
    asks for sources, else a warning)."""
    report = read_report(text)
    starts = [g.start for g in report.groups]
    severity = "error" if requirements.cite_sources else "warning"
    return [
        Finding(
            check="citation.missing",
            severity=severity,
            message=f"Section {span.name} has no citation.",
            section=span.name,
            evidence=span.heading,
            fix="Support the section's claims with citations of the units they come from.",
        )
        for span in report.sections(requirements)
        if not any(span.body_start <= start < span.end for start in starts)
    ]
