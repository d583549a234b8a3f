"""PDFs made on the fly for ingest tests."""

import io

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter


def text_pdf(pages: list[str], title: str = "", author: str = "") -> bytes:
    """A PDF with one page per item of ``pages``, each holding that text."""
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def encrypted_pdf(password: str = "secret") -> bytes:
    """A one-page PDF that needs ``password`` to open."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(["Hidden text."]))))
    writer.encrypt(user_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A one-page PDF whose only content is a drawn rectangle: no text layer."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def linked_pdf() -> bytes:
    """A one-page paper whose code link is a link annotation, not text."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 7, "Citing Papers Carefully\nDepartment of Computer Science, Example University\nAbstract")
    pdf.cell(0, 7, "Our code is public.", link="https://github.com/example/cite")
    return bytes(pdf.output())


def scanned_pdf(pages: list[str | None]) -> bytes:
    """A PDF with one page per item: a string is drawn as a picture of its text (a scan, no text
    layer), None makes a page with a real text layer."""
    from tests.services.ingest.media import text_image

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text is None:
            pdf.multi_cell(0, 7, "Typed page with a real text layer.", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.image(text_image([text], (1240, 600)), x=0, y=0, w=210)
    return bytes(pdf.output())


def paper_pdf() -> bytes:
    """A five-page paper with a running header and footer, a DOI line, a licence notice, an
    author-contribution note, a reference list over pages 4 and 5, and an appendix after it."""
    bodies = [
        "Retrieval helps small models answer questions.\nWe study how citations change the answers.\n"
        "DOI: 10.1234/tests.2024.001\nThis work is licensed under the Creative Commons Attribution License.\n"
        "*Equal contribution. Work performed while at Example Lab.",
        "The method retrieves five passages per question.\nEach answer cites the passages it uses.",
        "Accuracy rises from 41 to 57 percent with retrieval.\nCitations make the answers easier to check.",
        "We conclude that retrieval is worth its cost.\nReferences\n[1] A. Author. Retrieval for all. 2021.\n"
        "[2] B. Author. Citing sources. 2022.",
        "[3] C. Author. Checking answers. 2023.\n[4] D. Author. Small models. 2020.\n"
        "A Additional Results\nThe appendix repeats the main table for two more datasets.",
    ]
    pages = [f"Journal of Tests, Vol. 3\n{body}\nPage {number} of 5" for number, body in enumerate(bodies, start=1)]
    return text_pdf(pages)
