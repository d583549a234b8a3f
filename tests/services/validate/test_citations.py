"""Citation checks on a hand-made pack."""

from services.validate.citations import check_citations, check_sections_cited
from tests.services.validate.reports import PACK, REQUIREMENTS, WEB_TITLE, cite, good_report


def unresolved(text):
    return [f for f in check_citations(text, REQUIREMENTS, PACK) if f.check == "citation.unresolved"]


def with_citation(bracket: str) -> str:
    """The good report with one more cited sentence in section (2)."""
    return good_report() + f"该方法显著提升了对齐效果。{bracket}\n"


def test_resolving_citations_give_no_finding():
    assert check_citations(good_report(), REQUIREMENTS, PACK) == []


def test_unknown_source_is_unresolved():
    findings = unresolved(with_citation("[文档: other.pdf, page 1]"))

    assert len(findings) == 1
    assert "other.pdf" in findings[0].message


def test_unresolved_finding_names_bracket_sentence_and_section():
    bracket = "[文档: other.pdf, page 1]"

    finding = unresolved(with_citation(bracket))[0]

    assert finding.citation == bracket
    assert finding.sentence == f"该方法显著提升了对齐效果。{bracket}"
    assert finding.section == "核心内容摘要"


def test_page_beyond_the_page_count_is_unresolved_and_the_last_page_suggested():
    finding = unresolved(with_citation("[文档: paper.pdf, page 7]"))[0]

    assert "1–3" in finding.message
    assert cite(2) in finding.fix


def test_chunk_that_does_not_exist_is_unresolved():
    finding = unresolved(with_citation(f'[long_context: "{WEB_TITLE}", chunk 9]'))[0]

    assert "0–2" in finding.message
    assert cite(5) in finding.fix


def test_title_matching_no_page_is_unresolved_and_the_closest_title_suggested():
    finding = unresolved(with_citation('[long_context: "Transformer模型PyTorch实现：从原理到代码解析", chunk 1]'))[0]

    assert "title" in finding.message
    assert WEB_TITLE in finding.fix


def test_truncated_web_title_resolves():
    assert unresolved(with_citation(f'[long_context: "{WEB_TITLE[:20]}", chunk 1]')) == []


def test_noncanonical_bracket_is_a_warning_with_the_canonical_form_as_fix():
    canonical = cite(1)
    variant = canonical.replace(": ", "：").replace(", ", "，")
    assert variant != canonical

    findings = check_citations(with_citation(variant), REQUIREMENTS, PACK)

    assert [(f.check, f.severity, f.citation) for f in findings] == [("citation.noncanonical", "warning", variant)]
    assert canonical in findings[0].fix


def test_section_without_citation_is_missing_citations():
    text = good_report().replace(cite(0), "")

    findings = check_sections_cited(text, REQUIREMENTS)

    assert [(f.check, f.severity, f.section) for f in findings] == [("citation.missing", "error", "论文基本信息")]


def test_missing_citations_are_a_warning_when_sources_were_not_asked_for():
    text = good_report().replace(cite(0), "")

    findings = check_sections_cited(text, REQUIREMENTS.model_copy(update={"cite_sources": False}))

    assert [f.severity for f in findings] == ["warning"]


def test_every_section_cited_gives_no_missing_citation():
    assert check_sections_cited(good_report(), REQUIREMENTS) == []
