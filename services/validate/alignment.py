"""Alignment: the evidence sentences a claim is about, across languages.

The cited units are split into sentences; each is scored by the cosine of its sentence embedding
with the claim's (``shared.embeddings``: a Chinese claim finds the English sentence it restates)
plus a lexical bonus for the claim's anchors it holds (Latin terms and names, and quantities
compared by value, so 1.5万 finds 15,000). Embeddings of evidence sentences are kept per process, so
the units a report cites again and again are encoded once.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from services.validate.anchors import find_anchors, prepare
from services.validate.quantities import find_quantities, same_amount
from shared import embeddings
from shared.sentences import split_sentences

TOP = 5
ANCHOR_BONUS = 0.25
QUANTITY_BONUS = 0.25
LONGEST = 600  # characters; a longer "sentence" (a table read as text) is cut into pieces this long
CACHE_LIMIT = 50_000
_cache: dict[str, np.ndarray] = {}


class Aligned(NamedTuple):
    """One evidence sentence (``index`` in the list aligned against) with its alignment ``score``
    and plain embedding ``similarity``."""

    sentence: str
    score: float
    similarity: float
    index: int  # type: ignore[assignment]  # a field named like tuple.index; callers read the field


def clean(text: str) -> str:
    """``text`` with line breaks joined, words split at a line-end hyphen rejoined (``gpt-3.5- turbo``)
    and typographic apostrophes made plain."""
    text = re.sub(r"\s*\n\s*", " ", text).replace("’", "'")
    return re.sub(r"(?<=[A-Za-z0-9])- (?=[A-Za-z0-9])", "-", text)


def evidence_sentences(texts: list[str]) -> list[str]:
    """The sentences of ``texts`` (``clean``ed), long ones cut into pieces."""
    sentences = []
    for text in texts:
        for sentence in split_sentences(clean(text)):
            sentences += [sentence[i : i + LONGEST] for i in range(0, len(sentence), LONGEST)]
    return sentences


def vectors(sentences: list[str]) -> np.ndarray:
    """The embeddings of ``sentences``, encoding only those not seen before in this process."""
    new = list(dict.fromkeys(s for s in sentences if s not in _cache))
    if new:
        if len(_cache) + len(new) > CACHE_LIMIT:
            _cache.clear()
        _cache.update(zip(new, embeddings.encode(new)))
    if not sentences:
        return np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
    return np.stack([_cache[s] for s in sentences])


def align(claim: str, sentences: list[str], top: int = TOP) -> list[Aligned]:
    """The ``top`` sentences of ``sentences`` best aligned with ``claim``, best first."""
    if not sentences:
        return []
    similarity = embeddings.similarity(vectors([claim]), vectors(sentences))[0]
    terms = [a for a in find_anchors(claim) if a.kind == "term"]
    quantities = [q for q in find_quantities(claim) if q.value >= 2]
    scored = []
    for index, (sentence, sim) in enumerate(zip(sentences, similarity)):
        bonus = 0.0
        if terms:
            held = prepare(sentence)
            bonus += ANCHOR_BONUS * sum(a.key in held.words or a.key in held.lowered for a in terms) / len(terms)
        if quantities:
            found = find_quantities(sentence, loose=True)
            bonus += QUANTITY_BONUS * sum(any(same_amount(q, e) for e in found) for q in quantities) / len(quantities)
        scored.append(Aligned(sentence, float(sim) + bonus, float(sim), index))
    return sorted(scored, key=lambda a: -a.score)[:top]
