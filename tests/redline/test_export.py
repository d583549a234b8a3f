import webbrowser

import pytest
from docx import Document
from docx.oxml.ns import qn

from redline.export import CITATION_COLOR, EAST_ASIAN_FONT, export_docx, open_report, task_folder
from shared.references import reference_list
from shared.units import SourceMeta

REPORT = (
    "《检索增强生成调研报告》\n\n## （1）基本原理\n\n精确率提高到**86.9%**[文档: paper.pdf, page 3]。\n\n"
    '- 检索[long_context: "RAG入门", chunk 1]\n- 生成\n\n| 指标 | 数值 |\n|---|---|\n| 召回率 | 78.2% |\n'
)


@pytest.fixture
def document(tmp_path):
    return Document(export_docx(REPORT, tmp_path / "out" / "final.docx"))


def test_title_and_headings_get_word_styles(document):
    styles = [(p.style.name, p.text) for p in document.paragraphs[:2]]

    assert styles == [("Title", "《检索增强生成调研报告》"), ("Heading 2", "（1）基本原理")]


def test_citations_stay_in_the_text_as_written(document):
    text = "\n".join(p.text for p in document.paragraphs)

    assert "精确率提高到86.9%[文档: paper.pdf, page 3]。" in text
    assert '检索[long_context: "RAG入门", chunk 1]' in text


def test_citations_are_grey_and_bold_is_bold(document):
    runs = document.paragraphs[2].runs

    assert [(r.text, r.bold) for r in runs][:2] == [("精确率提高到", None), ("86.9%", True)]
    assert runs[2].text == "[文档: paper.pdf, page 3]"
    assert runs[2].font.color.rgb == CITATION_COLOR


def test_list_items_and_tables_are_kept(document):
    assert [p.style.name for p in document.paragraphs if p.text.startswith(("检索", "生成"))] == ["List Bullet"] * 2
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [["指标", "数值"], ["召回率", "78.2%"]]


def test_open_report_opens_the_file_uri(tmp_path, monkeypatch):
    page = tmp_path / "report.html"
    page.write_text("<!doctype html>", encoding="utf-8")
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)

    assert open_report(page)
    assert opened == [page.resolve().as_uri()]


def test_open_report_refuses_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        open_report(tmp_path / "report.html")


def outputs(root, name: str, task_id: str):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "findings.json").write_text(f'{{"task_id": "{task_id}"}}', encoding="utf-8")
    return folder


def test_task_folder_is_found_by_task_id_under_the_root(tmp_path):
    outputs(tmp_path, "other", "other-1")
    folder = outputs(tmp_path, "example", "example-ab12")

    assert task_folder("example-ab12", tmp_path) == folder


def test_task_folder_may_be_given_as_a_folder(tmp_path):
    folder = outputs(tmp_path, "example", "example-ab12")

    assert task_folder(str(folder), tmp_path / "elsewhere") == folder


def test_unknown_task_has_no_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        task_folder("nope", tmp_path)


def test_every_style_used_sets_an_east_asian_font(document):
    for name in ("Normal", "Title", "Heading 2", "List Bullet"):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == EAST_ASIAN_FONT
        assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_no_reference_list_unless_asked(document):
    assert "参考文献" not in [p.text for p in document.paragraphs]


def test_a_reference_list_names_each_cited_source_once_in_order(tmp_path):
    paper = SourceMeta(source="paper.pdf", kind="pdf", title="CiteCheck", authors=["Lena Hartmann", "Wei Zhang"])
    references = reference_list(REPORT + "又一句[文档: paper.pdf, page 1]。", [paper])

    document = Document(export_docx(REPORT, tmp_path / "final.docx", references))

    texts = [p.text for p in document.paragraphs]
    assert texts[texts.index("参考文献") + 1 :] == ["[1] Lena Hartmann, Wei Zhang. CiteCheck. paper.pdf", "[2] RAG入门"]


def test_an_english_report_gets_references(tmp_path):
    document = Document(export_docx(REPORT, tmp_path / "final.docx", ["A source"], language="en"))

    assert [p.text for p in document.paragraphs][-2:] == ["References", "[1] A source"]
