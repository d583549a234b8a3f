import json
import re

import pytest

from services.ingest.errors import SourceError
from services.ingest.webpages import chunk_text, is_webpages, page_text, read_webpages, window_end
from tests.corpus import CORPUS, SEED, need

SAMPLED = CORPUS / "mirothinker_mm" / "task005" / "long_context_sampled_60.json"


def pages_json(pages: list[dict]) -> bytes:
    return json.dumps(pages, ensure_ascii=False).encode()


def test_page_text_is_title_blank_line_body():
    assert page_text({"title": "T", "page_body": "body"}) == "T\n\nbody"


def test_page_text_prefers_content_and_drops_empty_title():
    assert page_text({"title": "", "content": "c", "page_body": "b"}) == "c"


def test_window_ends_after_last_paragraph_break():
    text = "a" * 100 + "\n\n" + "b" * 100 + "\n\n" + "c" * 2000
    assert window_end(text, 0) == 204


def test_window_without_paragraph_ends_after_sentence_mark_in_priority_order():
    text = "甲" * 100 + "。" + "乙" * 100 + "！" + "丙" * 2000
    assert window_end(text, 0) == 101


def test_window_without_any_mark_ends_at_the_cap():
    assert window_end("x" * 3000, 0) == 1500


def test_last_window_runs_to_the_end_without_searching():
    text = "T\n\n" + "y" * 500
    assert window_end(text, 0) == len(text)


def test_next_window_starts_200_before_the_end_even_after_the_last_window():
    chunks = chunk_text("x" * 3000)
    assert [len(c) for c in chunks] == [1500, 1500, 400, 200]


def test_long_page_gives_bare_title_as_chunk_zero():
    body = "这是一句话。" * 400
    assert chunk_text(f"标题\n\n{body}")[0] == "标题"


def test_empty_windows_are_skipped_without_taking_a_number():
    text = "T\n\n" + " " * 1490 + "\n\n" + "z" * 1200
    assert chunk_text(text) == ["T", "z" * 1200, "z" * 200]


def test_units_are_chunks_numbered_per_page():
    pages = [{"title": "A", "page_body": "x" * 1600}, {"title": "B", "content": "short", "url": "https://b.example"}]
    units, meta = read_webpages("long_context.json", pages_json(pages))
    assert [(u.title, u.index) for u in units] == [("A", 0), ("A", 1), ("A", 2), ("A", 3), ("B", 0)]
    assert {(u.kind, u.source, u.method) for u in units} == {("chunk", "long_context.json", "reference-chunker")}
    assert (meta.kind, meta.pages, meta.units, meta.links) == ("webpages", 2, 5, ["https://b.example"])


def test_invalid_json_is_a_source_error():
    with pytest.raises(SourceError, match=r"long_context.json is not readable JSON"):
        read_webpages("long_context.json", b"[{")


def test_json_that_is_not_a_page_list_is_a_source_error():
    with pytest.raises(SourceError, match="not a JSON list of web pages"):
        read_webpages("long_context.json", b'{"title": "x"}')


def test_pages_without_any_text_are_a_source_error():
    with pytest.raises(SourceError, match="holds no web page with a title or text"):
        read_webpages("long_context.json", pages_json([{"title": "", "page_body": "  "}]))


def test_only_long_context_json_names_are_web_pages():
    assert is_webpages("long_context_sampled_60.json")
    assert is_webpages("sub/long_context.json")
    assert not is_webpages("data.json")
    assert not is_webpages("long_context.txt")


@pytest.mark.corpus
def test_corpus_chunk_zero_is_bare_title_of_every_page_longer_than_a_window():
    pages = json.loads(need(SAMPLED).read_bytes())
    units, _ = read_webpages(SAMPLED.name, SAMPLED.read_bytes())
    first = {u.title: u.text for u in units if u.index == 0}
    long_pages = [p for p in pages if len(page_text(p)) > 1500]
    assert len(first) == 60
    assert len(long_pages) > 40
    assert all(first[p["title"]] == p["title"] for p in long_pages)


@pytest.mark.corpus
def test_corpus_every_seed_citation_resolves_to_a_chunk():
    units, _ = read_webpages(SAMPLED.name, need(SAMPLED).read_bytes())
    addresses = {(u.title[:50], u.index) for u in units}
    cited = [
        (title[:50], int(n))
        for title, numbers in re.findall(r'long_context: "([^"]+)", chunk ([\d,]+)', need(SEED / "comparison_task005.txt").read_text())
        for n in numbers.split(",")
    ]
    assert len(cited) > 15
    assert set(cited) <= addresses


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("title", "chunk", "phrase"),
    [
        ("Transformer 核心解密：FFN", 2, "60%-80%"),
        ("什么是大模型中的Scaling Law", 1, "幂律"),
        ("大模型推理优化技术万字长文", 4, "分组"),
        ("自注意力与位置编码", 5, "全局交互"),
        ("一文读懂：AI大语言模型(LLM)", 2, "注意力机制"),
        ("Transformer模型PyTorch实现", 1, "注意力机制"),
        ("写给“纯小白”的大语言模型入门指南", 2, "自注意力机制"),
    ],
)
def test_corpus_seed_cited_chunk_holds_what_the_sentence_says(title, chunk, phrase):
    units, _ = read_webpages(SAMPLED.name, need(SAMPLED).read_bytes())
    [unit] = [u for u in units if u.title.startswith(title) and u.index == chunk]
    assert phrase in unit.text
