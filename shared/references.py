"""A report's reference list: one entry per source it cites, in the order of first citation."""

from __future__ import annotations

import re

from shared.citations import find_citations, resolve
from shared.units import SourceMeta, Unit

REFERENCE_SECTION = re.compile(
    r"参考(?:资料|文献|来源)|引用(?:来源|文献|资料)|资料来源|信息来源"
    r"|^\s*(?:references|bibliography|works\s+cited|sources|sources\s+and\s+references|references\s+and\s+sources)\s*$",
    re.I,
)
"""A Chinese name that holds one of these words, or an English name that is nothing but one of them
("Data sources and methods" asks for prose)."""


def is_reference_section(name: str) -> bool:
    """Whether a section named ``name`` asks for a list of sources (参考资料, References), not for prose."""
    return bool(REFERENCE_SECTION.search(name))


def describe(meta: SourceMeta | None, name: str) -> str:
    """Authors, title, venue and file of a source ingest knows the title of, else ``name`` (what a
    citation calls it)."""
    if meta is None or not meta.title:
        return name
    parts = [", ".join(meta.authors), meta.title, meta.venue, meta.source]
    return ". ".join(part for part in parts if part)


def reference_list(markdown: str, sources: list[SourceMeta]) -> list[str]:
    """``describe`` of each source ``markdown`` cites, in order of first citation, by the name the citation gives."""
    known = {meta.source: meta for meta in sources}
    entries: dict[str, str] = {}
    for group in find_citations(markdown):
        for citation in group.citations:
            entries.setdefault(citation.source, describe(known.get(citation.source), citation.source))
    return list(entries.values())


def cited_sources(markdown: str, units: list[Unit]) -> list[str]:
    """The source files ``markdown`` cites units of, in order of first citation."""
    sources: dict[str, None] = {}
    for group in find_citations(markdown):
        for citation in group.citations:
            for unit in resolve(citation, units):
                sources.setdefault(unit.source)
    return list(sources)
