"""Check 7: the report is written in the requested language and, when a formal register is asked
for (正式书面语), has no colloquial markers.

Language is judged on the report's prose (citations, URLs, code and markup left out): a Chinese
report needs CJK characters to make up at least ``MIN_SHARE`` of its CJK characters plus Latin
words; an English report needs Latin words to make up at least ``MIN_SHARE`` of the same total.
"""

from __future__ import annotations

import re

from shared.citations import strip_citations
from shared.findings import Finding
from shared.report import read_report
from shared.requirements import Requirements

MIN_SHARE = 0.5
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]+")
NOISE = re.compile(r"https?://\S+|`[^`]*`|<[^>]+>")
COLLOQUIAL = re.compile(
    r"咱们|咱|哈哈|呵呵|嘿嘿|超级|超赞|贼[好棒强]|牛逼|牛掰|给力|靠谱|搞定|搞懂|搞清楚|啥|咋|挺[好不]|蛮[好不]|说白了|讲真|其实吧"
    r"|小伙伴|大家好|干货|[啊呀吧呢啦嘛哦喔哇]([。！？!?，,]|$)|[!！]{2,}|[~～]{1,}$"
    r"|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
    r"|\b(?:gonna|wanna|gotta|kinda|sorta|awesome|cool|super|stuff|guys|lol|yeah|okay|pretty much)\b",
    re.IGNORECASE,
)
LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


def language_shares(text: str) -> tuple[int, int]:
    """(CJK characters, Latin words) of the report's prose."""
    prose = NOISE.sub(" ", strip_citations(text))
    return len(CJK.findall(prose)), len(LATIN_WORD.findall(prose))


def check_language(text: str, requirements: Requirements) -> list[Finding]:
    """``language.mismatch`` (error) when the report is not mostly in the requested language."""
    cjk, latin = language_shares(text)
    total = cjk + latin
    wanted = requirements.language
    if not total or wanted not in LANGUAGE_NAMES:
        return []
    share = (cjk if wanted == "zh" else latin) / total
    if share >= MIN_SHARE:
        return []
    name = LANGUAGE_NAMES[wanted]
    return [
        Finding(
            check="language.mismatch",
            severity="error",
            message=f"The request asks for {name}, but only {share:.0%} of the report's text is {name}.",
            evidence=f"{cjk} CJK characters, {latin} Latin words",
            fix=f"Write the report in {name}; keep only names and technical terms in the other language.",
        )
    ]


def check_register(text: str, requirements: Requirements) -> list[Finding]:
    """``register.colloquial`` (warning) for each sentence with a colloquial marker, when the request
    asks for a formal register."""
    if requirements.tone != "formal":
        return []
    report = read_report(text)
    findings = []
    for sentence in report.sentences:
        marker = COLLOQUIAL.search(sentence.plain)
        if marker:
            findings.append(
                Finding(
                    check="register.colloquial",
                    severity="warning",
                    message=f"Colloquial wording '{marker.group(0).strip()}' in a report that must be formal (正式书面语).",
                    section=report.section_at([], sentence.start),
                    sentence=sentence.text,
                    sentence_index=sentence.index,
                    evidence=marker.group(0),
                    fix="Rewrite the sentence in formal written language.",
                )
            )
    return findings
