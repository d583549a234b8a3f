"""Which evidence a section is about: passages ranked by meaning, across languages, main sources first.

Units are cut into passages (consecutive sentences up to ``PASSAGE_CHARS``); page furniture (short
lines, numbers, headings, references) never becomes a passage sentence. A section is ranked against
every passage by multilingual sentence embeddings (``shared.embeddings``), so a Chinese section name
finds an English paper. The main sources (papers, videos, documents: every unit that is not a web
chunk) get ``MAIN_BONUS``; the closest third (``MAIN_RELEVANT``) of the main sources' passages comes
first, then web chunks at or above ``WEB_MIN``, then the other main passages, then the other web chunks. A section whose name asks
for a kind (a video section: frames and speech; a paper section: pages) draws from units of that
kind when the task has any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from services.draft.writer import (
    MAIN_BONUS,
    MAIN_RELEVANT,
    is_document,
    is_main,
    section_kinds,
    section_topic,
    tidy,
    usable,
)
from shared import embeddings
from shared.sentences import split_sentences
from shared.textjoin import join_text
from shared.tokens import count_tokens
from shared.units import EvidencePack, Unit

PASSAGE_CHARS = 700
WEB_MIN = 0.45


@dataclass(frozen=True)
class Passage:
    """Consecutive usable sentences of one unit."""

    unit: Unit
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        return join_text(list(self.sentences))


def unit_passages(unit: Unit) -> list[Passage]:
    """The passages of one unit: its usable sentences, in order, grouped up to ``PASSAGE_CHARS``."""
    flat = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", unit.text)
    sentences = [s for block in re.split(r"\n\s*\n", flat) for s in split_sentences(re.sub(r"\s+", " ", block).strip())]
    passages: list[Passage] = []
    current: list[str] = []
    for sentence in (tidy(s) for s in sentences):
        if not usable(sentence):
            continue
        if current and sum(len(s) for s in current) + len(sentence) > PASSAGE_CHARS:
            passages.append(Passage(unit, tuple(current)))
            current = []
        current.append(sentence)
    if current:
        passages.append(Passage(unit, tuple(current)))
    return passages


class Relevance:
    """The passages of a pack with their embeddings, ranked per section."""

    def __init__(self, pack: EvidencePack) -> None:
        self.pack = pack
        self.passages = [p for unit in pack.units for p in unit_passages(unit)]
        self.vectors = embeddings.encode([p.text for p in self.passages])

    def ranked(self, name: str, note: str, request: str) -> list[tuple[Passage, float]]:
        """The section's passages, best first: similarity to the section (and a little to the request),
        plus ``MAIN_BONUS`` for main sources; only the kinds the section names, when it names some. The
        ``MAIN_RELEVANT`` share of main documents' passages closest to the section come before every web
        chunk (a Chinese section scores an English paper low, and web pages in its language high), and
        before a video's frames and speech, which belong to the sections that ask for them: a lecture in
        the request's language would otherwise crowd the paper out of the paper's sections."""
        if not self.passages:
            return []
        probe = embeddings.encode([f"{section_topic(name)} {note}".strip(), request])
        scores = embeddings.similarity(probe, self.vectors)
        combined = 0.8 * scores[0] + 0.2 * scores[1]
        kinds = section_kinds(name, {unit.kind for unit in self.pack.units})
        ranked = []
        for passage, score in zip(self.passages, combined, strict=False):
            if kinds and passage.unit.kind not in kinds:
                continue
            ranked.append((passage, float(score) + (MAIN_BONUS if is_main(passage.unit) else 0.0)))
        main = sorted((score for passage, score in ranked if is_document(passage.unit)), reverse=True)
        cut = main[max(0, int(len(main) * MAIN_RELEVANT) - 1)] if main else float("inf")

        def tier(passage: Passage, score: float) -> int:
            if is_document(passage.unit):
                return 0 if score >= cut else 2
            return 1 if score >= WEB_MIN else 3

        ranked.sort(key=lambda pair: (tier(*pair), -pair[1]))
        return ranked

    def evidence(self, name: str, note: str, request: str, budget: int, used: set[int] | None = None) -> list[Passage]:
        """The best passages for a section within ``budget`` tokens, in pack order; passages in
        ``used`` (by ``id``) come after the unused ones, so sections do not all quote the same text."""
        ranked = self.ranked(name, note, request)
        used = used or set()
        order = [p for p, _ in ranked if id(p) not in used] + [p for p, _ in ranked if id(p) in used]
        chosen: list[Passage] = []
        spent = 0
        for passage in order:
            size = count_tokens(passage.text) + 16
            if spent + size > budget:
                continue
            chosen.append(passage)
            spent += size
        position = {id(p): n for n, p in enumerate(self.passages)}
        return sorted(chosen, key=lambda p: position[id(p)])


def evidence_matrix(passages: list[Passage]) -> tuple[list[tuple[str, Unit]], np.ndarray]:
    """Every sentence of ``passages`` with its unit, and their embeddings."""
    rows = [(sentence, p.unit) for p in passages for sentence in p.sentences]
    return rows, embeddings.encode([sentence for sentence, _ in rows])
