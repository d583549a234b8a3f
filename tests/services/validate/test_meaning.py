"""Each comparison rule of the support check, with an error it catches and a correct claim it must
not flag (real multilingual embeddings)."""

import pytest

from services.validate.alignment import Aligned
from services.validate.meaning import negated_sentence
from services.validate.support import judge_claim, judge_claims

ATTENTION = (
    "We propose a new simple network architecture, the Transformer, based solely on attention mechanisms, "
    "dispensing with recurrence and convolutions entirely. "
    "In our model, we share the same weight matrix between the two embedding layers and the pre-softmax linear "
    "transformation. The Transformer outperforms the BerkeleyParser even when training only on the WSJ training set "
    "of 40K sentences. Jakob proposed replacing RNNs with self-attention and started the effort to evaluate this idea."
)
LIVE = (
    "截至 2023 年，我国网络直播用户规模达 8.16 亿，占据整体网民的 74.7%，其中电商直播用户规模为 5.97 亿人。"
    "但在该案中，斗鱼直播平台却未受到处罚。"
    "主播陈某被绍兴市市场监督管理局依法没收违法所得 2106 元，罚款 30,000 元。"
)


def kinds(claim: str, evidence: str) -> list[str]:
    return [m.kind for m in judge_claim(claim, [evidence]).mismatches]


def test_an_altered_number_is_an_error_naming_both_numbers():
    [mismatch] = judge_claim("我国网络直播用户规模达8.61亿。", [LIVE]).mismatches
    assert mismatch.kind == "number"
    assert mismatch.claim == "8.61亿"
    assert "8.16 亿" in mismatch.sentence


def test_a_number_written_in_another_script_is_not_flagged():
    assert judge_claim("网络直播用户约占全体网民的百分之七十四点七。", [LIVE]).supported


def test_a_chinese_year_that_differs_is_an_error():
    assert "number" in kinds("截至二〇二二年，我国网络直播用户规模达8.16亿。", LIVE)


def test_a_fine_in_ten_thousands_matches_the_evidence_in_digits():
    assert judge_claim("主播陈某被绍兴市市场监督管理局罚款3万元。", [LIVE]).supported


def test_a_claim_asserting_what_the_evidence_negates_is_an_error():
    [mismatch] = judge_claim("在该案中，斗鱼直播平台也受到了处罚。", [LIVE]).mismatches
    assert mismatch.kind == "polarity"
    assert "未受到处罚" in mismatch.sentence


def test_a_claim_negating_like_the_evidence_is_not_flagged():
    assert judge_claim("在该案中，斗鱼直播平台并未受到处罚。", [LIVE]).supported


def test_a_chinese_claim_negating_what_an_english_source_asserts_is_an_error():
    assert kinds("两个嵌入层与softmax前的线性变换不共享同一个权重矩阵。", ATTENTION) == ["polarity"]


def test_a_chinese_claim_asserting_what_an_english_source_asserts_is_not_flagged():
    assert judge_claim("两个嵌入层与softmax前的线性变换共享同一个权重矩阵。", [ATTENTION]).supported


def test_a_reversed_comparison_is_an_error():
    assert kinds("在WSJ训练集上，BerkeleyParser超过了Transformer。", ATTENTION) == ["direction"]


def test_a_comparison_in_the_evidence_direction_is_not_flagged():
    assert judge_claim("在WSJ训练集上，Transformer超过了BerkeleyParser。", [ATTENTION]).supported


def test_a_name_swapped_for_another_the_source_mentions_is_an_error():
    [mismatch] = judge_claim("According to the paper, Noam proposed replacing RNNs with self-attention.", ["Noam proposed scaled dot-product attention. " + ATTENTION]).mismatches
    assert mismatch.kind == "name"
    assert mismatch.claim == "Noam"
    assert "Jakob" in mismatch.evidence


def test_the_right_name_is_not_flagged():
    assert judge_claim("According to the paper, Jakob proposed replacing RNNs with self-attention.", [ATTENTION]).supported


def test_a_chinese_place_swapped_for_another_is_an_error():
    [mismatch] = judge_claim("主播陈某被杭州市市场监督管理局没收违法所得2106元。", [LIVE]).mismatches
    assert mismatch.kind == "name"
    assert (mismatch.claim, mismatch.evidence) == ("杭州", "绍兴")


def test_a_parenthetical_gloss_is_not_demanded_from_a_chinese_source():
    assert judge_claim("斗鱼直播平台（Douyu）却未受到处罚。", [LIVE]).supported


def test_a_claim_unrelated_to_the_cited_text_is_a_doubt():
    verdict = judge_claim("申请英国硕士留学通常需要雅思成绩达到6.5分。", [LIVE])
    assert verdict.doubt
    assert not verdict.supported


def test_a_chinese_claim_still_needing_what_the_english_source_dispenses_with_is_an_error():
    assert "polarity" in kinds("Transformer完全基于注意力机制，但仍然需要循环结构。", ATTENTION)


def test_a_chinese_claim_dispensing_with_it_like_the_english_source_is_not_flagged():
    assert judge_claim("Transformer完全基于注意力机制，彻底摒弃了循环和卷积结构。", [ATTENTION]).supported


def test_a_comparison_with_a_figure_reversed_against_the_source_is_an_error():
    source = "ChatGPT has a context window of 4,096, larger than any open-source LLMs."
    assert kinds("开源大模型的上下文窗口大于ChatGPT的4096。", source) == ["direction"]


@pytest.mark.parametrize("claim", ["在保持计算量不变的情况下，模型使用了8个注意力头。", "训练过程不稳定时，作者降低了学习率。"])
def test_a_word_that_only_begins_with_a_negation_character_is_no_negation(claim):
    evidence = "Keeping the amount of computation constant, the model uses 8 heads; when training was unstable, the authors lowered the learning rate."
    assert "polarity" not in kinds(claim, evidence)


def test_a_chinese_claim_restating_the_positive_half_of_an_instead_sentence_is_not_flagged():
    source = (
        "In this work we propose the Transformer, a model architecture eschewing recurrence and instead relying "
        "entirely on an attention mechanism to draw global dependencies between input and output."
    )
    assert kinds("Transformer完全依赖于注意力机制来捕捉输入和输出之间的全局依赖关系。", source) == []


def test_a_claim_restating_both_halves_of_a_without_sentence_is_not_flagged():
    source = (
        "To the best of our knowledge, however, the Transformer is the first transduction model relying entirely on "
        "self-attention to compute representations of its input and output without using sequence-aligned RNNs."
    )
    claim = "Transformer是第一个完全依赖自注意力来计算输入和输出表示的转换模型，而没有使用序列对齐的RNN。"
    assert kinds(claim, source) == []


def test_a_year_the_source_writes_inside_a_name_is_stated():
    source = "All metrics are on the English-to-German translation development set, newstest2013."
    assert kinds("所有指标都基于英德翻译开发集newstest 2013年版。", source) == []


def test_another_year_than_the_one_inside_a_name_is_a_number_mismatch():
    source = "All metrics are on the English-to-German translation development set, newstest2013."
    assert kinds("所有指标都基于英德翻译开发集newstest 2012年版。", source) == ["number"]


def test_claims_judged_in_one_batch_get_the_verdicts_each_gets_alone():
    claims = [
        ("两个嵌入层与softmax前的线性变换不共享同一个权重矩阵。", [ATTENTION]),
        ("The Transformer does not outperform the BerkeleyParser on the WSJ training set.", [ATTENTION]),
        ("在该案中，斗鱼直播平台也受到了处罚。", [LIVE]),
        ("我国网络直播用户规模达8.61亿。", [LIVE]),
    ]
    assert judge_claims(claims) == [judge_claim(claim, texts) for claim, texts in claims]


def test_a_chinese_negation_restating_an_english_un_word_is_not_a_polarity_mismatch():
    source = "Unlisted values are identical to those of the base model."
    assert kinds("未列出的值与基础模型相同。", source) == []


RECURRENT = "Recurrent models typically factor computation along the symbol positions of the input and output sequences."
PRECLUDES = "This inherently sequential nature precludes parallelization within training examples."


def test_a_claims_negation_restated_by_another_aligned_sentence_is_not_judged_against_the_best():
    claim = "循环模型沿着输入输出序列的符号位置进行计算，这种固有的顺序性使训练样本内部无法并行。"
    assert negated_sentence(claim, Aligned(RECURRENT, 0.45, 0.45, 0), [Aligned(PRECLUDES, 0.41, 0.41, 1)]) == []


def test_a_claim_restating_the_positive_half_of_an_and_that_sentence_is_not_flagged():
    source = (
        "This suggests that determining compatibility is not easy and that a more sophisticated compatibility "
        "function than dot product may be beneficial."
    )
    assert kinds("这表明确定兼容性并不容易，更高级的兼容函数可能更有帮助。", source) == []


def test_fangzhi_restating_prevent_is_not_a_polarity_mismatch():
    source = "We need to prevent leftward information flow in the decoder to preserve the auto-regressive property."
    assert kinds("需要防止解码器中向左的信息流，以保持自回归特性。", source) == []


def test_bimian_restating_avoiding_is_not_a_polarity_mismatch():
    source = "We further observe that bigger models are better, and dropout is very helpful in avoiding over-fitting."
    assert kinds("dropout对避免过拟合非常有帮助。", source) == []


CASE = (
    "2016 年至 2023 年期间我国对此进行了数次专项整治活动，出现了许多典型案例：2022 年 5 月，主播陈某在网络直播平台"
    "销售一款珍珠盲盒秒拍产品宣称现场取珠，最终被绍兴市市场监督管理局依法没收违法所得 2106 元。"
)


def test_a_month_dated_to_a_year_the_evidence_names_only_as_a_period_start_is_an_error():
    [mismatch] = judge_claim("2016年5月，主播陈某在网络直播平台销售珍珠盲盒秒拍产品，被没收违法所得2106元。", [CASE]).mismatches
    assert (mismatch.kind, mismatch.claim, mismatch.evidence) == ("number", "2016年5月", "2022年5月")


def test_a_month_dated_as_the_evidence_dates_it_is_supported():
    assert judge_claim("2022年5月，主播陈某在网络直播平台销售珍珠盲盒秒拍产品，被没收违法所得2106元。", [CASE]).supported


def test_a_word_negated_by_its_prefix_alone_does_not_deny_a_claim():
    evidence = (
        "We present CiteCheck, a verification loop for retrieval-augmented generation (RAG) that checks every "
        "cited passage with an entailment model and asks the writer to repair unsupported sentences."
    )
    assert "polarity" not in kinds("作者提出了一种验证循环，用于检索增强生成（RAG）中的引用段落，并检查每个引用段落是否与 entailment模型一致。", evidence)


def test_a_claim_restating_the_clause_after_and_have_is_not_denied_by_the_instead_of_before_it():
    evidence = (
        "End-to-end memory networks are based on a recurrent attention mechanism instead of sequence-aligned "
        "recurrence and have been shown to perform well on simple-language question answering and language modeling tasks."
    )
    claim = "端到端记忆网络基于循环注意力机制而不是序列对齐递归，已经在简单的语言问答和语言建模任务上取得了很好的效果。"
    assert "polarity" not in kinds(claim, evidence)
