"""Lexical anchors: the checkable facts of a sentence (numbers, Latin terms and names, URLs) and
whether a piece of evidence contains them.

An anchor is found in evidence when its normal form occurs there: a number as a number (thousands
separators and a trailing ``%`` ignored), a term as a word (case-insensitive; a term of four or more
letters may also occur inside a longer word, and a plural ``s`` may be dropped), a URL without its
scheme, ``www.`` and trailing slash. A missing anchor may have a near miss in the evidence — a
number with the same digits in another order or one digit changed, a word one edit away (two for
words of eight or more letters) — reported as a possible misspelling.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from wordfreq import zipf_frequency

from shared.retrieval import COMMON

NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![A-Za-z0-9])|(?<![A-Za-z0-9.,])\d+(?:\.\d+)?(?!\d)")
TERM = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]*(?:[-'.&][A-Za-z0-9]+)*")
URL = re.compile(r"https?://[^\s\])）>，。；、\"'“”]+", re.IGNORECASE)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LEADING_MARKUP = re.compile(r"^[\s#>*_\-•|]*(?:\d{1,2}[.、)）]\s*|[（(]\d{1,2}[)）]\s*)?[\s*_]*")
WORD = re.compile(r"[a-z0-9]+(?:[-'.&][a-z0-9]+)*")
SMALL_NUMBER = 10
"""Integers below this are not anchors: list positions, counts written as words in the evidence."""


RARE = 3.0
"""Zipf frequency (log10 of occurrences per billion words) below which an English word is rare."""


def is_rare(word: str) -> bool:
    """Whether ``word`` is rare in English (a name, most likely: 'Sutskever', 'Bengio', 'ASQA')."""
    return zipf_frequency(word.lower(), "en") < RARE


class Anchor(NamedTuple):
    """One checkable fact of a sentence: ``kind`` is 'number', 'term' or 'url'; ``key`` its normal form."""

    kind: str
    text: str
    key: str


class Miss(NamedTuple):
    """An anchor the evidence lacks, with the closest form the evidence has ('' when none is close)."""

    anchor: Anchor
    near: str


class Evidence(NamedTuple):
    """Evidence text prepared for anchor look-ups."""

    lowered: str
    words: frozenset[str]
    numbers: frozenset[str]
    urls: str


def number_key(text: str) -> str:
    """A number's normal form: no thousands separators, no trailing zeros after a decimal point."""
    plain = text.replace(",", "")
    return plain.rstrip("0").rstrip(".") if "." in plain else plain


def url_key(text: str) -> str:
    """A URL's normal form: lower case, without scheme, ``www.`` and trailing punctuation or slash."""
    bare = re.sub(r"^https?://(?:www\.)?", "", text.strip().lower())
    return bare.rstrip(".,;:!?/")


def find_anchors(sentence: str) -> list[Anchor]:
    """The anchors of ``sentence`` (citations already removed), each once, in order.

    URLs; numbers of two or more digits or with a decimal point (years, scores, counts); and Latin
    terms: in a sentence with Chinese characters every Latin word of two or more letters, in an
    English sentence every word written with a capital or a digit inside it — the first word only
    when it is rare in English (a sentence opens with a capital anyway). Words in ``COMMON`` are
    never anchors."""
    anchors: list[Anchor] = []
    rest = sentence
    for match in URL.finditer(sentence):
        anchors.append(Anchor("url", match.group(0).rstrip(".,;:"), url_key(match.group(0))))
        rest = rest.replace(match.group(0), " ")
    chinese = bool(CJK.search(rest))
    body = LEADING_MARKUP.sub("", rest, count=1)
    first = TERM.search(body)
    for match in TERM.finditer(body):
        word = match.group(0).rstrip(".'")
        if word.lower() in COMMON or len(word) < 2:
            continue
        capital = any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word)
        named = word[0].isupper() and (first is None or match.start() != first.start() or is_rare(word))
        if chinese or capital or named:
            anchors.append(Anchor("term", word, word.lower()))
    for match in NUMBER.finditer(TERM.sub(" ", body)):
        key = number_key(match.group(0))
        if "." in key or (len(key) >= 2 and int(key.split(".")[0] or 0) >= SMALL_NUMBER):
            anchors.append(Anchor("number", match.group(0), key))
    seen: set[tuple[str, str]] = set()
    unique = []
    for anchor in anchors:
        if (anchor.kind, anchor.key) not in seen:
            seen.add((anchor.kind, anchor.key))
            unique.append(anchor)
    return unique


def prepare(text: str) -> Evidence:
    """``text`` ready for ``missing_anchors``."""
    lowered = re.sub(r"\s+", " ", text.lower())
    words = set(WORD.findall(lowered))
    words |= {piece for word in words for piece in re.split(r"[-'.&]", word) if piece}
    numbers = {number_key(m.group(0)) for m in NUMBER.finditer(text)}
    return Evidence(lowered, frozenset(words), frozenset(numbers), url_key(lowered) + " " + lowered)


def contains(evidence: Evidence, anchor: Anchor) -> bool:
    """Whether ``evidence`` holds ``anchor`` (see the module's rules)."""
    if anchor.kind == "number":
        return anchor.key in evidence.numbers
    if anchor.kind == "url":
        return anchor.key in evidence.urls
    key = anchor.key
    if key in evidence.words or (key.endswith("s") and key[:-1] in evidence.words):
        return True
    return len(key) >= 4 and (key in evidence.lowered or (key.endswith("s") and key[:-1] in evidence.lowered))


def missing_anchors(anchors: list[Anchor], evidence: Evidence) -> list[Miss]:
    """The anchors ``evidence`` lacks, each with its near miss in the evidence, if any."""
    return [Miss(a, near_miss(a, evidence)) for a in anchors if not contains(evidence, a)]


def near_miss(anchor: Anchor, evidence: Evidence) -> str:
    """The evidence form closest to a missing anchor: same digits reordered or one digit changed
    for a number; one edit away (two for 8+ letters) for a term; '' when nothing is close."""
    if anchor.kind == "number":
        candidates = sorted(n for n in evidence.numbers if len(n) == len(anchor.key) and len(n) >= 2)
        swapped = [n for n in candidates if sorted(n) == sorted(anchor.key)]
        changed = [n for n in candidates if sum(a != b for a, b in zip(n, anchor.key, strict=False)) == 1]
        return (swapped or changed or [""])[0]
    if anchor.kind == "term" and len(anchor.key) >= 4:
        limit = 2 if len(anchor.key) >= 8 else 1
        close = [
            (edit_distance(anchor.key, w, limit), w)
            for w in sorted(evidence.words)
            if abs(len(w) - len(anchor.key)) <= limit and not w.isdigit()
        ]
        close = [pair for pair in close if pair[0] <= limit]
        return min(close)[1] if close else ""
    return ""


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``; any value above ``limit`` is returned as ``limit + 1``."""
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)
