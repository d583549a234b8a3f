"""The meaning rules on an aligned pair given directly (pure logic: no embeddings involved)."""

from services.validate.alignment import Aligned
from services.validate.meaning import (
    antonyms,
    chinese_swaps,
    claim_quantities,
    comparisons,
    exception_mismatches,
    name_polarity,
    negated_sentence,
    negations,
    number_mismatches,
    place_mismatches,
    row_mismatches,
    ruled_out,
    swapped_roles,
    texts_to_encode,
)

TRANSFER = "在行政执法过程，若发现刑事犯罪的迹象，有关部门应主动将案件移送至有管辖权的司法机关。"
SHARE = "In our model, we share the same weight matrix between the two embedding layers and the pre-softmax linear transformation."
LEGISLATION = "或许我们可以借鉴德国、欧盟的立法经验，将不同的网络服务提供者根据服务类型进行划分。"


def aligned(sentence: str, similarity: float = 0.6) -> Aligned:
    return Aligned(sentence, similarity, similarity, 0)


def test_an_english_claim_negating_the_chinese_sentence_it_restates_is_a_polarity_mismatch():
    [mismatch] = negated_sentence("Administrative agencies need not transfer criminal cases to the judiciary.", aligned(TRANSFER))
    assert mismatch.kind == "polarity"
    assert mismatch.claim.startswith("denies")
    assert mismatch.evidence == "asserts"


def test_a_chinese_claim_negating_the_english_sentence_it_restates_is_a_polarity_mismatch():
    [mismatch] = negated_sentence("两个嵌入层各自使用独立的权重矩阵，不共享参数。", aligned(SHARE))
    assert mismatch.kind == "polarity"
    assert "不共享参数" in mismatch.claim


def test_a_claim_negated_like_the_sentence_it_restates_is_no_mismatch():
    assert negated_sentence("有关部门不得自行处理，应移送案件。", aligned("Agencies must not handle such cases themselves.")) == []


def test_a_sentence_barely_similar_to_the_claim_is_not_compared_for_negation():
    assert negated_sentence("两个嵌入层不共享参数。", aligned(SHARE, similarity=0.3)) == []


def test_a_sentence_much_longer_than_the_claim_is_not_compared_for_negation():
    long = SHARE + " " + " ".join(["This holds for every layer of the model and for both translation tasks."] * 4)
    assert negated_sentence("嵌入层不共享参数。", aligned(long)) == []


def test_a_sentence_lacking_the_claims_quantity_is_not_compared_for_negation():
    assert negated_sentence("The model does not share its 512-dimensional weight matrix.", aligned("在该模型中，两个嵌入层共享同一个权重矩阵。")) == []


def test_an_english_claim_naming_countries_the_chinese_text_never_names_is_a_name_mismatch():
    claim = "The author suggests drawing on US and Japanese legislation."
    [mismatch] = place_mismatches(claim, [aligned(LEGISLATION)], [LEGISLATION])
    assert (mismatch.kind, mismatch.claim, mismatch.evidence) == ("name", "日本、美国", "德国、欧盟")


def test_an_english_claim_naming_the_countries_of_the_chinese_text_is_no_mismatch():
    claim = "The author suggests drawing on German and EU legislation."
    assert place_mismatches(claim, [aligned(LEGISLATION)], [LEGISLATION]) == []


def test_a_chinese_claim_naming_a_city_the_english_text_never_names_is_a_name_mismatch():
    sentence = "31st Conference on Neural Information Processing Systems (NIPS 2017), Long Beach, CA, USA."
    [mismatch] = place_mismatches("该论文发表于NIPS 2017会议，会议地点是美国旧金山。", [aligned(sentence)], [sentence])
    assert (mismatch.claim, mismatch.evidence) == ("旧金山", "长滩")


def test_a_chinese_comparison_with_a_figure_on_its_far_side_is_read_as_a_comparison():
    [comparison] = comparisons("开源大模型的上下文窗口大于ChatGPT的4096。")
    assert (comparison.better, comparison.worse) == ("开源大模型的上下文窗口", "ChatGPT的4096")


def test_a_chinese_amount_after_chaoguo_is_not_a_comparison():
    assert comparisons("该平台的主播超过300位。") == []


def test_clauses_all_stated_alike_are_not_embedded_for_the_polarity_comparison():
    assert texts_to_encode("The model shares one weight matrix, which saves parameters.", [aligned(SHARE)]) == []


def test_clauses_differing_in_negation_are_embedded_for_the_polarity_comparison():
    texts = texts_to_encode("The model does not share the weight matrix, which costs parameters.", [aligned(SHARE)])
    assert texts == [
        "The model does not share the weight matrix",
        "which costs parameters.",
        "In our model",
        "we share the same weight matrix between the two embedding layers and the pre-softmax linear transformation.",
    ]


def test_shifou_asks_whether_and_negates_nothing():
    assert negations("通过检查短答案是否是生成文本的精确子串来计算") == 0


def test_an_english_verb_that_rules_something_out_is_a_negation():
    assert negations("This inherently sequential nature precludes parallelization within training examples") == 1


def test_an_irrelevant_passage_is_negated_as_the_chinese_bu_xiangguan_is():
    assert negations("open-book models are easily distracted by irrelevant passages") == negations("开卷模型容易被不相关的段落分散注意力") == 1


def test_not_hindering_is_no_negation():
    assert negations("循环模型的顺序计算并不妨碍训练样本内部的并行化") == 0


RECALL = "Our evaluation considers recall to be 100% if the prediction includes at least 5 correct answers (recall-5)."
MAUVE = "MAUVE for ASQA and ELI5 as QAMPARI only requires a list of short answers as the response."


def test_figures_stated_together_by_an_aligned_sentence_below_the_best_are_stated():
    sentences = [MAUVE, "We use an NLI model.", "It checks entailment.", "Other sentences follow.", RECALL]
    best, second = Aligned(MAUVE, 0.75, 0.50, 0), Aligned(RECALL, 0.70, 0.44, 4)
    assert number_mismatches("对于QAMPARI，只要预测包含至少5个正确答案，召回率就记为100%。", [best, second], sentences) == []


def test_one_figure_of_a_barely_aligned_sentence_below_the_best_is_not_stated_by_it():
    sentences = [MAUVE, "We use an NLI model.", "It checks entailment.", "Other sentences follow.", RECALL]
    best, second = Aligned(MAUVE, 0.75, 0.50, 0), Aligned(RECALL, 0.70, 0.30, 4)
    [mismatch] = number_mismatches("对于QAMPARI，召回率记为100%。", [best, second], sentences)
    assert mismatch.claim == "100"


def test_a_framing_phrase_before_a_clause_is_no_name_swap():
    evidence = "网络直播平台为网络直播提供媒介和技术支持，直播平台理应扮演净化直播空间环境的“守门人”角色。"
    assert chinese_swaps("作者认为直播平台理应扮演净化直播空间环境的“守门人”角色。", evidence) == []



def test_a_small_number_of_an_english_claim_is_not_checked():
    assert claim_quantities("The authors build metrics along four dimensions.") == []


def test_a_table_number_and_a_number_in_a_name_are_not_quantities_of_a_claim():
    assert claim_quantities("Table 12 shows that GPT-35 is strongest.") == []


DROPOUT = "The Transformer (big) model trained for English-to-French used dropout rate Pdrop = 0.1, instead of 0.3."


def test_a_quantity_the_evidence_rules_out_is_a_number_mismatch():
    [mismatch] = ruled_out("英法大模型使用的dropout率是0.3，而不是0.1。", aligned(DROPOUT))
    assert (mismatch.kind, mismatch.claim) == ("number", "0.3")


def test_a_quantity_ruled_out_on_both_sides_is_no_mismatch():
    assert ruled_out("英法大模型使用的dropout率是0.1，而不是0.3。", aligned(DROPOUT)) == []


TABLE = ("Model BLEU EN-DE EN-FR ByteNet [18] 23.75 Deep-Att + PosUnk [39] 39.2 GNMT + RL [38] 24.6 39.92 "
         "ConvS2S [9] 25.16 40.46 MoE [32] 26.03 40.56")


def test_a_claim_giving_one_table_rows_scores_to_another_row_is_a_name_mismatch():
    [mismatch] = row_mismatches("In Table 2, ByteNet scores 25.16 BLEU on EN-DE and 40.46 on EN-FR.", [aligned(TABLE)])
    assert (mismatch.kind, mismatch.claim, mismatch.evidence) == ("name", "ByteNet", "ConvS2S")


def test_a_claim_giving_a_rows_scores_to_its_own_name_is_no_mismatch():
    assert row_mismatches("In Table 2, ConvS2S scores 25.16 BLEU on EN-DE and 40.46 on EN-FR.", [aligned(TABLE)]) == []


def test_a_figure_a_better_aligned_sentence_states_is_not_read_from_the_table():
    prose = aligned("The big model outperforms the best previously reported models by more than 2.0 BLEU.")
    assert row_mismatches("The Transformer improves on the best models by more than 2.0 BLEU.", [prose, aligned(TABLE + " Transformer (big) 28.4 41.8 MoE 2.0")]) == []


SUPERVISION = "目前对于网络直播平台的监管仍以行政监管为主力，其中涵盖资质许可、违规监管、行政处罚等环节。"


def test_a_term_swapped_for_another_the_source_uses_in_that_context_is_a_name_mismatch():
    [mismatch] = chinese_swaps("目前对网络直播平台的监管仍以刑法监管为主力。", SUPERVISION, "2.2.2 刑法监管现状 " + SUPERVISION)
    assert (mismatch.claim, mismatch.evidence) == ("刑法", "行政")


def test_a_word_the_source_never_uses_in_that_context_is_no_term_swap():
    assert chinese_swaps("目前对网络直播平台的监管仍以政府监管为主力。", SUPERVISION, SUPERVISION) == []


def test_a_place_swapped_in_a_claim_shortening_the_sentence_is_a_name_mismatch():
    evidence = "2023年4月，某网络直播平台用户在直播时经常引导用户进行低俗互动，组织煽动粉丝进行互撕谩骂，最终被通渭县委网信办联合通渭县公安网安大队民警对该用户进行约谈教育。"
    [mismatch] = chinese_swaps("2023年4月，用户因引导低俗互动，被兰州市委网信办联合公安网安大队约谈教育。", evidence)
    assert (mismatch.claim, mismatch.evidence) == ("兰州市", "通渭县")


BODIES = "监管的部门有文化部、公安部等部门，如文化部负责文艺表演，国家新闻出版广电总局负责网络影视剧内容。"


def test_two_bodies_given_each_others_duties_are_a_direction_mismatch():
    [mismatch] = swapped_roles("国家新闻出版广电总局负责文艺表演，文化部负责网络影视剧内容。", BODIES)
    assert mismatch.kind == "direction"


def test_two_bodies_given_their_own_duties_are_no_mismatch():
    assert swapped_roles("文化部负责文艺表演，国家新闻出版广电总局负责网络影视剧内容。", BODIES) == []


DATA = "We find that data of Vicuna and Oasst contain examples similar to our citing format, while Alpaca's data do not have such instances."


def test_a_name_moved_from_the_asserted_to_the_negated_side_of_a_contrast_is_a_polarity_mismatch():
    [mismatch] = name_polarity("Alpaca和Oasst的训练数据包含与引用格式相似的样例，而Vicuna的数据没有。", DATA)
    assert (mismatch.kind, mismatch.claim) == ("polarity", "asserts of Alpaca")


def test_a_name_in_a_clause_without_contrast_keeps_no_polarity_of_its_own():
    evidence = "The limitation is that RERANK does not improve the correctness and costs n times more compute."
    assert name_polarity("RERANK持续提升引用质量，但不提升正确性。", evidence) == []


def test_a_chinese_word_replaced_by_its_antonym_in_the_same_context_is_a_polarity_mismatch():
    [mismatch] = antonyms("网络直播领域准入门槛高、经营成本大。", "在网络直播领域，准入门槛低、经营成本少、行为获利快。")
    assert mismatch.claim == "says “门槛高”, the opposite of"


def test_an_english_word_replaced_by_its_antonym_in_the_same_context_is_a_polarity_mismatch():
    [mismatch] = antonyms("Rows (C) and (D) show that smaller models are better.", "We observe in rows (C) and (D) that bigger models are better.")
    assert mismatch.evidence == "says (“bigger models are”)"


def test_a_comparison_restated_from_the_other_side_is_no_antonym():
    assert antonyms("Dot products grow lower than sums.", "Sums grow higher than dot products.") == []


PARSERS = "Our model yields better results than all previously reported models with the exception of the Recurrent Neural Network Grammar [8]."


def test_a_name_the_claim_includes_and_the_evidence_excepts_is_a_polarity_mismatch():
    [mismatch] = exception_mismatches("The Transformer beats every reported parser, including the Recurrent Neural Network Grammar.", [aligned(PARSERS)])
    assert mismatch.claim == "includes Recurrent"


def test_a_name_excepted_on_both_sides_is_no_mismatch():
    assert exception_mismatches("The Transformer beats every reported parser except the Recurrent Neural Network Grammar.", [aligned(PARSERS)]) == []


def test_a_comparison_side_ends_before_its_conditions_and_citation():
    [found] = comparisons("Additive attention outperforms dot product attention without scaling for larger values of dk [3].")
    assert (found.better, found.worse) == ("Additive attention", "dot product attention without scaling")


def test_a_month_of_a_date_in_an_english_claim_is_checked():
    assert [q.value for q in claim_quantities("The paper was published on 30 June 2024.")] == [30.0, 6.0, 2024.0]


def test_a_span_holding_punctuation_is_not_a_swapped_name():
    claim = "这个案例中，主播陈某利用直播平台的便利条件欺骗消费者。"
    sentence = "网络直播作为电子商务的一种实现类型，《电子商务法》的颁布解决了诸多直播平台监管的相关法律问题。"
    assert chinese_swaps(claim, sentence) == []
