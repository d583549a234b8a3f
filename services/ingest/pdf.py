"""PDF files read page by page: one ``page`` unit per page that has text.

pypdf opens the file (encryption, damage, metadata). Page text comes from PDFium
(``pypdfium2``, 5–15× faster than pypdf's extractor on papers with figures) when it is
installed; a page whose PDFium text looks garbled (replacement characters, private-use
glyphs, ``(cid:N)`` codes) is read again with pypdf. A page with no text layer at all (a scan)
is rendered by PDFium and read by OCR when the ``video`` extra (RapidOCR) is installed. Each
unit's ``method`` says which.
"""

from __future__ import annotations

import io
import re
import threading

from pypdf import PasswordType, PdfReader

from services.ingest import paper
from services.ingest.errors import SourceError
from services.ingest.extras import installed
from services.ingest.furniture import split_pages
from services.ingest.limits import DEFAULT_LIMITS, Deadline, IngestLimits, check_pages
from services.ingest.ocr import METHOD as OCR_METHOD
from services.ingest.ocr import read_text
from shared.textjoin import join_text
from shared.units import SourceMeta, Unit

METHOD = "pypdf"
FAST_METHOD = "pdfium"
PDFIUM = threading.Lock()
"""PDFium is not thread-safe and ingest reads several tasks at once: every PDFium call holds this
lock (concurrent reads crashed the process: "Fatal Python error: none_dealloc")."""
OCR_SCALE = 2.0
"""Scanned pages are rendered at 2× (144 dpi) for OCR: body text stays legible, a page costs about a second."""
GARBLED = re.compile(r"[\ufffd\ue000-\uf8ff]|\(cid:\d+\)")
GARBLED_SHARE = 0.02
CJK = r"\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
BLANK_LINES = re.compile(r"\n[ \t\f\v\u00a0\u3000]*\n\s*")
SPACES = re.compile(r"[ \t\f\v\u00a0]+")
BOILERPLATE = re.compile(
    r"https?:|www\.|doi|arxiv|@|©|copyright|permission|published|journal|proceedings|vol\.|issn",
    re.IGNORECASE,
)
FILE_LIKE_TITLE = re.compile(r"^(microsoft \w+ - |untitled)|\.(docx?|pdf|tex|dvi|pptx?)$", re.IGNORECASE)
AUTHOR_SEPARATORS = re.compile(r"\s*(?:[,;，；、]|\band\b)\s*")


def clean_page_text(raw: str) -> str:
    """Page text with the lines inside a paragraph joined by ``shared.textjoin.join_text``
    (hyphenated breaks mended, a space or nothing by script, run-on sentences separated),
    whitespace runs collapsed, and blank-line paragraph breaks kept as ``"\\n\\n"``."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = BLANK_LINES.split(text)
    joined = (join_text(SPACES.sub(" ", line) for line in p.split("\n")) for p in paragraphs)
    return "\n\n".join(p for p in joined if p)


def guess_title(first_page: str) -> str:
    """The first line near the top of page 1 that looks like a title: starts with a capital, digit
    or CJK character, has at least three words (or six characters of CJK), is not a sentence end,
    and holds no link, licence, journal or e-mail boilerplate. Empty when no line qualifies."""
    for line in first_page.splitlines()[:20]:
        line = SPACES.sub(" ", line).strip()
        cjk = len(re.findall(rf"[{CJK}]", line))
        if (
            line
            and len(line) <= 200
            and not line[0].islower()
            and not line.endswith((".", ",", ";", ":"))
            and (len(line.split()) >= 3 or cjk >= 6)
            and not BOILERPLATE.search(line)
        ):
            return line
    return ""


def metadata_title(reader: PdfReader) -> str:
    """The document-information title, unless it is empty or just a file name."""
    title = str(reader.metadata.get("/Title") or "" if reader.metadata else "").strip()
    return "" if FILE_LIKE_TITLE.search(title) else title


def metadata_authors(reader: PdfReader) -> list[str]:
    """The document-information authors, split on commas, semicolons and "and"."""
    author = str(reader.metadata.get("/Author") or "" if reader.metadata else "")
    return [name for name in AUTHOR_SEPARATORS.split(author.strip()) if name]


def is_garbled(text: str) -> bool:
    """Whether more than 2 % of a page's characters are replacement, private-use or cid codes."""
    return bool(text) and len(GARBLED.findall(text)) > GARBLED_SHARE * len(text)


def pdfium_pages(data: bytes) -> list[str] | None:
    """Every page's text by PDFium (soft-hyphen marks removed), or None without ``pypdfium2``."""
    try:
        import pypdfium2
    except ImportError:
        return None
    with PDFIUM:
        document = pypdfium2.PdfDocument(data)
        try:
            return [document[i].get_textpage().get_text_range().replace("\ufffe", "") for i in range(len(document))]
        finally:
            document.close()


def page_texts(reader: PdfReader, data: bytes) -> list[tuple[str, str]]:
    """(raw text, method) of every page: PDFium first, pypdf for pages PDFium garbles or lacks."""
    try:
        fast = pdfium_pages(data)
    except Exception:  # PDFium refuses some files pypdf can still read
        fast = None
    if fast is None or len(fast) != len(reader.pages):
        return [(page.extract_text() or "", METHOD) for page in reader.pages]
    return [
        (text, FAST_METHOD) if text.strip() and not is_garbled(text) else (page.extract_text() or "", METHOD)
        for text, page in zip(fast, reader.pages, strict=False)
    ]


def ocr_pages(data: bytes, numbers: list[int], deadline: Deadline) -> dict[int, str] | None:
    """OCR text of pages ``numbers`` (from 1), rendered by PDFium; None when OCR is not installed.
    A page that renders in one colour has nothing to read and is not OCR-read. Raises
    ``SourceError`` naming ``max_seconds`` when ``deadline`` passes between two pages."""
    if not installed("rapidocr"):
        return None
    import pypdfium2

    with PDFIUM:
        document = pypdfium2.PdfDocument(data)
        pages = len(document)
    scanned: dict[int, str] = {}
    try:
        for number in numbers:
            deadline.check(f"reading scanned pages by OCR (page {number} of {pages})")
            with PDFIUM:
                image = document[number - 1].render(scale=OCR_SCALE).to_pil()
            low, high = image.convert("L").getextrema()
            scanned[number] = read_text(image) if low != high else ""
        return scanned
    finally:
        with PDFIUM:
            document.close()


def with_scans_read(name: str, data: bytes, pages: list[tuple[str, str]], deadline: Deadline) -> list[tuple[str, str]]:
    """``pages`` with every page that has no text replaced by its OCR text (method ``rapidocr``).
    Raises ``SourceError`` when no page has text and OCR is missing or finds none, or when OCR
    runs past ``deadline``."""
    blank = [number for number, (text, _) in enumerate(pages, start=1) if not text.strip()]
    if not blank:
        return pages
    scanned = ocr_pages(data, blank, deadline)
    if len(blank) == len(pages):
        if scanned is None:
            raise SourceError(
                f"{name} has no text layer (image-only) and OCR is not installed: install the 'video' extra "
                "(pip install 'redline[video]') to read scanned pages, or upload a version with text"
            )
        if not any(text.strip() for text in scanned.values()):
            raise SourceError(f"{name} has no text layer (image-only) and OCR found no text on its {len(pages)} page(s)")
    scanned = scanned or {}
    return [(scanned[n], OCR_METHOD) if scanned.get(n, "").strip() else page for n, page in enumerate(pages, start=1)]


def open_pdf(name: str, data: bytes) -> PdfReader:
    """A reader for ``data``, decrypted when the password is empty."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise SourceError(f"{name} is encrypted with a password; upload a copy without the password")
        if not reader.pages:
            raise SourceError(f"{name} is not a readable PDF: it has no pages")
        return reader
    except SourceError:
        raise
    except Exception as exc:  # pypdf raises many exception types on damaged or exotic files
        if "crypt" in type(exc).__name__.lower() or "cryptography" in str(exc):
            raise SourceError(f"{name} is encrypted in a way that cannot be opened here: {exc}") from exc
        raise SourceError(f"{name} is not a readable PDF: {exc}") from exc


def read_pdf(name: str, data: bytes, limits: IngestLimits | None = None) -> tuple[list[Unit], SourceMeta]:
    """One unit per page with text (index = real page number, from 1), its furniture and reference
    list kept apart from its text (``services.ingest.furniture``), plus the page count, title
    (metadata, else a guess from page 1), metadata authors, and the venue, affiliations and links
    page 1 states (``services.ingest.paper``). Raises ``SourceError`` for an
    encrypted, unreadable or image-only PDF, and, before any page is read, for one over the page
    limit; OCR of scanned pages stops at the ``max_seconds`` deadline."""
    limits = limits or DEFAULT_LIMITS
    deadline = Deadline(name, limits.max_seconds)
    reader = open_pdf(name, data)
    check_pages(name, len(reader.pages), limits)
    try:
        pages = with_scans_read(name, data, page_texts(reader, data), deadline)
        first = pages[0][0]
        title = metadata_title(reader) or guess_title(first)
        authors = metadata_authors(reader)
        found = {"venue": paper.venue(first), "affiliations": paper.affiliations(first)}
        found["links"] = paper.links(first, reader.pages[0])
    except SourceError:
        raise
    except Exception as exc:  # damage inside a page's content stream surfaces only here
        raise SourceError(f"{name} is not a readable PDF: {exc}") from exc
    units = [
        Unit(
            source=name, kind="page", index=number, text=clean_page_text("\n".join(parts.body)), method=method,
            furniture="\n".join(parts.furniture), references=clean_page_text("\n".join(parts.references)),
        )
        for number, ((_, method), parts) in enumerate(zip(pages, split_pages([raw for raw, _ in pages]), strict=False), start=1)
    ]
    units = [unit for unit in units if unit.text or unit.references]
    if not units:
        raise SourceError(f"{name} has no text on any page once cleaned")
    meta = SourceMeta(
        source=name,
        kind="pdf",
        units=len(units),
        pages=len(pages),
        title=title,
        authors=authors,
        method="+".join(sorted({u.method for u in units})),
        **found,
    )
    return units, meta
