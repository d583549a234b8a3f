"""Plain-text and Markdown files: decoded, then cut at paragraph boundaries into ``text`` units."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from services.ingest.errors import SourceError
from shared.units import SourceMeta, Unit

LIMIT = 1500
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?;])\s+")
HEADING = re.compile(r"#{1,6}\s")
CHINESE_ENCODINGS = frozenset({"gb18030", "gbk", "gb2312", "big5", "big5hkscs"})
SAMPLE = 4096


def utf16_without_bom(data: bytes) -> str:
    """'utf-16-le' or 'utf-16-be' when ``data`` looks like UTF-16 without a byte-order mark (a
    quarter of the bytes at odd, or even, places of its first 4 KB are NUL, as Latin text in UTF-16
    has; text in UTF-8 or GBK has none), else ''."""
    sample = data[:SAMPLE]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if max(odd, even) < len(sample) / 8:
        return ""
    return "utf-16-le" if odd > even else "utf-16-be"


def decode_text(data: bytes) -> tuple[str, str]:
    """``data`` as text and the encoding used: UTF-16 when it starts with a UTF-16 byte-order mark
    or its NUL bytes say so (``utf16_without_bom``), else UTF-8 (with or without BOM), else the guess of charset-normalizer
    (the least chaotic decoding; on a tie Chinese encodings win, since short GBK text decodes
    cleanly as Korean too), else GB18030, else Latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    wide = utf16_without_bom(data)
    if wide:
        try:
            return data.decode(wide), wide
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(data))
    if matches:
        best = min(matches, key=lambda match: (round(match.chaos, 2), match.encoding not in CHINESE_ENCODINGS))
        return str(best), best.encoding
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def split_long(paragraph: str, limit: int = LIMIT) -> list[str]:
    """A paragraph longer than ``limit`` cut after sentence ends, and hard at ``limit`` when one
    sentence alone is too long (each character is copied once, so a long line costs linear time)."""
    pieces: list[str] = []
    current = ""
    for sentence in (s for s in SENTENCE_END.split(paragraph) if s):
        if len(sentence) > limit:
            if current:
                pieces.append(current)
                current = ""
            cuts = [sentence[start : start + limit] for start in range(0, len(sentence), limit)]
            pieces.extend(cuts[:-1])
            sentence = cuts[-1]
        separator = "" if not current or re.match(r"[\u2e80-\u9fff]", sentence) else " "
        if len(current) + len(separator) + len(sentence) > limit:
            pieces.append(current)
            current, separator = "", ""
        current += separator + sentence
    if current:
        pieces.append(current)
    return pieces


def pack_paragraphs(text: str, markdown: bool, limit: int = LIMIT) -> list[str]:
    """Paragraphs gathered into pieces of at most ``limit`` characters. In Markdown a heading starts
    a new piece once the current piece holds more than headings, so a heading stays with its text."""
    pieces: list[str] = []
    current: list[str] = []
    for paragraph in (p.strip() for p in PARAGRAPH_BREAK.split(text)):
        if not paragraph:
            continue
        heading = markdown and HEADING.match(paragraph) is not None
        starts_section = heading and any(not HEADING.match(p) for p in current)
        if current and (starts_section or len("\n\n".join([*current, paragraph])) > limit):
            pieces.append("\n\n".join(current))
            current = []
        if len(paragraph) > limit:
            pieces.extend(split_long(paragraph, limit))
        else:
            current.append(paragraph)
    if current:
        pieces.append("\n\n".join(current))
    return pieces


def pack_lines(lines: list[str], header: str = "", limit: int = LIMIT) -> list[str]:
    """Lines gathered into pieces of at most about ``limit`` characters, each piece starting with
    ``header`` (when given) so that it reads on its own; a line too long for one piece is cut."""
    budget = max(limit - len(header), limit // 2)
    pieces: list[list[str]] = []
    size = 0
    for line in (part for raw in lines for part in (split_long(raw, budget) if len(raw) > budget else [raw])):
        if not pieces or size + len(line) + 1 > budget:
            pieces.append([])
            size = 0
        pieces[-1].append(line)
        size += len(line) + 1
    return ["\n".join([header, *piece] if header else piece) for piece in pieces]


def markdown_title(text: str) -> str:
    """The text of the first Markdown heading ('' when there is none)."""
    return next((line.lstrip("#").strip() for line in text.splitlines() if HEADING.match(line)), "")


def read_text(name: str, data: bytes) -> tuple[list[Unit], SourceMeta]:
    """A ``.txt`` or ``.md`` file as ``text`` units (index from 1) of at most about 1500 characters,
    cut at paragraph boundaries; Markdown headings stay in the text. ``method`` names the encoding."""
    text, encoding = decode_text(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    markdown = name.lower().endswith((".md", ".markdown"))
    method = f"{'markdown' if markdown else 'text'}/{encoding}"
    pieces = pack_paragraphs(text, markdown)
    if not pieces:
        raise SourceError(f"{name} holds no text (only whitespace)")
    units = [
        Unit(source=name, kind="text", index=number, text=piece, method=method)
        for number, piece in enumerate(pieces, start=1)
    ]
    kind, title = ("markdown", markdown_title(text)) if markdown else ("text", "")
    return units, SourceMeta(source=name, kind=kind, units=len(units), title=title, method=method)
