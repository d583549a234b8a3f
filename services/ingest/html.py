"""HTML files as text units: the readable page with headings kept as Markdown headings, and
scripts, styles, navigation, side bars, footers and forms left out."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from services.ingest.errors import SourceError
from services.ingest.textfiles import decode_text, pack_paragraphs
from shared.units import SourceMeta, Unit

METHOD = "html"
SKIPPED = frozenset(
    ["script", "style", "noscript", "template", "svg", "canvas", "nav", "aside", "footer", "form", "iframe", "button", "select"]
)
BLOCKS = frozenset(
    ["p", "div", "section", "article", "main", "header", "li", "dt", "dd", "tr", "pre", "blockquote", "figcaption", "caption", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "address", "details", "summary"]
)
HEADINGS = {f"h{level}": level for level in range(1, 7)}
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)


class PageText(HTMLParser):
    """Collects the readable blocks of one page, its ``<title>`` and its canonical link. A skipped
    element is skipped up to its own end tag (counting nested elements of the same name), so
    unclosed tags inside it do not matter."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.title = ""
        self.canonical = ""
        self.skipping = ""
        self.skip_depth = 0
        self.in_title = False
        self.prefix = ""
        self.words: list[str] = []

    def flush(self) -> None:
        """End the current block: its words, whitespace collapsed, after the heading or list prefix."""
        text = " ".join("".join(self.words).split())
        if text:
            self.blocks.append(self.prefix + text)
        self.words, self.prefix = [], ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.skipping:
            self.skip_depth += tag == self.skipping
            return
        if tag in SKIPPED or attributes.get("role") == "navigation":
            self.skipping, self.skip_depth = tag, 1
            return
        if tag == "title":
            self.in_title = True
        elif tag == "link" and (attributes.get("rel") or "").lower() == "canonical":
            self.canonical = attributes.get("href") or ""
        if tag in BLOCKS:
            self.flush()
        if tag in HEADINGS:
            self.prefix = "#" * HEADINGS[tag] + " "
        elif tag == "li":
            self.prefix = "- "
        elif tag in ("td", "th") and self.words:
            self.words.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skip_depth -= tag == self.skipping
            self.skipping = self.skipping if self.skip_depth else ""
            return
        if tag == "title":
            self.in_title = False
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skipping:
            self.words.append(data)


def decode_html(data: bytes) -> tuple[str, str]:
    """The page as text and its encoding: the ``<meta charset>`` when it decodes, else as for text files."""
    declared = META_CHARSET.search(data[:4096])
    if declared:
        encoding = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def read_html(name: str, data: bytes) -> tuple[list[Unit], SourceMeta]:
    """An ``.html``/``.htm`` file as ``text`` units (index from 1) cut at paragraph boundaries,
    headings as Markdown headings, list items with a dash, table cells separated by ``|``. The
    title is ``<title>``, else the first heading; ``links`` holds the canonical URL if declared."""
    text, encoding = decode_html(data)
    parser = PageText()
    parser.feed(text)
    parser.close()
    parser.flush()
    pieces = pack_paragraphs("\n\n".join(parser.blocks), markdown=True)
    if not pieces:
        raise SourceError(f"{name} has no readable text outside scripts, styles and navigation")
    method = f"{METHOD}/{encoding}"
    units = [
        Unit(source=name, kind="text", index=number, text=piece, method=method)
        for number, piece in enumerate(pieces, start=1)
    ]
    headings = [block.lstrip("#").strip() for block in parser.blocks if block.startswith("#")]
    title = " ".join(parser.title.split()) or (headings[0] if headings else "")
    links = [parser.canonical] if parser.canonical else []
    meta = SourceMeta(source=name, kind="html", units=len(units), title=title, links=links, method=method)
    return units, meta
