import pytest

from services.ingest.errors import SourceError
from services.ingest.office import cell_text, read_csv, read_docx, read_pptx, read_xlsx, sheet_units
from tests.services.ingest.documents import docx_file, pptx_file, xlsx_file


def test_docx_keeps_headings_lists_and_tables_in_order():
    units, _ = read_docx("report.docx", docx_file())
    assert units[0].text == (
        "# Market Report\n\nSales grew by 12 percent in 2024.\n\n- first point\n\n- second point\n\nRegion | Sales\nNorth | 40"
    )
    assert units[1].text == "## Outlook\n\n直播电商仍在增长。"


def test_docx_units_are_text_numbered_from_one():
    units, meta = read_docx("report.docx", docx_file())
    assert [(u.kind, u.index, u.method) for u in units] == [("text", 1, "python-docx"), ("text", 2, "python-docx")]
    assert (meta.kind, meta.units) == ("docx", 2)


def test_docx_title_and_author_come_from_properties_else_first_heading():
    _, meta = read_docx("report.docx", docx_file(title="Annual", author="Li Lei"))
    assert (meta.title, meta.authors) == ("Annual", ["Li Lei"])
    assert read_docx("report.docx", docx_file())[1].title == "Market Report"


def test_damaged_docx_is_a_source_error():
    with pytest.raises(SourceError, match=r"bad.docx is not a readable Word document"):
        read_docx("bad.docx", b"PK\x03\x04 not really")


def test_pptx_gives_one_unit_per_slide_with_text_numbered_by_slide():
    units, meta = read_pptx("deck.pptx", pptx_file())
    assert [(u.kind, u.index) for u in units] == [("slide", 1), ("slide", 3)]
    assert (meta.pages, meta.units, meta.title) == (3, 2, "避风港原则")


def test_pptx_slide_has_title_first_then_body_table_and_notes():
    units, _ = read_pptx("deck.pptx", pptx_file())
    assert units[0].text == "避风港原则\n\nNotice and takedown"
    assert units[1].text == "Cases\n\nYear | Cases\n2023 | 17\n\nNotes: Mention the 2023 ruling."


def test_xlsx_gives_sheet_units_titled_by_sheet_skipping_empty_sheets():
    units, meta = read_xlsx("data.xlsx", xlsx_file())
    assert [(u.kind, u.index, u.title) for u in units] == [("sheet", 1, "Sales"), ("sheet", 2, "Notes")]
    assert units[0].text == "[Sales]\nrow | Region | Amount | Share\n2 | region-1 | 10 | 0.5\n3 | region-2 | 20 | 0.5\n4 | region-3 | 30 | 0.5"
    assert (meta.kind, meta.pages) == ("xlsx", 2)


def test_large_sheet_is_cut_into_blocks_that_repeat_the_headers():
    units, _ = read_xlsx("data.xlsx", xlsx_file(rows=300))
    sales = [u for u in units if u.title == "Sales"]
    assert len(sales) > 3
    assert all(len(u.text) <= 1500 for u in sales)
    assert all(u.text.startswith("[Sales]\nrow | Region | Amount | Share\n") for u in sales)
    rows = [line.split(" | ")[0] for u in sales for line in u.text.split("\n")[2:]]
    assert rows == [str(n) for n in range(2, 302)]


def test_sheet_units_trim_empty_columns_and_rows():
    units = sheet_units("t.csv", "t", [["a", "b", None, None], [], ["1", "2", "", None]], 1, "csv")
    assert units[0].text == "[t]\nrow | a | b\n3 | 1 | 2"


def test_cell_values_read_naturally():
    import datetime as dt

    assert [cell_text(v) for v in (None, 3.0, 2.5, dt.datetime(2024, 5, 1), "a\nb")] == ["", "3", "2.5", "2024-05-01", "a b"]


def test_csv_delimiter_and_encoding_are_detected():
    data = "地区;销售额\n华北;40\n华南;55\n".encode("gb18030")
    units, meta = read_csv("sales.csv", data)
    assert units[0].text == "[sales.csv]\nrow | 地区 | 销售额\n2 | 华北 | 40\n3 | 华南 | 55"
    assert units[0].method.startswith("csv/")
    assert units[0].method != "csv/utf-8"
    assert (meta.kind, meta.units) == ("csv", 1)


def test_tsv_is_split_on_tabs():
    units, _ = read_csv("t.tsv", b"a\tb\n1\t2\n")
    assert units[0].text == "[t.tsv]\nrow | a | b\n2 | 1 | 2"


def test_empty_csv_is_a_source_error():
    with pytest.raises(SourceError, match=r"blank.csv has no filled cell"):
        read_csv("blank.csv", b",,\n,,\n")
