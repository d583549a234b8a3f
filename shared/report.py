"""A report read once: its lines, headings and sections, sentences with offsets, and citation groups.

The writer, the reviser, every check and compare read reports through this module, so they agree on
where a section starts and what a sentence is.

Headings and sections: a line's heading style is its decoration — a markdown ``#``, a number
marker in any style (``（1）``, ``(1)``, ``1.``, ``1、``, ``一、``, ``第一部分``), bold. A line names
a required section when its text without decoration starts with the name (ignoring case, spaces and
punctuation) and is the name, or adds at most ``HEADING_TAIL`` characters to it on a decorated line
or a bare short line (at most ``SHORT_LINE`` characters, no end mark, no citation): ``方法与实验``
names 方法, ``研究方法`` does not. A required section is found at the first line naming it; its body
runs to the next found section or the next line with the same heading style.

Sentences are ``shared.sentences``'s, split with every citation group standing as one bracket (so
nothing inside a group ends a sentence, and a group after an end mark stays with its sentence) and
every other square bracket neutral. Each sentence has its index, offsets and citation groups. Reading
a report takes time linear in its length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from shared.citations import CitationGroup, find_citations
from shared.requirements import Requirements
from shared.sentences import split_sentences

NUMERAL = r"[0-9０-９一二三四五六七八九十]+"
MARKER = re.compile(
    rf"^(?:[（(]\s*{NUMERAL}\s*[）)]|{NUMERAL}\s*[.、．:：)）](?!\d)|第{NUMERAL}(?:部分|章|节)?[、.：:]?)\s*"
)
HEADING = re.compile(r"^(#{1,6})\s+")
BOLD = re.compile(r"^(\*\*|__)(.*?)\1\s*[:：]?$")
HEADING_TAIL = 24  # characters a heading may add after the section name
SHORT_LINE = 40  # characters: a longer line is no heading without decoration, nor a heading of any section
BRACKETED = re.compile(r"^[（(][^（）()]{1,8}[）)]$")
END_MARK = re.compile(r"[。！？；.!?;][”’\"'」』）)]*$")
NEUTRAL = str.maketrans("[]", "〔〕")


class Line(NamedTuple):
    """One line of a text and where it sits (``end`` excludes the newline)."""

    start: int
    end: int
    text: str


class SectionSpan(NamedTuple):
    """Where one section sits in a report: heading line and body (character offsets)."""

    name: str
    heading: str
    start: int
    body_start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """One sentence of a report: its position among the sentences, offsets, text and citation groups."""

    index: int
    start: int
    end: int
    text: str
    groups: tuple[CitationGroup, ...]

    @property
    def plain(self) -> str:
        """The sentence without its citation groups (and the space before each), stripped."""
        pieces, position = [], self.start
        for group in self.groups:
            pieces.append(self.text[position - self.start : group.start - self.start].rstrip(" "))
            position = group.end
        pieces.append(self.text[position - self.start :])
        return "".join(pieces).strip()


def normalise(text: str) -> str:
    """``text`` case-folded, without spaces, punctuation, markdown or 《》 (for name matching)."""
    return re.sub(r"[\W_]+", "", text.casefold())


def lines_of(text: str) -> list[Line]:
    """Every line of ``text`` with its offsets."""
    result, start = [], 0
    for piece in text.split("\n"):
        result.append(Line(start, start + len(piece), piece))
        start += len(piece) + 1
    return result


def heading_parts(line: str) -> tuple[str, str]:
    """A line's heading style (markdown level, marker shape, bold) and its text without them.

    The style is empty for a line that has no heading decoration."""
    text = line.strip()
    level = HEADING.match(text)
    if level:
        text = text[level.end() :]
    bold = BOLD.match(text)
    if bold:
        text = bold.group(2).strip()
    marker = MARKER.match(text)
    shape = re.sub(NUMERAL, "N", re.sub(r"\s+", "", marker.group(0))) if marker else ""
    if marker:
        text = text[marker.end() :]
    style = f"{level.group(1) if level else ''}|{shape}|{'b' if bold else ''}"
    return ("" if style == "||" else style), text.strip().strip("*_").strip()


def is_heading(line: str) -> bool:
    """Whether ``line`` is a decorated heading (a style, short text, no end mark) or a short word in
    brackets on its own line (``（结语）``)."""
    style, rest = heading_parts(line)
    return (bool(style) and len(rest) <= SHORT_LINE and not END_MARK.search(rest)) or bool(BRACKETED.match(line.strip()))


def is_short_line(line: str) -> bool:
    """Whether ``line`` may be a heading without decoration: short, no end mark, no citation."""
    text = line.strip()
    return len(text) <= SHORT_LINE and not END_MARK.search(text) and not find_citations(text)


def names_section(line: str, name: str) -> bool:
    """Whether ``line`` is the heading of a section called ``name``."""
    style, rest = heading_parts(line)
    wanted, found = normalise(name), normalise(rest)
    if not wanted or not found.startswith(wanted):
        return False
    return found == wanted or ((bool(style) or is_short_line(line)) and len(rest) - len(name) <= HEADING_TAIL)


def outline(lines: list[str], names: list[str]) -> list[tuple[int, str]]:
    """(line number, name) of every heading, in order: each required section at the first line
    naming it (under its required name), and every other decorated heading under its own text."""
    required: dict[int, str] = {}
    for name in names:
        number = next((i for i, line in enumerate(lines) if names_section(line, name)), None)
        if number is not None and number not in required:
            required[number] = name
    headings = {i: heading_parts(line)[1] for i, line in enumerate(lines) if is_heading(line)}
    return sorted((headings | required).items())


def locate_sections(text: str, requirements: Requirements) -> list[SectionSpan]:
    """The required sections found in ``text``, in text order.

    Each body runs to the next found section or the next line with the same heading style."""
    lines = lines_of(text)
    names = [section.name for section in requirements.sections]
    found = [(i, name) for i, name in outline([line.text for line in lines], names) if name in names]
    starts = {i for i, _ in found}
    spans = []
    for index, name in found:
        style = heading_parts(lines[index].text)[0]
        stop = next(
            (
                i
                for i in range(index + 1, len(lines))
                if i in starts or (style and heading_parts(lines[i].text)[0] == style)
            ),
            len(lines),
        )
        end = lines[stop].start if stop < len(lines) else len(text)
        body_start = min(lines[index].end + 1, end)
        spans.append(SectionSpan(name, lines[index].text.strip(), lines[index].start, body_start, end))
    return spans


def masked(text: str, groups: list[CitationGroup]) -> str:
    """``text`` of the same length with each citation group written ``[xx…]`` and every other square
    bracket neutral: what the sentence splitter reads."""
    pieces, position = [], 0
    for group in groups:
        pieces += [text[position : group.start].translate(NEUTRAL), "[" + "x" * (group.end - group.start - 2) + "]"]
        position = group.end
    pieces.append(text[position:].translate(NEUTRAL))
    return "".join(pieces)


def sentences_of(text: str, groups: list[CitationGroup]) -> list[Sentence]:
    """The sentences of ``text``, each with its index, offsets and the groups that start inside it."""
    plain = masked(text, groups)
    starts = [g.start for g in groups]
    sentences: list[Sentence] = []
    cursor = 0
    for piece in split_sentences(plain):
        at = plain.find(piece, cursor)
        end = at + len(piece)
        inside = groups[bisect_right(starts, at - 1) : bisect_right(starts, end - 1)]
        sentences.append(Sentence(len(sentences), at, end, text[at:end], tuple(inside)))
        cursor = end
    return sentences


def sentence_texts(text: str) -> list[str]:
    """The sentences of ``text`` as written (citations included)."""
    return [sentence.text for sentence in sentences_of(text, find_citations(text))]


class Report:
    """One report text, read once: lines, citation groups, sentences; sections per requirement."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lines(self) -> list[Line]:
        return lines_of(self.text)

    @cached_property
    def groups(self) -> list[CitationGroup]:
        return find_citations(self.text)

    @cached_property
    def sentences(self) -> list[Sentence]:
        return sentences_of(self.text, self.groups)

    def sections(self, requirements: Requirements) -> list[SectionSpan]:
        """The required sections found, in text order (see ``locate_sections``)."""
        return locate_sections(self.text, requirements)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [line.start for line in self.lines]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def _headings(self) -> tuple[list[int], list[str]]:
        """Ends and texts of the decorated lines, in order (the fallback section of an offset)."""
        decorated = [(line.end, parts[1]) for line in self.lines if (parts := heading_parts(line.text))[0]]
        return [end for end, _ in decorated], [text for _, text in decorated]

    def line_at(self, offset: int) -> Line:
        """The line holding ``offset``."""
        return self.lines[bisect_right(self._line_starts, offset) - 1]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence holding ``offset``, or None (between sentences)."""
        index = bisect_right(self._sentence_starts, offset) - 1
        sentence = self.sentences[index] if index >= 0 else None
        return sentence if sentence and offset < sentence.end else None

    def sentences_between(self, start: int, end: int) -> list[Sentence]:
        """The sentences that start at or after ``start`` and before ``end``."""
        starts = self._sentence_starts
        return self.sentences[bisect_left(starts, start) : bisect_left(starts, end)]

    def section_at(self, spans: list[SectionSpan], offset: int) -> str:
        """The section ``offset`` lies in: the required section's name among ``spans``, else the
        nearest decorated line above."""
        for span in spans:
            if span.start <= offset < span.end:
                return span.name
        ends, texts = self._headings
        above = bisect_right(ends, offset)
        return texts[above - 1] if above else ""


@lru_cache(maxsize=8)
def read_report(text: str) -> Report:
    """The report of ``text``, read once for the last few texts (every check reads the same report)."""
    return Report(text)
