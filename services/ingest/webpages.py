"""Retrieved web pages (``long_context*.json``) cut into chunks exactly as the reference system did.

Reports written by the reference system cite ``[long_context: "TITLE", chunk N]``; they resolve only if
the pages are cut into the same windows and numbered the same way:

- text = ``title + "\\n\\n" + body`` (just the body when the title is empty); the body is ``content``,
  else ``page_body``;
- a window spans at most 1500 characters from its start; unless it reaches the end of the text it
  ends after the last ``"\\n\\n"`` inside it, else after the last ``。`` inside it, else the last ``！``,
  then ``？``, ``". "``, ``"! "``, ``"? "``, ``"\\n"`` (the first separator in that order that occurs
  after the window's start wins), else at the 1500 cap;
- the next window starts 200 characters before the end, or at the end if that would not advance;
- a window's text is stripped; empty windows are skipped and take no number, so the chunks of a page
  are numbered 0, 1, 2, ... without gaps. Chunk 0 is usually the bare title.
"""

from __future__ import annotations

import json

from services.ingest.errors import SourceError
from shared.units import SourceMeta, Unit

WINDOW = 1500
OVERLAP = 200
PARAGRAPH = "\n\n"
SENTENCE_ENDS = ("。", "！", "？", ". ", "! ", "? ", "\n")
METHOD = "reference-chunker"


def is_webpages(name: str) -> bool:
    """Whether ``name`` is a retrieved-pages file: ``long_context*.json`` in any folder."""
    base = name.rsplit("/", 1)[-1].lower()
    return base.startswith("long_context") and base.endswith(".json")


def window_end(text: str, start: int) -> int:
    """Where the window that starts at ``start`` ends (exclusive)."""
    end = min(start + WINDOW, len(text))
    if end == len(text):
        return end
    cut = text.rfind(PARAGRAPH, start, end)
    if cut > start:
        return cut + len(PARAGRAPH)
    for mark in SENTENCE_ENDS:
        cut = text.rfind(mark, start, end)
        if cut > start:
            return cut + len(mark)
    return end


def chunk_text(text: str) -> list[str]:
    """The non-empty, stripped chunks of one page's text, in order (chunk N is item N)."""
    chunks: list[str] = []
    start = 0
    while start < len(text):
        end = window_end(text, start)
        piece = text[start:end].strip()
        if piece:
            chunks.append(piece)
        following = end - OVERLAP
        start = following if following > start else end
    return chunks


def page_text(page: dict) -> str:
    """The text the reference system chunked for one page: title, blank line, body."""
    title = str(page.get("title") or "")
    body = str(page.get("content") or page.get("page_body") or "")
    return f"{title}{PARAGRAPH}{body}" if title else body


def read_webpages(name: str, data: bytes) -> tuple[list[Unit], SourceMeta]:
    """Every page of a ``long_context*.json`` file as chunk units; pages share ``source``, so a
    chunk is identified by (title, index). Raises ``SourceError`` for JSON that is not a page list
    or holds no text at all."""
    try:
        pages = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{name} is not readable JSON: {exc}") from exc
    if isinstance(pages, dict) and isinstance(pages.get("documents"), list):
        pages = pages["documents"]
    if not isinstance(pages, list) or not all(isinstance(page, dict) for page in pages):
        raise SourceError(f"{name} is not a JSON list of web pages ({{'title', 'page_body'}} objects)")
    units = [
        Unit(source=name, kind="chunk", index=number, text=chunk, method=METHOD, title=str(page.get("title") or ""))
        for page in pages
        for number, chunk in enumerate(chunk_text(page_text(page)))
    ]
    if not units:
        raise SourceError(f"{name} holds no web page with a title or text")
    links = [str(page["url"]) for page in pages if page.get("url")]
    meta = SourceMeta(source=name, kind="webpages", units=len(units), pages=len(pages), links=links, method=METHOD)
    return units, meta
