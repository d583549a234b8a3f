"""Drafting for a small model: one call per section, citations attached by alignment, not by the model.

Each call carries only that section's evidence (``services.draft.relevance``: the paper's passages for
a paper section, frames and speech for a video section, web chunks only where they beat the main
sources), then the instruction, after the evidence, with a length target so the sections add up to
the requested length. The reply is streamed. Every sentence of the reply is aligned, by multilingual
sentence embeddings, to the evidence sentences the call carried; it gets the citation of the unit
its best match comes from, or is dropped (``draft.sentence_unaligned``) when nothing it was given
says it. A sentence in another language than the request's (``draft.sentence_language``) and a
sentence that repeats an earlier one (``draft.sentence_repeated``) are dropped too, and so is a
sentence with a Latin term or a number that its unit does not hold (``draft.sentence_unheld``: the
validator would find it unsupported).

A call that fails (an error, no answer within its deadline, a reply with no usable sentence) leaves
its section to the offline extractive writer's means: the section's own evidence sentences, quoted
and cited (``draft.section_fallback`` says which section and why). Every call has a deadline: the
per-call ``timeout``, within the message's ``deadline``.

Revision replaces only the sentences the error findings name (at most ``MAX_REWRITES`` per round).
Each is replaced by a rendering of the evidence sentence closest to it (in the unit it cites when
that unit has one): in the request's language a call asks the model to translate that one sentence
faithfully, terms and numbers as the source writes them; the reply is spliced in when it aligns to
the evidence sentence and holds to its unit, and in the source's language the evidence sentence is
used as it is. When the rendering fails, or gives back the flagged sentence itself, the sentence is
dropped if the report stays within its length range (``draft.sentence_dropped``), else the evidence
sentence is quoted in its own language (``draft.sentence_quoted``), so a flagged sentence is never left as it was. The other findings
(structure, length, sentences past the cap) are left to the offline reviser, which lengthens a short
report only to just past its minimum; the evidence sentences it adds in another language than the request's are then rendered by the model the same way. A
revision never rewrites the whole report.
"""

from __future__ import annotations

import asyncio
import copy
import re
from dataclasses import dataclass, field

import numpy as np

from services.draft.composer import Written, writer_name
from services.draft.relevance import Passage, Relevance, evidence_matrix
from services.draft.settings import DraftModelSettings
from services.draft.writer import (
    cite,
    heading,
    is_basic_information,
    is_document,
    language,
    measure,
    metadata_sentences,
    replace_sentence,
    required_sections,
    revise_report,
    sentence_core,
    target,
    title_lines,
    unheld,
)
from shared import embeddings
from shared.citations import find_citations, resolve, strip_citations, unit_citation
from shared.errors import PoisonError, TransientError
from shared.events import Usage
from shared.findings import Finding
from shared.model import ModelClient, Progress
from shared.references import is_reference_section
from shared.report import sentence_texts
from shared.requirements import Requirements
from shared.retrieval import STOPWORDS, coverage, join_cjk
from shared.sentences import split_sentences
from shared.textjoin import join_text
from shared.tokens import cost_usd
from shared.units import EvidencePack, Unit

ALIGN_MIN = 0.35
SAME_LANGUAGE_ALIGNED = 0.7
SAME_LANGUAGE_COVERAGE = 0.46
"""A sentence in its evidence's language is kept when it restates an evidence sentence this closely or
its unit holds this share of its words: the line below which the validator doubts a claim
(``services.validate.support``: similarity 0.7, or 0.7 × coverage + 0.3 × anchors held ≥ 0.62)."""
LATER_STEPS = r"其次|再次|第[二三四五]|Second(?:ly)?|Third(?:ly)?"
LATER_STEP = re.compile(rf"^(?:{LATER_STEPS})[，,]\s*")
STEP = re.compile(rf"^(?:首先|第一|First(?:ly)?|{LATER_STEPS})[，,]\s*")
SPOKEN = frozenset(["frame", "audio"])
PERSON_LABEL = re.compile(r"^(?:作者|讲者|该文|该视频)[:：]\s*")
WE = re.compile(r"\b(?:we|our|us)\b", re.I)
REPEAT_MIN = 0.9
SECTION_DEFAULT = {"zi": 300, "words": 200, "characters": 400}
REPLY_TOKENS_PER_UNIT = {"zi": 1.3, "words": 1.6, "characters": 1.0}
REPLY_SLACK = 64
LENGTH_SLACK = 0.1
MAX_ADDED_RENDERINGS = 16
BASIC_GOAL = 150  # length the model writes in a basic-information section, after the facts of page 1
PROMPT_OVERHEAD = 220
EVIDENCE_TOKENS = 1400
REVISE_EVIDENCE_TOKENS = 700
MAX_REWRITES = 8
LENGTHEN_MARGIN = 0.1
LIST_MARK = r"(?:\d+[.、)）](?!\d)|[（(]\d+[）)])\s*"
MARKUP = re.compile(rf"^\s*(?:#{{1,6}}\s*|[-*•]\s+|{LIST_MARK})|\*\*|__|`")
LEADING_NUMBER = re.compile(rf"^\s*{LIST_MARK}")
FRAGMENT = re.compile(r"[:：]\s*$|^\d+[.、]\s*\S{0,12}$|正文如下|如下[:：]")
"""A reply's own preamble ("…一节的正文如下：") or a numbered heading ("2. 编码器与解码器")."""
BRACKET = re.compile(r"\[[^\[\]]{0,80}\]|【[^【】]{0,80}】")
HEADING_LINE = 24  # characters: a shorter reply line with no end mark, text after it, is a heading
END_MARK = re.compile(r"[。！？.!?…]['\"”’」）)]*$")


@dataclass
class Aligned:
    """The sentences of one reply that survived alignment, cited, and what was dropped."""

    sentences: list[str] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Budget:
    """Token sizes of one call: the evidence it may carry and the reply it may write."""

    evidence: int
    reply: int


class Calls:
    """The calls of one message, their usage, and the deadline they share."""

    def __init__(self, client: ModelClient, model: str, progress: Progress | None) -> None:
        self.client = client
        self.model = model
        self.progress = progress
        self.deadline = client.clock() + client.settings.deadline
        self.usage = Usage(model=model)

    async def ask(self, prompt: str, max_tokens: int) -> tuple[str, str]:
        """The reply to one user message and its finish reason (``PoisonError``/``TransientError`` on failure)."""
        if self.client.clock() >= self.deadline:
            raise PoisonError(f"the deadline of {self.client.settings.deadline:g}s for this message is spent")
        caller = copy.copy(self.client)  # same connection, its own reply budget
        caller.settings = self.client.settings.model_copy(update={"max_tokens": max_tokens})
        reply = await caller.attempt([{"role": "user", "content": prompt}], self.model, self.deadline, self.progress)
        self.usage.calls += 1
        self.usage.input_tokens += reply.input_tokens
        self.usage.output_tokens += reply.output_tokens
        self.usage.finish_reasons.append(reply.finish_reason)
        self.usage.cost_usd = cost_usd(self.model, self.usage.input_tokens, self.usage.output_tokens)
        return reply.text, reply.finish_reason


async def draft_by_section(
    client: ModelClient[DraftModelSettings],
    requirements: Requirements,
    query: str,
    pack: EvidencePack,
    progress: Progress | None = None,
) -> Written:
    """The first draft, one model call per required section, every kept sentence cited by alignment."""
    lang = requirements.language
    sections = required_sections(requirements)
    relevance = await asyncio.to_thread(Relevance, pack)
    calls = Calls(client, client.settings.model, progress)
    context = client.settings.context
    goals = section_goals(requirements, pack, len(sections))
    kept = Aligned()
    findings: list[Finding] = []
    used: set[int] = set()
    lines = [*title_lines(requirements, query), ""]
    for section, goal in zip(sections, goals, strict=False):
        if is_reference_section(section.name):
            lines += [heading(section), "", ""]  # written by services.draft.references
            continue
        budget = call_budget(goal, requirements, context)
        passages = relevance.evidence(section.name, section.note, query, budget.evidence, used)
        used |= {id(p) for p in passages}
        opening = metadata_sentences(pack, lang) if is_basic_information(section.name) else []
        written = await write_section(calls, section.name, goal, budget, passages, requirements, query, kept)
        findings += written.findings
        body = opening + ordered(within(written.sentences, goal, requirements))
        if not written.sentences:
            body = opening + quoted(passages, goal, requirements, kept)
        lines += [heading(section), "", join_text(body), ""]
    return Written(text="\n".join(lines).strip(), writer=writer_name(calls.model), usage=calls.usage, findings=findings)


def section_goals(requirements: Requirements, pack: EvidencePack, count: int) -> list[int]:
    """Each section's length target (in the request's unit), so that together they reach the report's
    target: a basic-information section gets ``BASIC_GOAL`` after the facts page 1 prints (a larger share
    would be padded with the findings the other sections report), a reference section 0 (its entries are
    built, not written), the other sections the rest in equal shares."""
    length = requirements.length
    unit = length.unit if length else ("zi" if requirements.language == "zh" else "words")
    if length is None:
        return [SECTION_DEFAULT.get(unit, 300)] * count
    sections = required_sections(requirements)[:count]
    written = [s for s in sections if not is_reference_section(s.name)]
    basic = sum(is_basic_information(s.name) for s in written)
    if basic == len(written):
        return [max(40, target(length) // max(1, len(written)))] * count
    opening = measure(" ".join(metadata_sentences(pack, requirements.language)), length, requirements.language)
    short = min(BASIC_GOAL, max(40, target(length) // len(written)))
    rest = max(40, (target(length) - basic * (short + opening)) // (len(written) - basic))
    return [0 if is_reference_section(s.name) else short if is_basic_information(s.name) else rest for s in sections]


def call_budget(goal: int, requirements: Requirements, context: int) -> Budget:
    """The reply budget for a ``goal``-long section and the evidence that still fits in ``context``, at most
    ``EVIDENCE_TOKENS`` (reading the prompt is most of a call's time on 2 cores)."""
    unit = requirements.length.unit if requirements.length else ("zi" if requirements.language == "zh" else "words")
    reply = int(goal * REPLY_TOKENS_PER_UNIT.get(unit, 1.6)) + REPLY_SLACK
    evidence = max(200, min(EVIDENCE_TOKENS, int((context - reply - PROMPT_OVERHEAD) * 0.8)))
    return Budget(evidence=evidence, reply=reply)


async def write_section(
    calls: Calls,
    name: str,
    goal: int,
    budget: Budget,
    passages: list[Passage],
    requirements: Requirements,
    query: str,
    kept: Aligned,
) -> Aligned:
    """One section written by the model and aligned; empty sentences (with a fallback finding) when the call fails."""
    if not passages:
        return Aligned(findings=[fallback_finding(name, "no evidence was found for it")])
    prompt = section_prompt(name, goal, passages, requirements)
    try:
        text, finish = await calls.ask(prompt, budget.reply)
    except (PoisonError, TransientError) as error:
        return Aligned(findings=[fallback_finding(name, f"the model call failed: {error}")])
    result = align(reply_sentences(text, finish), passages, requirements.language, kept)
    if not result.sentences:
        result.findings.append(fallback_finding(name, f"the model's reply held no sentence its evidence supports: {text[:120]!r}"))
    return result


def within(sentences: list[str], goal: int, requirements: Requirements) -> list[str]:
    """The leading ``sentences`` that fit in ``goal`` (plus ``LENGTH_SLACK``), at least one: a small model
    often writes past the length it was asked for."""
    kept: list[str] = []
    size = 0
    for sentence in sentences:
        size += measure(sentence, requirements.length, requirements.language)
        if kept and size > goal * (1 + LENGTH_SLACK):
            break
        kept.append(sentence)
    return kept


def ordered(sentences: list[str]) -> list[str]:
    """``sentences`` with the step word (其次，Secondly,) taken off each sentence that no earlier step
    precedes: the sentences before it were dropped, and "其次" cannot open a section."""
    result: list[str] = []
    stepped = False
    for sentence in sentences:
        if not stepped and LATER_STEP.match(sentence):
            rest = LATER_STEP.sub("", sentence, count=1)
            sentence = rest[:1].upper() + rest[1:]
        stepped = stepped or bool(STEP.match(sentence))
        result.append(sentence)
    return result


def fallback_finding(name: str, reason: str) -> Finding:
    return Finding(
        check="draft.section_fallback",
        severity="warning",
        message=f"Section {name!r} quotes its evidence (offline extractive writer): {reason}.",
        section=name,
    )


def section_prompt(name: str, goal: int, passages: list[Passage], requirements: Requirements) -> str:
    """The evidence first, numbered, then the instruction (a small model follows an instruction placed last);
    the sources are retold in the third person, of the speaker when all of them are spoken."""
    sources = "\n\n".join(f"[{n}] {p.text}" for n, p in enumerate(passages, start=1))
    title = f"《{requirements.title}》" if requirements.title else ""
    spoken = all(p.unit.kind in SPOKEN for p in passages)
    if requirements.language == "zh":
        person = "“讲者”或“该视频”" if spoken else "“作者”或“该文”"
        return (
            f"资料：\n{sources}\n\n"
            f"请只根据以上资料，用简体中文写报告{title}中“{name}”一节的正文，约{goal}字。"
            f"写成连贯的段落，每句话都要有资料依据；用第三人称转述（称{person}，不用“我们”）；"
            "不要标题，不要列表，不要编号，不要重复，不要写资料里没有的内容。"
        )
    person = "the speaker, the video" if spoken else "the authors, the paper"
    return (
        f"Sources:\n{sources}\n\n"
        f"Using only the sources above, write the body of the section \"{name}\" of the report {title} in English, "
        f"about {goal} words. Connected paragraphs; every sentence backed by the sources; in the third person ({person}; "
        "never 'we'); no heading, no list, "
        "no numbering, no repetition, nothing the sources do not say."
    )


def is_heading(line: str) -> bool:
    """Whether a reply line reads as a heading: short, with no sentence end mark."""
    return len(line) <= HEADING_LINE and not END_MARK.search(line)


def reply_sentences(text: str, finish: str) -> list[str]:
    """The sentences of a reply without markup, list numbers (also inside a line), bracketed references,
    preambles, headings (a short line with no end mark that more text follows) and heading fragments;
    a sentence cut at the token limit is left out."""
    lines = [line for line in (BRACKET.sub("", MARKUP.sub("", line)).strip() for line in text.split("\n")) if line]
    lines = [line for line, after in zip(lines, [*lines[1:], ""], strict=False) if not is_heading(line) or not after]
    sentences = [LEADING_NUMBER.sub("", s).strip() for line in lines if line for s in split_sentences(line) if s.strip()]
    sentences = [s for s in sentences if not FRAGMENT.search(s) and len(re.findall(r"[\u4e00-\u9fff]|[A-Za-z]+", s)) >= 6]
    if finish == "length" and sentences and not END_MARK.search(sentences[-1]):
        sentences.pop()
    return sentences


def align(sentences: list[str], passages: list[Passage], lang: str, kept: Aligned) -> Aligned:
    """The ``sentences`` cited to the unit of their best-matching evidence sentence (in the ``third_person``);
    unaligned, wrong-language, repeated and unsupported ones dropped with a finding each. Kept sentences
    are added to ``kept`` too."""
    result = Aligned()
    rows, evidence = evidence_matrix(passages)
    if not sentences or not rows:
        return result
    vectors = embeddings.encode(sentences)
    scores = embeddings.similarity(vectors, evidence)
    for sentence, vector, row in zip(sentences, vectors, scores, strict=True):
        closest, unit = rows[int(row.argmax())]
        problem = (
            sentence_problem(sentence, vector, float(row.max()), lang, kept)
            or unheld_problem(sentence, unit)
            or unsupported_problem(sentence, closest, float(row.max()), unit)
        )
        if problem:
            result.findings.append(Finding(check=problem[0], severity="warning", message=problem[1], sentence=sentence))
            continue
        cited = cite(third_person(sentence, closest, unit, lang), unit_citation(unit, lang), lang)
        for store in (result, kept):
            store.sentences.append(cited)
            store.vectors.append(vector)
    return result


def third_person(sentence: str, closest: str, unit: Unit, lang: str) -> str:
    """``sentence`` without a leading 作者：/讲者： label, with 讲者 for 我们 when it retells a video or
    audio, and with 作者 for 我们 when it retells a document's sentence that speaks as "we": a small
    model keeps the first person it was asked to drop, and echoes the name it was told to use as a label."""
    if lang != "zh":
        return sentence
    sentence = PERSON_LABEL.sub("", sentence, count=1)
    if unit.kind in SPOKEN:
        return sentence.replace("我们", "讲者")
    if is_document(unit) and WE.search(closest):
        return sentence.replace("我们", "作者")
    return sentence


def sentence_problem(sentence: str, vector: np.ndarray, best: float, lang: str, kept: Aligned) -> tuple[str, str] | None:
    """Why a written sentence may not go into the report (None when it may)."""
    if language(sentence) != lang:
        return ("draft.sentence_language", "The model wrote a sentence in another language than the request's; it was dropped.")
    if best < ALIGN_MIN:
        return ("draft.sentence_unaligned", f"No evidence the model was given says this (best match {best:.2f}); it was dropped.")
    core = sentence_core(sentence)
    if any(sentence_core(strip_citations(s)) == core for s in kept.sentences) or (
        kept.vectors and float(np.max(np.stack(kept.vectors) @ vector)) >= REPEAT_MIN
    ):
        return ("draft.sentence_repeated", "The sentence repeats one already in the report; it was dropped.")
    return None


def unsupported_problem(sentence: str, closest: str, best: float, unit: Unit) -> tuple[str, str] | None:
    """Why a sentence in the language of its closest evidence sentence may not be cited to ``unit``:
    neither does it restate that sentence (similarity ``SAME_LANGUAGE_ALIGNED``) nor does the unit hold
    enough of its words (``SAME_LANGUAGE_COVERAGE``): the validator would doubt it, and it is most often
    general prose the model added (避风港原则是国际法中的一项重要概念, cited to a page that never names it)."""
    if language(sentence) != language(closest) or best >= SAME_LANGUAGE_ALIGNED:
        return None
    covered = coverage(sentence, join_cjk(unit.text), STOPWORDS)
    if covered >= SAME_LANGUAGE_COVERAGE:
        return None
    return ("draft.sentence_unsupported", f"Its evidence holds {covered:.0%} of its words and does not restate it (best match {best:.2f}); it was dropped.")


def unheld_problem(sentence: str, unit: Unit) -> tuple[str, str] | None:
    """Why a sentence may not be cited to ``unit``: it names terms or numbers the unit does not hold."""
    missing = unheld(sentence, unit.text)
    if not missing:
        return None
    return ("draft.sentence_unheld", f"Its evidence does not hold {', '.join(missing[:4])}; it was dropped.")


def quoted(passages: list[Passage], goal: int, requirements: Requirements, kept: Aligned) -> list[str]:
    """The offline extractive writer's means for one section: its evidence sentences, cited, up to ``goal``."""
    lang = requirements.language
    chosen: list[str] = []
    size = 0
    for passage in passages:
        for sentence in passage.sentences:
            if size >= goal:
                return chosen
            cited = cite(sentence, unit_citation(passage.unit, lang), lang)
            if any(sentence_core(strip_citations(s)) == sentence_core(sentence) for s in kept.sentences):
                continue
            chosen.append(cited)
            kept.sentences.append(cited)
            size += measure(sentence, requirements.length, lang)
    return chosen


# --- revision -----------------------------------------------------------------------------------


SENTENCE_CHECKS = ("citation.", "claim.", "metadata.", "language.", "support.")


async def revise_by_sentence(
    client: ModelClient[DraftModelSettings],
    text: str,
    findings: list[Finding],
    requirements: Requirements,
    query: str,
    pack: EvidencePack,
    progress: Progress | None = None,
) -> Written:
    """``text`` with each sentence a finding names rewritten from its evidence (or dropped), then the
    structure and length findings repaired by the offline reviser."""
    calls = Calls(client, client.settings.reviser, progress)
    relevance = await asyncio.to_thread(Relevance, pack)
    flagged = [f for f in findings if f.severity == "error" and f.sentence and f.check.startswith(SENTENCE_CHECKS)]
    named = dict(list({f.sentence: f for f in flagged}.items())[:MAX_REWRITES])
    lines = text.split("\n")
    notes: list[Finding] = []
    kept = Aligned()
    for sentence in named:
        number = next((n for n, line in enumerate(lines) if sentence in line), None)
        if number is None:
            continue
        source = closest_evidence(sentence, sentence_evidence(sentence, relevance, pack))
        replacement, found = await render(calls, source, requirements, kept)
        if replacement and sentence_core(strip_citations(replacement)) == sentence_core(strip_citations(sentence)):
            replacement = ""  # already this evidence's rendering, and flagged: rendering again cannot help
        if not replacement:
            replacement, fallback = unrendered(lines, sentence, source, requirements)
            found.append(fallback)
        notes += found
        lines[number] = replace_sentence(lines[number], sentence, replacement)
    rest = [f for f in findings if f.sentence not in named]
    spliced = "\n".join(lines)
    revised = revise_report(spliced, rest, just_long_enough(requirements), query, pack) if rest else spliced
    revised = await render_added(calls, spliced, revised, requirements, pack, kept)
    return Written(
        text=revised,
        writer=writer_name(calls.model),
        usage=calls.usage,
        findings=notes,
    )


def just_long_enough(requirements: Requirements) -> Requirements:
    """``requirements`` whose range ends ``LENGTHEN_MARGIN`` above its minimum, so the offline reviser
    lengthens a short report just past the minimum, not to the middle: what it adds must then be
    rendered by the model, one call a sentence."""
    length = requirements.length
    if length is None or length.minimum is None:
        return requirements
    top = round(length.minimum * (1 + LENGTHEN_MARGIN))
    narrow = length.model_copy(update={"maximum": min(length.maximum or top, top)})
    return requirements.model_copy(update={"length": narrow})


async def render_added(
    calls: Calls, before: str, after: str, requirements: Requirements, pack: EvidencePack, kept: Aligned
) -> str:
    """``after`` with each evidence sentence the offline reviser added in another language than the
    request's (to lengthen the report or fill a section) rendered in the request's language by the model,
    at most ``MAX_ADDED_RENDERINGS``; one that cannot be rendered faithfully stays quoted."""
    lang = requirements.language
    old = set(sentence_texts(before))
    added = [s for s in sentence_texts(after) if s not in old and language(strip_citations(s)) != lang]
    for sentence in added[:MAX_ADDED_RENDERINGS]:
        units = [u for g in find_citations(sentence) for c in g.citations for u in resolve(c, pack.units)]
        if not units:
            continue
        rendered, _ = await render(calls, Passage(units[0], (strip_citations(sentence).strip(),)), requirements, kept)
        if rendered:
            after = after.replace(sentence, rendered, 1)
    return after


def sentence_evidence(sentence: str, relevance: Relevance, pack: EvidencePack) -> list[Passage]:
    """The passages of the units ``sentence`` cites, then the passages nearest to it, within the revision budget."""
    cited: list[Unit] = [u for g in find_citations(sentence) for c in g.citations for u in resolve(c, pack.units)]
    plain = strip_citations(sentence)
    if not relevance.passages:
        return []
    scores = embeddings.similarity(embeddings.encode([plain]), relevance.vectors)[0]
    order = sorted(range(len(relevance.passages)), key=lambda i: (relevance.passages[i].unit not in cited, -scores[i]))
    chosen: list[Passage] = []
    spent = 0
    for i in order[:8]:
        passage = relevance.passages[i]
        size = len(passage.text) // 3
        if spent + size <= REVISE_EVIDENCE_TOKENS * 3:
            chosen.append(passage)
            spent += size
    return chosen


def closest_evidence(sentence: str, passages: list[Passage]) -> Passage | None:
    """The evidence sentence nearest in meaning to ``sentence`` (as a one-sentence passage), from the
    unit it cites when that unit is among ``passages`` (they come first), else from any of them."""
    if not passages:
        return None
    cited = [p for p in passages if p.unit == passages[0].unit]
    rows, evidence = evidence_matrix(cited)
    scores = embeddings.similarity(embeddings.encode([strip_citations(sentence)]), evidence)[0]
    text, unit = rows[int(scores.argmax())]
    return Passage(unit, (text,))


async def render(
    calls: Calls, source: Passage | None, requirements: Requirements, kept: Aligned
) -> tuple[str, list[Finding]]:
    """The evidence sentence of ``source`` in the request's language, cited to its unit ('' when it cannot
    be rendered faithfully): as it is when it is in that language, else the model's translation, kept
    when it aligns to the sentence and holds its terms and numbers."""
    if source is None:
        return "", []
    lang = requirements.language
    evidence = source.sentences[0]
    if language(evidence) == lang:
        return cite(evidence, unit_citation(source.unit, lang), lang), []
    if lang == "zh":
        prompt = (
            f"原文：{evidence}\n\n"
            "请把上面这句原文忠实地翻译成一句简体中文：数字、人名和英文术语照原文写，原文的“we/our”译作“作者”，"
            "不增加原文没有的内容。只输出译文。"
        )
    else:
        prompt = (
            f"Source: {evidence}\n\nTranslate the sentence above faithfully into one English sentence: numbers, "
            "names and terms as the source writes them, the source's 'we' as 'the authors', nothing the source does "
            "not say. Output only the translation."
        )
    try:
        text, finish = await calls.ask(prompt, 160)
    except (PoisonError, TransientError) as error:
        return "", [Finding(check="draft.sentence_unrendered", severity="warning", message=f"The model call failed: {error}.")]
    result = align(reply_sentences(text, finish)[:1], [source], lang, kept)
    return (result.sentences[0] if result.sentences else ""), result.findings


def unrendered(lines: list[str], sentence: str, source: Passage | None, requirements: Requirements) -> tuple[str, Finding]:
    """What replaces a flagged sentence whose evidence could not be rendered: nothing, when the report
    stays within its length range without it (or no evidence was found), else the evidence sentence
    quoted in its own language; and the finding that says which."""
    length = requirements.length
    lang = requirements.language
    without = "\n".join(lines).replace(sentence, "")
    short = length is not None and length.minimum is not None and measure(without, length, lang) < length.minimum
    if source is None or not short:
        reason = "no evidence was found for it" if source is None else "the report stays within its length range without it"
        message = f"A flagged sentence could not be rewritten faithfully to its evidence; it was dropped ({reason})."
        return "", Finding(check="draft.sentence_dropped", severity="warning", message=message, sentence=sentence)
    message = (
        "A flagged sentence could not be rewritten faithfully to its evidence, and dropping it would make the report "
        "too short; the evidence sentence is quoted in its own language instead."
    )
    quote = cite(source.sentences[0], unit_citation(source.unit, lang), lang)
    return quote, Finding(check="draft.sentence_quoted", severity="warning", message=message, sentence=sentence, evidence=quote)
