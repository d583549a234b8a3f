"""Bad input to the whole validator: findings with reasons, never a crash, never a hang."""

from services.validate.checks import run_checks
from tests.services.validate.reports import PACK, REQUIREMENTS, cite, good_report, with_length

QUERY = "请根据我提供的论文撰写《测试阅读报告》，包含（1）论文基本信息；（2）核心内容摘要。注明来源。"


def checks(text: str) -> set[str]:
    return {f.check for f in run_checks(text, REQUIREMENTS, PACK, QUERY)}


def test_a_report_without_citations_is_told_each_section_lacks_them():
    text = good_report().replace(cite(0), "").replace(cite(1), "").replace(cite(4), "")

    assert {"citation.missing", "coverage.main_uncited"} <= checks(text)


def test_a_report_of_citations_only_is_not_a_report():
    findings = run_checks("\n".join([cite(0), cite(1), cite(4)] * 30), REQUIREMENTS, PACK, QUERY)

    assert [(f.check, "only citations" in f.message) for f in findings] == [("structure.placeholder", True)]


def test_unbalanced_brackets_are_reported_as_a_cut_off_report():
    text = good_report() + "\n结尾一句【未闭合的括号"

    assert "structure.truncated" in checks(text)


def test_unbalanced_brackets_leave_the_citations_after_them_checked():
    text = good_report().replace("（2）核心内容摘要\n\n", "（2）核心内容摘要\n\n甲【乙[丙。[文档: other.pdf, page 1]\n")

    assert "citation.unresolved" in checks(text)


def test_a_citation_to_a_source_that_does_not_exist_is_unresolved_with_the_known_sources():
    text = good_report().replace(cite(1), "[文档: missing.pdf, page 2]")

    finding = next(f for f in run_checks(text, REQUIREMENTS, PACK, QUERY) if f.check == "citation.unresolved")

    assert "missing.pdf" in finding.message
    assert "paper.pdf" in finding.fix


def test_mixed_scripts_are_read_and_checked():
    text = good_report() + "\nСмешанный текст 混合 العربية 텍스트 ελληνικά [文档: paper.pdf, page 9]。\n"

    assert "citation.unresolved" in checks(text)


def test_a_megabyte_report_is_checked():
    paragraph = f"论文提出了分解微调学习动态的框架，并解释了挤压效应。{cite(1)} The model is fast; 61% [Doc: x.pdf, page 2].\n"
    text = good_report() + paragraph * (1_000_000 // len(paragraph))

    findings = run_checks(text, with_length(2000, 3000), PACK, QUERY)

    assert {"length.too_long", "citation.unresolved"} <= {f.check for f in findings}
