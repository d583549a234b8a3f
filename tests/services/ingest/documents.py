"""Office files and archives made on the fly for ingest tests."""

import io

from docx import Document
from openpyxl import Workbook
from pptx import Presentation
from pptx.util import Inches

from bench.hostile import tar_gz_of, zip_of


def save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_file(title: str = "", author: str = "") -> bytes:
    """A Word document: a heading, a paragraph, two list items, a table, a sub-heading and a paragraph."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.author = author
    document.add_heading("Market Report", level=1)
    document.add_paragraph("Sales grew by 12 percent in 2024.")
    document.add_paragraph("first point", style="List Bullet")
    document.add_paragraph("second point", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("Region", "Sales"), ("North", "40")], strict=False):
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value
    document.add_heading("Outlook", level=2)
    document.add_paragraph("直播电商仍在增长。")
    return save(document)


def pptx_file(title: str = "") -> bytes:
    """A deck of three slides: title and bullets; an empty slide; a table with speaker notes."""
    deck = Presentation()
    deck.core_properties.title = title
    first = deck.slides.add_slide(deck.slide_layouts[1])
    first.shapes.title.text = "避风港原则"
    first.placeholders[1].text_frame.text = "Notice and takedown"
    deck.slides.add_slide(deck.slide_layouts[6])
    third = deck.slides.add_slide(deck.slide_layouts[5])
    third.shapes.title.text = "Cases"
    table = third.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1)).table
    for r, values in enumerate([("Year", "Cases"), ("2023", "17")]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    third.notes_slide.notes_text_frame.text = "Mention the 2023 ruling."
    return save(deck)


def xlsx_file(rows: int = 3) -> bytes:
    """A workbook with a 'Sales' sheet (header plus ``rows`` rows), an empty sheet and a 'Notes' sheet."""
    workbook = Workbook()
    sales = workbook.active
    sales.title = "Sales"
    sales.append(["Region", "Amount", "Share"])
    for number in range(1, rows + 1):
        sales.append([f"region-{number}", number * 10, 0.5])
    workbook.create_sheet("Empty")
    notes = workbook.create_sheet("Notes")
    notes.append(["说明"])
    notes.append(["数据来自年报"])
    return save(workbook)


zip_file = zip_of
tar_gz_file = tar_gz_of
