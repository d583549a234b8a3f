"""Exports of a finished task: the final report as DOCX, and opening ``report.html`` in a browser."""

from __future__ import annotations

import json
import webbrowser
from pathlib import Path

from docx import Document
from docx.shared import Pt, RGBColor

from services.compare.markdown_blocks import read_blocks, read_spans

CITATION_COLOR = RGBColor(0x57, 0x60, 0x6A)


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


def export_docx(final_markdown: str, out: Path) -> Path:
    """Write the report as a Word document at ``out`` and return ``out``.

    ``#`` headings become Heading 1–6 (a first line ``《title》`` the document title), tables become
    grid tables, lists bulleted or numbered paragraphs; every citation stays in the text as written.
    """
    document = Document()
    for number, block in enumerate(read_blocks(final_markdown)):
        if block.kind == "heading":
            add_spans(document.add_heading(level=block.level), block.lines[0])
        elif block.kind == "table":
            table = document.add_table(rows=len(block.rows), cols=max(len(r) for r in block.rows), style="Table Grid")
            for cells, row in zip(table.rows, block.rows):
                for cell, text in zip(cells.cells, row):
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
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(out)
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
