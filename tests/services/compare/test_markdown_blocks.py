from services.compare.markdown_blocks import read_blocks, read_spans


def test_heading_on_top_of_a_block_is_its_own_block():
    blocks = read_blocks("## 一、背景\n正文第一行。\n正文第二行。")

    assert [(b.kind, b.level) for b in blocks] == [("heading", 2), ("paragraph", 0)]
    assert blocks[1].lines == ["正文第一行。", "正文第二行。"]


def test_table_drops_its_separator_row():
    block = read_blocks("| 指标 | 数值 |\n|---|:---:|\n| 精确率 | 86.9% |")[0]

    assert block.kind == "table"
    assert block.rows == [["指标", "数值"], ["精确率", "86.9%"]]


def test_bulleted_and_numbered_lists():
    assert read_blocks("- a\n- b")[0].lines == ["a", "b"]
    assert read_blocks("1. a\n2. b")[0].kind == "ordered"


def test_mixed_lines_are_a_paragraph():
    assert read_blocks("- a\nplain")[0].kind == "paragraph"


def test_spans_keep_citations_as_written_and_unwrap_bold():
    spans = read_spans("**要点**：精确率提高[文档: a.pdf, page 3]。")

    assert spans == [("bold", "要点"), ("text", "：精确率提高"), ("cite", "[文档: a.pdf, page 3]"), ("text", "。")]
