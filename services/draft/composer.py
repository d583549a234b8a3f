"""Drafting and revising with a model: prompt → call → parsed reply, with what it cost and what was noticed.

A reply that holds no report (only a plan or a tool call) is answered once with a request for the
report itself; a second such reply fails the message (``PoisonError``) — never an empty report.
A revision may cite the units given in its prompt and the units the current report already cites;
a sentence that the revision adds without any citation left is dropped (``draft.claim_dropped``), so
no new claim goes on unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from services.draft.prompt import Prompt, cited_units, draft_prompt, revision_prompt
from services.draft.reply import ParsedReply, parse_reply
from services.draft.settings import DraftModelSettings
from services.draft.writer import drop_empty_lines, heading_name, replace_sentence
from shared.citations import find_citations, strip_citations
from shared.errors import PoisonError
from shared.events import Usage
from shared.findings import Finding
from shared.model import Completion, Messages, ModelClient, Progress
from shared.report import sentence_texts
from shared.requirements import Requirements
from shared.units import EvidencePack, Unit

ASK_AGAIN = (
    "That was not the report. Output only the finished report now, starting with its title, every fact "
    "followed by the citation copied from its source."
)


@dataclass
class Written:
    """A report version and its record: who wrote it, what it cost, what was noticed."""

    text: str
    writer: str
    usage: Usage = field(default_factory=Usage)
    findings: list[Finding] = field(default_factory=list)


def writer_name(model: str) -> str:
    return f"model:{model}"


async def draft_with_model(
    client: ModelClient[DraftModelSettings],
    requirements: Requirements,
    query: str,
    pack: EvidencePack,
    progress: Progress | None = None,
) -> Written:
    """The first draft, written by the draft model from the units retrieved for the request."""
    prompt = draft_prompt(requirements, query, pack, client.settings.prompt_tokens)
    model = client.settings.model
    parsed, usage, rejected = await ask(client, prompt, model, prompt.units, requirements.language, progress)
    return Written(
        text=parsed.text,
        writer=writer_name(model),
        usage=usage,
        findings=prompt.findings + rejected + parsed.findings,
    )


async def revise_with_model(
    client: ModelClient[DraftModelSettings],
    text: str,
    findings: list[Finding],
    requirements: Requirements,
    query: str,
    pack: EvidencePack,
    progress: Progress | None = None,
) -> Written:
    """``text`` revised by the revise model where ``findings`` point, every added claim cited."""
    prompt = revision_prompt(text, findings, requirements, query, pack, client.settings.revision_prompt_tokens)
    model = client.settings.reviser
    allowed = prompt.units + cited_units(text, pack)
    parsed, usage, rejected = await ask(client, prompt, model, allowed, requirements.language, progress)
    revised, dropped = drop_uncited_additions(text, parsed.text, requirements)
    return Written(
        text=revised,
        writer=writer_name(model),
        usage=usage,
        findings=prompt.findings + rejected + parsed.findings + dropped,
    )


async def ask(
    client: ModelClient, prompt: Prompt, model: str, allowed: list[Unit], lang: str, progress: Progress | None
) -> tuple[ParsedReply, Usage, list[Finding]]:
    """The parsed report of the model's reply, asking once more when the reply holds none."""
    first = await client.complete(prompt.messages, model, progress)
    parsed = parse_reply(first.text, allowed, lang)
    if parsed.text:
        return parsed, first.usage, []
    again: Messages = [*prompt.messages, {"role": "assistant", "content": first.text}, {"role": "user", "content": ASK_AGAIN}]
    second = await client.complete(again, model, progress)
    parsed = parse_reply(second.text, allowed, lang)
    if not parsed.text:
        raise PoisonError(f"model {model} returned no report, twice; its last reply began: {second.text[:200]!r}")
    rejected = Finding(
        check="draft.reply_rejected",
        severity="warning",
        message="The model's reply held no report (only a plan or a tool call); it was asked again.",
        evidence=first.text[:300],
    )
    return parsed, combined(first, second), [rejected]


def combined(first: Completion, second: Completion) -> Usage:
    """The usage of two completions of one model together."""
    a, b = first.usage, second.usage
    return Usage(
        input_tokens=a.input_tokens + b.input_tokens,
        output_tokens=a.output_tokens + b.output_tokens,
        calls=a.calls + b.calls,
        model=a.model,
        cost_usd=round(a.cost_usd + b.cost_usd, 6),
        finish_reasons=a.finish_reasons + b.finish_reasons,
        continuations=a.continuations + b.continuations,
    )


def drop_uncited_additions(old: str, new: str, requirements: Requirements) -> tuple[str, list[Finding]]:
    """``new`` without the sentences it adds to ``old`` that carry no citation (headings and the title
    excepted), and a ``draft.claim_dropped`` finding for each."""
    before = {strip_citations(s).strip() for s in sentence_texts(old)}
    lines = new.split("\n")
    findings = []
    for number, line in enumerate(lines):
        if heading_name(line, requirements) or line.strip().startswith(("《", "<h")):
            continue
        for sentence in sentence_texts(line):
            if find_citations(sentence) or strip_citations(sentence).strip() in before:
                continue
            lines[number] = replace_sentence(lines[number], sentence, "")
            findings.append(
                Finding(
                    check="draft.claim_dropped",
                    severity="warning",
                    message="The revision added a sentence without a citation; it was dropped.",
                    sentence=sentence,
                )
            )
    return "\n".join(drop_empty_lines(lines)).strip(), findings
