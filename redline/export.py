"""Exports of a finished task: the final report as DOCX, and opening ``report.html`` in a browser."""

from __future__ import annotations

import json
import webbrowser
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from services.compare.markdown_blocks import read_blocks, read_spans

CITATION_COLOR = RGBColor(0x57, 0x60, 0x6A)
EAST_ASIAN_FONT = "SimSun"
"""The font Word uses for Chinese characters (``w:eastAsia``); Latin text keeps the style's font."""
STYLED = ["Normal", "Title", *(f"Heading {n}" for n in range(1, 7)), "List Bullet", "List Number"]
REFERENCES = {"zh": "参考文献", "en": "References"}


def set_east_asian_font(document, font: str = EAST_ASIAN_FONT) -> None:
    """Give every style the export uses ``font`` for East Asian text."""
    for name in STYLED:
        properties = document.styles[name].element.get_or_add_rPr()
        fonts = properties.find(qn("w:rFonts"))
        if fonts is None:
            fonts = properties.makeelement(qn("w:rFonts"), {})
            properties.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), font)
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)


def add_spans(paragraph, text: str) -> None:
    """Append ``text`` to a DOCX paragraph: bold as bold runs, citations as grey runs, as written."""
    for kind, piece in read_spans(text):
        run = paragraph.add_run(piece)
        if kind == "bold":
            run.bold = True
        elif kind == "cite":
            run.font.color.rgb = CITATION_COLOR
            run.font.size = Pt(9)


def is_title(lines: list[str]) -> bool:
    """Whether a paragraph is a report title: one line in 《》."""
    return len(lines) == 1 and lines[0].startswith("《") and lines[0].endswith("》")


def export_docx(
    final_markdown: str, out: Path, references: list[str] | None = None, language: str = "zh"
) -> Path:
    """Write the report as a Word document at ``out`` and return ``out``.

    ``#`` headings become Heading 1–6 (a first line ``《title》`` the document title), tables become
    grid tables, lists bulleted or numbered paragraphs; every citation stays in the text as written.
    Chinese text is set in an East Asian font. ``references``, when given, end the document as a
    numbered list under 参考文献 (References for an English report).
    """
    document = Document()
    set_east_asian_font(document)
    for number, block in enumerate(read_blocks(final_markdown)):
        if block.kind == "heading":
            add_spans(document.add_heading(level=block.level), block.lines[0])
        elif block.kind == "table":
            table = document.add_table(rows=len(block.rows), cols=max(len(r) for r in block.rows), style="Table Grid")
            for cells, row in zip(table.rows, block.rows, strict=False):
                for cell, text in zip(cells.cells, row, strict=False):
                    add_spans(cell.paragraphs[0], text)
        elif block.kind in ("list", "ordered"):
            style = "List Number" if block.kind == "ordered" else "List Bullet"
            for item in block.lines:
                add_spans(document.add_paragraph(style=style), item)
        elif number == 0 and is_title(block.lines):
            add_spans(document.add_heading(level=0), block.lines[0])
        else:
            for line in block.lines:
                add_spans(document.add_paragraph(), line)
    if references:
        document.add_heading(REFERENCES["en" if language.startswith("en") else "zh"], level=1)
        for number, entry in enumerate(references, 1):
            document.add_paragraph(f"[{number}] {entry}")
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out


def open_report(path: Path) -> bool:
    """Open ``path`` (a task's ``report.html``) in the default browser; False when none could be
    started. ``FileNotFoundError`` when the file does not exist."""
    if not path.is_file():
        raise FileNotFoundError(path)
    return webbrowser.open(path.resolve().as_uri())


def task_folder(target: str, root: Path = Path("out")) -> Path:
    """A task's output folder: ``target`` itself when it is a folder with ``findings.json``, else the
    folder under ``root`` whose ``findings.json`` is of task ``target``; ``FileNotFoundError`` when
    there is none."""
    path = Path(target)
    if (path / "findings.json").is_file():
        return path
    for findings in sorted(root.glob("*/findings.json")):
        if json.loads(findings.read_text(encoding="utf-8")).get("task_id") == target:
            return findings.parent
    raise FileNotFoundError(f"no outputs of task {target!r}: give an output folder or a task id under {root}/")
