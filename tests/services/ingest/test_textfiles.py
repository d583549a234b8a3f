import pytest

from services.ingest.errors import SourceError
from services.ingest.textfiles import decode_text, pack_lines, pack_paragraphs, read_text, split_long


def test_utf8_is_decoded_and_named():
    assert decode_text("检索增强".encode()) == ("检索增强", "utf-8")


def test_utf8_bom_is_removed_and_named():
    assert decode_text(b"\xef\xbb\xbfhello") == ("hello", "utf-8-sig")


def test_gbk_text_is_decoded():
    text, encoding = decode_text("检索增强生成是一种把信息检索与大语言模型结合起来的技术框架。".encode("gbk"))
    assert text == "检索增强生成是一种把信息检索与大语言模型结合起来的技术框架。"
    assert encoding.lower() in {"gb2312", "gbk", "gb18030"}


def test_short_gbk_text_is_read_as_chinese_not_korean():
    assert decode_text("地区;销售额\n华北;40\n".encode("gbk"))[0] == "地区;销售额\n华北;40\n"


def test_korean_text_stays_korean():
    assert decode_text("안녕하세요 세계 한국어 텍스트입니다".encode("euc-kr"))[0] == "안녕하세요 세계 한국어 텍스트입니다"


def test_utf16_with_byte_order_mark_is_decoded():
    assert decode_text("标题 title".encode("utf-16")) == ("标题 title", "utf-16")


def test_lines_are_packed_whole_with_the_header_repeated():
    pieces = pack_lines([f"line {n:02d}" for n in range(6)], header="H", limit=24)
    assert pieces == ["H\nline 00\nline 01", "H\nline 02\nline 03", "H\nline 04\nline 05"]


def test_short_paragraphs_share_one_piece():
    assert pack_paragraphs("one\n\ntwo\n\n\nthree", markdown=False) == ["one\n\ntwo\n\nthree"]


def test_pieces_break_at_paragraph_boundaries_within_the_limit():
    text = "\n\n".join(["a" * 800, "b" * 800, "c" * 100])
    assert pack_paragraphs(text, markdown=False) == ["a" * 800, "b" * 800 + "\n\n" + "c" * 100]


def test_long_paragraph_is_cut_after_sentences():
    pieces = split_long("这是第一句。" * 300, limit=1500)
    assert all(len(p) <= 1500 and p.endswith("。") for p in pieces)
    assert "".join(pieces) == "这是第一句。" * 300


def test_sentence_longer_than_limit_is_cut_hard():
    assert split_long("x" * 3200, limit=1500) == ["x" * 1500, "x" * 1500, "x" * 200]


def test_markdown_heading_starts_a_new_piece_and_stays_with_its_text():
    text = "# Title\n\nintro\n\n## Part\n\nbody"
    assert pack_paragraphs(text, markdown=True) == ["# Title\n\nintro", "## Part\n\nbody"]


def test_text_units_are_numbered_from_one_with_encoding_in_method():
    units, meta = read_text("notes.txt", ("a" * 1000 + "\n\n" + "b" * 1000).encode())
    assert [(u.kind, u.index, u.method) for u in units] == [("text", 1, "text/utf-8"), ("text", 2, "text/utf-8")]
    assert (meta.kind, meta.units) == ("text", 2)


def test_markdown_keeps_headings_and_takes_the_first_as_title():
    units, meta = read_text("README.md", b"# Guide\r\n\r\nStep one.\r\n")
    assert units[0].text == "# Guide\n\nStep one."
    assert (meta.kind, meta.title, units[0].method) == ("markdown", "Guide", "markdown/utf-8")


def test_whitespace_only_file_is_a_source_error():
    with pytest.raises(SourceError, match=r"blank.txt holds no text"):
        read_text("blank.txt", b" \n\n \t")


def test_sentence_too_long_after_a_short_one_is_cut_and_keeps_every_character():
    pieces = split_long("Short one. " + "y" * 3100 + ". Tail.", limit=1500)
    assert pieces[0] == "Short one."
    assert pieces[1:3] == ["y" * 1500, "y" * 1500]
    assert "".join(pieces[1:]).replace(" ", "") == "y" * 3100 + ".Tail."


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_decoded(encoding):
    text = "Notes without a byte-order mark.\n" * 5

    assert decode_text(text.encode(encoding)) == (text, encoding)
