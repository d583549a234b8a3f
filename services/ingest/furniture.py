"""Page furniture and the reference list of a PDF, told apart from its body text.

Works on the raw lines of every page (as the extractor lays them out) and sorts each line into
one of three parts:

- ``furniture``: running headers and footers (a line at the top or bottom three lines of a page
  whose text, digits aside, recurs there on at least three pages and a fifth of them), a bare page
  number as a page's first or last line, DOI and "how to cite" lines, licence and copyright
  notices, author-contribution notes (``∗Equal contribution…``, ``†Work performed while at…``,
  通讯作者…), arXiv stamps, and a venue or journal line at the top or bottom of page 1. A notice
  or note runs on over the following lines while they are long and end no sentence.
- ``references``: from a ``References``/``Bibliography``/``参考文献`` heading to the end of that
  page, and on each following page where enough lines carry a year, up to an appendix heading.
- ``body``: everything else, blank lines kept.

Furniture and references stay on the unit (``Unit.furniture``, ``Unit.references``) but are not
its text: the validator weighs them as evidence only for a claim the text does not support.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services.ingest.paper import CONFERENCE, JOURNAL_LINE, PROCEEDINGS

EDGE_LINES = 3
RUNNING_PAGES = 3
RUNNING_SHARE = 0.2
NOTE_LINES = 12
"""A notice or note is followed over at most this many lines to the end of its sentence."""
WRAPPED = 50
"""A line at least this long that does not end a sentence runs on in the next line."""
YEAR_SHARE = 0.15
"""A page continues the reference list when at least this share of its lines carries a year."""

PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:[Pp]age\s+)?(?:\d{1,4}|[ivx]{1,5})(?:\s*(?:of|/)\s*\d{1,4})?[-–—\s]*$")
DOI_LINE = re.compile(
    r"^\s*(?:doi\s*[:：]?\s*10\.\d{4,9}/|https?://(?:dx\.)?doi\.org/)|^(?:文章引用|引用格式|how to cite|cite this article)",
    re.I,
)
LICENCE = re.compile(
    r"(?:this|the)\s+(?:work|article|paper|manuscript)\s+(?:is\s+)?(?:licen[cs]ed|distributed|published)\s+under"
    r"|creative\s+commons\s+attribution|©\s*(?:\d{4}|the\s+authors?)|copyright\s*(?:©|\(c\)|\d{4})"
    r"|all\s+rights\s+reserved|permission\s+to\s+(?:make|reproduce)|grants?\s+permission|^\s*open\s+access\s*$"
    r"|知识共享|版权所有|开放获取",
    re.I,
)
NOTE = re.compile(
    r"^\s*[∗*†‡§¶⋆✉\d]*\s*(?:equal\s+contribution|these\s+authors\s+contributed|contributed\s+equally"
    r"|work\s+(?:was\s+)?(?:done|performed)\s+(?:while|during|at)|corresponding\s+author|author\s+contributions?"
    r"|通讯作者|共同第一作者|作者贡献)",
    re.I,
)
ARXIV_STAMP = re.compile(r"^\s*arXiv:\d{4}\.\d{4,5}(?:v\d+)?\s*\[[^\]]+\]\s*\d{1,2}\s+\w{3}\s+\d{4}\s*$")
REFERENCES_HEADING = re.compile(r"^\s*(?:\d+\.?\s*)?(?:references|bibliography|works\s+cited|参\s*考\s*文\s*献)\s*$", re.I)
APPENDIX_HEADING = re.compile(r"^\s*(?:appendix|appendices|附\s*录)\b|^\s*[A-H](?:\.\d+)?\s+[A-Z][A-Za-z][\w\- ,:]{2,70}$", re.I)
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
SENTENCE_END = re.compile(r"[.。!?！？]\s*$")


@dataclass
class PageParts:
    """The raw lines of one page, sorted into body, furniture and reference list."""

    body: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


def split_pages(pages: list[str]) -> list[PageParts]:
    """The body, furniture and reference lines of every page's raw text (see the module text)."""
    lines = [raw.replace("\r\n", "\n").replace("\r", "\n").split("\n") for raw in pages]
    running = running_lines(lines)
    parts = []
    in_references = False
    for number, page in enumerate(lines, start=1):
        furniture = furniture_lines(page, running, first_page=number == 1)
        kept = [i for i in range(len(page)) if i not in furniture]
        in_references = in_references and mostly_dated([page[i] for i in kept])
        part = PageParts(furniture=[page[i].strip() for i in sorted(furniture) if page[i].strip()])
        for i in kept:
            line = page[i]
            if REFERENCES_HEADING.match(line):
                in_references = True
            elif in_references and APPENDIX_HEADING.match(line):
                in_references = False
            (part.references if in_references else part.body).append(line)
        parts.append(part)
    return parts


def edges(page: list[str]) -> list[int]:
    """Indexes of the first and last ``EDGE_LINES`` non-blank lines of a page."""
    filled = [i for i, line in enumerate(page) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def shape(line: str) -> str:
    """A line as compared across pages: lower-case, digits as ``#``, whitespace collapsed."""
    return " ".join(re.sub(r"\d+", "#", line.lower()).split())


def running_lines(pages: list[list[str]]) -> set[str]:
    """The shapes of the lines that recur at the top or bottom of enough pages to be running
    headers or footers."""
    seen: dict[str, int] = {}
    for page in pages:
        for key in {shape(page[i]) for i in edges(page)}:
            seen[key] = seen.get(key, 0) + 1
    needed = max(RUNNING_PAGES, RUNNING_SHARE * len(pages))
    return {key for key, count in seen.items() if count >= needed and re.search(r"\w", key)}


def furniture_lines(page: list[str], running: set[str], first_page: bool) -> set[int]:
    """Indexes of the furniture lines of one page."""
    found = set()
    outer = edges(page)
    for i in outer:
        line = page[i]
        venue = first_page and any(pattern.search(line) for pattern in (CONFERENCE, PROCEEDINGS, JOURNAL_LINE))
        number = PAGE_NUMBER.match(line) and i in (outer[0], outer[-1])
        if shape(line) in running or number or venue:
            found.add(i)
    i = 0
    while i < len(page):
        line = page[i]
        if DOI_LINE.search(line) or ARXIV_STAMP.match(line):
            found.add(i)
        elif LICENCE.search(line) or NOTE.match(line):
            end = note_end(page, i)
            found.update(range(i, end + 1))
            i = end
        i += 1
    return found


def note_end(page: list[str], start: int) -> int:
    """Index of the last line of the notice or note starting at line ``start``: it runs on while a
    line is long and does not end a sentence (``start`` itself when that goes past ``NOTE_LINES``)."""
    for i in range(start, min(len(page), start + NOTE_LINES)):
        if SENTENCE_END.search(page[i]) or len(page[i].strip()) < WRAPPED:
            return i
    return start


def mostly_dated(lines: list[str]) -> bool:
    """Whether enough of ``lines`` (non-blank) carry a year to be a continued reference list."""
    filled = [line for line in lines if line.strip()]
    return bool(filled) and sum(1 for line in filled if YEAR.search(line)) >= YEAR_SHARE * len(filled)
