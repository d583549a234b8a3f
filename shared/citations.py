"""The citation grammar: find, parse, format and resolve citations in report text.

A citation group is one bracket, ``[...]`` or ``【...】``, holding one or more citations separated by
``;`` or ``；``. Each citation is a source followed by optional locators, separated by ``,``, ``，``
or ``、``; the colon after a label may be ``:`` or ``：``::

    [long_context: "TITLE", chunk 2]       web page chunk (TITLE: the page title's first 50 chars)
    [文档: paper.pdf, page 3-5]            document pages ([Doc: ...], [视频: ...], [Video: ...] too)
    [图片: a.jpg]  [Image: a.jpg]          an image
    [网页: URL]  [Web: URL]                a web link
    [video.mp4, Frame 4-5]  [video.mp4]    a bare file name, with locators or with a known extension

Locators: ``page N``, ``page N-M``, ``pages``, ``p.``/``pp.``, ``第N页``, ``Frame N``, ``chunk N``;
lists (``page 9, 14``, ``chunk 1,2``, ``chunk 4/5``, ``chunk 1, chunk 2``) give one citation per
item, and other trailing notes (``表1``, ``Table 2``) are ignored. A bracket with any part that does
not parse is not a citation group — unless another part has a label, as in
``[Holtzman et al. 2020, 文档: a.pdf, page 14]``, where a comma before a label also separates parts
and the unlabelled note is ignored — nor is a markdown link ``[text](url)``. A labelled document or
video without locators, and a bare file name, are ``file`` citations: the whole file; one label may
name several files (``[图片: a.jpg、b.jpg]``). Splitting on
``;`` means a URL that itself contains ``;`` cannot be cited.

A bracket holding only locators (``【chunk 3】``, ``[page 5]``, ``[第6-7页]``) is shorthand for the
source cited just before it; with no source before it, it cites the empty source and resolves to
nothing. A bracket runs to its closer on the same line, at most ``MAX_GROUP`` characters; a double-
quoted title inside it may hold any character but a line break (``【long_context: "如何入门？", chunk 2】``).
Finding the groups of a text takes time linear in its length.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from pydantic import BaseModel, Field

from shared.units import Unit

CitationKind = Literal["page", "chunk", "frame", "image", "web", "file"]


class Citation(BaseModel):
    """One cited source inside a bracket. ``first``/``last`` are the page/chunk/frame range."""

    kind: CitationKind
    source: str
    first: int | None = None
    last: int | None = None
    raw: str = ""
    note: str = Field(default="", description="Locator text that names no page, chunk or frame ('Section 3.2').")
    shorthand: bool = Field(default=False, description="Written as locators only, for the source cited before it.")


class CitationGroup(BaseModel):
    """One bracket in the text, ``[a; b]``, with its character span and the citations inside."""

    start: int
    end: int
    raw: str
    citations: list[Citation]


TITLE_LIMIT = 50
"""The reference system cites a web page by the first 50 characters of its title."""

FILE_EXTENSIONS = frozenset(
    ["pdf", "docx", "doc", "txt", "md", "markdown", "html", "htm", "xlsx", "xls", "csv", "tsv", "pptx", "ppt", "json", "jsonl", "xml", "rtf", "odt", "epub", "jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "svg", "mp4", "mov", "mkv", "webm", "avi", "flv", "wmv", "m4v", "wav", "mp3", "m4a", "flac", "ogg", "aac", "srt", "vtt", "zip"]
)
VIDEO_EXTENSIONS = frozenset(["mp4", "mov", "mkv", "webm", "avi", "flv", "wmv", "m4v"])

# Label (lower-cased) → what the body names: a web-page title, a file, an image or a link.
LABELS = {
    "long_context": "chunk",
    "文档": "file",
    "文件": "file",
    "doc": "file",
    "document": "file",
    "file": "file",
    "视频": "file",
    "video": "file",
    "音频": "file",
    "audio": "file",
    "图片": "image",
    "图像": "image",
    "image": "image",
    "网页": "web",
    "链接": "web",
    "web": "web",
    "url": "web",
    "link": "web",
}
UNIT_CITATION_KIND = {
    "page": "page",
    "slide": "page",
    "sheet": "page",
    "text": "page",
    "audio": "page",
    "chunk": "chunk",
    "frame": "frame",
    "image": "image",
}

MAX_GROUP = 1000
"""Characters: a longer bracket is not a citation group."""
OPENER = re.compile(r"[\[【]")
STOPS = {"[": re.compile(r'[\[\]"\n]'), "【": re.compile(r'[【】"\n]')}
LABEL_NAMES = "|".join(map(re.escape, LABELS))
PART_SEPARATOR = re.compile(
    rf'\s*(?:[;；]|[,，](?=\s*(?:{LABEL_NAMES})\s*[:：]))\s*(?=(?:[^"]*"[^"]*")*[^"]*$)', re.IGNORECASE
)
ITEM_SEPARATOR = re.compile(r"\s*[,，、]\s*")
LABEL = re.compile(rf"^({LABEL_NAMES})\s*[:：]\s*(.*)$", re.IGNORECASE | re.DOTALL)
QUOTED_TITLE = re.compile(r'^"([^"]*)"\s*(?:[,，、]\s*(.*))?$', re.DOTALL)
UNQUOTED_TITLE = re.compile(r"^(.*?)\s*[,，、]\s*(chunks?\b.*)$", re.IGNORECASE | re.DOTALL)
BARE_FILE = re.compile(r"^[^\s\[\]【】,，;；:：\"]+\.([A-Za-z0-9]{1,8})$")
URL_SEPARATOR = re.compile(r"\s*[,，、]\s*(?=https?://)", re.IGNORECASE)
URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
NUMBERS = r"\d+(?:\s*[-–—~～至到]\s*\d+)?(?:\s*/\s*\d+(?:\s*[-–—~～至到]\s*\d+)?)*"
LOCATOR = re.compile(
    rf"^(?:(?P<page>pages?|pp?\.?|第)|(?P<frame>frames?|帧)|(?P<chunk>chunks?))\s*(?P<nums>{NUMBERS})\s*页?$",
    re.IGNORECASE,
)
CONTINUATION = re.compile(rf"^(?P<nums>{NUMBERS})$")
RANGE = re.compile(r"(\d+)(?:\s*[-–—~～至到]\s*(\d+))?")


def find_citations(text: str) -> list[CitationGroup]:
    """Every bracket of ``text`` that parses as citations, in order of appearance (the groups of the
    last few texts are kept: every check reads the same report)."""
    return list(_groups_of(text))


@functools.lru_cache(maxsize=8)
def _groups_of(text: str) -> tuple[CitationGroup, ...]:
    groups: list[CitationGroup] = []
    position = 0
    while match := OPENER.search(text, position):
        start = match.start()
        end = bracket_end(text, start)
        previous = groups[-1].citations[-1] if groups else None
        citations = parse_group(text[start:end], previous) if end and not text.startswith("(", end) else []
        if citations:
            groups.append(CitationGroup(start=start, end=end, raw=text[start:end], citations=citations))
            position = end
        else:
            position = start + 1
    return tuple(groups)


def bracket_end(text: str, start: int) -> int:
    """Index just past the closer of the bracket opened at ``start``, or 0 when it does not close on
    its line within ``MAX_GROUP`` characters or holds another unquoted opener of its kind."""
    stops = STOPS[text[start]]
    limit = min(len(text), start + MAX_GROUP)
    position = start + 1
    while stop := stops.search(text, position, limit):
        char = stop.group()
        if char != '"':
            return stop.end() if char in "]】" else 0
        close = text.find('"', stop.end(), limit)
        if close == -1 or "\n" in text[stop.end() : close]:
            return 0
        position = close + 1
    return 0


def parse_group(bracket: str, previous: Citation | None = None) -> list[Citation]:
    """The citations of one bracket (``[...]``/``【...】``, or its inside); empty when it is not a
    citation group (see the module docstring). ``previous`` is the citation written before it, the
    source of a shorthand bracket."""
    inner = bracket.strip()
    if inner[:1] in "[【" and inner[-1:] in "]】":
        inner = inner[1:-1]
    shorthand = _parse_shorthand(inner.strip(), previous)
    if shorthand:
        return shorthand
    parsed = [(part, _parse_part(part.strip())) for part in PART_SEPARATOR.split(inner.strip())]
    if not all(citations for _, citations in parsed) and not any(
        citations and LABEL.match(part.strip()) for part, citations in parsed
    ):
        return []
    return [citation for _, citations in parsed for citation in citations]


def _parse_shorthand(inner: str, previous: Citation | None) -> list[Citation]:
    """``chunk 3``, ``page 5-6``, ``第6页``: locators only, for ``previous``'s source; else empty."""
    items = ITEM_SEPARATOR.split(inner)
    if not inner or not LOCATOR.match(items[0]) or not all(LOCATOR.match(i) or CONTINUATION.match(i) for i in items):
        return []
    source = previous.source if previous else ""
    return [
        Citation(kind=kind, source=source, first=first, last=last, raw=inner, shorthand=True)
        for kind, (first, last) in _locators(items)
    ]


def _parse_part(part: str) -> list[Citation]:
    """The citations of one ``;``-separated part; empty when it is not a citation."""
    if not part:
        return []
    labelled = LABEL.match(part)
    if not labelled:
        return [Citation(kind="web", source=part, raw=part)] if URL.match(part) else _parse_files(part, "file", part)
    role, body = LABELS[labelled.group(1).lower()], labelled.group(2).strip()
    if role == "chunk":
        return _parse_chunks(body, part)
    if role == "web":
        return [Citation(kind="web", source=url, raw=part) for url in URL_SEPARATOR.split(body) if url]
    return _parse_files(body, role, part, labelled=True)


def _parse_files(body: str, role: str, raw: str, labelled: bool = False) -> list[Citation]:
    """The files named in ``body`` (a new file starts at each name with a known extension), each
    with the locators that follow it. Without a label, every name must look like a file name and
    have a known extension or a locator."""
    runs: list[list[str]] = []
    for item in ITEM_SEPARATOR.split(body):
        if not runs or _known_file(item):
            runs.append([item])
        else:
            runs[-1].append(item)
    citations: list[Citation] = []
    for name, *items in runs:
        found = [Citation(kind="image", source=name, raw=raw)] if role == "image" else _with_locators(name, items, raw)
        unlabelled_ok = BARE_FILE.match(name) and (found[0].kind != "file" or _known_file(name))
        if not name or not (labelled or unlabelled_ok):
            return []
        citations.extend(found)
    return citations


def _known_file(name: str) -> bool:
    """Whether ``name`` is a file name with an extension of a kind redline reads."""
    match = BARE_FILE.match(name)
    return match is not None and match.group(1).lower() in FILE_EXTENSIONS


def _parse_chunks(body: str, raw: str) -> list[Citation]:
    """``"TITLE", chunk N...`` (title quoted, or unquoted before the first ``chunk``)."""
    quoted = QUOTED_TITLE.match(body)
    if quoted:
        title, rest = quoted.group(1).strip(), quoted.group(2) or ""
    else:
        unquoted = UNQUOTED_TITLE.match(body)
        title, rest = (unquoted.group(1).strip(), unquoted.group(2)) if unquoted else (body.strip(), "")
        title = title[1:-1].strip() if title[:1] == "“" and title[-1:] == "”" else title
    if not title:
        return []
    ranges = [r for kind, r in _locators(ITEM_SEPARATOR.split(rest) if rest else []) if kind == "chunk"]
    if not ranges:
        return [Citation(kind="chunk", source=title, raw=raw)]
    return [Citation(kind="chunk", source=title, first=first, last=last, raw=raw) for first, last in ranges]


def _with_locators(name: str, items: list[str], raw: str) -> list[Citation]:
    """Page or frame citations of file ``name``; a ``file`` citation when no locator is given."""
    ranges = [(kind, r) for kind, r in _locators(items) if kind in ("page", "frame")]
    note = ", ".join(item for item in items if item and not (LOCATOR.match(item) or CONTINUATION.match(item)))
    if not ranges:
        return [Citation(kind="file", source=name, raw=raw, note=note)]
    return [
        Citation(kind=kind, source=name, first=first, last=last, raw=raw, note=note) for kind, (first, last) in ranges
    ]


def _locators(items: list[str]) -> list[tuple[str, tuple[int, int]]]:
    """(kind, (first, last)) for every locator item; a bare number continues the previous kind,
    anything else is a note and is skipped."""
    found: list[tuple[str, tuple[int, int]]] = []
    kind = ""
    for item in items:
        locator = LOCATOR.match(item.strip())
        if locator:
            kind = next(k for k in ("page", "frame", "chunk") if locator.group(k))
        else:
            locator = CONTINUATION.match(item.strip()) if kind else None
        if locator:
            found.extend((kind, r) for r in _ranges(locator.group("nums")))
    return found


def _ranges(numbers: str) -> list[tuple[int, int]]:
    """``"4/5"`` → [(4, 4), (5, 5)]; ``"3-8"`` → [(3, 8)] (a reversed range is put in order)."""
    ranges = []
    for match in RANGE.finditer(numbers):
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        ranges.append((min(first, last), max(first, last)))
    return ranges


def format_citation(citation: Citation, lang: str = "zh") -> str:
    """The canonical bracket for one citation.

    zh: ``[文档: NAME, page N]``, ``[图片: NAME]``, ``[网页: URL]``; en: ``[Doc: ...]``,
    ``[Image: ...]``, ``[Web: ...]``; both: ``[long_context: "TITLE50", chunk N]`` and
    ``[NAME, Frame N]``. Ranges are written ``N-M``. A whole-file citation is ``[文档: NAME]``
    (``[视频: NAME]`` for a video file; ``Doc``/``Video`` in English).
    """
    english = lang.lower().startswith("en")
    span = _span(citation)
    if citation.kind == "chunk":
        title = clean_title(citation.source[:TITLE_LIMIT])
        return f'[long_context: "{title}", chunk {span}]' if span else f'[long_context: "{title}"]'
    if citation.kind == "frame":
        return f"[{citation.source}, Frame {span}]"
    if citation.kind == "image":
        return f"[{'Image' if english else '图片'}: {citation.source}]"
    if citation.kind == "web":
        return f"[{'Web' if english else '网页'}: {citation.source}]"
    if citation.kind == "page":
        return f"[{'Doc' if english else '文档'}: {citation.source}, page {span}]"
    video = citation.source.rsplit(".", 1)[-1].lower() in VIDEO_EXTENSIONS
    label = ("Video" if video else "Doc") if english else ("视频" if video else "文档")
    return f"[{label}: {citation.source}]"


def _span(citation: Citation) -> str:
    """``"3"``, ``"3-5"`` or ``""`` when the citation has no range."""
    if citation.first is None:
        return ""
    if citation.last is None or citation.last == citation.first:
        return str(citation.first)
    return f"{citation.first}-{citation.last}"


def unit_citation(unit: Unit, lang: str = "zh") -> str:
    """The canonical bracket that cites exactly ``unit``.

    Pages, chunks, frames and images have their own form. Units without a native citation form —
    slides, sheets, text and audio units — are cited as pages with the unit's index
    (``[文档: deck.pptx, page 4]`` for slide 4), so one grammar addresses every unit.
    """
    kind = UNIT_CITATION_KIND[unit.kind]
    if kind == "chunk":
        return format_citation(Citation(kind="chunk", source=unit.title or unit.source, first=unit.index), lang)
    if kind == "image":
        return format_citation(Citation(kind="image", source=unit.source), lang)
    return format_citation(Citation(kind=kind, source=unit.source, first=unit.index), lang)


def resolve(citation: Citation, units: list[Unit]) -> list[Unit]:
    """The units a citation points at; empty when it points at nothing that exists.

    Files are matched by ``Unit.source`` exactly, else by case-insensitive base name. A chunk
    citation matches chunk units whose title's first 50 characters equal the cited title, or whose
    title starts with it (whitespace normalised). A web citation matches units whose source is the
    URL. A page (frame) range gives every page-like (frame) unit of the source with an index inside
    it; image and file citations give every unit of the source.
    """
    if citation.kind == "chunk":
        candidates = [u for u in units if u.kind == "chunk" and _title_matches(u.title or u.source, citation.source)]
    elif citation.kind == "web":
        candidates = [u for u in units if u.source == citation.source]
    else:
        candidates = _units_of(citation.source, units)
        if citation.kind in ("page", "frame"):
            candidates = [u for u in candidates if UNIT_CITATION_KIND[u.kind] == citation.kind]
    if citation.first is None:
        return candidates
    last = citation.first if citation.last is None else citation.last
    return [u for u in candidates if citation.first <= u.index <= last]


def _units_of(name: str, units: list[Unit]) -> list[Unit]:
    """Units whose source is ``name``; failing that, whose base name equals its base name, ignoring case."""
    exact = [u for u in units if u.source == name]
    if exact:
        return exact
    wanted = _basename(name).casefold()
    return [u for u in units if _basename(u.source).casefold() == wanted]


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


@functools.lru_cache(maxsize=4096)
def clean_title(title: str) -> str:
    """A title as a citation writes it: whitespace runs collapsed to one space, straight double
    quotes made single, trimmed."""
    return re.sub(r"\s+", " ", title).replace('"', "'").strip()


def _title_matches(title: str, cited: str) -> bool:
    """Whether a page ``title`` is the one ``cited`` (its 50-character cut, or a prefix of it)."""
    wanted = clean_title(cited)
    return bool(wanted) and (clean_title(title[:TITLE_LIMIT]) == wanted or clean_title(title).startswith(wanted))


def strip_citations(text: str) -> str:
    """``text`` without its citation brackets, each with the single space before it."""
    pieces = []
    position = 0
    for group in find_citations(text):
        start = group.start - 1 if group.start > position and text[group.start - 1] == " " else group.start
        pieces.append(text[position:start])
        position = group.end
    pieces.append(text[position:])
    return "".join(pieces)
