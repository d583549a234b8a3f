"""Retrieval: does BM25 find the web-page chunk a sentence cites, with CJK bigrams or with words?

    python -m bench.retrieval

Labels come from the reference system's real reports for task 005: every sentence that cites a chunk
of ``long_context_sampled_32k.json`` becomes a query (the sentence without its citations), and the
chunks it cites are the relevant ones, to be found among all the file's chunks. Reports whose text
repeats another's are read once. Tokenizers compared on the same queries:

- bigrams: redline's own (Latin words, CJK character bigrams; no segmenter);
- words: jieba's word segmentation (the baseline the draft issue names), Latin words as in bigrams;
- both: the two token streams together.

Reported: recall@1/5/10 (a relevant chunk among the top k), mean reciprocal rank, index build
time. Needs ../shared/corpus and, for the words baseline, jieba (the ``bench`` extra); each is
skipped with a reason when absent. The labels are what real models cited, so some are wrong: the
figures compare tokenizers, they do not measure an absolute recall.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from services.ingest.webpages import read_webpages
from shared.citations import find_citations, resolve, strip_citations
from shared.retrieval import BM25, tokenize
from shared.sentences import split_sentences
from shared.units import Unit

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
TASK = "mirothinker_mm/task005"
LATIN = re.compile(r"[a-z0-9]+")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
KS = (1, 5, 10)

Query = tuple[str, frozenset[int]]


def reports(corpus: Path) -> dict[str, list[str]]:
    """Web-page file → the texts of the reference system's reports that cite it (each text once)."""
    task = corpus / TASK
    runs = sorted(task.glob("runs/*_comparison.txt")) + sorted((corpus.parent / "seed").glob("comparison_task005.txt"))
    return {
        "long_context_sampled_32k.json": [p.read_text(encoding="utf-8") for p in sorted(task.glob("model_runs/*.md"))],
        "long_context_sampled_60.json": [p.read_text(encoding="utf-8") for p in runs],
    }


def labelled_queries(units: list[Unit], texts: list[str]) -> list[Query]:
    """(sentence without citations, indexes of the ``units`` it cites) for every citing sentence of ``texts``."""
    position = {id(unit): i for i, unit in enumerate(units)}
    queries: dict[str, frozenset[int]] = {}
    for text in texts:
        for sentence in split_sentences(text):
            cited = {
                position[id(unit)]
                for group in find_citations(sentence)
                for citation in group.citations
                for unit in resolve(citation, units)
                if id(unit) in position
            }
            query = strip_citations(sentence).strip()
            if cited and len(query) >= 8:
                queries[query] = frozenset(cited) | queries.get(query, frozenset())
    return sorted(queries.items())


def word_tokenizer() -> Callable[[str], list[str]] | None:
    """jieba's words for CJK text and lower-cased Latin words, or None without jieba."""
    try:
        import jieba
    except ImportError:
        return None
    jieba.setLogLevel(60)
    jieba.initialize()

    def words(text: str) -> list[str]:
        lowered = text.lower()
        return LATIN.findall(lowered) + [w for w in jieba.lcut(lowered) if CJK.search(w)]

    return words


def evaluate(sets: list[tuple[list[Unit], list[Query]]], tokenizer: Callable[[str], list[str]]) -> dict:
    """Recall@k, MRR and index time of BM25 with ``tokenizer``, each set's queries against its own units."""
    hits = dict.fromkeys(KS, 0)
    reciprocal, index_s, query_s, count = 0.0, 0.0, 0.0, 0
    for units, queries in sets:
        start = time.perf_counter()
        index = BM25([unit.text for unit in units], tokenizer)
        index_s += time.perf_counter() - start
        start = time.perf_counter()
        for query, relevant in queries:
            scores = index.scores(query)
            order = sorted(range(len(units)), key=lambda i: (-scores[i], i))
            rank = next(r for r, i in enumerate(order, 1) if i in relevant)
            reciprocal += 1 / rank
            for k in KS:
                hits[k] += rank <= k
        query_s += time.perf_counter() - start
        count += len(queries)
    result = {f"recall@{k}": round(hits[k] / count, 3) for k in KS}
    timing = {"index_ms": round(index_s * 1000, 1), "query_ms": round(query_s * 1000 / count, 2)}
    return result | {"mrr": round(reciprocal / count, 3)} | timing


def measure(corpus: Path) -> dict:
    task = corpus / TASK
    if not (task / "long_context_sampled_60.json").exists():
        return {"skipped": "the shared corpus is not available"}
    sets, sizes = [], {}
    for name, texts in reports(corpus).items():
        units, _ = read_webpages(name, (task / name).read_bytes())
        queries = labelled_queries(units, texts)
        sets.append((units, queries))
        sizes[name] = {"chunks": len(units), "queries": len(queries)}
    results = {"sets": sizes, "queries": sum(len(q) for _, q in sets), "bigrams": evaluate(sets, tokenize)}
    words = word_tokenizer()
    if words is None:
        results["words"] = results["both"] = {"skipped": "jieba is not installed (pip install -e '.[bench]')"}
        return results
    results["words"] = evaluate(sets, words)
    results["both"] = evaluate(sets, lambda text: tokenize(text) + words(text))
    return results


def markdown(results: dict) -> str:
    rows = [
        "| tokens | " + " | ".join(f"recall@{k}" for k in KS) + " | MRR | index ms | ms per query |",
        "|---" * 7 + "|",
    ]
    for name in ("bigrams", "words", "both"):
        row = results.get(name, {})
        if "mrr" in row:
            values = [row[f"recall@{k}"] for k in KS] + [row["mrr"], row["index_ms"], row["query_ms"]]
            rows.append(f"| {name} | " + " | ".join(str(v) for v in values) + " |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    results = measure(parser.parse_args().corpus)
    print(json.dumps(results, ensure_ascii=False))
    if "queries" in results:
        print()
        print(markdown(results))


if __name__ == "__main__":
    main()
