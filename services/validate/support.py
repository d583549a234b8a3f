"""Check 4: every cited sentence is supported by the units it cites.

``judge_claim`` judges one claim (citations stripped) against the texts of the units it cites:

- alignment (``services.validate.alignment``): the evidence sentences the claim is about, by
  multilingual sentence embeddings plus the lexical anchors, so a Chinese claim about an English
  page is examined too;
- meaning (``services.validate.meaning``): numbers, polarity, direction of comparisons and names
  compared on the aligned pair; each mismatch is proven and makes the claim an error;
- anchors (``services.validate.anchors``): a Latin term, name or URL of the claim that the cited
  text lacks is an error, with the near miss the evidence has reported as a possible misspelling;
- support: the best alignment similarity, and for a same-language claim the token coverage (the
  share of its content tokens found in the cited text); a claim both score low for is a doubt
  (``citation.unsupported`` warning).

When support is low, every unit of the evidence is searched (BM25) for one that holds all anchors
and supports the sentence better, and re-pointing the citation to it is proposed in ``fix``.

A unit's page furniture (headers, footers, venue line, contribution notes) is evidence only for a
claim its text does not support and the text with the furniture does (``judge_units``: 该论文发表于
NIPS 2017会议 is stated by page 1's venue line only); its reference list counts only for a sentence
that speaks of references (``evidence_text``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from services.validate.alignment import Aligned, align, evidence_sentences, prime, vectors
from services.validate.anchors import Evidence, Miss, find_anchors, missing_anchors, prepare
from services.validate.meaning import (
    Mismatch,
    claim_quantities,
    compare,
    squash,
    states_each,
    strip_glosses,
    texts_to_encode,
)
from services.validate.quantities import Quantity
from shared.citations import CitationGroup, resolve, unit_citation
from shared.findings import Finding
from shared.report import read_report
from shared.requirements import Requirements
from shared.retrieval import BM25, STOPWORDS, coverage, join_cjk
from shared.units import EvidencePack, Unit

COVERAGE_WEIGHT = 0.7
SUPPORT_THRESHOLD = 0.62
ALIGNED = 0.3
"""Embedding similarity of the best evidence sentence at or above which a claim in another language
than its evidence is taken to be stated there (chosen on the tuning part of the claim set)."""
ALIGNED_SAME_LANGUAGE = 0.7
"""The same for a claim in the evidence's language, whose token coverage decides otherwise."""
QUANTITY_SENTENCES = 3
"""How many of the best-aligned sentences may state every quantity of a claim to take it for the claim's source."""
FURNITURE_ALIGNED = 0.7
"""Alignment score (similarity plus anchor bonuses) the evidence must reach for furniture to support a claim."""
CANDIDATES = 8  # units looked at when searching for a better citation
ABOUT_REFERENCES = re.compile(r"\breferences?\b|\bbibliograph|\bcit(?:es|ed|ing|ations?)\b|参考文献|引用|文献", re.I)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


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


def score_support(sentence: str, evidence: str) -> Support:
    """How well ``evidence`` supports ``sentence`` (both plain text, no citations); spaces a PDF puts
    between Chinese characters (王 田) are not read as word breaks."""
    evidence = join_cjk(evidence)
    anchors = find_anchors(sentence)
    missing = missing_anchors(anchors, prepared(evidence)) if anchors else []
    share = 1 - len(missing) / len(anchors) if anchors else 1.0
    crosslingual = is_chinese(sentence) != is_chinese(evidence[:2000])
    overlap = coverage(sentence, evidence, STOPWORDS)
    score = share if crosslingual else COVERAGE_WEIGHT * overlap + (1 - COVERAGE_WEIGHT) * share
    return Support(score, overlap, share, crosslingual, missing)


@lru_cache(maxsize=64)
def prepared(evidence: str) -> Evidence:
    """``prepare(evidence)``, kept: the claims citing the same units share their cited text."""
    return prepare(evidence)


def is_low(support: Support) -> bool:
    """Whether ``support`` warrants a finding: an anchor is missing, or a same-language score is low."""
    return bool(support.missing) or (not support.crosslingual and support.score < SUPPORT_THRESHOLD)


class Verdict(NamedTuple):
    """The judgement of one claim: the mismatches proven (numbers, polarity, direction, names and
    missing anchors), the evidence sentences it was aligned to, and whether support is in doubt."""

    mismatches: list[Mismatch]
    aligned: list[Aligned]
    support: Support
    doubt: bool

    @property
    def supported(self) -> bool:
        return not self.mismatches and not self.doubt


def judge_claim(claim: str, texts: list[str]) -> Verdict:
    """Judge ``claim`` (plain text, citation markers stripped) against the ``texts`` of the units it
    cites, taken together: the mismatches found, each naming what differs and quoting the evidence
    sentence, and whether the cited text barely supports the claim."""
    return judge_claims([(claim, texts)])[0]


def judge_claims(claims: list[tuple[str, list[str]]]) -> list[Verdict]:
    """``judge_claim`` for each ``(claim, texts)``: every claim is aligned first, then the clauses
    their comparisons embed are encoded in one batch (a text in a batch costs less than half what a
    call of its own does)."""
    readings = []
    for claim, texts in claims:
        plain = strip_glosses(claim)
        sentences = evidence_sentences(texts)
        readings.append((plain, sentences, align(plain, sentences)))
    vectors([text for plain, _, aligned in readings for text in texts_to_encode(plain, aligned)])
    return [decide(plain, sentences, aligned) for plain, sentences, aligned in readings]


def decide(plain: str, sentences: list[str], aligned: list[Aligned]) -> Verdict:
    """The verdict on ``plain`` (glosses stripped) given its cited ``sentences`` and those ``aligned`` with it."""
    cited = " ".join(sentences)
    lexical = score_support(plain, cited)
    best = aligned[0] if aligned else None
    translated = is_chinese(cited[:2000]) and not is_chinese(plain)  # its Latin names are translations
    squashed = squash(cited)
    mismatches = [
        Mismatch("name", m.anchor.text, m.near, best.sentence if best else "")
        for m in lexical.missing
        if m.anchor.kind != "number" and not translated and not (len(m.anchor.key) >= 3 and squash(m.anchor.text) in squashed)
    ]
    mismatches += compare(plain, aligned, sentences)
    threshold = ALIGNED if lexical.crosslingual else ALIGNED_SAME_LANGUAGE
    similar = best is not None and (best.similarity >= threshold or states_figures(plain, aligned))
    covered = not lexical.crosslingual and lexical.score >= SUPPORT_THRESHOLD
    return Verdict(mismatches, aligned, lexical, doubt=not (similar or covered))


def judge_units(claim: str, units: list[Unit]) -> Verdict:
    """``judge_claim`` against the ``evidence_text`` of ``units``, then ``with_furniture``."""
    texts = [evidence_text(u, claim) for u in units]
    return with_furniture(claim, texts, units, judge_claim(claim, texts))


def with_furniture(claim: str, texts: list[str], units: list[Unit], verdict: Verdict) -> Verdict:
    """``verdict`` on ``claim`` against ``texts`` (the ``evidence_text`` of ``units``); when it does
    not support the claim, the verdict against those texts with the units' furniture as well, if it
    supports the claim and its best-aligned sentence scores at least ``FURNITURE_ALIGNED`` (a licence
    notice in the same language does not support a claim it merely resembles)."""
    furniture = [u.furniture for u in units if u.furniture]
    if verdict.supported or not furniture:
        return verdict
    fuller = judge_claim(claim, texts + furniture)
    return fuller if fuller.supported and fuller.aligned[0].score >= FURNITURE_ALIGNED else verdict


def states_figures(claim: str, aligned: list[Aligned]) -> bool:
    """Whether one of the ``QUANTITY_SENTENCES`` best-aligned sentences states every quantity of
    ``claim``, one of them distinctive (``distinctive``): a claim of figures read from a table row
    is about that row, even when the table's heading aligns better."""
    wanted = claim_quantities(claim)
    return any(map(distinctive, wanted)) and any(states_each(wanted, a.sentence) for a in aligned[:QUANTITY_SENTENCES])


def distinctive(quantity: Quantity) -> bool:
    """Whether a quantity may identify the sentence stating it: a decimal, or 100 or more and not a
    year (a small whole number or a year turns up in many sentences: 5. 结语, WMT 2014)."""
    year = quantity.value.is_integer() and 1900 <= quantity.value <= 2100
    return "." in quantity.text or "点" in quantity.text or (quantity.value >= 100 and not year)


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
    all its citations resolve to does not support (``judge_claim``): an error when a mismatch is
    proven, a warning when support is only in doubt — or when another citation of the sentence
    resolves to nothing (that one is ``citation.unresolved``'s, and what it held is unknown)."""
    report = read_report(text)
    prime(report, pack)
    spans = report.sections(requirements)
    finder = Finder(pack)
    claims = []
    for sentence in report.sentences:
        resolved = [resolve(c, pack.units) for g in sentence.groups for c in g.citations]
        units = unique(u for found in resolved for u in found)
        if units and sentence.plain:
            claims.append((sentence, resolved, units, [evidence_text(u, sentence.plain) for u in units]))
    verdicts = judge_claims([(s.plain, texts) for s, _, _, texts in claims])
    findings: list[Finding] = []
    for (sentence, resolved, units, texts), judged in zip(claims, verdicts, strict=True):
        verdict = with_furniture(sentence.plain, texts, units, judged)
        if verdict.supported:
            continue
        better = finder.best(sentence.plain, units)
        section = report.section_at(spans, sentence.start)
        update = {"sentence_index": sentence.index} | ({} if all(resolved) else {"severity": "warning"})
        findings.extend(
            finding(sentence.text, section, group, verdict, units, better, requirements.language).model_copy(update=update)
            for group in sentence.groups
        )
    return findings


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
    verdict: Verdict,
    units: list[Unit],
    better: tuple[Unit, Support] | None,
    lang: str,
) -> Finding:
    """The ``citation.unsupported`` finding for one bracket of an unsupported sentence."""
    cited = ", ".join(unit_citation(u, lang) for u in units[:4])
    if verdict.mismatches:
        message = "The cited evidence differs: " + "; ".join(m.describe() for m in verdict.mismatches)
    else:
        similarity = verdict.aligned[0].score if verdict.aligned else 0.0
        message = f"The cited evidence barely supports the sentence (alignment {similarity:.2f}, coverage {verdict.support.coverage:.2f})."
    evidence = f"cited: {cited}"
    if verdict.aligned:
        evidence += f"; closest: {verdict.aligned[0].sentence[:200]}"
    if better:
        unit, found = better
        proposal = unit_citation(unit, lang)
        evidence += f"; better: {proposal} (support {found.score:.2f}): {unit.text[:160]}"
        fix = f"Re-point the citation to {proposal}, which holds the claim."
    elif verdict.mismatches:
        corrections = [f"'{m.claim}' to '{m.evidence}'" for m in verdict.mismatches if m.evidence and m.kind in ("number", "name")]
        fix = "Correct " + ", ".join(corrections) + " as the evidence states it." if corrections else "State the claim as the evidence does, or remove it."
    else:
        fix = "Cite the unit the claim comes from, or remove the claim."
    return Finding(
        check="citation.unsupported",
        severity="error" if verdict.mismatches else "warning",
        message=message,
        section=section,
        sentence=sentence,
        citation=group.raw,
        evidence=evidence,
        fix=fix,
    )
