"""The report reader: citation groups in the styles real models write, sentences with offsets, sections."""

import pytest

from services.draft.writer import heading_name, section_spans
from services.validate.structure import check_sections
from shared.citations import find_citations
from shared.report import Report, locate_sections, sentence_texts
from shared.requirements import Requirements, Section

QUESTION_TITLE = '【long_context: "如何系统的入门大模型？", chunk 2】'


def citations(text: str) -> list[tuple]:
    return [(c.kind, c.source, c.first, c.last) for g in find_citations(text) for c in g.citations]


def test_question_mark_inside_a_quoted_title_ends_no_sentence():
    text = f"入门需要系统学习{QUESTION_TITLE}。下一句。"

    assert sentence_texts(text) == [f"入门需要系统学习{QUESTION_TITLE}。", "下一句。"]


def test_question_mark_inside_a_quoted_title_stays_in_the_title():
    assert citations(QUESTION_TITLE) == [("chunk", "如何系统的入门大模型？", 2, 2)]


def test_locator_only_bracket_cites_the_source_before_it():
    text = f"甲{QUESTION_TITLE}。乙【chunk 3】。"

    assert citations(text)[1] == ("chunk", "如何系统的入门大模型？", 3, 3)


def test_locator_only_bracket_is_marked_shorthand():
    group = find_citations('[long_context: "T", chunk 1] 又见【chunk 3】')[1]

    assert group.citations[0].shorthand


def test_locator_only_bracket_without_a_source_before_cites_nothing():
    assert citations("见【chunk 3】。") == [("chunk", "", 3, 3)]


def test_chunk_list_gives_every_chunk():
    assert citations('[long_context: "T", chunk 1,2,3]') == [("chunk", "T", n, n) for n in (1, 2, 3)]


def test_page_range_gives_one_range():
    assert citations("[文档: a.pdf, page 3-5]") == [("page", "a.pdf", 3, 5)]


def test_chinese_page_range_after_a_full_width_comma():
    assert citations("[pdf.pdf，第6-7页]") == [("page", "pdf.pdf", 6, 7)]


def test_section_locator_cites_the_file_and_keeps_the_note():
    citation = find_citations("【pdf.pdf, Section 3.2】")[0].citations[0]

    assert (citation.kind, citation.source, citation.note) == ("file", "pdf.pdf", "Section 3.2")


def test_appendix_locator_cites_the_file_and_keeps_the_note():
    citation = find_citations("[文档: pdf.pdf, 附录B]")[0].citations[0]

    assert (citation.kind, citation.note) == ("file", "附录B")


def test_full_width_bracket_after_an_end_mark_stays_with_its_sentence():
    text = "第一句。【文档: a.pdf, page 2】第二句。"

    assert sentence_texts(text) == ["第一句。【文档: a.pdf, page 2】", "第二句。"]


def test_sentences_carry_offsets_index_and_groups():
    text = "## 标题\n甲句[文档: a.pdf, page 1]。乙句。"

    sentences = Report(text).sentences

    assert [(s.index, text[s.start : s.end], len(s.groups)) for s in sentences] == [
        (0, "## 标题", 0),
        (1, "甲句[文档: a.pdf, page 1]。", 1),
        (2, "乙句。", 0),
    ]


def test_sentence_plain_text_leaves_citations_out():
    sentence = Report("The model is fast [Doc: a.pdf, page 1].").sentences[0]

    assert sentence.plain == "The model is fast."


def test_unbalanced_bracket_does_not_swallow_the_rest():
    text = "甲句【未闭合。乙句[文档: a.pdf, page 1]。"

    assert sentence_texts(text) == ["甲句【未闭合。", "乙句[文档: a.pdf, page 1]。"]


def test_a_megabyte_of_openers_is_read():
    report = Report("[" * 1_000_000)

    assert (len(report.sentences), report.groups) == (1, [])


SECTIONED = Requirements(sections=[Section(marker="", name="方法"), Section(marker="", name="结论")])


@pytest.mark.parametrize(
    ("heading", "found"),
    [
        ("方法与实验", True),
        ("## 方法与实验", True),
        ("（1）方法", True),
        ("**方法**", True),
        ("研究方法", False),
        ("方法与实验的细节在后文逐一展开说明，并结合多个对比实验给出了完整的分析与讨论。", False),
    ],
)
def test_writer_reviser_and_validator_find_the_same_sections(heading, found):
    text = f"{heading}\n正文一句。\n结论\n正文二句。\n"
    lines = text.split("\n")

    validator = [span.name for span in locate_sections(text, SECTIONED)]
    reviser = [name for name, _, _ in section_spans(lines, SECTIONED) if name in ("方法", "结论")]
    writer = [name for line in lines if (name := heading_name(line, SECTIONED)) in ("方法", "结论")]

    assert validator == reviser == writer == (["方法", "结论"] if found else ["结论"])


def test_a_bare_heading_line_with_a_tail_is_not_a_missing_section():
    text = "方法与实验\n正文。\n结论\n正文。\n"

    assert check_sections(text, SECTIONED) == []
