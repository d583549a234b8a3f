"""Claims, not brackets: one finding per citation group, sentences judged on the union of their citations."""

from services.validate.citations import check_citations
from services.validate.support import check_support
from shared.citations import unit_citation
from shared.requirements import Requirements
from shared.units import EvidencePack, Unit

REQUIREMENTS = Requirements(language="zh")
PAGES = [
    "The model reaches 28.4 BLEU on WMT 2014.",
    "Training took 3.5 days on eight P100 GPUs.",
    "因果掩码保证解码器只看到之前的位置。",
]
PACK = EvidencePack(
    task_id="t",
    units=[Unit(source="paper.pdf", kind="page", index=n, text=t, method="pypdf") for n, t in enumerate(PAGES, 1)],
)


def cite(page: int) -> str:
    return unit_citation(PACK.units[page - 1])


def checks(findings, check):
    return [f for f in findings if f.check == check]


def test_a_bracket_of_unresolved_chunks_is_one_finding():
    text = '模型很好[long_context: "没有这个网页", chunk 1,2,3]。'

    assert len(checks(check_citations(text, REQUIREMENTS, PACK), "citation.unresolved")) == 1


def test_an_unresolved_finding_names_its_sentence_by_index():
    text = f"第一句。{cite(1)}第二句[文档: other.pdf, page 1]。"

    finding = checks(check_citations(text, REQUIREMENTS, PACK), "citation.unresolved")[0]

    assert (finding.sentence_index, finding.sentence) == (1, "第二句[文档: other.pdf, page 1]。")


def test_a_noncanonical_bracket_with_a_section_locator_is_one_warning_naming_it():
    findings = check_citations("模型在WMT 2014上取得28.4 BLEU【paper.pdf, Section 3.2】。", REQUIREMENTS, PACK)

    assert [(f.check, "Section 3.2" in f.message) for f in findings] == [("citation.noncanonical", True)]


def test_a_shorthand_for_the_previous_source_resolves():
    text = f"模型在WMT 2014上取得28.4 BLEU{cite(1)}。训练用了3.5天【page 2】。"

    assert checks(check_citations(text, REQUIREMENTS, PACK), "citation.unresolved") == []


def test_a_sentence_is_judged_against_the_union_of_its_citations():
    text = f"模型在WMT 2014上取得28.4 BLEU{cite(1)}，训练用了3.5天{cite(2)}。"

    assert check_support(text, REQUIREMENTS, PACK) == []


def test_an_unresolved_citation_does_not_make_a_supported_sentence_unsupported():
    text = f"模型在WMT 2014上取得28.4 BLEU{cite(1)}[文档: other.pdf, page 9]。"

    assert check_support(text, REQUIREMENTS, PACK) == []


def test_a_sentence_beside_an_unresolved_citation_is_at_most_a_warning():
    text = f"模型在WMT 2016上取得30.1 BLEU{cite(1)}[文档: other.pdf, page 9]。"

    assert {f.severity for f in check_support(text, REQUIREMENTS, PACK)} == {"warning"}


def test_a_parenthetical_english_gloss_is_not_demanded_from_a_chinese_source():
    text = f"因果掩码（causal masking）保证解码器只看到之前的位置。{cite(3)}"

    assert check_support(text, REQUIREMENTS, PACK) == []
