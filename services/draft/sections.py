"""Drafting for a small model: one call per section, citations attached by alignment, not by the model.

Each call carries only that section's evidence (``services.draft.relevance``: the paper's passages for
a paper section, frames and speech for a video section, web chunks only where they beat the main
sources), then the instruction, after the evidence, with a length target so the sections add up to
the requested length. The reply is streamed. Every sentence of the reply is aligned, by multilingual
sentence embeddings, to the evidence sentences the call carried; it gets the citation of the unit
its best match comes from, or is dropped (``draft.sentence_unaligned``) when nothing it was given
says it. A sentence in another language than the request's (``draft.sentence_language``) and a
sentence that repeats an earlier one (``draft.sentence_repeated``) are dropped too.

A call that fails (an error, no answer within its deadline, a reply with no usable sentence) leaves
its section to the offline extractive writer's means: the section's own evidence sentences, quoted
and cited (``draft.section_fallback`` says which section and why). Every call has a deadline: the
per-call ``timeout``, within the message's ``deadline``.

Revision sends only the sentences the error findings name (at most ``MAX_REWRITES`` per round), one
call each with the evidence of the unit it cites and the passages nearest to it, and splices each
aligned reply in place of its sentence; the other findings (structure, length, sentences past the
cap) are left to the offline reviser. A revision never rewrites
the whole report.
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
    language,
    measure,
    metadata_sentences,
    replace_sentence,
    required_sections,
    revise_report,
    sentence_core,
    target,
    title_lines,
)
from shared import embeddings
from shared.citations import find_citations, resolve, strip_citations, unit_citation
from shared.errors import PoisonError, TransientError
from shared.events import Usage
from shared.findings import Finding
from shared.model import ModelClient, Progress
from shared.requirements import Requirements
from shared.sentences import split_sentences
from shared.textjoin import join_text
from shared.tokens import cost_usd
from shared.units import EvidencePack, Unit

ALIGN_MIN = 0.35
REPEAT_MIN = 0.9
SECTION_DEFAULT = {"zi": 300, "words": 200, "characters": 400}
REPLY_TOKENS_PER_UNIT = {"zi": 1.3, "words": 1.6, "characters": 1.0}
REPLY_SLACK = 64
LENGTH_SLACK = 0.1
PROMPT_OVERHEAD = 220
EVIDENCE_TOKENS = 1400
REVISE_EVIDENCE_TOKENS = 700
MAX_REWRITES = 8
MARKUP = re.compile(r"^\s*(?:#{1,6}\s*|[-*•]\s+|\d+[.、)]\s*|[（(]\d+[）)]\s*)|\*\*|__|`")
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
        budget = call_budget(goal, requirements, context)
        passages = relevance.evidence(section.name, section.note, query, budget.evidence, used)
        used |= {id(p) for p in passages}
        opening = metadata_sentences(pack, lang) if is_basic_information(section.name) else []
        written = await write_section(calls, section.name, goal, budget, passages, requirements, query, kept)
        findings += written.findings
        body = opening + within(written.sentences, goal, requirements)
        if not written.sentences:
            body = opening + quoted(passages, goal, requirements, kept)
        lines += [heading(section), "", join_text(body), ""]
    return Written(text="\n".join(lines).strip(), writer=writer_name(calls.model), usage=calls.usage, findings=findings)


def section_goals(requirements: Requirements, pack: EvidencePack, count: int) -> list[int]:
    """Each section's length target (in the request's unit), so that together they reach the report's target."""
    length = requirements.length
    unit = length.unit if length else ("zi" if requirements.language == "zh" else "words")
    if length is None:
        return [SECTION_DEFAULT.get(unit, 300)] * count
    share = max(40, target(length) // max(1, count))
    goals = []
    for section in required_sections(requirements):
        opening = metadata_sentences(pack, requirements.language) if is_basic_information(section.name) else []
        goals.append(max(40, share - measure(" ".join(opening), length, requirements.language)))
    return goals


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


def fallback_finding(name: str, reason: str) -> Finding:
    return Finding(
        check="draft.section_fallback",
        severity="warning",
        message=f"Section {name!r} quotes its evidence (offline extractive writer): {reason}.",
        section=name,
    )


def section_prompt(name: str, goal: int, passages: list[Passage], requirements: Requirements) -> str:
    """The evidence first, numbered, then the instruction (a small model follows an instruction placed last)."""
    sources = "\n\n".join(f"[{n}] {p.text}" for n, p in enumerate(passages, start=1))
    title = f"《{requirements.title}》" if requirements.title else ""
    if requirements.language == "zh":
        return (
            f"资料：\n{sources}\n\n"
            f"请只根据以上资料，用简体中文写报告{title}中“{name}”一节的正文，约{goal}字。"
            "写成连贯的段落，每句话都要有资料依据；不要标题，不要列表，不要编号，不要重复，不要写资料里没有的内容。"
        )
    return (
        f"Sources:\n{sources}\n\n"
        f"Using only the sources above, write the body of the section \"{name}\" of the report {title} in English, "
        f"about {goal} words. Connected paragraphs; every sentence backed by the sources; no heading, no list, "
        "no numbering, no repetition, nothing the sources do not say."
    )


def is_heading(line: str) -> bool:
    """Whether a reply line reads as a heading: short, with no sentence end mark."""
    return len(line) <= HEADING_LINE and not END_MARK.search(line)


def reply_sentences(text: str, finish: str) -> list[str]:
    """The sentences of a reply without markup, bracketed references, preambles, headings (a short line
    with no end mark that more text follows) and heading fragments; a sentence cut at the token limit
    is left out."""
    lines = [line for line in (BRACKET.sub("", MARKUP.sub("", line)).strip() for line in text.split("\n")) if line]
    lines = [line for line, after in zip(lines, [*lines[1:], ""], strict=False) if not is_heading(line) or not after]
    sentences = [s.strip() for line in lines if line for s in split_sentences(line) if s.strip()]
    sentences = [s for s in sentences if not FRAGMENT.search(s) and len(re.findall(r"[\u4e00-\u9fff]|[A-Za-z]+", s)) >= 6]
    if finish == "length" and sentences and not END_MARK.search(sentences[-1]):
        sentences.pop()
    return sentences


def align(sentences: list[str], passages: list[Passage], lang: str, kept: Aligned) -> Aligned:
    """The ``sentences`` cited to the unit of their best-matching evidence sentence; unaligned, wrong-language
    and repeated ones dropped with a finding each. Kept sentences are added to ``kept`` too."""
    result = Aligned()
    rows, evidence = evidence_matrix(passages)
    if not sentences or not rows:
        return result
    vectors = embeddings.encode(sentences)
    scores = embeddings.similarity(vectors, evidence)
    for sentence, vector, row in zip(sentences, vectors, scores, strict=False):
        problem = sentence_problem(sentence, vector, float(row.max()), lang, kept)
        if problem:
            result.findings.append(Finding(check=problem[0], severity="warning", message=problem[1], sentence=sentence))
            continue
        unit = rows[int(row.argmax())][1]
        cited = cite(sentence, unit_citation(unit, lang), lang)
        for store in (result, kept):
            store.sentences.append(cited)
            store.vectors.append(vector)
    return result


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
    for sentence, finding in named.items():
        number = next((n for n, line in enumerate(lines) if sentence in line), None)
        if number is None:
            continue
        passages = sentence_evidence(sentence, relevance, pack)
        replacement, found = await rewrite(calls, sentence, finding, passages, requirements, kept)
        notes += found
        lines[number] = replace_sentence(lines[number], sentence, replacement)
    rest = [f for f in findings if f.sentence not in named]
    revised = revise_report("\n".join(lines), rest, requirements, query, pack) if rest else "\n".join(lines)
    return Written(
        text=revised,
        writer=writer_name(calls.model),
        usage=calls.usage,
        findings=notes,
    )


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


async def rewrite(
    calls: Calls, sentence: str, finding: Finding, passages: list[Passage], requirements: Requirements, kept: Aligned
) -> tuple[str, list[Finding]]:
    """The replacement of one flagged sentence: the model's rewrite, aligned and cited, or '' (dropped)."""
    lang = requirements.language
    plain = strip_citations(sentence).strip()
    sources = "\n\n".join(f"[{n}] {p.text}" for n, p in enumerate(passages, start=1))
    if lang == "zh":
        prompt = (
            f"资料：\n{sources}\n\n问题：{finding.message}\n原句：{plain}\n\n"
            "请只根据以上资料，用简体中文把原句改写成一句与资料一致的话。只输出改写后的这一句。"
        )
    else:
        prompt = (
            f"Sources:\n{sources}\n\nProblem: {finding.message}\nSentence: {plain}\n\n"
            "Using only the sources above, rewrite the sentence in English so that the sources support it. "
            "Output only the rewritten sentence."
        )
    dropped = Finding(check="draft.sentence_dropped", severity="warning", message="", sentence=sentence)
    if not passages:
        return "", [dropped.model_copy(update={"message": "No evidence was found for a flagged sentence; it was dropped."})]
    try:
        text, finish = await calls.ask(prompt, 160)
    except (PoisonError, TransientError) as error:
        return "", [dropped.model_copy(update={"message": f"The model could not rewrite a flagged sentence ({error}); it was dropped."})]
    result = align(reply_sentences(text, finish)[:1], passages, lang, kept)
    if not result.sentences:
        return "", [*result.findings, dropped.model_copy(update={"message": "The rewrite of a flagged sentence aligned to no evidence; it was dropped."})]
    return result.sentences[0], result.findings
