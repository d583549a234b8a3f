"""Relevance and coverage: is the report about what was asked, from the sources the request names.

- ``claim.off_topic`` (warning): a paragraph that cites only retrieved web pages and whose words are
  unrelated to the topic — the request, the main sources' text and the report's paragraphs that
  cite the task's own files (resolved or not): under ``RELEVANCE`` of its content tokens (CJK
  bigrams, Latin words; weighted by inverse document frequency over the evidence, so words every
  page uses count little) occur in the topic. Paragraphs with fewer than ``MIN_TOKENS`` content
  tokens are not judged, nor is anything when the topic is the request alone. A report on
  one paper that quotes retrieved pages about installing TensorFlow is off topic there, however
  faithful each quote is. The measure is lexical and conservative: on the reference reports it
  catches about a third of inserted off-topic paragraphs and none of the on-topic ones
  (``bench/real_reports.py``), but across languages (a Chinese paragraph, an English paper) an
  on-topic paragraph can score under the bar, so it is a warning for the reader, never a reason
  for the loop to delete text.
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

from services.validate.support import STOPWORDS
from shared.citations import VIDEO_EXTENSIONS, resolve
from shared.findings import Finding
from shared.report import Report, Sentence, is_heading, read_report
from shared.requirements import Requirements
from shared.retrieval import BM25, tokenize
from shared.units import EvidencePack

RELEVANCE = 0.05
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
    """``claim.off_topic`` for each paragraph quoting only retrieved web pages whose words are
    unrelated to the topic: the request, the main sources, and the report's paragraphs that cite the
    task's own files."""
    report = read_report(text)
    main = set(main_sources(pack))
    paragraphs = [(p, [c for s in p.sentences for g in s.groups for c in g.citations]) for p in paragraphs_of(report)]
    own = [plain(p) for p, citations in paragraphs if any(c.kind != "chunk" for c in citations)]
    if not main and not own:
        return []
    topic = [query, *(u.text for u in pack.units if u.source in main), *own]
    vocabulary = set(tokenize("\n".join(topic))) - STOPWORDS
    weights = BM25([u.text for u in pack.units] + [query])
    spans = report.sections(requirements)
    findings = []
    for paragraph, citations in paragraphs:
        tokens = set(tokenize(plain(paragraph))) - STOPWORDS
        if not citations or any(c.kind != "chunk" for c in citations) or len(tokens) < MIN_TOKENS:
            continue
        score = sum(weights.idf(t) for t in tokens & vocabulary) / sum(weights.idf(t) for t in tokens)
        if score >= RELEVANCE:
            continue
        first = paragraph.sentences[0]
        findings.append(
            Finding(
                check="claim.off_topic",
                severity="warning",
                message=f"The paragraph quotes retrieved pages on a subject unrelated to the request and the "
                f"task's own sources (relevance {score:.2f}, under {RELEVANCE}).",
                section=report.section_at(spans, first.start),
                sentence=first.text,
                sentence_index=first.index,
                evidence=paragraph.text[:300],
                fix="Remove the paragraph, or replace it with what the request asks about, from the task's own sources.",
            )
        )
    return findings


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
