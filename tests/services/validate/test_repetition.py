"""Repeated sentences and paragraphs, in Chinese and English."""

from services.validate.checks import run_checks
from services.validate.repetition import check_repetition
from shared.requirements import Requirements
from shared.units import EvidencePack

ZH_A = "Transformer完全依靠注意力机制来建立输入和输出之间的全局依赖关系[文档: paper.pdf, page 2]。"
ZH_A_AGAIN = "Transformer完全依赖注意力机制来建立输入与输出之间的全局依赖关系[文档: paper.pdf, page 3]。"
ZH_B = "多头注意力允许模型同时关注不同表示子空间中不同位置的信息[文档: paper.pdf, page 5]。"
ZH_B_PARAPHRASE = "多头注意力使模型能够同时关注来自不同表示子空间的信息[文档: paper.pdf, page 5]。"
EN_A = "The Transformer relies entirely on an attention mechanism to draw global dependencies [文档: paper.pdf, page 2]."
EN_A_AGAIN = "The Transformer relies entirely on attention mechanisms to draw global dependencies [文档: paper.pdf, page 2]."
EN_DE = "The model achieves 28.4 BLEU on the WMT 2014 English-to-German translation task [文档: paper.pdf, page 8]."
EN_FR = "The model achieves 41.8 BLEU on the WMT 2014 English-to-French translation task [文档: paper.pdf, page 8]."
ZH = Requirements(language="zh")


def report(*paragraphs: str) -> str:
    return "《阅读报告》\n\n## 核心内容\n\n" + "\n\n".join(paragraphs)


def test_a_chinese_sentence_repeated_with_other_words_here_and_there_is_an_error_naming_the_later_one():
    (finding,) = check_repetition(report(ZH_A + ZH_B, ZH_A_AGAIN), ZH)
    assert (finding.check, finding.severity, finding.sentence) == ("repetition.sentence", "error", ZH_A_AGAIN)
    assert ZH_A[:20] in finding.evidence
    assert finding.section == "核心内容"


def test_an_english_sentence_repeated_nearly_word_for_word_is_an_error():
    assert [f.sentence for f in check_repetition(report(EN_A, EN_A_AGAIN), Requirements(language="en"))] == [EN_A_AGAIN]


def test_sentences_alike_but_stating_other_numbers_are_not_repeats():
    assert check_repetition(report(EN_DE + " " + EN_FR), Requirements(language="en")) == []


def test_a_paraphrase_in_other_words_is_not_a_repeat():
    assert check_repetition(report(ZH_A + ZH_B_PARAPHRASE, ZH_B), ZH) == []


def test_a_repeated_paragraph_is_one_finding_naming_its_first_sentence():
    findings = check_repetition(report(ZH_A + ZH_B, ZH_A_AGAIN + ZH_B), ZH)
    assert [(f.check, f.sentence) for f in findings] == [("repetition.paragraph", ZH_A_AGAIN)]


def test_short_labels_are_not_compared():
    labels = "页数：15 页[文档: paper.pdf, page 1]。"
    assert check_repetition(report(labels, labels), ZH) == []


def test_the_validator_runs_the_repetition_check():
    findings = run_checks(report(ZH_A, ZH_A), ZH, EvidencePack(task_id="t", units=[]))
    assert "repetition.sentence" in {f.check for f in findings}
