"""Citations → the evidence they open in ``report.html``.

Every citation part as written (``Citation.raw``, e.g. ``文档: paper.pdf, page 2-3``) in one
sentence becomes one entry with an anchor (``ev-1``, ``ev-2``… in order of first use) and the units
its citations resolve to, at most ``UNITS_SHOWN`` of them. In each unit the passage closest to the
citing sentence is marked: the unit's sentence sharing the largest share of the claim's tokens (CJK
character pairs, Latin words, numbers), when it shares any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shared.citations import Citation, resolve, strip_citations
from shared.sentences import split_sentences
from shared.units import Unit

UNITS_SHOWN = 3
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
WORD = re.compile(r"[A-Za-z]{3,}|\d+(?:\.\d+)?")


def claim_tokens(text: str) -> set[str]:
    """CJK character pairs, Latin words of three letters or more (lower case) and numbers of ``text``."""
    pairs = {run[i : i + 2] for run in CJK_RUN.findall(text) for i in range(len(run) - 1)}
    return pairs | {w.lower() for w in WORD.findall(text)}


def closest_passage(claim: str, text: str) -> tuple[int, int] | None:
    """(start, end) in ``text`` of its sentence closest to ``claim``; None when none shares a token."""
    wanted = claim_tokens(strip_citations(claim))
    if not wanted:
        return None
    best, best_score, position = None, 0.0, 0
    for sentence in split_sentences(text):
        start = text.find(sentence, position)
        if start < 0:
            continue
        position = start + len(sentence)
        score = len(wanted & claim_tokens(sentence)) / len(wanted)
        if score > best_score:
            best, best_score = (start, position), score
    return best


@dataclass
class EvidenceEntry:
    """What one citation part of one sentence opens: its anchor, its text as written, the sentence
    citing it, the units it names and the passage of each closest to the sentence."""

    anchor: str
    label: str
    claim: str = ""
    units: list[Unit] = field(default_factory=list)
    passages: list[tuple[int, int] | None] = field(default_factory=list)
    more: int = 0


@dataclass
class EvidenceIndex:
    """Entries for the citations of one report pair, made on first use."""

    units: list[Unit]
    entries: dict[tuple[str, str], EvidenceEntry] = field(default_factory=dict)

    def entry(self, label: str, citations: list[Citation], claim: str = "") -> EvidenceEntry:
        """The entry of the citation part ``label`` (whose citations are ``citations``) in ``claim``."""
        key = (" ".join(label.split()), " ".join(strip_citations(claim).split()))
        if key not in self.entries:
            found: dict[tuple, Unit] = {}
            for citation in citations:
                for unit in resolve(citation, self.units):
                    found.setdefault((unit.source, unit.kind, unit.index), unit)
            units = list(found.values())[:UNITS_SHOWN]
            self.entries[key] = EvidenceEntry(
                anchor=f"ev-{len(self.entries) + 1}",
                label=key[0],
                claim=claim,
                units=units,
                passages=[closest_passage(claim, unit.text) for unit in units],
                more=max(0, len(found) - UNITS_SHOWN),
            )
        return self.entries[key]
