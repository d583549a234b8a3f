"""Sentence-level alignment of an original report and its final version.

Both reports are split into sentences (``shared.sentences``) and compared by their text without
citations, whitespace collapsed. Sentences in a matching run are ``kept`` (``recited`` when their
citations differ). Inside a run that differs, each original sentence is paired, in order, with the
most similar final sentence not yet passed whose similarity is at least ``EDIT_SIMILARITY``: that
pair is ``edited``; original sentences left without a partner are ``removed`` and final ones
``added``. A sentence that moved is therefore removed in one place and added in another.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Literal

from pydantic import BaseModel, Field

from shared.citations import find_citations, strip_citations
from shared.report import sentence_texts

Status = Literal["kept", "edited", "added", "removed"]

EDIT_SIMILARITY = 0.5
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
"""A Markdown heading or table row: one sentence, however many full stops it holds ("## 1. 背景")."""


class Sentence(BaseModel):
    """One sentence of a report, as written (citations included), its place and its paragraph."""

    index: int = Field(description="Position among the report's sentences, from 0.")
    text: str
    paragraph: int
    citations: list[str] = Field(description="Its citation brackets as written, in order.")

    @property
    def plain(self) -> str:
        """The sentence without citations, whitespace runs collapsed: what alignment compares."""
        return plain_text(self.text)


class AlignedSentence(BaseModel):
    """One row of the alignment: an original sentence, a final one, or a pair."""

    status: Status
    original: Sentence | None = None
    final: Sentence | None = None

    @property
    def recited(self) -> bool:
        """Whether both sides exist and their citations differ."""
        return self.original is not None and self.final is not None and self.original.citations != self.final.citations


def plain_text(sentence: str) -> str:
    """``sentence`` without citation brackets, whitespace runs collapsed to one space."""
    return " ".join(strip_citations(sentence).split())


def split_report(text: str) -> list[Sentence]:
    """The sentences of a report, each with its paragraph number (blank lines separate paragraphs)."""
    sentences = [
        (number, sentence)
        for number, paragraph in enumerate(PARAGRAPH_BREAK.split(text.strip()))
        for sentence in sentence_texts(paragraph)
    ]
    return [
        Sentence(index=i, text=s, paragraph=number, citations=[g.raw for g in find_citations(s)])
        for i, (number, s) in enumerate(sentences)
    ]


def similarity(a: str, b: str) -> float:
    """How alike two sentences are, 0..1 (``difflib`` ratio, cheap upper bounds first)."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < EDIT_SIMILARITY or matcher.quick_ratio() < EDIT_SIMILARITY:
        return 0.0
    return matcher.ratio()


def align_reports(original: str, final: str) -> list[AlignedSentence]:
    """Every sentence of both reports in document order, each marked kept, edited, added or removed."""
    before, after = split_report(original), split_report(final)
    matcher = SequenceMatcher(None, [s.plain for s in before], [s.plain for s in after], autojunk=False)
    rows: list[AlignedSentence] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [AlignedSentence(status="kept", original=o, final=f) for o, f in zip(before[i1:i2], after[j1:j2], strict=False)]
        else:
            rows += pair_changed(before[i1:i2], after[j1:j2])
    return rows


def pair_changed(before: list[Sentence], after: list[Sentence]) -> list[AlignedSentence]:
    """Rows for a run of differing sentences: edited pairs in order, the rest removed or added."""
    rows: list[AlignedSentence] = []
    start = 0
    for sentence in before:
        scores = [(similarity(sentence.plain, f.plain), j) for j, f in enumerate(after[start:], start)]
        score, match = max(scores, key=lambda pair: (pair[0], -pair[1]), default=(0.0, -1))
        if score < EDIT_SIMILARITY:
            rows.append(AlignedSentence(status="removed", original=sentence))
            continue
        rows += [AlignedSentence(status="added", final=f) for f in after[start:match]]
        rows.append(AlignedSentence(status="edited", original=sentence, final=after[match]))
        start = match + 1
    rows += [AlignedSentence(status="added", final=f) for f in after[start:]]
    return rows
