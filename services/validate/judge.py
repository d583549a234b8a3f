"""A model judge for the citations the offline checks doubt (only when a judge model is configured).

The sentence of each ``citation.unsupported`` finding goes to the judge with the text of the units
its brackets cite; the judge answers SUPPORTED or UNSUPPORTED (a reply naming both is no verdict). A sentence the judge finds supported
keeps its findings as warnings, their messages saying so; a sentence it finds unsupported keeps
them as they are, the messages saying the judge agreed. A reply that says neither leaves the offline
verdict. A judge that cannot be reached leaves every offline verdict and adds one
``judge.unavailable`` warning: the judge never fails a task. At most ``max_calls`` sentences are
judged per report version, in report order.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from shared.citations import find_citations, resolve
from shared.errors import PoisonError, TransientError
from shared.findings import Finding
from shared.model import Messages, ModelClient
from shared.units import EvidencePack, Unit

CHECK = "citation.unsupported"
SYSTEM = (
    "You verify citations. Given a claim and the evidence it cites, answer with exactly one word: "
    "SUPPORTED if the evidence states or directly implies every fact in the claim, otherwise UNSUPPORTED."
)
VERDICT = re.compile(r"\b(?:un|not\s+)supported\b|不支持|\bsupported\b|支持", re.IGNORECASE)


def judge_messages(sentence: str, evidence: str) -> Messages:
    """The chat messages asking whether ``evidence`` supports ``sentence``."""
    return [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": f"Evidence:\n{evidence}\n\nClaim:\n{sentence}\n\nAnswer SUPPORTED or UNSUPPORTED."},
    ]


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
    """``finding`` after the judge's verdict."""
    if supported:
        return finding.model_copy(
            update={"severity": "warning", "message": f"{finding.message} The model judge {model} found it supported."}
        )
    return finding.model_copy(update={"message": f"{finding.message} The model judge {model} agrees."})


@dataclass
class Judge:
    """An OpenAI-compatible model asked about doubted citations."""

    client: ModelClient
    max_calls: int = 20
    evidence_chars: int = 6000

    @property
    def model(self) -> str:
        return self.client.settings.model

    async def verdict(self, sentence: str, units: list[Unit]) -> bool | None:
        """Whether the judge finds ``sentence`` supported by ``units`` (None: no verdict)."""
        evidence = "\n\n".join(unit.text for unit in units)[: self.evidence_chars]
        deadline = time.monotonic() + self.client.settings.deadline
        reply = await self.client.attempt(judge_messages(sentence, evidence), self.model, deadline, None)
        return parse_verdict(reply.text)

    async def review(self, findings: list[Finding], pack: EvidencePack) -> list[Finding]:
        """``findings`` with each doubted sentence's findings annotated by the judge's verdict."""
        doubted: dict[str, list[Finding]] = {}
        for finding in findings:
            if finding.check == CHECK and finding.sentence:
                doubted.setdefault(finding.sentence, []).append(finding)
        verdicts: dict[str, bool] = {}
        failure: list[Finding] = []
        for sentence in list(doubted)[: self.max_calls]:
            try:
                verdict = await self.verdict(sentence, cited_units(doubted[sentence], pack))
            except (PoisonError, TransientError) as exc:
                failure = [unavailable(self.model, exc)]
                break
            if verdict is not None:
                verdicts[sentence] = verdict
        reviewed = [
            annotate(f, verdicts[f.sentence], self.model) if f.check == CHECK and f.sentence in verdicts else f
            for f in findings
        ]
        return reviewed + failure


def unavailable(model: str, exc: Exception) -> Finding:
    """The warning that the judge could not be asked."""
    return Finding(
        check="judge.unavailable",
        severity="warning",
        message=f"The model judge {model} could not be asked; the offline verdicts stand: {exc}",
        fix="Check REDLINE_JUDGE_BASE_URL, REDLINE_JUDGE_API_KEY and REDLINE_JUDGE_MODEL.",
    )
