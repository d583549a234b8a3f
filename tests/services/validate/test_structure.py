"""Structure checks on hand-made reports."""

from services.validate.structure import (
    check_empty,
    check_placeholder,
    check_preamble,
    check_sections,
    check_title,
    check_truncated,
    sections_of,
)
from shared.requirements import Requirements
from tests.services.validate.reports import REQUIREMENTS, cite, good_report


def ids(findings):
    return [f.check for f in findings]


def test_whitespace_is_empty():
    assert ids(check_empty(" \n\t")) == ["structure.empty"]


def test_a_report_is_not_empty():
    assert check_empty(good_report()) == []


def test_request_for_content_is_a_placeholder():
    text = "[Please provide the full, content-complete revised report here, with every section rewritten…]"

    assert ids(check_placeholder(text)) == ["structure.placeholder"]


def test_no_report_generated_is_a_placeholder():
    assert ids(check_placeholder("No original report generated.")) == ["structure.placeholder"]


def test_chinese_request_for_content_is_a_placeholder():
    assert ids(check_placeholder("请提供论文全文，以便撰写报告。")) == ["structure.placeholder"]


def test_short_real_text_is_not_a_placeholder():
    assert check_placeholder("Transformer以自注意力为核心，能够并行处理整个序列。") == []


def test_long_report_asking_readers_to_provide_feedback_is_not_a_placeholder():
    text = good_report() + "正文内容。" * 100 + "\n请提供反馈。"

    assert check_placeholder(text) == []


def test_opening_plan_after_an_interjection_is_a_preamble():
    text = "Certainly! I'll analyze the provided materials and compose the report.\n\nLet's begin:"

    assert ids(check_preamble(text)) == ["structure.preamble"]


def test_chinese_opening_plan_is_a_preamble():
    assert ids(check_preamble("首先，我需要检索论文的相关资料。")) == ["structure.preamble"]


def test_tool_call_tag_is_a_preamble():
    text = "# 报告\n\n<tool_call>{\"name\": \"rag_search\"}</tool_call>"

    assert ids(check_preamble(text)) == ["structure.preamble"]


def test_tool_call_json_block_is_a_preamble():
    text = '# 报告\n\n```json\n{"name": "rag_search", "arguments": {"query": "LLM"}}\n```'

    assert ids(check_preamble(text)) == ["structure.preamble"]


def test_report_mentioning_a_plan_later_is_not_a_preamble():
    text = good_report() + "\n让我们总结一下：本文的贡献在于解释挤压效应。\n"

    assert check_preamble(text) == []


def test_last_line_without_terminal_punctuation_is_truncated():
    text = good_report() + "\n特别是在解释SFT和DPO等常用方法的"

    assert ids(check_truncated(text)) == ["structure.truncated"]


def test_last_line_ending_with_a_citation_is_complete():
    assert check_truncated(good_report()) == []


def test_last_line_ending_with_a_full_stop_is_complete():
    assert check_truncated("全文完。\n\n") == []


def test_last_line_ending_with_a_closing_bracket_is_complete():
    assert check_truncated("正文。\n\n【字数约2560字，含注释】") == []


def test_unclosed_bracket_on_the_last_line_is_truncated():
    assert ids(check_truncated("正文。\n（例如在DPO中。")) == ["structure.truncated"]


def test_unclosed_code_fence_is_truncated():
    assert ids(check_truncated("正文。\n```python\nprint(1)\n")) == ["structure.truncated"]


def test_title_in_a_markdown_heading_is_found():
    text = good_report().replace("《测试阅读报告》", "# 测试阅读报告")

    assert check_title(text, REQUIREMENTS) == []


def test_missing_title_is_an_error():
    text = good_report().replace("《测试阅读报告》", "# 学习报告")

    assert [(f.check, f.severity) for f in check_title(text, REQUIREMENTS)] == [("structure.title_missing", "error")]


def test_title_far_down_the_report_is_missing():
    text = "前言。\n" * 6 + good_report()

    assert ids(check_title(text, REQUIREMENTS)) == ["structure.title_missing"]


def test_no_title_is_checked_when_none_was_asked():
    assert check_title("正文。", Requirements()) == []


def test_complete_sections_give_no_finding():
    assert check_sections(good_report(), REQUIREMENTS) == []


def test_missing_section_is_named():
    text = good_report().replace("（2）核心内容摘要", "（2）其他内容")

    findings = check_sections(text, REQUIREMENTS)

    assert [(f.check, f.section) for f in findings] == [("structure.section_missing", "核心内容摘要")]


def test_heading_with_words_inserted_is_missing_and_named_in_the_fix():
    text = good_report().replace("（2）核心内容摘要", "（二）核心研究内容的摘要")

    finding = check_sections(text, REQUIREMENTS)[0]

    assert finding.check == "structure.section_missing"
    assert "（二）核心研究内容的摘要" in finding.fix


def test_sections_out_of_order_are_reported():
    text = "《测试阅读报告》\n\n（2）核心内容摘要\n\n摘要正文。\n\n（1）论文基本信息\n\n信息正文。\n"

    assert ids(check_sections(text, REQUIREMENTS)) == ["structure.section_order"]


def test_heading_without_body_is_empty():
    text = "《测试阅读报告》\n\n（1）论文基本信息\n\n（2）核心内容摘要\n\n摘要正文。\n"

    findings = check_sections(text, REQUIREMENTS)

    assert [(f.check, f.section) for f in findings] == [("structure.section_empty", "论文基本信息")]


def test_section_markers_in_any_style_are_found():
    for first, second in [("一、", "二、"), ("## 1. ", "## 2. "), ("(1) ", "(2) "), ("1、", "2、"), ("**", "**")]:
        close = "**" if first == "**" else ""
        text = f"{first}论文基本信息{close}\n信息。\n{second}核心内容摘要{close}\n摘要。\n"

        assert check_sections(text, REQUIREMENTS) == [], first


def test_section_name_with_minor_punctuation_differences_is_found():
    text = "（1）论文 基本信息：\n信息。\n（2）核心内容·摘要\n摘要。\n"

    assert check_sections(text, REQUIREMENTS) == []


def test_a_sentence_starting_with_the_name_is_not_a_heading():
    text = "1. 论文基本信息的获取依赖于作者在会议官网公开的元数据与全文链接，以及相关资料。\n（2）核心内容摘要\n摘要。\n"

    assert ids(check_sections(text, REQUIREMENTS)) == ["structure.section_missing"]


def test_sections_of_gives_each_body():
    assert sections_of(good_report(), REQUIREMENTS)[0] == (
        "论文基本信息",
        f"论文题目：Learning Dynamics of LLM Finetuning，发表于ICLR 2025。{cite(0)}",
    )


def test_last_section_body_stops_at_the_next_heading_of_the_same_style():
    text = good_report() + "\n（3）结语\n\n结语正文。\n"

    body = dict(sections_of(text, REQUIREMENTS))["核心内容摘要"]

    assert "结语" not in body
    assert body.startswith("论文提出了")
