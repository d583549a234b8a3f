from bench.retrieval import evaluate, labelled_queries
from shared.retrieval import tokenize
from shared.units import Unit


def chunk(index: int, title: str, text: str) -> Unit:
    return Unit(source="long_context.json", kind="chunk", index=index, text=text, method="test", title=title)


UNITS = [
    chunk(0, "注意力", "注意力机制让模型关注输入的不同位置。"),
    chunk(0, "数据", "数据管道负责清洗和存储训练数据。"),
]


def test_a_citing_sentence_becomes_a_query_labelled_with_the_chunk_it_cites():
    report = '模型会关注输入的不同位置[long_context: "注意力", chunk 0]。数据需要清洗。'

    assert labelled_queries(UNITS, [report]) == [("模型会关注输入的不同位置。", frozenset({0}))]


def test_recall_counts_a_query_whose_cited_chunk_ranks_first():
    queries = [("数据管道的清洗", frozenset({1})), ("注意力机制", frozenset({1}))]

    result = evaluate([(UNITS, queries)], tokenize)

    assert (result["recall@1"], result["mrr"]) == (0.5, 0.75)
