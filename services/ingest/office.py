"""Office files: Word documents as text units, slide decks one ``slide`` unit per slide, workbooks
and CSV files as ``sheet`` units of row blocks with the column headers repeated in every block."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator

from services.ingest.errors import SourceError
from services.ingest.textfiles import decode_text, pack_lines, pack_paragraphs
from shared.units import SourceMeta, Unit

HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
CELL_SEPARATOR = " | "
DELIMITERS = ",;\t|"


def open_office(name: str, data: bytes, opener, what: str):
    """``opener`` applied to ``data``; a ``SourceError`` naming ``what`` when the file is damaged."""
    try:
        return opener(io.BytesIO(data))
    except Exception as exc:  # zip, XML and package layers each raise their own types on damaged files
        raise SourceError(f"{name} is not a readable {what}: {exc}") from exc


def row_line(cells: Iterable[str]) -> str:
    """Table cells as one line, repeated neighbours (merged cells) written once."""
    kept: list[str] = []
    for cell in cells:
        if not kept or cell != kept[-1]:
            kept.append(cell)
    return CELL_SEPARATOR.join(kept)


def flat(text: str) -> str:
    """``text`` on one line, whitespace runs collapsed."""
    return " ".join(text.split())


def docx_blocks(document) -> Iterator[str]:
    """The paragraphs and tables of a Word document in reading order: headings as Markdown
    headings, list items with a dash, each table row as one line."""
    from docx.table import Table

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [row_line(flat(cell.text) for cell in row.cells) for row in item.rows]
            table = "\n".join(row for row in rows if row.strip(" |"))
            if table:
                yield table
            continue
        text = flat(item.text)
        if not text:
            continue
        style = item.style.name if item.style is not None else ""
        level = HEADING_STYLE.match(style)
        if style == "Title":
            yield f"# {text}"
        elif level:
            yield f"{'#' * min(int(level.group(1)), 6)} {text}"
        elif style.lower().startswith("list"):
            yield f"- {text}"
        else:
            yield text


def read_docx(name: str, data: bytes) -> tuple[list[Unit], SourceMeta]:
    """A ``.docx`` file as ``text`` units (index from 1) cut at paragraph boundaries, headings kept
    as Markdown headings; the title and author come from the document properties, else the first
    heading."""
    from docx import Document

    document = open_office(name, data, Document, "Word document")
    text = "\n\n".join(docx_blocks(document))
    pieces = pack_paragraphs(text, markdown=True)
    if not pieces:
        raise SourceError(f"{name} holds no text")
    units = [
        Unit(source=name, kind="text", index=number, text=piece, method="python-docx")
        for number, piece in enumerate(pieces, start=1)
    ]
    properties = document.core_properties
    headings = [line.lstrip("#").strip() for line in text.split("\n\n") if line.startswith("#")]
    title = (properties.title or "").strip() or (headings[0] if headings else "")
    authors = [properties.author.strip()] if (properties.author or "").strip() else []
    meta = SourceMeta(source=name, kind="docx", units=len(units), title=title, authors=authors, method="python-docx")
    return units, meta


def shape_texts(shapes) -> Iterator[str]:
    """The text of slide shapes in reading order (top to bottom, left to right), inside groups and
    tables too."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    for shape in sorted(shapes, key=lambda s: (s.top or 0, s.left or 0)):
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from shape_texts(shape.shapes)
        elif shape.has_text_frame:
            lines = [flat(paragraph.text) for paragraph in shape.text_frame.paragraphs]
            text = "\n".join(line for line in lines if line)
            if text:
                yield text
        elif getattr(shape, "has_table", False) and shape.has_table:
            rows = [row_line(flat(cell.text) for cell in row.cells) for row in shape.table.rows]
            yield "\n".join(row for row in rows if row.strip(" |"))


def slide_text(slide) -> str:
    """A slide's title first, then its other text, then its speaker notes after ``Notes:``."""
    title = slide.shapes.title
    heading = flat(title.text) if title is not None and title.has_text_frame else ""
    others = [shape for shape in slide.shapes if title is None or shape.shape_id != title.shape_id]
    parts = [heading, *shape_texts(others)]
    if slide.has_notes_slide:
        notes = flat(slide.notes_slide.notes_text_frame.text) if slide.notes_slide.notes_text_frame else ""
        if notes:
            parts.append(f"Notes: {notes}")
    return "\n\n".join(part for part in parts if part)


def read_pptx(name: str, data: bytes) -> tuple[list[Unit], SourceMeta]:
    """A ``.pptx`` deck as one ``slide`` unit per slide with text (index = slide number from 1),
    speaker notes included; the title comes from the properties, else the first slide's title."""
    from pptx import Presentation

    deck = open_office(name, data, Presentation, "PowerPoint deck")
    texts = [slide_text(slide) for slide in deck.slides]
    units = [
        Unit(source=name, kind="slide", index=number, text=text, method="python-pptx")
        for number, text in enumerate(texts, start=1)
        if text
    ]
    if not units:
        raise SourceError(f"{name} has no text on any of its {len(texts)} slides")
    title = (deck.core_properties.title or "").strip() or units[0].text.split("\n", 1)[0]
    meta = SourceMeta(source=name, kind="pptx", units=len(units), pages=len(texts), title=title, method="python-pptx")
    return units, meta


def cell_text(value: object) -> str:
    """A cell value as text: whole floats without '.0', midnight datetimes as dates, None as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return flat(str(value))


def sheet_units(name: str, sheet: str, rows: Iterable[Iterable[object]], first_index: int, method: str) -> list[Unit]:
    """One sheet as ``sheet`` units (indexed from ``first_index``, titled with the sheet name):
    blocks of rows of about 1500 characters, each row led by its row number and each block led by
    the sheet name and the column headers (the first non-empty row)."""
    numbered = [(number, [cell_text(value) for value in row]) for number, row in enumerate(rows, start=1)]
    numbered = [(number, cells) for number, cells in numbered if any(cells)]
    if not numbered:
        return []
    width = max(max((i for i, cell in enumerate(cells) if cell), default=0) for _, cells in numbered) + 1
    header = f"[{sheet}]\n" + CELL_SEPARATOR.join(["row", *numbered[0][1][:width]])
    lines = [CELL_SEPARATOR.join([str(number), *cells[:width]]) for number, cells in numbered[1:]]
    pieces = pack_lines(lines, header=header) if lines else [header]
    return [
        Unit(source=name, kind="sheet", index=first_index + offset, text=piece, title=sheet, method=method)
        for offset, piece in enumerate(pieces)
    ]


def read_xlsx(name: str, data: bytes) -> tuple[list[Unit], SourceMeta]:
    """An ``.xlsx`` workbook as ``sheet`` units, sheet after sheet, numbered from 1 across the
    workbook (formula cells give their last computed value). ``pages`` counts the units."""
    from openpyxl import load_workbook

    workbook = open_office(name, data, lambda f: load_workbook(f, read_only=True, data_only=True), "Excel workbook")
    units: list[Unit] = []
    try:
        for worksheet in workbook.worksheets:
            units += sheet_units(name, worksheet.title, worksheet.iter_rows(values_only=True), len(units) + 1, "openpyxl")
    finally:
        workbook.close()
    if not units:
        raise SourceError(f"{name} has no filled cell in any sheet")
    title = (workbook.properties.title or "").strip()
    meta = SourceMeta(source=name, kind="xlsx", units=len(units), pages=len(units), title=title, method="openpyxl")
    return units, meta


def csv_dialect(name: str, sample: str) -> type[csv.Dialect] | csv.Dialect:
    """The dialect of a CSV/TSV text: tab for ``.tsv``, else sniffed among , ; tab |, else excel."""
    if name.lower().endswith(".tsv"):
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        return csv.excel


def read_csv(name: str, data: bytes) -> tuple[list[Unit], SourceMeta]:
    """A ``.csv`` or ``.tsv`` file in any text encoding as ``sheet`` units titled with the file's
    base name. ``method`` names the encoding; ``pages`` counts the units."""
    text, encoding = decode_text(data)
    try:
        rows = list(csv.reader(io.StringIO(text), csv_dialect(name, text[:8192])))
    except csv.Error as exc:
        raise SourceError(f"{name} is not a readable CSV file: {exc}") from exc
    method = f"csv/{encoding}"
    units = sheet_units(name, name.rsplit("/", 1)[-1], rows, 1, method)
    if not units:
        raise SourceError(f"{name} has no filled cell")
    kind = name.rsplit(".", 1)[-1].lower()
    return units, SourceMeta(source=name, kind=kind, units=len(units), pages=len(units), method=method)
