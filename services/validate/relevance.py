"""Relevance and coverage: is the report about what was asked, from the sources the request names.

- ``claim.off_topic`` (warning): a paragraph that cites only retrieved web pages and is unrelated to
  the topic — the request, the main sources' text and the report's paragraphs that cite the task's
  own files (resolved or not) — by words and by meaning. By words: under ``RELEVANCE`` of its
  content tokens (CJK bigrams, Latin words; weighted by inverse document frequency over the
  evidence, so words every page uses count little) occur in the topic. By meaning (only for a
  paragraph the words find unrelated): none of its sentences reaches ``RELATED`` mean cosine
  similarity (multilingual sentence embeddings) with its three closest sentences of the main
  sources and of the report's own paragraphs, so a Chinese paragraph about an English paper is on
  topic however few words they share. The request's sentences are left out of the comparison by
  meaning: its framing (a student, a course, a report) is closer to retrieved pages about teaching
  and writing than the paper is. Paragraphs with fewer than ``MIN_TOKENS`` content tokens are not
  judged, nor is anything when the topic is the request alone. A report on one paper that quotes
  retrieved pages about installing TensorFlow is off topic there, however faithful each quote is.
  It stays a warning for the reader, never a reason for the loop to delete text (``bench/relevance.py``):
  it flags none of the labelled set's 175 supported claims quoted as web pages (the words alone: 25 %)
  but only 4 of its 12 off-topic ones; on the reference reports of task 005 (whose paper is not in
  the corpus) it flags 15 of 288 quotes from on-topic pages (5.2 %; the words alone 10.8 %) and 41
  of 153 from off-topic ones (27 %; the words alone 40 %).
- ``coverage.source_missing`` (warning): the request names a kind of source it provides
  (根据我提供的论文, 相关视频, the attached paper) — a paper or article, a video, an image — that
  the task has none of; no revision can fix it, so it never blocks.
- ``coverage.main_uncited``: a main source the report never cites (an error when the request asks
  for sources, else a warning).

Main sources are the task's own files: every source whose units are not retrieved web-page chunks.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from shared import embeddings
from shared.citations import VIDEO_EXTENSIONS, resolve
from shared.evidence_sentences import evidence_sentences
from shared.findings import Finding
from shared.report import Report, Sentence, is_heading, read_report
from shared.requirements import Requirements
from shared.retrieval import BM25, STOPWORDS, tokenize
from shared.units import EvidencePack

RELEVANCE = 0.05
RELATED = 0.25
"""Mean cosine of a sentence with its ``CLOSEST`` topic sentences at or above which it is on topic."""
CLOSEST = 3
MIN_TOKENS = 12
PROVIDED = (
    r"(?:(?:提供|给出|附上|附带|上传|所给|给定|基于|根据|结合|相关|这篇|该)[^，。；,.;：:\n]{0,8}?|"
    r"\b(?:provided|attached|given|uploaded|accompanying|related|this|these|the)\s+(?:\w+\s+){0,2}?)"
)
SOURCE_KINDS = {
    "paper": (re.compile(PROVIDED + r"(?:论文|文章|文献|papers?\b|articles?\b|pdf\b)", re.IGNORECASE), "a paper or article"),
    "video": (re.compile(PROVIDED + r"(?:视频|录像|录屏|videos?\b|recordings?\b)", re.IGNORECASE), "a video"),
    "image": (re.compile(PROVIDED + r"(?:图片|图像|照片|images?\b|photos?\b|pictures?\b)", re.IGNORECASE), "an image"),
}
DOCUMENT_UNITS = {"page", "text", "slide", "sheet"}


class Paragraph(NamedTuple):
    """A run of non-empty, non-heading lines: its text and its sentences."""

    text: str
    sentences: list[Sentence]


def main_sources(pack: EvidencePack) -> list[str]:
    """The task's own files: sources with a unit that is not a web-page chunk, in pack order."""
    return list(dict.fromkeys(u.source for u in pack.units if u.kind != "chunk"))


def source_kind(source: str, pack: EvidencePack) -> str:
    """'video', 'image' or 'paper' for a main source, by its units and file extension."""
    kinds = {u.kind for u in pack.units_of(source)}
    if kinds & {"frame", "audio"} or source.rsplit(".", 1)[-1].lower() in VIDEO_EXTENSIONS:
        return "video"
    return "image" if kinds == {"image"} else "paper" if kinds & DOCUMENT_UNITS else ""


def paragraphs_of(report: Report) -> list[Paragraph]:
    """The report's paragraphs: runs of non-empty lines that are not headings."""
    found: list[Paragraph] = []
    run: list[int] = []
    for number, line in enumerate([*report.lines, None]):
        if line is not None and line.text.strip() and not is_heading(line.text):
            run.append(number)
            continue
        if run:
            start, end = report.lines[run[0]].start, report.lines[run[-1]].end
            found.append(Paragraph(report.text[start:end], report.sentences_between(start, end)))
        run = []
    return found


def check_off_topic(text: str, requirements: Requirements, pack: EvidencePack, query: str) -> list[Finding]:
    """``claim.off_topic`` for each paragraph quoting only retrieved web pages that is unrelated to
    the topic — the request, the main sources, and the report's paragraphs that cite the task's own
    files — by words and by meaning."""
    report = read_report(text)
    main = set(main_sources(pack))
    paragraphs = [(p, [c for s in p.sentences for g in s.groups for c in g.citations]) for p in paragraphs_of(report)]
    own = [p for p, citations in paragraphs if any(c.kind != "chunk" for c in citations)]
    if not main and not own:
        return []
    topic = [query, *(u.text for u in pack.units if u.source in main), *(plain(p) for p in own)]
    spans = report.sections(requirements)
    meaning = Meaning(pack, main, own)
    vocabulary: set[str] = set()
    weights = None
    findings = []
    for paragraph, citations in paragraphs:
        tokens = set(tokenize(plain(paragraph))) - STOPWORDS
        if not citations or any(c.kind != "chunk" for c in citations) or len(tokens) < MIN_TOKENS:
            continue
        if weights is None:  # built for the first paragraph judged: most reports quote few web pages
            vocabulary = set(tokenize("\n".join(topic))) - STOPWORDS
            weights = BM25([u.text for u in pack.units] + [query])
        score = sum(weights.idf(t) for t in tokens & vocabulary) / sum(weights.idf(t) for t in tokens)
        if score >= RELEVANCE:
            continue
        related = meaning.relatedness(paragraph)
        if related >= RELATED:
            continue
        first = paragraph.sentences[0]
        findings.append(
            Finding(
                check="claim.off_topic",
                severity="warning",
                message=f"The paragraph quotes retrieved pages on a subject unrelated to the request and the "
                f"task's own sources (shared words {score:.2f}, under {RELEVANCE}; meaning {related:.2f}, under {RELATED}).",
                section=report.section_at(spans, first.start),
                sentence=first.text,
                sentence_index=first.index,
                evidence=paragraph.text[:300],
                fix="Remove the paragraph, or replace it with what the request asks about, from the task's own sources.",
            )
        )
    return findings


class Meaning:
    """How related a paragraph is by meaning to the main sources' sentences and the report's own
    paragraphs (their embeddings computed on first use; the pack's own are taken when it has them)."""

    def __init__(self, pack: EvidencePack, main: set[str], own: list[Paragraph]) -> None:
        self.pack, self.main, self.own = pack, main, own
        self._topic: np.ndarray | None = None

    def relatedness(self, paragraph: Paragraph) -> float:
        """The best, over the paragraph's sentences, of the mean cosine with its ``CLOSEST`` topic sentences."""
        if self._topic is None:
            embeddings.remember(self.pack.vectors)
            sentences = evidence_sentences([u.text for u in self.pack.units if u.source in self.main])
            self._topic = embeddings.encode(sentences + [s.plain for p in self.own for s in p.sentences if s.plain])
        mine = [s.plain for s in paragraph.sentences if s.plain]
        if not mine or not len(self._topic):
            return 1.0
        cosines = embeddings.similarity(embeddings.encode(mine), self._topic)
        closest = np.sort(cosines, axis=1)[:, -CLOSEST:]
        return float(closest.mean(axis=1).max())


def plain(paragraph: Paragraph) -> str:
    """A paragraph's sentences without their citations."""
    return " ".join(s.plain for s in paragraph.sentences)


def check_source_kinds(query: str, pack: EvidencePack) -> list[Finding]:
    """``coverage.source_missing`` for each kind of source the request names that the task lacks."""
    present = {source_kind(source, pack) for source in main_sources(pack)}
    findings = []
    for kind, (pattern, label) in SOURCE_KINDS.items():
        named = pattern.search(query)
        if named and kind not in present:
            findings.append(
                Finding(
                    check="coverage.source_missing",
                    severity="warning",
                    message=f"The request names {label} ('{named.group(0)}'), but the task has none among its sources.",
                    evidence=f"sources: {', '.join(main_sources(pack)) or 'only retrieved web pages'}",
                    fix=f"Add {label} to the task's files, or do not present content as coming from one.",
                )
            )
    return findings


def check_main_cited(text: str, requirements: Requirements, pack: EvidencePack) -> list[Finding]:
    """``coverage.main_uncited`` for each main source no citation of the report resolves to."""
    report = read_report(text)
    cited = {u.source for g in report.groups for c in g.citations for u in resolve(c, pack.units)}
    return [
        Finding(
            check="coverage.main_uncited",
            severity="error" if requirements.cite_sources else "warning",
            message=f"The report never cites {source}, one of the task's own sources.",
            evidence=source,
            fix=f"Base the report's claims on {source} and cite its units.",
        )
        for source in main_sources(pack)
        if source not in cited
    ]
