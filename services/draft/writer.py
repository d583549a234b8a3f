"""The offline extractive writer: drafts and revises reports from evidence sentences, with no model.

A draft is Markdown: the title line ``《TITLE》`` (or a ``# `` heading from the request), then one
``## `` heading per required section, in order and written as the request writes it (default
sections 引言/主要内容/结论 or Introduction/Main points/Conclusion when none are required). Each
section holds evidence sentences ranked for the section name and the request, none repeated across
sections, request-language sentences first; a section that asks for a kind of unit (a video
section) chooses before the others, so they do not use up its frames. Every sentence carries the
canonical citation of the unit it was taken from, so every citation resolves by construction. A
section about basic information (基本信息 / basic information) opens with each PDF's title, authors
and page count (those its page 1 prints), cited to its page 1. Length aims at the middle of the requested range (字数 by ``count_zi`` without
citations, words by ``count_words``) and never passes its maximum; with no range each section gets
four sentences.

Revision changes only what findings name; every other sentence stays byte-identical. Handled check
ids (a check id matches when it starts with one of these):

- ``citation.unresolved`` (``finding.sentence``, ``finding.citation``): the citations of the sentence
  that resolve to nothing are removed; a sentence left without a resolving citation is re-pointed
  to the best-matching unit when that unit holds at least half of its tokens, else dropped.
- ``citation.unsupported`` (same fields): the named citation is removed, then as above (the removed
  citation's units are not chosen again).
- ``citation.missing`` and ``claim.uncited`` (``finding.sentence``): the sentence is re-pointed as
  above, or dropped.
- ``metadata.*`` errors (``finding.sentence``): the sentence that misstates the document is dropped.
- ``claim.off_topic`` (``finding.sentence``, the paragraph's first sentence): the paragraph is dropped.
- ``repetition.sentence`` (``finding.sentence``, the later of two near duplicates): it is dropped (of
  exact duplicates, every copy but the first); ``repetition.paragraph`` (its first sentence): the
  paragraph is dropped.
- ``structure.section_missing`` / ``structure.section_empty`` (``finding.section`` = the required
  section's name): the section is added in its required position, or its empty body filled, as
  in drafting.
- ``structure.title_missing``: the ``《TITLE》`` line is added at the top.
- ``length.too_short``: unused evidence sentences are added, one at a time to the section with the
  least text, until the report reaches the middle of the range.
- ``length.too_long``: the sentences least relevant to their section are dropped (never a
  section's last one) until the report is down to the middle of the range.

Other findings leave the text unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field

from shared import embeddings
from shared.citations import find_citations, format_citation, resolve, strip_citations, unit_citation
from shared.findings import Finding
from shared.references import is_reference_section
from shared.report import outline, sentence_texts
from shared.requirements import LengthRange, Requirements, Section
from shared.retrieval import BM25, coverage, rank_units
from shared.sentences import split_sentences
from shared.textjoin import join_text
from shared.units import EvidencePack, Unit
from shared.wordcount import count_words, count_zi

DEFAULT_SENTENCES = 4
PARAGRAPH_SENTENCES = 4
UNIT_DEPTH = 10
MEANING_WEIGHT = 0.6
MEANING_MIN = 0.25
MAIN_RELEVANT = 1 / 3
MAIN_BONUS = 0.15
LANGUAGE_BONUS = 0.1
WEB_KINDS = frozenset({"chunk"})
REPOINT_COVERAGE = 0.5
DEFAULT_SECTIONS = {"zh": ["引言", "主要内容", "结论"], "en": ["Introduction", "Main points", "Conclusion"]}
BASIC_INFORMATION = ("基本信息", "basic information")
# Words added to a section name so it also matches evidence in the other language.
GLOSSARY = {
    "基本信息": "title authors abstract",
    "basic information": "title authors abstract",
    "引言": "introduction background motivation",
    "背景": "background",
    "摘要": "abstract summary",
    "目标": "goal objective",
    "方法": "method approach",
    "技术": "method model architecture technique",
    "实验": "experiment evaluation results",
    "结果": "results",
    "讨论": "discussion",
    "局限": "limitation",
    "未来": "future work",
    "结论": "conclusion",
    "总结": "conclusion summary",
    "相关工作": "related work",
    "视频": "video talk",
}
# Section-name words that favour units of some kinds.
KIND_HINTS = {
    "视频": {"frame", "audio"},
    "讲解": {"frame", "audio"},
    "演讲": {"frame", "audio"},
    "video": {"frame", "audio"},
    "talk": {"frame", "audio"},
    "lecture": {"frame", "audio"},
}
HINTED_KINDS = frozenset().union(*KIND_HINTS.values())
PAPER_WORDS = ("论文", "paper")
"""Section-name words that keep a section to the pages of the task's documents."""
SENTENCE_TAIL = re.compile(r"[。！？；.!?]+[”’\"'」』）)]*$")
REFERENCE_MARK = re.compile(r"\s?\[\d+(?:\s*[,–-]\s*\d+)*\]")
BIBLIOGRAPHY = re.compile(r"arXiv|preprint|Proceedings|In Advances|\b(?:19|20)\d\d[a-z]?\.$")
URL_TEXT = re.compile(r"https?://\S+")
MASTHEAD = re.compile(
    r"收稿日期|录用日期|修回日期|发布日期|Published Online|\bReceived:|^关\s*键\s*词|^Key\s*words|https?://[\x21-\x7e]+[\u4e00-\u9fff]", re.I
)
"""A journal's masthead on a paper's first page (dates of receipt and publication, the keywords line, a
URL run into the title)."""
FOOTNOTE_LEAD = re.compile(r"^\d{1,2}\s+(?=(?:19|20)\d\d\s*年)")
"""A footnote number left before a sentence that opens with a year (…30,000 元。2 2023 年 4 月，…)."""
GLUED_HEADING = re.compile(r"^(?:摘\s*要|引\s*言|前\s*言|结\s*语)\s*(?=[\u4e00-\u9fff])")
QUESTION = re.compile(r"[？?][”’\"'」』）)]*$")
CONTINUATION = re.compile(
    r"^(?:[二三四五六七八九十]是|第[二三四五六七八九十][是，,、点步]|其次|再次|其三|其四|另一方面|\d{1,2}[．.、)）](?!\d)"
    r"|(?:Second|Third|Fourth)(?:ly)?\b|Finally\b|Lastly\b)",
    re.IGNORECASE,
)
"""An opening that only makes sense after the sentence before it in the source ("二是…", "Second, …", "2．…")."""
ENUMERATION = re.compile(
    r"之[一二三四五六七八九十][，,、是：:]|^(?:首先|第一[，,、是]|一是|其一|First(?:ly)?\b)"
    r"|(?:以下|如下)[^。]{0,10}[:：。]|\bthe following\b|[:：]$",
    re.IGNORECASE,
)
"""One item of an enumeration ("挑战之一，…", "First, …") or a sentence that introduces one: kept whole or not used."""
HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+[A-Z][^.]{0,60}?\s[A-Z]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
    r"|第[一二三四五六七八九十\d]+[章节部分篇])|…{2}|\.{4}"
    r"|\b(?:Abstract|Introduction|Conclusions?|References|Acknowledge?ments?)\s+[A-Z][a-z]"
    r"|[:：](?!\s*https?:)[^:：。.]{0,6}[:：]"
)
"""A source heading or table-of-contents line glued into a sentence ("3.1 Encoder and Decoder Stacks Encoder: …"),
or the blank labels of a form ("题 目： 指导教师： 姓 名：")."""
ANNOUNCEMENT = re.compile(r"(?:两|三|四|五|几|多)(?:个|种|类|方面|点|条|大)[\u4e00-\u9fff]{0,6}[。.]$")
"""A sentence that announces a list ("…主要有两个来源。") and says nothing without the list."""
METADATA_LABELS = {
    "zh": {"title": "论文题目：", "authors": "作者：", "affiliations": "作者单位：", "venue": "发表信息：",
           "pages": "页数：{} 页", "list": "、"},
    "en": {"title": "Title: ", "authors": "Authors: ", "affiliations": "Affiliations: ", "venue": "Venue: ",
           "pages": "Pages: {}", "list": ", "},
}
"""How the basic-information facts of a PDF are labelled, per report language."""
TERM = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['-][A-Za-z0-9]+)*")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?![\d.,]*\s*[万亿])")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Candidate:
    """One usable evidence sentence and the unit it came from."""

    text: str
    unit: Unit
    position: int
    lang: str

    @property
    def core(self) -> str:
        """The sentence without its end mark: how it is recognised inside a report."""
        return sentence_core(self.text)


@dataclass
class Fill:
    """A section being filled: its ranked candidates and the sentences chosen so far."""

    name: str
    ranking: list[tuple[Candidate, float]]
    sentences: list[str] = field(default_factory=list)
    size: int = 0
    cursor: int = 0

    def take(self, used: set[str]) -> Candidate | None:
        """The next ranked candidate whose sentence is not used yet (None when exhausted)."""
        while self.cursor < len(self.ranking):
            candidate = self.ranking[self.cursor][0]
            self.cursor += 1
            if candidate.core not in used:
                return candidate
        return None


class Evidence:
    """The evidence sentences of a pack, ranked per section for one request."""

    def __init__(self, pack: EvidencePack, query: str, lang: str) -> None:
        self.pack = pack
        self.query = query
        self.lang = lang
        self.candidates = evidence_sentences(pack)
        self.index = BM25([c.text for c in self.candidates])
        self.request_scores = normalized(self.index.scores(query))
        self.kinds = {unit.kind for unit in pack.units}
        self.meanings: dict[str, list[float]] = {}

    def prepare(self, names: list[str]) -> None:
        """Score every candidate's meaning against each section name, alone and with the request, at once
        (one encoder call for all)."""
        probes = [p for name in names for p in (section_topic(name), self.asked(name)) if p not in self.meanings]
        probes = list(dict.fromkeys(probes))
        if not probes or not self.candidates:
            return
        vectors = embeddings.encode([c.text for c in self.candidates] + probes)
        scores = embeddings.similarity(vectors[len(self.candidates) :], vectors[: len(self.candidates)])
        self.meanings.update({probe: [float(x) for x in row] for probe, row in zip(probes, scores, strict=True)})

    def asked(self, name: str) -> str:
        """What a section is asked to say: its name (with glossary words) and the request."""
        return f"{section_topic(name)}\n{self.query}"

    def main_relevant(self, name: str) -> list[bool]:
        """Per candidate: a sentence of a main document (not a web page, and not a video's frames or
        speech, kept for the sections that ask for them) among the ``MAIN_RELEVANT`` share of those
        closest in meaning to the section and the request (ranked, not thresholded: a Chinese request
        scores every English sentence low)."""
        meanings = self.meanings.get(self.asked(name), [])
        documents = [is_document(c.unit) for c in self.candidates]
        main = sorted((m for m, document in zip(meanings, documents, strict=True) if document), reverse=True)
        if not main:
            return [False] * len(self.candidates)
        cut = main[max(0, int(len(main) * MAIN_RELEVANT) - 1)]
        return [document and m >= cut for m, document in zip(meanings, documents, strict=True)]

    def ranked(self, name: str) -> list[tuple[Candidate, float]]:
        """Every candidate with its score for section ``name``: relevant ones from the main sources (not web
        pages) first, then relevant web sentences, then the rest. Relevant: close in meaning to the section
        (across languages), sharing its words, or of a kind its name asks for; a main-source sentence is
        also relevant when it is among the closest of its sources to the section and the request."""
        topic = section_topic(name)
        topical = normalized(self.index.scores(topic))
        units = rank_units(f"{topic}\n{self.query}", self.pack.units, UNIT_DEPTH)
        best_unit = units[0][1] if units else 1.0
        unit_scores = {unit_key(unit): score / best_unit for unit, score in units}
        self.prepare([name])
        meanings = self.meanings.get(topic, [])
        main_relevant = self.main_relevant(name)
        kinds = section_kinds(name, self.kinds)
        ranked = []
        rows = zip(self.candidates, topical, self.request_scores, meanings, main_relevant, strict=True)
        for candidate, topic_score, request_score, meaning, close in rows:
            if kinds and candidate.unit.kind not in kinds:
                continue
            hinted = bool(kinds)
            score = (
                MEANING_WEIGHT * max(0.0, meaning)
                + 0.25 * topic_score
                + 0.15 * request_score
                + 0.1 * unit_scores.get(unit_key(candidate.unit), 0.0)
                + (MAIN_BONUS if is_main(candidate.unit) else 0.0)
                + (LANGUAGE_BONUS if candidate.lang == self.lang else 0.0)
            )
            relevant = meaning >= MEANING_MIN or topic_score > 0 or hinted or close
            tier = (0 if relevant else 2) + (0 if is_main(candidate.unit) else 1)
            ranked.append((tier, -score, candidate.unit.source, candidate.unit.index, candidate.position, candidate))
        ranked.sort(key=lambda row: row[:5])
        return [(row[5], -row[1]) for row in ranked]

    def fill(self, name: str, length: LengthRange | None) -> Fill:
        """A fill for section ``name`` that starts with the basic-information lines when it asks for them;
        a reference section gets no evidence sentences (``services.draft.references`` writes it)."""
        section = Fill(name=name, ranking=[] if is_reference_section(name) else self.ranked(name))
        if is_basic_information(name):
            for line in metadata_sentences(self.pack, self.lang):
                section.sentences.append(line)
                section.size += measure(line, length, self.lang)
        return section


def draft_report(requirements: Requirements, query: str, pack: EvidencePack) -> str:
    """A cited Markdown report for ``query`` built only from sentences of ``pack``."""
    lang = requirements.language
    evidence = Evidence(pack, query, lang)
    sections = required_sections(requirements)
    evidence.prepare([section.name for section in sections])
    used: set[str] = set()
    fills = [evidence.fill(section.name, requirements.length) for section in sections]
    head = title_lines(requirements, query)
    if requirements.length is None:
        for fill in sorted(fills, key=lambda f: not hinted_kinds(f.name)):
            complete(fill, used, lang)
    else:
        skeleton = head + [heading(section) for section in sections]
        total = measure("\n".join(skeleton), requirements.length, lang) + sum(f.size for f in fills)
        grow(fills, used, total, requirements.length, lang)
    lines = [*head, ""]
    for section, fill in zip(sections, fills, strict=False):
        lines += [heading(section), "", *paragraphs(fill.sentences)]
    return "\n".join(lines).strip()


def revise_report(
    text: str, findings: list[Finding], requirements: Requirements, query: str, pack: EvidencePack
) -> str:
    """``text`` with the named findings repaired by the drafting means; unnamed sentences are kept as they are."""
    if not text.strip():
        return draft_report(requirements, query, pack)
    lang = requirements.language
    lines = text.split("\n")
    evidence = Evidence(pack, query, lang)
    for finding in findings:
        if finding.check.startswith(("citation.unresolved", "citation.unsupported", "citation.missing", "claim.uncited")):
            lines = repair_citation(lines, finding, pack, lang)
        elif finding.check.startswith("metadata.") and finding.severity == "error":
            lines = drop_sentences(lines, finding)
        elif finding.check.startswith(("claim.off_topic", "repetition.paragraph")):
            lines = drop_paragraph(lines, finding)
        elif finding.check.startswith("repetition.sentence"):
            lines = drop_repeat(lines, finding)
    if any(f.check.startswith("structure.title_missing") for f in findings) and requirements.title:
        lines = [f"《{requirements.title}》", "", *lines]
    for finding in findings:
        if finding.check.startswith(("structure.section_missing", "structure.section_empty")):
            lines = add_section(lines, finding.section, requirements, evidence)
    if requirements.length is not None:
        if any(f.check.startswith("length.too_short") for f in findings):
            lines = lengthen(lines, requirements, evidence)
        if any(f.check.startswith("length.too_long") for f in findings):
            lines = shorten(lines, requirements, evidence)
    return "\n".join(lines).rstrip("\n") + text[len(text.rstrip("\n")) :]


# --- evidence sentences -------------------------------------------------------------------------


UNIT_LABEL = re.compile(r"^\s*(?:Slide|Speech):\s*")
"""The label ingest puts before a video frame's slide text and speech: not part of any sentence."""


def evidence_sentences(pack: EvidencePack) -> list[Candidate]:
    """The usable sentences of every unit, in pack order, each sentence text once (a frame's
    ``UNIT_LABEL`` left out)."""
    seen: set[str] = set()
    candidates: list[Candidate] = []
    for unit in pack.units:
        for block in re.split(r"\n\s*\n", unit.text):
            for sentence in split_sentences(flatten(UNIT_LABEL.sub("", block))):
                sentence = tidy(sentence)
                if sentence in seen or not usable(sentence):
                    continue
                seen.add(sentence)
                candidates.append(Candidate(sentence, unit, len(candidates), language(sentence)))
    return candidates


def flatten(block: str) -> str:
    """One paragraph of extracted text on one line, its lines joined by ``shared.textjoin.join_text``."""
    return join_text(" ".join(line.split()) for line in block.split("\n"))


def tidy(sentence: str) -> str:
    """``sentence`` without reference marks ([12]), a heading word the PDF glued to its start
    (引言互联网的发展… → 互联网的发展…) or a footnote number before its opening year."""
    return FOOTNOTE_LEAD.sub("", GLUED_HEADING.sub("", REFERENCE_MARK.sub("", sentence).strip()))


def usable(sentence: str) -> bool:
    """Whether a sentence is worth citing: ends like a statement, long enough, stands on its own (no
    "二是…" continuation, no item or announcement of a list it lacks), no source heading or masthead
    (收稿日期, a URL glued to the title) in it, not digits, URLs, brackets or a bibliography entry."""
    if len(sentence) > 400 or not SENTENCE_TAIL.search(sentence) or re.search(r"[\[\]【】]", sentence):
        return False
    if BIBLIOGRAPHY.search(sentence) or QUESTION.search(sentence):
        return False
    if CONTINUATION.search(sentence) or ANNOUNCEMENT.search(sentence) or ENUMERATION.search(sentence):
        return False
    if HEADING.search(sentence) or MASTHEAD.search(sentence):
        return False
    words = URL_TEXT.sub(" ", sentence)
    if len(CJK.findall(words)) < 8 and len(LATIN_WORD.findall(words)) < 6:
        return False
    visible = re.sub(r"\s", "", sentence)
    return sum(ch.isdigit() for ch in visible) <= 0.3 * len(visible)


def unheld(sentence: str, evidence: str) -> list[str]:
    """The Latin terms and numbers of ``sentence`` that ``evidence`` lacks (case, plural -s and thousands
    separators aside; an amount in 万 or 亿 is left to the validator, which compares amounts by value)."""
    lowered = evidence.lower()
    digits = evidence.replace(",", "")
    missing = [
        term for term in TERM.findall(sentence)
        if len(term) > 1 and not re.search(rf"(?<![a-z0-9]){re.escape(term.lower())}(?:e?s)?(?![a-z0-9])", lowered)
    ]  # fmt: skip
    return missing + [
        n for n in NUMBER.findall(sentence) if not re.search(rf"(?<![\d.]){re.escape(n.replace(',', ''))}(?!\d)", digits)
    ]  # fmt: skip


def language(text: str) -> str:
    """'zh' when CJK characters outnumber Latin words, else 'en'."""
    return "zh" if len(CJK.findall(text)) >= len(LATIN_WORD.findall(text)) else "en"


def language_notice(pack: EvidencePack, lang: str) -> Finding | None:
    """A ``draft.quotes_sources`` warning when most of the evidence text is in another language than the
    request's: the offline writer can only quote it, so the report will not be in the request's language."""
    sizes: dict[str, int] = {}
    for unit in pack.units:
        sizes[language(unit.text)] = sizes.get(language(unit.text), 0) + len(unit.text)
    other = sum(size for code, size in sizes.items() if code != lang)
    if other <= sum(sizes.values()) / 2:
        return None
    names = {"zh": "Chinese", "en": "English"}
    return Finding(
        check="draft.quotes_sources",
        severity="warning",
        message=(
            f"No model is configured, so the offline extractive writer quotes the sources in their own language "
            f"({names.get('en' if lang == 'zh' else 'zh')}) instead of writing {names.get(lang, lang)}. For a report "
            "in the request's language set OPENAI_BASE_URL and OPENAI_MODEL, or install 'redline[local]'."
        ),
    )


def sentence_core(sentence: str) -> str:
    """``sentence`` without its end marks and closing quotes."""
    return SENTENCE_TAIL.sub("", sentence.strip())


def cite(sentence: str, citation: str, lang: str) -> str:
    """``sentence`` with ``citation`` placed before its end mark (the ``lang`` one is added when missing)."""
    body = sentence.strip()
    match = SENTENCE_TAIL.search(body)
    core = body[: match.start()] if match else body
    tail = match.group() if match else ("。" if lang == "zh" else ".")
    tail = tail.replace("；", "。").replace(";", ".")
    closing = ")\"'" if lang == "zh" else ")\"'”’"
    space = " " if (core[-1:].isascii() and core[-1:].isalnum()) or core[-1:] in closing else ""
    return f"{core}{space}{citation}{tail}"


def normalized(scores: list[float]) -> list[float]:
    """``scores`` divided by their maximum (unchanged when none is positive)."""
    top = max(scores, default=0.0)
    return [s / top for s in scores] if top > 0 else scores


def unit_key(unit: Unit) -> tuple[str, str, int]:
    return (unit.source, unit.kind, unit.index)


def section_topic(name: str) -> str:
    """A section name with the glossary words of every entry it contains."""
    lowered = name.lower()
    return " ".join([name] + [extra for word, extra in GLOSSARY.items() if word in lowered])


def hinted_kinds(name: str) -> set[str]:
    """Unit kinds a section name asks for (video sections favour frames and speech)."""
    lowered = name.lower()
    return {kind for word, kinds in KIND_HINTS.items() if word in lowered for kind in kinds}


def section_kinds(name: str, present: Set[str]) -> set[str]:
    """The unit kinds a section keeps to: those its name asks for (video: frames and speech; paper:
    pages) that the task has; for a section asking for a kind the task lacks (a video section, no
    video), the main sources' kinds, never web pages that merely talk about videos; empty: every kind."""
    hinted = hinted_kinds(name)
    kinds = (hinted | ({"page"} if any(word in name.lower() for word in PAPER_WORDS) else set())) & present
    if hinted and not hinted & present:
        return kinds | (set(present) - WEB_KINDS)
    return kinds


def is_main(unit: Unit) -> bool:
    """Whether a unit belongs to a main source (anything but a retrieved web page)."""
    return unit.kind not in WEB_KINDS


def is_document(unit: Unit) -> bool:
    """Whether a unit belongs to a main document (a paper, a file), not to a web page or a video."""
    return is_main(unit) and unit.kind not in HINTED_KINDS


def is_basic_information(name: str) -> bool:
    return any(word in name.lower() for word in BASIC_INFORMATION)


def metadata_sentences(pack: EvidencePack, lang: str) -> list[str]:
    """Title, authors, affiliations, venue and page count of every PDF with a page 1, each cited to
    that page; a fact whose terms or numbers page 1's text does not hold (a venue printed only in its
    footer, the page count) is left out, since that page could not support it."""
    labels = METADATA_LABELS["zh" if lang == "zh" else "en"]
    sentences = []
    for meta in sorted(pack.sources, key=lambda m: m.source):
        if meta.kind != "pdf" and not meta.source.lower().endswith(".pdf"):
            continue
        first = next((u for u in pack.units_of(meta.source) if u.kind == "page" and u.index == 1), None)
        if first is None:
            continue
        citation = unit_citation(first, lang)
        join = labels["list"].join
        facts = [
            (labels["title"], meta.title),
            (labels["authors"], join(meta.authors)),
            (labels["affiliations"], join(meta.affiliations)),
            (labels["venue"], meta.venue),
            (labels["pages"], str(meta.pages or "")),
        ]
        for label, value in facts:
            if value and not unheld(value, first.text):
                sentences.append(cite(label.format(value) if "{}" in label else label + value, citation, lang))
    return sentences


# --- layout and length --------------------------------------------------------------------------


def required_sections(requirements: Requirements) -> list[Section]:
    """The required sections, or the default three in the request's language."""
    if requirements.sections:
        return requirements.sections
    names = DEFAULT_SECTIONS["zh" if requirements.language == "zh" else "en"]
    return [Section(marker="", name=name) for name in names]


def heading(section: Section) -> str:
    """``## `` + the section as the request writes it (a space after a Latin marker such as ``1.``)."""
    space = " " if section.marker[-1:].isascii() and section.marker else ""
    return f"## {section.marker}{space}{section.name}"


def title_lines(requirements: Requirements, query: str) -> list[str]:
    """``《TITLE》``, or a heading made from the request's first sentence."""
    if requirements.title:
        return [f"《{requirements.title}》"]
    first = next(iter(split_sentences(strip_citations(query))), "")
    return [f"# {sentence_core(first)[:40]}"] if first else []


def paragraphs(sentences: list[str]) -> list[str]:
    """Sentences grouped into paragraphs (joined by each sentence's script), each followed by a blank line."""
    lines = []
    for start in range(0, len(sentences), PARAGRAPH_SENTENCES):
        lines += [join_text(sentences[start : start + PARAGRAPH_SENTENCES]), ""]
    return lines


def measure(text: str, length: LengthRange | None, lang: str) -> int:
    """The length of ``text`` in the unit of ``length`` (字数 for Chinese, words for English when none)."""
    unit = length.unit if length else ("zi" if lang == "zh" else "words")
    if unit == "words":
        return count_words(strip_citations(text))
    if unit == "characters":
        return len(re.sub(r"\s", "", strip_citations(text)))
    return count_zi(text)


def target(length: LengthRange) -> int:
    """Where a report should land: the middle of the range, or near its one bound."""
    if length.minimum is not None and length.maximum is not None:
        return (length.minimum + length.maximum) // 2
    if length.minimum is not None:
        return round(length.minimum * 1.15)
    return round((length.maximum or 0) * 0.75)


def add_sentence(section: Fill, used: set[str], room: int | None, lang: str, length: LengthRange | None) -> int | None:
    """Add the next unused candidate that fits in ``room``; its size, or None when none is left."""
    while (candidate := section.take(used)) is not None:
        sentence = cite(candidate.text, unit_citation(candidate.unit, lang), lang)
        size = measure(sentence, length, lang)
        if room is None or size <= room:
            used.add(candidate.core)
            section.sentences.append(sentence)
            section.size += size
            return size
    return None


def complete(section: Fill, used: set[str], lang: str) -> None:
    """Add sentences until the section holds the default number, or its candidates run out."""
    while len(section.sentences) < DEFAULT_SENTENCES and add_sentence(section, used, None, lang, None) is not None:
        pass


def grow(fills: list[Fill], used: set[str], total: int, length: LengthRange, lang: str) -> int:
    """Add sentences to the section with the least text until ``total`` reaches the target; a
    basic-information section that holds text grows only when no other can (it states the paper's
    facts, not its findings). The new total."""
    goal = target(length)
    open_fills = list(fills)
    while total < goal and open_fills:
        section = min(open_fills, key=lambda f: (is_basic_information(f.name) and f.size > 0, f.size, not hinted_kinds(f.name), fills.index(f)))
        room = None if length.maximum is None else length.maximum - total
        size = add_sentence(section, used, room, lang, length)
        if size is None:
            open_fills.remove(section)
        else:
            total += size
    return total


# --- revision -----------------------------------------------------------------------------------


def repair_citation(lines: list[str], finding: Finding, pack: EvidencePack, lang: str) -> list[str]:
    """Fix every sentence the finding names (by its sentence, else by its citation): drop the condemned
    citations, then re-point the sentence or drop it when no resolving citation is left."""
    lines = list(lines)
    for number, sentence in reversed(named_sentences(lines, finding)):
        kept, excluded = without_citations(sentence, finding, pack.units, lang)
        if not any(resolve(c, pack.units) for g in find_citations(kept) for c in g.citations):
            kept = repoint(kept, pack, excluded, lang)
        lines[number] = replace_sentence(lines[number], sentence, kept)
    return drop_empty_lines(lines)


def named_sentences(lines: list[str], finding: Finding) -> list[tuple[int, str]]:
    """(line number, sentence) of every sentence the finding names: by its sentence, else by its citation."""
    sentences = [(number, sentence) for number, line in enumerate(lines) for sentence in sentence_texts(line)]
    named = [(n, s) for n, s in sentences if finding.sentence and same_sentence(finding.sentence, s)]
    if not named and finding.citation:
        named = [(n, s) for n, s in sentences if finding.citation in s]
    return named


def drop_sentences(lines: list[str], finding: Finding) -> list[str]:
    """``lines`` without the sentences the finding names."""
    lines = list(lines)
    for number, sentence in reversed(named_sentences(lines, finding)):
        lines[number] = replace_sentence(lines[number], sentence, "")
    return drop_empty_lines(lines)


def drop_repeat(lines: list[str], finding: Finding) -> list[str]:
    """``lines`` without the repeated sentence the finding names, keeping the first of exact copies."""
    lines = list(lines)
    named = named_sentences(lines, finding)
    for number, sentence in reversed(named[1:] if len(named) > 1 else named):
        lines[number] = replace_sentence(lines[number], sentence, "")
    return drop_empty_lines(lines)


def drop_paragraph(lines: list[str], finding: Finding) -> list[str]:
    """``lines`` without the paragraph (run of non-empty lines) that holds the sentence the finding names."""
    named = named_sentences(lines, finding)
    if not named:
        return lines
    start = end = named[0][0]
    while start > 0 and lines[start - 1].strip():
        start -= 1
    while end + 1 < len(lines) and lines[end + 1].strip():
        end += 1
    return drop_empty_lines([*lines[:start], "", *lines[end + 1:]])


def same_sentence(a: str, b: str) -> bool:
    return a.strip() == b.strip() or strip_citations(a).strip() == strip_citations(b).strip()


def without_citations(sentence: str, finding: Finding, units: list[Unit], lang: str) -> tuple[str, list[Unit]]:
    """``sentence`` without the citations the finding condemns, and the units those pointed at."""
    unresolved = finding.check.startswith("citation.unresolved")
    excluded: list[Unit] = []
    for group in reversed(find_citations(sentence)):
        keep = []
        for citation in group.citations:
            condemned = (
                not resolve(citation, units)
                if unresolved
                else bool(finding.citation) and finding.citation in (citation.raw, group.raw)
            )
            if condemned:
                excluded += resolve(citation, units)
            else:
                keep.append(citation)
        if len(keep) == len(group.citations):
            continue
        bracket = "[" + "; ".join(format_citation(c, lang)[1:-1] for c in keep) + "]" if keep else ""
        start = group.start - 1 if not keep and sentence[group.start - 1 : group.start] == " " else group.start
        sentence = sentence[:start] + bracket + sentence[group.end :]
    return sentence, excluded


def repoint(sentence: str, pack: EvidencePack, excluded: list[Unit], lang: str) -> str:
    """``sentence`` cited to the unit that holds most of it, or '' when no unit holds half its tokens."""
    plain = strip_citations(sentence).strip()
    units = [u for u in pack.units if u not in excluded]
    for unit, _ in rank_units(plain, units, 1):
        if coverage(plain, unit.text) >= REPOINT_COVERAGE:
            return cite(plain, unit_citation(unit, lang), lang)
    return ""


def replace_sentence(line: str, old: str, new: str) -> str:
    """``line`` with ``old`` replaced by ``new``; removing it also removes one space beside it."""
    start = line.find(old)
    end = start + len(old)
    if not new:
        if line[end : end + 1] == " ":
            end += 1
        elif line[start - 1 : start] == " ":
            start -= 1
    return line[:start] + new + line[end:]


def drop_empty_lines(lines: list[str]) -> list[str]:
    """``lines`` with emptied lines made blank and runs of blank lines cut to one."""
    result: list[str] = []
    for line in lines:
        if not line.strip() and result and not result[-1].strip():
            continue
        result.append(line if line.strip() else "")
    return result


def section_spans(lines: list[str], requirements: Requirements) -> list[tuple[str, int, int]]:
    """(name, heading line, end line) of every heading ``shared.report.outline`` finds (the validator's
    section finder); a required section is named by its required name and ends at the next heading."""
    starts = outline(lines, [section.name for section in requirements.sections])
    return [
        (name, number, starts[i + 1][0] if i + 1 < len(starts) else len(lines)) for i, (number, name) in enumerate(starts)
    ]


def heading_name(line: str, requirements: Requirements) -> str:
    """The section ``line`` heads by ``shared.report``'s rules: a required section's name, a heading's
    own text, or '' when it is no heading."""
    return next((name for _, name in outline([line], [s.name for s in requirements.sections])), "")


def body_sentences(lines: list[str], start: int, end: int) -> list[tuple[int, str]]:
    """(line, sentence) of the body of a section spanning ``start``..``end``."""
    return [(n, s) for n in range(start + 1, end) for s in sentence_texts(lines[n])]


def used_sentences(lines: list[str], evidence: Evidence) -> set[str]:
    """The cores of the evidence sentences already in the report."""
    text = "\n".join(lines)
    return {c.core for c in evidence.candidates if c.core in text}


def add_section(lines: list[str], name: str, requirements: Requirements, evidence: Evidence) -> list[str]:
    """``lines`` with the required section ``name`` present and filled, in its required position."""
    sections = required_sections(requirements)
    position = next((i for i, s in enumerate(sections) if s.name == name or s.name in name or name in s.name), None)
    if position is None:
        return lines
    section = sections[position]
    spans = {span[0]: span for span in section_spans(lines, requirements)}
    used = used_sentences(lines, evidence)
    fill = evidence.fill(section.name, requirements.length)
    complete(fill, used, evidence.lang)
    body = paragraphs(fill.sentences)
    if section.name in spans:
        _, start, end = spans[section.name]
        if body_sentences(lines, start, end):
            return lines
        return [*lines[:start + 1], "", *body, *lines[end:]]
    later = [spans[s.name][1] for s in sections[position + 1 :] if s.name in spans]
    at = later[0] if later else len(lines)
    block = [heading(section), "", *body]
    if at == len(lines) and lines and lines[-1].strip():
        block = ["", *block]
    return drop_empty_lines(lines[:at] + block + lines[at:])


def growable(lines: list[str], requirements: Requirements) -> list[tuple[str, int, int]]:
    """Sections that may take more evidence: the required ones but a reference section, or every
    non-top-level one when none are required."""
    spans = section_spans(lines, requirements)
    if requirements.sections:
        wanted = {s.name for s in requirements.sections if not is_reference_section(s.name)}
        return [span for span in spans if span[0] in wanted]
    return [span for span in spans if not lines[span[1]].startswith("# ")]


def lengthen(lines: list[str], requirements: Requirements, evidence: Evidence) -> list[str]:
    """``lines`` with evidence sentences added, a new paragraph at the end of each grown section."""
    length = requirements.length
    if length is None:
        return lines
    spans = growable(lines, requirements)
    used = used_sentences(lines, evidence)
    evidence.prepare([name for name, _, _ in spans])
    fills = []
    for name, start, end in spans:
        fill = Fill(name=name, ranking=evidence.ranked(name))
        fill.size = measure("\n".join(lines[start + 1 : end]), length, evidence.lang)
        fills.append(fill)
    total = measure("\n".join(lines), length, evidence.lang)
    grow(fills, used, total, length, evidence.lang)
    for (_, start, end), fill in reversed(list(zip(spans, fills, strict=False))):
        if not fill.sentences:
            continue
        last = end
        while last > start + 1 and not lines[last - 1].strip():
            last -= 1
        lines = [*lines[:last], "", *paragraphs(fill.sentences)[:-1], *lines[last:]]
    return lines


def shorten(lines: list[str], requirements: Requirements, evidence: Evidence) -> list[str]:
    """``lines`` without their least relevant body sentences until the report is down to the target (a
    reference section's entries are kept)."""
    length = requirements.length
    if length is None:
        return lines
    goal = target(length)
    spans = [span for span in section_spans(lines, requirements) if not is_reference_section(span[0])]
    sentences = [(name, n, s) for name, start, end in spans for n, s in body_sentences(lines, start, end)]
    index = BM25([strip_citations(s) for _, _, s in sentences])
    request = normalized(index.scores(evidence.query))
    topics = {name: normalized(index.scores(section_topic(name))) for name, _, _ in spans}
    order = sorted(
        range(len(sentences)),
        key=lambda i: (0.5 * topics[sentences[i][0]][i] + 0.3 * request[i], -sentences[i][1], -i),
    )
    left = {name: sum(1 for n, _, _ in sentences if n == name) for name, _, _ in spans}
    lines = list(lines)
    for i in order:
        if measure("\n".join(lines), length, evidence.lang) <= goal:
            break
        name, number, sentence = sentences[i]
        if left[name] > 1:
            lines[number] = replace_sentence(lines[number], sentence, "")
            left[name] -= 1
    return drop_empty_lines(lines)
