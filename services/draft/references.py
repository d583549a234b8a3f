"""A required reference section (参考资料, References) is written by construction, never by a model:
an entry for each source the rest of the report cites, in the order of first citation, each cited
to the source's first unit (a paper's title page). It is rewritten after every draft and revision,
so it lists what the report cites then."""

from __future__ import annotations

from services.draft.writer import cite
from shared.citations import unit_citation
from shared.references import cited_sources, is_reference_section
from shared.report import locate_sections
from shared.requirements import Requirements
from shared.units import EvidencePack, SourceMeta, Unit


def entry(meta: SourceMeta | None, unit: Unit, lang: str) -> str:
    """One source as a reference: 作者：《题名》，出处 (Authors: "Title", venue), or the name its
    citations give it when ingest found no title; then the citation of ``unit``."""
    name = unit.title or unit.source
    if meta is not None and meta.title:
        title = f"《{meta.title}》" if lang == "zh" else f"“{meta.title}”"
        authors = ("、" if lang == "zh" else ", ").join(meta.authors)
        name = (f"{authors}：" if lang == "zh" else f"{authors}: ") * bool(authors) + title
        name += ("，" if lang == "zh" else ", ") * bool(meta.venue) + meta.venue
    return cite(name, unit_citation(unit, lang), lang)


def reference_entries(markdown: str, pack: EvidencePack, lang: str) -> list[str]:
    """A numbered ``entry`` for each source ``markdown`` cites, cited to the source's first unit."""
    known = {meta.source: meta for meta in pack.sources}
    return [
        f"{number}. {entry(known.get(source), pack.units_of(source)[0], lang)}"
        for number, source in enumerate(cited_sources(markdown, pack.units), 1)
    ]


def with_references(text: str, requirements: Requirements, pack: EvidencePack) -> str:
    """``text`` with the body of each required reference section replaced by ``reference_entries`` of
    the rest of the report (``text`` itself when it has none)."""
    spans = [span for span in locate_sections(text, requirements) if is_reference_section(span.name)]
    if not spans:
        return text
    rest = text
    for span in reversed(spans):
        rest = rest[: span.body_start] + rest[span.end :]
    entries = reference_entries(rest, pack, requirements.language)
    for span in reversed(spans):
        before, later = text[: span.body_start].rstrip("\n"), text[span.end :]
        text = before + "\n\n" + "\n".join(entries) + ("\n\n" if later.strip() else "\n") + later
    return text
