"""Alignment: evidence sentences by meaning, with embeddings taken from the pack when it has them."""

from services.validate.alignment import align, prime
from services.validate.support import check_support
from shared import embeddings
from shared.citations import unit_citation
from shared.evidence_sentences import evidence_sentences, with_vectors
from shared.report import read_report
from shared.requirements import Requirements
from shared.units import EvidencePack, Unit

PAGES = [
    "The Transformer relies entirely on self-attention. It uses no recurrence at all.",
    "Training took twelve hours on eight GPUs. The weather was not recorded.",
]
PACK = EvidencePack(
    task_id="t",
    units=[Unit(source="paper.pdf", kind="page", index=n, text=t, method="pypdf") for n, t in enumerate(PAGES, 1)],
)
REPORT = f"# 报告\n\n## 方法\n\nTransformer完全依赖自注意力机制。{unit_citation(PACK.units[0])}\n\n本节不引用来源。\n"


def test_a_chinese_claim_is_aligned_with_the_english_sentence_it_restates():
    best = align("Transformer完全依赖自注意力机制。", evidence_sentences(PAGES))[0]
    assert best.sentence == "The Transformer relies entirely on self-attention."


def test_with_the_packs_vectors_only_the_reports_citing_sentences_are_encoded():
    pack = with_vectors(PACK)
    embeddings._cache.clear()
    prime(read_report(REPORT), pack)
    assert set(embeddings._cache) == set(pack.vectors.keys) | {embeddings.key("Transformer完全依赖自注意力机制。")}


def test_without_vectors_the_cited_units_sentences_are_encoded_and_no_others():
    embeddings._cache.clear()
    prime(read_report(REPORT), PACK)
    assert embeddings.key("The weather was not recorded.") not in embeddings._cache
    assert embeddings.key("It uses no recurrence at all.") in embeddings._cache


def test_a_pack_with_vectors_gives_the_same_findings_as_one_without():
    report = REPORT + f"\nTransformer使用了循环结构。{unit_citation(PACK.units[1])}\n"
    embeddings._cache.clear()
    without = check_support(report, Requirements(language="zh"), PACK)
    assert [f.sentence[:18] for f in without] == ["Transformer使用了循环结构"]  # cited to the wrong page
    embeddings._cache.clear()
    assert check_support(report, Requirements(language="zh"), with_vectors(PACK)) == without
