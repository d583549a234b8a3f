"""User-provided descriptions of media files (the ``multimodal`` entries of a request) attached to
the units of the files they describe, marked as the user's words rather than what was read."""

from __future__ import annotations

from shared.units import EvidencePack, SourceMeta, Unit

MARK = "User-provided description (from the request, not read from the file)"
METHOD = "user-description"


def base_name(name: str) -> str:
    """The last part of a path, case-folded."""
    return name.replace("\\", "/").rsplit("/", 1)[-1].casefold()


def described_source(name: str, sources: list[SourceMeta]) -> SourceMeta | None:
    """The source ``name`` refers to: the same name, else the same base name ignoring case."""
    exact = [meta for meta in sources if meta.source == name]
    similar = [meta for meta in sources if base_name(meta.source) == base_name(name)]
    return next(iter(exact or similar), None)


def descriptions_of(source: str, multimodal: list[dict]) -> list[str]:
    """The non-empty descriptions ``multimodal`` gives of ``source`` (matched by name or base name)."""
    return [
        str(entry["description"]).strip()
        for entry in multimodal
        if str(entry.get("description") or "").strip()
        and (entry.get("name") == source or base_name(str(entry.get("name") or "")) == base_name(source))
    ]


def attach_descriptions(pack: EvidencePack, multimodal: list[dict]) -> None:
    """Add each description in ``multimodal`` (``{name, type, description}``) to ``pack``: appended
    to the first unit of the described file after a mark, with ``+user-description`` in its method;
    when that file gave no units (unreadable, or its reader is not installed) as a unit of its own
    (an ``image`` unit for images, else ``text``; index 1). Files whose reader already took the
    description in (a ``user-description`` method) are left as they are. A description of a file
    that was not uploaded is listed in ``pack.skipped``."""
    for entry in multimodal:
        name = str(entry.get("name") or "")
        description = str(entry.get("description") or "").strip()
        if not name or not description:
            continue
        meta = described_source(name, pack.sources)
        if meta is None:
            pack.skipped.append(f"{name}: described in the request, but no such file was uploaded")
            continue
        text = f"{MARK}: {description}"
        position = next((i for i, unit in enumerate(pack.units) if unit.source == meta.source), None)
        if position is not None and METHOD in pack.units[position].method:
            continue
        if position is None:
            kind = "image" if entry.get("type") == "image" else "text"
            pack.units.append(Unit(source=meta.source, kind=kind, index=1, text=text, method=METHOD))
            meta.units += 1
        else:
            unit = pack.units[position]
            pack.units[position] = unit.model_copy(
                update={"text": f"{unit.text}\n\n{text}", "method": f"{unit.method}+{METHOD}"}
            )
