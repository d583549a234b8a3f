"""Citation checks: every citation resolves to a unit of the evidence pack, is written in canonical
form, and every required section cites something.

Findings carry the raw bracket, the sentence that holds it and the section it is under.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import NamedTuple

from services.validate.structure import SectionSpan, lines_of, locate_sections, section_at
from shared.citations import (
    TITLE_LIMIT,
    Citation,
    CitationGroup,
    find_citations,
    format_citation,
    resolve,
    unit_citation,
)
from shared.findings import Finding
from shared.requirements import Requirements
from shared.sentences import split_sentences
from shared.units import EvidencePack, Unit

CLOSE_ENOUGH = 0.5  # similarity above which a real title or source name is suggested as the fix


class Place(NamedTuple):
    """Where a citation bracket sits: its sentence and section."""

    sentence: str
    section: str


def sentence_spans(text: str) -> list[tuple[int, int, str]]:
    """The sentences of ``text`` with their offsets; sentences not found verbatim are left out."""
    spans, cursor = [], 0
    for sentence in split_sentences(text):
        at = text.find(sentence, cursor)
        if at < 0:
            continue
        spans.append((at, at + len(sentence), sentence))
        cursor = at + len(sentence)
    return spans


def places_of(text: str, groups: list[CitationGroup], requirements: Requirements) -> list[Place]:
    """The sentence and section of each group (the line stands in when no sentence covers it)."""
    sentences = sentence_spans(text)
    lines = lines_of(text)
    spans: list[SectionSpan] = locate_sections(text, requirements)
    places = []
    for group in groups:
        sentence = next((s for start, end, s in sentences if start <= group.start < end), None)
        if sentence is None:
            sentence = next(line.text for line in lines if line.start <= group.start <= line.end)
        places.append(Place(sentence.strip(), section_at(spans, lines, group.start)))
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
    """``citation.unresolved`` for every citation that points at no unit or at a range running past
    its source's units; ``citation.noncanonical`` for every bracket whose citations all resolve but
    that is not written in canonical form."""
    groups = find_citations(text)
    lang = requirements.language
    findings = []
    for group, place in zip(groups, places_of(text, groups, requirements)):
        problems = [(c, diagnose(c, pack, lang)) for c in group.citations]
        unresolved = [(c, problem) for c, problem in problems if problem]
        for citation, (reason, fix) in unresolved:
            findings.append(
                Finding(
                    check="citation.unresolved",
                    severity="error",
                    message=f"Citation {format_citation(citation, lang)} does not resolve: {reason}.",
                    section=place.section,
                    sentence=place.sentence,
                    citation=group.raw,
                    evidence=citation.raw or group.raw,
                    fix=fix,
                )
            )
        canonical = canonical_group(group, lang)
        if not unresolved and canonical != group.raw:
            findings.append(
                Finding(
                    check="citation.noncanonical",
                    severity="warning",
                    message=f"Citation {group.raw} is not in canonical form.",
                    section=place.section,
                    sentence=place.sentence,
                    citation=group.raw,
                    fix=f"Write it as {canonical}.",
                )
            )
    return findings


def check_sections_cited(text: str, requirements: Requirements) -> list[Finding]:
    """``citation.missing``: a required section with no citation at all (an error when the request
    asks for sources, else a warning)."""
    starts = [g.start for g in find_citations(text)]
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
        for span in locate_sections(text, requirements)
        if not any(span.body_start <= start < span.end for start in starts)
    ]
