"""Alignment: the evidence sentences a claim is about, across languages.

The cited units are split into sentences; each is scored by the cosine of its sentence embedding
with the claim's (``shared.embeddings``: a Chinese claim finds the English sentence it restates)
plus a lexical bonus for the claim's anchors it holds (Latin terms and names, and quantities
compared by value, so 1.5万 finds 15,000). Embeddings are kept per process; ``prime`` takes those the
evidence pack carries and encodes the rest of a report's needs in one batch, so a check encodes
each sentence at most once and, with a pack from the ingest service, only the report's own.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from services.validate.anchors import Evidence, find_anchors, prepare
from services.validate.quantities import Quantity, find_quantities, same_amount
from shared import embeddings
from shared.citations import resolve
from shared.evidence_sentences import clean, evidence_sentences
from shared.report import Report
from shared.units import EvidencePack, Unit

__all__ = ["Aligned", "align", "clean", "evidence_sentences", "prime", "vectors"]

TOP = 5
ANCHOR_BONUS = 0.25
QUANTITY_BONUS = 0.25
vectors = embeddings.encode


class Aligned(NamedTuple):
    """One evidence sentence (``index`` in the list aligned against) with its alignment ``score``
    and plain embedding ``similarity``."""

    sentence: str
    score: float
    similarity: float
    index: int  # type: ignore[assignment]  # a field named like tuple.index; callers read the field


def prime(report: Report, pack: EvidencePack) -> None:
    """Take the embeddings ``pack`` carries, then encode in one batch the report's sentences that
    cite units and the sentences of those units that are still missing."""
    embeddings.remember(pack.vectors)
    claims: list[str] = []
    cited: dict[int, Unit] = {}
    for sentence in report.sentences:
        units = [u for g in sentence.groups for c in g.citations for u in resolve(c, pack.units)]
        if units and sentence.plain:
            claims.append(sentence.plain)
            cited.update((id(u), u) for u in units)
    vectors(claims + evidence_sentences([u.text for u in cited.values()]))


@lru_cache(maxsize=20_000)
def held(sentence: str) -> Evidence:
    """``prepare(sentence)``, kept: the same evidence sentence is looked at for many claims."""
    return prepare(sentence)


@lru_cache(maxsize=20_000)
def amounts(sentence: str) -> tuple[Quantity, ...]:
    """The quantities of an evidence sentence (loosely read), kept."""
    return tuple(find_quantities(sentence, loose=True))


def align(claim: str, sentences: list[str], top: int = TOP) -> list[Aligned]:
    """The ``top`` sentences of ``sentences`` best aligned with ``claim``, best first."""
    if not sentences:
        return []
    similarity = embeddings.similarity(vectors([claim]), vectors(sentences))[0]
    terms = [a for a in find_anchors(claim) if a.kind == "term"]
    quantities = [q for q in find_quantities(claim) if q.value >= 2]
    scored = []
    for index, (sentence, sim) in enumerate(zip(sentences, similarity, strict=True)):
        bonus = 0.0
        if terms:
            found = held(sentence)
            bonus += ANCHOR_BONUS * sum(a.key in found.words or a.key in found.lowered for a in terms) / len(terms)
        if quantities:
            stated = amounts(sentence)
            bonus += QUANTITY_BONUS * sum(any(same_amount(q, e) for e in stated) for q in quantities) / len(quantities)
        scored.append(Aligned(sentence, float(sim) + bonus, float(sim), index))
    return sorted(scored, key=lambda a: -a.score)[:top]
