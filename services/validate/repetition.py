"""The report does not say the same thing twice.

- ``repetition.paragraph`` (error): a paragraph of two or more sentences that nearly repeats an
  earlier paragraph; its sentences are not reported again one by one.
- ``repetition.sentence`` (error): a sentence that nearly repeats an earlier one.

Near: the character trigrams of the two texts (citations, spaces and punctuation left out, case
folded) have a Dice overlap of at least ``NEAR``, and they state the same numbers, so "28.4 BLEU on
English-German" does not repeat "41.8 BLEU on English-French". Trigrams of characters work alike for
Chinese and English. Texts under ``SHORTEST`` characters (labels such as 页数：15 页) are not compared.
"""

from __future__ import annotations

import re

from shared.citations import strip_citations
from shared.findings import Finding
from shared.report import Report, Sentence, is_heading, normalise, read_report
from shared.requirements import Requirements

NEAR = 0.8
SHORTEST = 12
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


class Text:
    """A text as repetition compares it: its trigrams and its numbers."""

    def __init__(self, text: str) -> None:
        plain = strip_citations(text)
        flat = normalise(plain)
        self.comparable = len(flat) >= SHORTEST
        self.trigrams = frozenset(flat[i : i + 3] for i in range(len(flat) - 2))
        self.numbers = sorted(NUMBER.findall(plain))

    def repeats(self, other: Text) -> bool:
        """Whether the two texts are near duplicates."""
        if not (self.comparable and other.comparable) or self.numbers != other.numbers:
            return False
        shared = len(self.trigrams & other.trigrams)
        return 2 * shared / (len(self.trigrams) + len(other.trigrams)) >= NEAR


def paragraphs(report: Report) -> list[list[Sentence]]:
    """The sentences of each paragraph (a run of non-empty lines that are not headings or the title)."""
    found: list[list[Sentence]] = []
    start = None
    for line in [*report.lines, None]:
        inside = line is not None and bool(line.text.strip()) and not is_heading(line.text) and not line.text.startswith("《")
        if inside and line is not None and start is None:
            start = line.start
        elif not inside and start is not None:
            end = line.start if line is not None else len(report.text)
            found.append(report.sentences_between(start, end))
            start = None
    return [p for p in found if p]


def check_repetition(text: str, requirements: Requirements) -> list[Finding]:
    """``repetition.paragraph`` and ``repetition.sentence`` errors, each naming the later of the two
    (for a paragraph, its first sentence) and quoting the earlier one."""
    report = read_report(text)
    spans = report.sections(requirements)
    findings: list[Finding] = []
    reported: set[int] = set()
    earlier: list[tuple[Text, list[Sentence]]] = []
    for paragraph in paragraphs(report):
        whole = Text(" ".join(s.text for s in paragraph))
        repeated = next((p for t, p in earlier if len(paragraph) > 1 and len(p) > 1 and whole.repeats(t)), None)
        earlier.append((whole, paragraph))
        if repeated:
            findings.append(finding("paragraph", paragraph[0], repeated[0], report.section_at(spans, paragraph[0].start)))
            reported |= {s.index for s in paragraph}
    seen: list[tuple[Text, Sentence]] = []
    for sentence in report.sentences:
        current = Text(sentence.text)
        twin = next((s for t, s in seen if current.repeats(t)), None)
        seen.append((current, sentence))
        if twin and sentence.index not in reported:
            findings.append(finding("sentence", sentence, twin, report.section_at(spans, sentence.start)))
    return findings


def finding(kind: str, later: Sentence, first: Sentence, section: str) -> Finding:
    what = "paragraph" if kind == "paragraph" else "sentence"
    return Finding(
        check=f"repetition.{kind}",
        severity="error",
        message=f"This {what} repeats an earlier one almost word for word.",
        section=section,
        sentence=later.text,
        sentence_index=later.index,
        evidence=f"earlier: {first.text[:200]}",
        fix=f"Remove the repeated {what}, or say something the report has not said yet.",
    )
