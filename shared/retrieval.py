"""Lexical retrieval: BM25 over evidence text, for Chinese and English without a segmenter.

Tokens are lower-cased Latin words and numbers, and CJK text as overlapping character bigrams (a
lone CJK character is its own token). Scores are deterministic; ties break by (source, index).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

from shared.units import Unit

_LATIN = re.compile(r"[a-z0-9]+")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
COMMON = frozenset(
    ["a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or", "our", "the", "their", "this", "that", "these", "those", "to", "we", "with", "et", "al", "vs", "via", "etc", "ie", "eg", "fig", "figure", "table", "section", "page", "chapter", "abstract", "introduction", "conclusion", "however", "also", "while", "although"]
)
"""Words that are never anchors (``services.validate.anchors``), even when capitalised or in a Chinese sentence."""
STOPWORDS = COMMON | frozenset(
    ["was", "were", "are", "been", "has", "have", "had", "not", "no", "which", "who", "what", "when", "where", "how", "than", "then", "there", "can", "will", "would", "could", "should", "may", "might", "more", "most", "such", "other", "some", "any", "all", "each", "many", "much", "very", "about", "over", "after", "before", "between", "during"]
)
"""Words a sentence's coverage by its evidence leaves out."""
CJK_SPACE = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff])\s+(?=[\u3400-\u4dbf\u4e00-\u9fff])")
K1 = 1.5
B = 0.75


def tokenize(text: str) -> list[str]:
    """Latin words and numbers (lower-cased), then the character bigrams of every CJK run."""
    lowered = text.lower()
    tokens = _LATIN.findall(lowered)
    for run in _CJK_RUN.findall(lowered):
        tokens.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return tokens


class BM25:
    """A BM25 index over a fixed list of documents, with ``tokenizer`` for documents and queries."""

    def __init__(self, documents: list[str], tokenizer: Callable[[str], list[str]] = tokenize) -> None:
        self.tokenizer = tokenizer
        self.counts = [Counter(tokenizer(doc)) for doc in documents]
        self.lengths = [sum(c.values()) for c in self.counts]
        self.average = (sum(self.lengths) / len(self.lengths)) if self.lengths else 0.0
        self.postings: dict[str, list[int]] = {}
        for number, counts in enumerate(self.counts):
            for token in counts:
                self.postings.setdefault(token, []).append(number)

    def idf(self, token: str) -> float:
        """Inverse document frequency, always positive."""
        df = len(self.postings.get(token, ()))
        return math.log(1 + (len(self.counts) - df + 0.5) / (df + 0.5))

    def scores(self, query: str) -> list[float]:
        """The score of every document for ``query``; a query token counts once per occurrence."""
        scores = [0.0] * len(self.counts)
        for token, weight in Counter(self.tokenizer(query)).items():
            idf = self.idf(token)
            for number in self.postings.get(token, ()):
                tf = self.counts[number][token]
                norm = K1 * (1 - B + B * self.lengths[number] / (self.average or 1.0))
                scores[number] += weight * idf * tf * (K1 + 1) / (tf + norm)
        return scores


def rank_units(query_text: str, units: list[Unit], k: int) -> list[tuple[Unit, float]]:
    """The ``k`` best-scoring units for ``query_text``, best first; units scoring zero are left out."""
    return rank_indexed(BM25([unit.text for unit in units]), units, query_text, k)


def rank_indexed(index: BM25, units: list[Unit], query_text: str, k: int) -> list[tuple[Unit, float]]:
    """As ``rank_units``, with ``index`` built over the texts of ``units`` (to rank several queries at once)."""
    scores = index.scores(query_text)
    ranked = sorted(
        ((unit, score) for unit, score in zip(units, scores, strict=False) if score > 0),
        key=lambda pair: (-pair[1], pair[0].source, pair[0].index),
    )
    return ranked[:k]


def coverage(query_text: str, text: str, leave_out: frozenset[str] = frozenset()) -> float:
    """Share of the distinct tokens of ``query_text``, those in ``leave_out`` (``STOPWORDS``) left out,
    that occur in ``text`` (1.0 when none is left)."""
    wanted = set(tokenize(query_text)) - leave_out
    if not wanted:
        return 1.0
    return len(wanted & set(tokenize(text))) / len(wanted)


def join_cjk(text: str) -> str:
    """``text`` without the spaces a PDF puts between Chinese characters (王 田), which are no word breaks."""
    return CJK_SPACE.sub("", text)
