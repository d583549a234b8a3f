from shared.retrieval import BM25, coverage, rank_units, tokenize
from shared.units import Unit


def unit(source: str, index: int, text: str) -> Unit:
    return Unit(source=source, kind="page", index=index, text=text, method="test")


def test_latin_words_are_lower_cased_tokens():
    assert tokenize("The Transformer, v2!") == ["the", "transformer", "v2"]


def test_chinese_text_becomes_character_bigrams():
    assert tokenize("注意力机制") == ["注意", "意力", "力机", "机制"]


def test_a_lone_chinese_character_is_its_own_token():
    assert tokenize("和 GPT") == ["gpt", "和"]


def test_rarer_terms_weigh_more():
    index = BM25(["attention model", "model data", "model code"])
    scores = index.scores("attention model")
    assert scores[0] > scores[1] == scores[2] > 0


def test_units_are_ranked_best_first():
    units = [unit("a.pdf", 1, "data pipelines and storage"), unit("a.pdf", 2, "attention heads attend to attention")]
    assert [u.index for u, _ in rank_units("attention", units, 2)] == [2]


def test_chinese_query_finds_chinese_unit_without_a_segmenter():
    units = [unit("a.pdf", 1, "位置编码提供顺序信息。"), unit("a.pdf", 2, "多头注意力机制并行计算。")]
    assert rank_units("注意力机制是什么", units, 1)[0][0].index == 2


def test_ties_break_by_source_then_index():
    units = [unit("b.pdf", 1, "attention"), unit("a.pdf", 2, "attention"), unit("a.pdf", 1, "attention")]
    assert [(u.source, u.index) for u, _ in rank_units("attention", units, 3)] == [("a.pdf", 1), ("a.pdf", 2), ("b.pdf", 1)]


def test_rank_returns_at_most_k_units():
    units = [unit("a.pdf", i, "attention") for i in range(1, 6)]
    assert len(rank_units("attention", units, 2)) == 2


def test_units_sharing_no_token_are_left_out():
    assert rank_units("attention", [unit("a.pdf", 1, "storage")], 3) == []


def test_coverage_is_the_share_of_query_tokens_found():
    assert coverage("attention heads model", "the model has heads") == 2 / 3


def test_an_index_scores_with_the_tokenizer_it_was_given():
    index = BM25(["注意力机制", "数据管道"], tokenizer=list)
    assert index.scores("注")[0] > 0 == index.scores("注")[1]
