"""A model judge for the citations the offline checks doubt (only when a judge model is configured).

The sentence of each ``citation.unsupported`` finding is judged again offline (``judge_claim``). A
sentence with a proven mismatch (a number, a polarity, a comparison's direction, a name) is never
sent: no judge clears what the comparison proved. The doubted ones go to the judge in batches of
``batch`` claims, each with the evidence sentences it was aligned to (not whole pages); the judge
answers one line per claim, ``N: SUPPORTED`` or ``N: UNSUPPORTED`` (a line naming both, or none, is
no verdict). A doubt the judge finds supported stays a warning, its message saying so; one it finds
unsupported becomes an error, its message saying the judge found it unsupported. A judge that
cannot be reached leaves every offline verdict and adds one ``judge.unavailable`` warning: the
judge never fails a task. At most ``max_calls`` sentences are judged per report version, in report
order.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from services.validate.settings import JudgeSettings
from services.validate.support import judge_units
from shared.citations import find_citations, resolve, strip_citations
from shared.errors import PoisonError, TransientError
from shared.findings import Finding
from shared.model import Messages, ModelClient
from shared.units import EvidencePack, Unit

CHECK = "citation.unsupported"
SYSTEM = (
    "You check citations. For each numbered claim you get the evidence sentences it cites. A claim is SUPPORTED "
    "only if its evidence states every fact in it: the same numbers, the same names, the same direction of any "
    "comparison, and not negated. A claim that adds facts its evidence does not state, or contradicts it, is "
    "UNSUPPORTED. The claim may be in another language than its evidence."
)
LINE = re.compile(r"^\W*(\d+)\W+(.*)$")
VERDICT = re.compile(r"\b(?:un|not\s+)supported\b|不支持|\bsupported\b|支持", re.IGNORECASE)


def judge_messages(claims: list[tuple[str, list[str]]]) -> Messages:
    """The chat messages asking, for each (claim, evidence sentences), whether the evidence supports it."""
    blocks = []
    for number, (claim, evidence) in enumerate(claims, 1):
        quoted = "\n".join(f"- {sentence}" for sentence in evidence) or "- (none)"
        blocks.append(f"Claim {number}: {claim}\nEvidence {number}:\n{quoted}")
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "\n\n".join(blocks) + "\n\n" + question(len(claims))},
    ]


def question(count: int) -> str:
    """What to answer: one word for a single claim (a small model copies a numbered template
    rather than judging), else one numbered line per claim."""
    if count == 1:
        return "Is claim 1 SUPPORTED or UNSUPPORTED by its evidence? Answer with one word."
    return f"Answer {count} lines, each the claim's number, a colon and SUPPORTED or UNSUPPORTED (like '1: SUPPORTED')."


def parse_verdicts(reply: str, count: int) -> list[bool | None]:
    """The verdict of each of ``count`` claims from a reply of 'N: VERDICT' lines (a lone verdict
    answers a single claim); None where a claim has no verdict."""
    verdicts: list[bool | None] = [None] * count
    if count == 1 and not LINE.match(reply.strip()):
        verdicts[0] = parse_verdict(reply)
    for line in reply.splitlines():
        match = LINE.match(line.strip())
        if match and 1 <= int(match.group(1)) <= count:
            verdicts[int(match.group(1)) - 1] = parse_verdict(match.group(2))
    return verdicts


def parse_verdict(reply: str) -> bool | None:
    """True for SUPPORTED, False for UNSUPPORTED; None when the reply names neither, or both (a
    model echoing "SUPPORTED or UNSUPPORTED" has not decided)."""
    verdicts = {not (word.lower().startswith(("un", "not")) or word == "不支持") for word in VERDICT.findall(reply)}
    return verdicts.pop() if len(verdicts) == 1 else None


def cited_units(findings: list[Finding], pack: EvidencePack) -> list[Unit]:
    """The units every bracket of ``findings`` cites, without repeats."""
    units: list[Unit] = []
    for finding in findings:
        for group in find_citations(finding.citation):
            for citation in group.citations:
                units.extend(u for u in resolve(citation, pack.units) if u not in units)
    return units


def annotate(finding: Finding, supported: bool, model: str) -> Finding:
    """A doubt's ``finding`` after the judge's verdict."""
    if supported:
        return finding.model_copy(
            update={"severity": "warning", "message": f"{finding.message} The model judge {model} found it supported."}
        )
    return finding.model_copy(
        update={"severity": "error", "message": f"{finding.message} The model judge {model} found it unsupported."}
    )


@dataclass
class Judge:
    """An OpenAI-compatible model asked about doubted citations."""

    client: ModelClient
    max_calls: int = 20
    evidence_chars: int = 6000
    batch: int = 5

    @classmethod
    def configured(cls) -> Judge | None:
        """The judge the environment configures (``REDLINE_JUDGE_*``), or None when it names no model."""
        settings = JudgeSettings()
        if not settings.configured:
            return None
        return cls(ModelClient(settings), settings.max_calls, settings.evidence_chars, settings.batch)

    @property
    def model(self) -> str:
        return self.client.settings.model

    async def verdicts(self, claims: list[tuple[str, list[str]]]) -> list[bool | None]:
        """The judge's verdict on each (claim, evidence sentences) of one batch (None: no verdict)."""
        trimmed = [(claim, clip(evidence, self.evidence_chars // max(1, len(claims)))) for claim, evidence in claims]
        deadline = time.monotonic() + self.client.settings.deadline
        reply = await self.client.attempt(judge_messages(trimmed), self.model, deadline, None)
        return parse_verdicts(reply.text, len(claims))

    async def review(self, findings: list[Finding], pack: EvidencePack) -> list[Finding]:
        """``findings`` with each doubted sentence's findings annotated by the judge's verdict;
        sentences with a proven mismatch are not judged."""
        cited: dict[str, list[Finding]] = {}
        for finding in findings:
            if finding.check == CHECK and finding.sentence:
                cited.setdefault(finding.sentence, []).append(finding)
        doubts = []
        for sentence, group in cited.items():
            verdict = judge_units(strip_citations(sentence).strip(), cited_units(group, pack))
            if not verdict.mismatches:
                doubts.append((sentence, [a.sentence for a in verdict.aligned[:3]]))
        doubts = doubts[: self.max_calls]
        verdicts: dict[str, bool] = {}
        failure: list[Finding] = []
        for start in range(0, len(doubts), self.batch):
            batch = doubts[start : start + self.batch]
            try:
                answers = await self.verdicts([(strip_citations(s).strip(), evidence) for s, evidence in batch])
            except (PoisonError, TransientError) as exc:
                failure = [unavailable(self.model, exc)]
                break
            verdicts.update((s, v) for (s, _), v in zip(batch, answers, strict=False) if v is not None)
        reviewed = [
            annotate(f, verdicts[f.sentence], self.model) if f.check == CHECK and f.sentence in verdicts else f
            for f in findings
        ]
        return reviewed + failure


def clip(sentences: list[str], chars: int) -> list[str]:
    """``sentences`` cut to ``chars`` characters in all."""
    kept, left = [], max(chars, 200)
    for sentence in sentences:
        if left <= 0:
            break
        kept.append(sentence[:left])
        left -= len(kept[-1])
    return kept


def unavailable(model: str, exc: Exception) -> Finding:
    """The warning that the judge could not be asked."""
    return Finding(
        check="judge.unavailable",
        severity="warning",
        message=f"The model judge {model} could not be asked; the offline verdicts stand: {exc}",
        fix="Check REDLINE_JUDGE_BASE_URL, REDLINE_JUDGE_API_KEY and REDLINE_JUDGE_MODEL.",
    )
