"""Check 4: every cited sentence is supported by the units it cites.

Signals, offline and deterministic:

- anchors (``services.validate.anchors``): every number, Latin term or name and URL of the
  sentence must occur in the cited units; a missing anchor is an error (``citation.unsupported``),
  with the near miss the evidence has reported as a possible misspelling;
- token coverage: the share of the sentence's content tokens (Latin words other than stop words,
  CJK character bigrams) found in the cited units. It is meaningless across
  languages, so a Chinese sentence citing English text is judged by its anchors alone.

``score = COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * anchor share``; a same-language
sentence scoring under ``SUPPORT_THRESHOLD`` is a warning (``citation.unsupported``). Both
constants were calibrated on an attribution benchmark (claim vs reference passages). When
support is low, every unit of the evidence is searched (BM25) for one that holds all anchors
and supports the sentence better, and re-pointing the citation to it is proposed in ``fix``.

A unit's page furniture never counts as support, and its reference list counts only for a
sentence that speaks of references (``evidence_text``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from services.draft.retrieval import BM25, tokenize
from services.validate.anchors import COMMON, Miss, find_anchors, missing_anchors, prepare
from shared.citations import CitationGroup, resolve, unit_citation
from shared.findings import Finding
from shared.report import read_report
from shared.requirements import Requirements
from shared.units import EvidencePack, Unit

COVERAGE_WEIGHT = 0.7
SUPPORT_THRESHOLD = 0.62
CANDIDATES = 8  # units looked at when searching for a better citation
ABOUT_REFERENCES = re.compile(r"\breferences?\b|\bbibliograph|\bcit(?:es|ed|ing|ations?)\b|参考文献|引用|文献", re.I)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
GLOSS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff]{2,})\s*[（(]\s*[A-Za-z][A-Za-z\s\-,.'/&]*[）)]")
STOPWORDS = COMMON | frozenset(
    "was were are been has have had not no which who what when where how than then there can will would could "
    "should may might more most such other some any all each many much very about over after before between "
    "during".split()
)


class Support(NamedTuple):
    """How well some evidence supports a sentence: combined ``score`` (0..1), its signals, and the
    anchors the evidence lacks."""

    score: float
    coverage: float
    anchors: float
    crosslingual: bool
    missing: list[Miss]


def is_chinese(text: str) -> bool:
    """Whether CJK characters outnumber Latin letters / 4 (a Chinese text with English terms is Chinese)."""
    return len(CJK.findall(text)) * 4 > len(LATIN.findall(text))


def content_coverage(sentence: str, evidence: str) -> float:
    """Share of the sentence's distinct tokens (``retrieval.tokenize``, stop words left out) found in
    ``evidence``; 1.0 when it has none."""
    wanted = set(tokenize(sentence)) - STOPWORDS
    if not wanted:
        return 1.0
    return len(wanted & set(tokenize(evidence))) / len(wanted)


def score_support(sentence: str, evidence: str) -> Support:
    """How well ``evidence`` supports ``sentence`` (both plain text, no citations)."""
    anchors = find_anchors(sentence)
    missing = missing_anchors(anchors, prepare(evidence)) if anchors else []
    share = 1 - len(missing) / len(anchors) if anchors else 1.0
    crosslingual = is_chinese(sentence) != is_chinese(evidence[:2000])
    overlap = content_coverage(sentence, evidence)
    score = share if crosslingual else COVERAGE_WEIGHT * overlap + (1 - COVERAGE_WEIGHT) * share
    return Support(score, overlap, share, crosslingual, missing)


def is_low(support: Support) -> bool:
    """Whether ``support`` warrants a finding: an anchor is missing, or a same-language score is low."""
    return bool(support.missing) or (not support.crosslingual and support.score < SUPPORT_THRESHOLD)


class Finder:
    """Searches every unit of a pack for the one that best supports a sentence (index built on first use)."""

    def __init__(self, pack: EvidencePack) -> None:
        self.units = pack.units
        self._index: BM25 | None = None

    def best(self, sentence: str, cited: list[Unit]) -> tuple[Unit, Support] | None:
        """The uncited unit holding every anchor of ``sentence`` with the best support above the
        threshold, or None."""
        if self._index is None:
            self._index = BM25([unit.text for unit in self.units])
        scores = self._index.scores(sentence)
        ranked = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: -scores[i])[:CANDIDATES]
        found = []
        for i in ranked:
            unit = self.units[i]
            if unit in cited:
                continue
            support = score_support(sentence, unit.text)
            if not is_low(support):
                found.append((support.score, -scores[i], i, unit, support))
        if not found:
            return None
        _, _, _, unit, support = max(found, key=lambda f: (f[0], f[1]))
        return unit, support


def check_support(text: str, requirements: Requirements, pack: EvidencePack) -> list[Finding]:
    """``citation.unsupported`` for each citation bracket of a sentence that the union of the units
    all its citations resolve to does not support: an error when an anchor of the sentence is
    missing from them, a warning when only the overall score is low — or when another citation of
    the sentence resolves to nothing (that one is ``citation.unresolved``'s, and what it held is
    unknown). A parenthetical Latin gloss of a term the evidence holds (因果掩码（causal masking）)
    is not demanded from the evidence."""
    report = read_report(text)
    spans = report.sections(requirements)
    finder = Finder(pack)
    findings = []
    for sentence in report.sentences:
        citations = [c for g in sentence.groups for c in g.citations]
        resolved = [resolve(c, pack.units) for c in citations]
        units = unique(u for found in resolved for u in found)
        if not units or not sentence.plain:
            continue
        evidence = "\n".join(evidence_text(u, sentence.plain) for u in units)
        claim = without_glosses(sentence.plain, evidence)
        support = score_support(claim, evidence)
        if not is_low(support):
            continue
        better = finder.best(claim, units)
        section = report.section_at(spans, sentence.start)
        update = {"sentence_index": sentence.index} | ({} if all(resolved) else {"severity": "warning"})
        findings.extend(
            finding(sentence.text, section, group, support, units, better, requirements.language).model_copy(update=update)
            for group in sentence.groups
        )
    return findings


def without_glosses(claim: str, evidence: str) -> str:
    """``claim`` without each parenthetical Latin gloss that follows a CJK term the evidence holds
    (its last two characters)."""

    def keep(match: re.Match[str]) -> str:
        return match.group(1) if match.group(1)[-2:] in evidence else match.group(0)

    return GLOSS.sub(keep, claim)


def evidence_text(unit: Unit, sentence: str) -> str:
    """What of ``unit`` may support ``sentence``: its text, and its reference list too when the
    sentence speaks of references or citations."""
    if unit.references and ABOUT_REFERENCES.search(sentence):
        return f"{unit.text}\n{unit.references}"
    return unit.text


def unique(units) -> list[Unit]:
    """``units`` without repeats, in order."""
    seen: list[Unit] = []
    for unit in units:
        if unit not in seen:
            seen.append(unit)
    return seen


def finding(
    sentence: str,
    section: str,
    group: CitationGroup,
    support: Support,
    units: list[Unit],
    better: tuple[Unit, Support] | None,
    lang: str,
) -> Finding:
    """The ``citation.unsupported`` finding for one bracket of an unsupported sentence."""
    cited = ", ".join(unit_citation(u, lang) for u in units[:4])
    if support.missing:
        lacks = "; ".join(
            f"'{m.anchor.text}'" + (f" (possible misspelling: the evidence has '{m.near}')" if m.near else "")
            for m in support.missing
        )
        message = f"The cited evidence does not contain {lacks}."
    else:
        message = f"The cited evidence barely supports the sentence (support {support.score:.2f})."
    evidence = f"cited: {cited}"
    if better:
        unit, found = better
        proposal = unit_citation(unit, lang)
        evidence += f"; better: {proposal} (support {found.score:.2f}): {unit.text[:160]}"
        fix = f"Re-point the citation to {proposal}, which holds the claim."
    elif support.missing and all(m.near for m in support.missing):
        fix = "Correct " + ", ".join(f"'{m.anchor.text}' to '{m.near}'" for m in support.missing) + " as the evidence writes it."
    else:
        fix = "Cite the unit the claim comes from, or remove the claim."
    return Finding(
        check="citation.unsupported",
        severity="error" if support.missing else "warning",
        message=message,
        section=section,
        sentence=sentence,
        citation=group.raw,
        evidence=evidence,
        fix=fix,
    )
