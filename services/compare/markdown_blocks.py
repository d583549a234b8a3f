"""The small part of Markdown that reports use, read into blocks and inline spans.

Blocks are separated by blank lines: a ``#`` heading line, a table (every line starts with ``|``;
the separator row is dropped), a list (every line a ``-``/``*``/``+`` or ``1.``/``1)`` item) or a
paragraph (its lines kept apart). A heading line at the top of a block is a block of its own.
Inline: ``**bold**`` and citation brackets, which stay as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from shared.citations import find_citations

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
BULLET = re.compile(r"^\s*(?:[-*+]|(\d{1,3})[.)])\s+(.*)$")
TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
BOLD = re.compile(r"\*\*(.+?)\*\*")
BLOCK_BREAK = re.compile(r"\n[ \t]*\n")

BlockKind = Literal["heading", "table", "list", "ordered", "paragraph"]
SpanKind = Literal["text", "bold", "cite"]


@dataclass
class Block:
    """One block: ``lines`` are a heading's text, list items, paragraph lines, or for a table
    ``rows`` of cells."""

    kind: BlockKind
    lines: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    level: int = 0


def read_blocks(text: str) -> list[Block]:
    """The blocks of a Markdown report, in order."""
    blocks: list[Block] = []
    for chunk in BLOCK_BREAK.split(text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        while lines and (heading := HEADING.match(lines[0])):
            blocks.append(Block("heading", [heading.group(2)], level=len(heading.group(1))))
            lines = lines[1:]
        if lines:
            blocks.append(body_block(lines))
    return blocks


def body_block(lines: list[str]) -> Block:
    """A table, list or paragraph block of non-empty lines."""
    if all(line.startswith("|") for line in lines):
        rows = [
            [cell.strip() for cell in line.strip("|").split("|")] for line in lines if not TABLE_SEPARATOR.match(line)
        ]
        return Block("table", rows=rows)
    items = [match for line in lines if (match := BULLET.match(line))]
    if len(items) == len(lines):
        return Block("ordered" if items[0].group(1) else "list", [m.group(2) for m in items])
    return Block("paragraph", lines)


def read_spans(text: str) -> list[tuple[SpanKind, str]]:
    """``text`` as (kind, text) spans: plain text, ``**bold**`` (markers removed) and citations."""
    spans: list[tuple[SpanKind, str]] = []
    position = 0
    for group in [*find_citations(text), None]:
        end = group.start if group else len(text)
        plain = text[position:end]
        cursor = 0
        for bold in BOLD.finditer(plain):
            spans += [("text", plain[cursor : bold.start()]), ("bold", bold.group(1))]
            cursor = bold.end()
        spans.append(("text", plain[cursor:]))
        if group:
            spans.append(("cite", group.raw))
            position = group.end
    return [(kind, piece) for kind, piece in spans if piece]
