"""Reading a model's reply: the report without preambles, every citation canonical and given.

Cleaning: ``<think>`` and tool-call blocks (``<tool_call>``, ``<function_call>``, ``<tool_use>``) are
removed, a code fence around the whole reply is unwrapped, lines before the first title or heading
(``《…》``, ``#``, ``<h1>``, ``<html>``) are dropped when none of them cites anything, and so are
leading plan lines ("Sure, here is…", "I'll…", "我将…") and closing remarks ("Let me know…", "希望…")
without a citation. What is left of a reply that was only a plan or a tool call is ``""``.

Citations: each one is resolved against the units given to the model. One that resolves to nothing
is removed (with the space before its bracket, when its whole bracket goes) and recorded as a
``draft.citation_removed`` finding; a range or whole-file citation that reaches beyond the given units
is narrowed to the given units it names; the rest are written in canonical form
(``shared.citations.format_citation``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shared.chatter import is_opening_chatter, is_sign_off
from shared.citations import Citation, find_citations, format_citation, resolve, unit_citation
from shared.findings import Finding
from shared.units import Unit

HIDDEN_BLOCK = re.compile(
    r"<(think|tool_call|function_call|tool_use)\b[^>]*>.*?(?:</\1>|$)", re.IGNORECASE | re.DOTALL
)
WHOLE_FENCE = re.compile(r"^```[\w-]*\n(.*)\n```$", re.DOTALL)
START = re.compile(r"^\s*(?:《[^》]+》|#{1,6}\s|<!doctype|<html|<h1)", re.IGNORECASE)



@dataclass
class ParsedReply:
    """The report a reply holds, and what was changed to get it."""

    text: str
    findings: list[Finding] = field(default_factory=list)


def parse_reply(reply: str, given: list[Unit], lang: str) -> ParsedReply:
    """The report in ``reply``, its citations canonical and limited to the ``given`` units."""
    text, findings = normalise_citations(strip_preamble(reply), given, lang)
    return ParsedReply(text=text, findings=findings)


def strip_preamble(reply: str) -> str:
    """``reply`` without hidden blocks, an enclosing code fence, a preamble and closing remarks."""
    text = HIDDEN_BLOCK.sub("", reply).strip()
    fenced = WHOLE_FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    lines = text.split("\n")
    start = next((n for n, line in enumerate(lines) if START.match(line)), None)
    if start is not None and not any(find_citations(line) for line in lines[:start]):
        lines = lines[start:]
    while lines and (not lines[0].strip() or (is_opening_chatter(lines[0]) and not find_citations(lines[0]))):
        lines.pop(0)
    while lines and (not lines[-1].strip() or (is_sign_off(lines[-1]) and not find_citations(lines[-1]))):
        lines.pop()
    return "\n".join(lines).strip()


def normalise_citations(text: str, given: list[Unit], lang: str) -> tuple[str, list[Finding]]:
    """``text`` with every citation canonical, narrowed to ``given`` or removed; a finding per removal."""
    pieces: list[str] = []
    findings: list[Finding] = []
    position = 0
    for group in find_citations(text):
        kept: list[str] = []
        for citation in group.citations:
            canonical = canonical_citations(citation, given, lang)
            kept += [c for c in canonical if c not in kept]
            if not canonical:
                findings.append(removed(citation, group.raw, text, group.start))
        start = group.start
        if not kept and text[start - 1 : start] == " ":
            start -= 1
        pieces.append(text[position:start])
        if kept:
            pieces.append("[" + "; ".join(c[1:-1] for c in kept) + "]")
        position = group.end
    pieces.append(text[position:])
    return "".join(pieces), findings


def canonical_citations(citation: Citation, given: list[Unit], lang: str) -> list[str]:
    """The canonical brackets for ``citation`` within the ``given`` units ([] when it names none of them)."""
    units = resolve(citation, given)
    if not units:
        return []
    whole_range = citation.first is not None and len(units) == (citation.last or citation.first) - citation.first + 1
    if citation.kind in ("image", "web") or (citation.kind in ("page", "frame", "chunk") and whole_range):
        return [format_citation(citation, lang)]
    return list(dict.fromkeys(unit_citation(unit, lang) for unit in units))


def removed(citation: Citation, bracket: str, text: str, at: int) -> Finding:
    """The record of a citation taken out because it names no given unit."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    return Finding(
        check="draft.citation_removed",
        severity="warning",
        message="The model cited a source it was not given; the citation was removed.",
        citation=citation.raw or bracket,
        evidence=text[line_start : line_end if line_end >= 0 else len(text)].strip()[:300],
    )
