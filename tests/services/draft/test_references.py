"""A required reference section is built from the report's citations, never written as prose."""

from services.draft.references import with_references
from shared.requirements import parse_request
from tests.services.draft.test_writer import make_pack

QUERY = "撰写《Transformer阅读报告》，包含以下部分：（1）核心内容；（2）参考资料。"
REPORT = """《Transformer阅读报告》

## （1）核心内容

视频讲解了注意力[talk.mp4, Frame 2]。模型只用注意力[文档: paper.pdf, page 2]。又用注意力[文档: paper.pdf, page 1]。

## （2）参考资料

避风港原则是一种法律制度[文档: paper.pdf, page 3]。
"""


def references_of(text: str) -> list[str]:
    return text.split("## （2）参考资料\n")[1].strip().split("\n")


def test_the_prose_of_a_reference_section_becomes_one_entry_per_cited_source_in_order_cited_to_its_first_unit():
    revised = with_references(REPORT, parse_request(QUERY), make_pack())
    assert references_of(revised) == [
        "1. talk.mp4 [talk.mp4, Frame 1]。",
        "2. Ashish Vaswani、Noam Shazeer：《Attention Is All You Need》[文档: paper.pdf, page 1]。",
    ]


def test_the_sections_before_the_reference_section_are_unchanged():
    revised = with_references(REPORT, parse_request(QUERY), make_pack())
    assert revised.split("## （2）参考资料")[0] == REPORT.split("## （2）参考资料")[0]


def test_a_report_without_a_required_reference_section_is_unchanged():
    assert with_references(REPORT, parse_request("撰写报告，包含（1）核心内容；（2）结论。"), make_pack()) == REPORT


def test_a_reference_heading_at_the_end_of_the_report_gets_its_entries_after_a_blank_line():
    text = REPORT.split("避风港")[0].rstrip()
    assert with_references(text, parse_request(QUERY), make_pack()).endswith("## （2）参考资料\n\n1. talk.mp4 [talk.mp4, Frame 1]。\n2. Ashish Vaswani、Noam Shazeer：《Attention Is All You Need》[文档: paper.pdf, page 1]。\n")


def test_an_english_report_lists_authors_and_the_quoted_title():
    query = "Write a report with sections: (1) Summary; (2) References."
    revised = with_references("## (1) Summary\n\nIt attends [文档: paper.pdf, page 2].\n\n## (2) References\n", parse_request(query), make_pack())
    assert revised.endswith("1. Ashish Vaswani, Noam Shazeer: “Attention Is All You Need” [Doc: paper.pdf, page 1].\n")
