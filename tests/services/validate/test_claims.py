"""Check 5: claims without a citation."""

from services.validate.claims import check_uncited
from shared.requirements import Requirements

CITED = Requirements(cite_sources=True)


def checks(text: str, requirements: Requirements = CITED) -> list[tuple[str, str]]:
    return [(f.check, f.severity) for f in check_uncited(text, requirements)]


def test_uncited_number_is_an_error_when_sources_are_required():
    assert checks("模型在测试集上取得了28.4的分数。\n") == [("claim.uncited", "error")]


def test_uncited_number_is_a_warning_when_sources_are_not_required():
    assert checks("模型在测试集上取得了28.4的分数。\n", Requirements()) == [("claim.uncited", "warning")]


def test_uncited_comparison_is_a_warning():
    assert checks("该方法明显优于以往的方法。\n") == [("claim.uncited", "warning")]


def test_cited_claim_is_not_flagged():
    assert checks("模型取得了28.4的分数。[文档: a.pdf, page 2]\n") == []


def test_headings_and_title_are_not_claims():
    assert checks("《GPT-4 报告》\n## 2. Transformer 架构\n") == []


def test_plain_opinion_is_not_a_claim():
    assert checks("这一问题值得进一步思考。\n") == []


def test_stated_length_is_left_to_the_length_check():
    assert checks("全文字数约2560字。\n") == []


def test_uncited_person_name_is_a_fact():
    assert checks("该论文的作者是Yi Ren。\n") == [("claim.uncited", "error")]


def test_lone_acronym_is_not_a_claim():
    assert checks("本节讨论LLM的微调。\n") == []


def test_a_bold_term_label_introducing_a_list_is_not_a_claim():
    text = "2. **直接偏好优化（Direct Preference Optimization, DPO）**：\n   - 一种偏好微调方法。[文档: paper.pdf, page 2]\n"

    assert checks(text) == []
