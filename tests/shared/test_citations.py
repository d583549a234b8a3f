import json
import re

import pytest

from shared.citations import (
    Citation,
    find_citations,
    format_citation,
    parse_group,
    resolve,
    strip_citations,
    unit_citation,
)
from shared.units import Unit
from tests.corpus import CORPUS, SEED, need

TASK005 = CORPUS / "mirothinker_mm" / "task005"
LONG_TITLE = "写给“纯小白”的大语言模型入门指南，（非常详细）零基础入门到精通，收藏这一篇就够了-CSDN博客"


def parsed(text: str) -> list[tuple]:
    """(kind, source, first, last) of every citation found in ``text``."""
    return [(c.kind, c.source, c.first, c.last) for g in find_citations(text) for c in g.citations]


def unit(source: str, kind: str, index: int, title: str = "") -> Unit:
    return Unit(source=source, kind=kind, index=index, text=f"{source} {index}", method="test", title=title)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[long_context: "Attention", chunk 2]', [("chunk", "Attention", 2, 2)]),
        ("[文档: pdf.pdf, page 3]", [("page", "pdf.pdf", 3, 3)]),
        ("[Doc: name, page 3-5]", [("page", "name", 3, 5)]),
        ("[图片: a.jpg]", [("image", "a.jpg", None, None)]),
        ("[Image: a.jpg]", [("image", "a.jpg", None, None)]),
        ("[网页: https://example.org/a]", [("web", "https://example.org/a", None, None)]),
        ("[Web: https://example.org/a]", [("web", "https://example.org/a", None, None)]),
        ("[video.mp4, Frame 4-5]", [("frame", "video.mp4", 4, 5)]),
        ("[video.mp4]", [("file", "video.mp4", None, None)]),
        ("[文档: pdf.pdf]", [("file", "pdf.pdf", None, None)]),
        ("[视频: video.mp4]", [("file", "video.mp4", None, None)]),
        ("[Video: video.mp4]", [("file", "video.mp4", None, None)]),
        ("[https://example.org]", [("web", "https://example.org", None, None)]),
    ],
)
def test_each_reference_form_parses(text, expected):
    assert parsed(text) == expected


def test_full_width_colon_comma_and_semicolon_separate():
    assert parsed("[文档：a.pdf，page 3；图片：b.jpg]") == [("page", "a.pdf", 3, 3), ("image", "b.jpg", None, None)]


def test_full_width_brackets_hold_citations():
    assert parsed("【文档: a.pdf, page 2】") == [("page", "a.pdf", 2, 2)]


def test_several_citations_share_one_bracket():
    text = f'[long_context: "{LONG_TITLE}", chunk 2; long_context: "B", chunk 1]'

    assert parsed(text) == [("chunk", LONG_TITLE, 2, 2), ("chunk", "B", 1, 1)]


def test_bare_file_and_labelled_document_mix_in_one_bracket():
    assert parsed("[video.mp4；文档: pdf.pdf, page 9-10]") == [
        ("file", "video.mp4", None, None),
        ("page", "pdf.pdf", 9, 10),
    ]


def test_page_list_gives_one_citation_per_item():
    assert parsed("[文档: pdf.pdf, page 3, 14–15]") == [("page", "pdf.pdf", 3, 3), ("page", "pdf.pdf", 14, 15)]


@pytest.mark.parametrize("chunks", ["chunk 1,2", "chunk 1, chunk 2", "chunk 1/2"])
def test_chunk_list_gives_one_citation_per_chunk(chunks):
    assert parsed(f'[long_context: "T", {chunks}]') == [("chunk", "T", 1, 1), ("chunk", "T", 2, 2)]


def test_one_label_may_name_several_files():
    assert parsed("[图片: 花.jpg、鸟.jpg]") == [("image", "花.jpg", None, None), ("image", "鸟.jpg", None, None)]


def test_locators_follow_the_file_they_come_after():
    assert parsed("[文档: a.pdf, page 2, b.docx]") == [("page", "a.pdf", 2, 2), ("file", "b.docx", None, None)]


def test_trailing_note_after_a_page_is_ignored():
    assert parsed("[文档: pdf.pdf, page 9-10，表1]") == [("page", "pdf.pdf", 9, 10)]


def test_chinese_page_locator_parses():
    assert parsed("[文档: a.pdf, 第3页]") == [("page", "a.pdf", 3, 3)]


def test_title_may_hold_brackets_and_commas_inside_quotes():
    title = "【麻省理工】LLM《基础模型和生成式AI》全9讲，附资源"

    assert parsed(f'见[long_context: "{title}", chunk 0]。') == [("chunk", title, 0, 0)]


def test_unquoted_title_ends_before_chunk():
    assert parsed("[long_context: A, B, chunk 3]") == [("chunk", "A, B", 3, 3)]


def test_note_beside_a_labelled_citation_is_ignored():
    assert parsed("[Holtzman et al. 2020, 文档: pdf.pdf, page 14]") == [("page", "pdf.pdf", 14, 14)]


@pytest.mark.parametrize(
    "text",
    [
        "[text](https://example.org)",
        "[video.mp4](video.mp4)",
        "![a.jpg](a.jpg)",
        "[Please provide the full, content-complete revised report with all sections]",
        "- [ ] todo",
        "- [x] done",
        "[1]",
        "[a]",
        "【研究背景与目标】",
        "【字数约2560字，含注释】",
        "[Holtzman et al., 2020]",
        "[see pdf.pdf]",
        "[notes.unknownext]",
    ],
)
def test_non_citation_brackets_are_not_returned(text):
    assert find_citations(text) == []


def test_group_span_and_raw_locate_the_bracket():
    text = "模型[文档: a.pdf, page 1]很好[b.png]。"

    groups = find_citations(text)

    assert [(text[g.start : g.end], g.raw) for g in groups] == [
        ("[文档: a.pdf, page 1]", "[文档: a.pdf, page 1]"),
        ("[b.png]", "[b.png]"),
    ]


def test_adjacent_brackets_are_separate_groups():
    assert len(find_citations('[long_context: "T", chunk 1][文档: pdf.pdf]')) == 2


def test_parse_group_accepts_the_bracket_or_its_inside():
    assert parse_group("[a.pdf, page 2]") == parse_group("a.pdf, page 2")


def test_citation_raw_is_the_part_as_written():
    group = find_citations("[video.mp4；文档: pdf.pdf, page 9-10]")[0]

    assert [c.raw for c in group.citations] == ["video.mp4", "文档: pdf.pdf, page 9-10"]


@pytest.mark.parametrize(
    ("citation", "zh", "en"),
    [
        (Citation(kind="page", source="a.pdf", first=3, last=3), "[文档: a.pdf, page 3]", "[Doc: a.pdf, page 3]"),
        (Citation(kind="page", source="a.pdf", first=3, last=5), "[文档: a.pdf, page 3-5]", "[Doc: a.pdf, page 3-5]"),
        (Citation(kind="image", source="a.jpg"), "[图片: a.jpg]", "[Image: a.jpg]"),
        (Citation(kind="web", source="https://x.org"), "[网页: https://x.org]", "[Web: https://x.org]"),
        (Citation(kind="frame", source="v.mp4", first=4), "[v.mp4, Frame 4]", "[v.mp4, Frame 4]"),
        (Citation(kind="chunk", source="T", first=2), '[long_context: "T", chunk 2]', '[long_context: "T", chunk 2]'),
        (Citation(kind="file", source="a.pdf"), "[文档: a.pdf]", "[Doc: a.pdf]"),
        (Citation(kind="file", source="v.mp4"), "[视频: v.mp4]", "[Video: v.mp4]"),
    ],
)
def test_format_citation_writes_the_canonical_bracket(citation, zh, en):
    assert (format_citation(citation, "zh"), format_citation(citation, "en")) == (zh, en)


def test_format_citation_cuts_the_title_to_fifty_characters():
    assert format_citation(Citation(kind="chunk", source="标" * 60, first=0)) == f'[long_context: "{"标" * 50}", chunk 0]'


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("page", "[文档: a.pdf, page 3]"),
        ("slide", "[文档: a.pdf, page 3]"),
        ("sheet", "[文档: a.pdf, page 3]"),
        ("text", "[文档: a.pdf, page 3]"),
        ("audio", "[文档: a.pdf, page 3]"),
        ("frame", "[a.pdf, Frame 3]"),
        ("image", "[图片: a.pdf]"),
    ],
)
def test_unit_citation_by_kind(kind, expected):
    assert unit_citation(unit("a.pdf", kind, 3)) == expected


def test_unit_citation_of_a_chunk_cites_its_title():
    assert unit_citation(unit("pages.json", "chunk", 2, title="T" * 70), "en") == f'[long_context: "{"T" * 50}", chunk 2]'


def test_bare_file_with_a_locator_may_have_any_extension():
    assert parsed("[talk.ts, Frame 2]") == [("frame", "talk.ts", 2, 2)]


@pytest.mark.parametrize("kind", ["page", "chunk", "frame", "image", "text", "slide", "sheet", "audio"])
def test_unit_citation_resolves_to_exactly_that_unit(kind):
    units = [unit("s.bin", kind, i, title="Page title") for i in range(1, 4)]
    target = units[1] if kind != "image" else units[0]
    units = units if kind != "image" else [target]

    (citation,) = find_citations(unit_citation(target))[0].citations

    assert resolve(citation, units) == [target]


def test_resolve_page_range_returns_every_page_inside():
    units = [unit("a.pdf", "page", i) for i in range(1, 6)]

    assert resolve(Citation(kind="page", source="a.pdf", first=2, last=4), units) == units[1:4]


def test_resolve_out_of_range_page_is_empty():
    assert resolve(Citation(kind="page", source="a.pdf", first=9, last=9), [unit("a.pdf", "page", 1)]) == []


def test_resolve_unknown_file_is_empty():
    assert resolve(Citation(kind="file", source="b.pdf"), [unit("a.pdf", "page", 1)]) == []


def test_resolve_matches_base_name_ignoring_case():
    units = [unit("docs/Paper.PDF", "page", 1)]

    assert resolve(Citation(kind="page", source="paper.pdf", first=1), units) == units


def test_resolve_prefers_the_exact_source():
    exact, other = unit("a.pdf", "page", 1), unit("x/A.pdf", "page", 1)

    assert resolve(Citation(kind="page", source="a.pdf", first=1), [other, exact]) == [exact]


def test_resolve_frame_range_ignores_other_unit_kinds_of_the_source():
    frames = [unit("v.mp4", "frame", i) for i in (1, 2)]
    speech = unit("v.mp4", "audio", 1)

    assert resolve(Citation(kind="frame", source="v.mp4", first=1, last=2), [*frames, speech]) == frames


def test_resolve_file_returns_every_unit_of_the_source():
    units = [unit("v.mp4", "frame", i) for i in (1, 2)]

    assert resolve(Citation(kind="file", source="v.mp4"), [*units, unit("a.pdf", "page", 1)]) == units


def test_resolve_chunk_by_fifty_character_cut():
    title = "长" * 70
    chunk = unit("pages.json", "chunk", 1, title=title)

    assert resolve(Citation(kind="chunk", source=title[:50], first=1), [chunk]) == [chunk]


def test_resolve_chunk_by_title_prefix_with_whitespace_normalised():
    chunk = unit("pages.json", "chunk", 1, title="Transformer  模型\nPyTorch实现")

    assert resolve(Citation(kind="chunk", source="Transformer 模型 PyTorch", first=1), [chunk]) == [chunk]


def test_resolve_chunk_out_of_range_is_empty():
    chunk = unit("pages.json", "chunk", 1, title="T")

    assert resolve(Citation(kind="chunk", source="T", first=5), [chunk]) == []


def test_resolve_chunk_of_another_title_is_empty():
    chunk = unit("pages.json", "chunk", 1, title="Other page")

    assert resolve(Citation(kind="chunk", source="T", first=1), [chunk]) == []


def test_resolve_web_matches_the_url_source():
    page = unit("https://example.org/a", "chunk", 0)

    assert resolve(Citation(kind="web", source="https://example.org/a"), [page, unit("b.pdf", "page", 1)]) == [page]


def test_strip_citations_removes_brackets_and_the_space_before():
    text = "结论成立 [文档: a.pdf, page 3]。另见[video.mp4]与[链接](https://x.org)。"

    assert strip_citations(text) == "结论成立。另见与[链接](https://x.org)。"


def test_strip_citations_keeps_text_without_citations():
    assert strip_citations("[Please provide the full report]") == "[Please provide the full report]"


def corpus_reports() -> list[str]:
    files = [need(SEED / "comparison_task005.txt")]
    files += sorted(need(TASK005 / "model_runs").glob("*.md")) + sorted(need(TASK005 / "runs").glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


@pytest.mark.corpus
def test_every_labelled_or_file_bracket_of_the_corpus_parses():
    start = re.compile(r'[\[【](?:long_context|文档|Doc|视频|Video|图片|Image|网页|Web)\s*[:：]|\[[\w.-]+\.(?:pdf|mp4)[\],，;；]')
    missed = []
    for text in corpus_reports():
        spans = [(g.start, g.end) for g in find_citations(text)]
        for match in start.finditer(text):
            if not any(s <= match.start() < e for s, e in spans):
                missed.append(text[match.start() : match.start() + 80])

    assert missed == []


@pytest.mark.corpus
def test_seed_report_citations_are_found():
    text = need(SEED / "comparison_task005.txt").read_text(encoding="utf-8")

    kinds = {c.kind for g in find_citations(text) for c in g.citations}

    assert {"chunk", "file"} <= kinds


@pytest.mark.corpus
def test_every_title_cited_in_the_corpus_names_a_retrieved_page():
    units = [
        unit(name, "chunk", 0, title=page["title"])
        for name in ("long_context_sampled_60.json", "long_context_sampled_32k.json")
        for page in json.loads(need(TASK005 / name).read_text(encoding="utf-8"))
    ]
    cited = {
        c.source for text in corpus_reports() for g in find_citations(text) for c in g.citations if c.kind == "chunk"
    }

    unmatched = [t for t in cited if not resolve(Citation(kind="chunk", source=t), units)]

    assert cited
    assert unmatched == []
