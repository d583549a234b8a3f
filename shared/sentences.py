"""Sentence splitting for Chinese and English report text.

A sentence ends at ``。！？；``, at ``. ! ?`` followed by a space, a line end, a bracket or a CJK
character, and at every line break (reports keep headings, list items and paragraphs on their own
lines; callers with hard-wrapped text join its lines first). Closing quotes and parentheses after the
end mark stay with the sentence, and so do citation brackets that follow it on the same line
(``… end. [Doc: a.pdf, page 2]``). Nothing inside ``[…]`` ends a sentence. A full stop does not end
a sentence inside a number (``3.5``), after a known abbreviation (``e.g.``, ``et al.``, ``Fig.``) or
a single letter (``J. Smith``), after a bare list or heading marker (``1.``, ``## 1.``), between a digit and a CJK
character (``1.论文``), or before a lower-case word.

Sentences run together without a space (``units.Speech``, ``apart.A Mathematical``, ``in 2019.The``)
are split too (``RUN_ON``): an end mark right after a word of two or more letters ending in a
lower-case letter (or a number of two or more digits), not itself after a dot, slash or other word
character, and right before a capital that starts a word. ``e.g.``, ``U.S.``, ``3.5``, ``arXiv.org``,
``Fig.3``, ``pdf.pdf``, ``et al.Smith`` and ``www.Example.com`` are not split.
"""

from __future__ import annotations

import re

CJK_ENDS = "。！？；"
LATIN_ENDS = ".!?"
CLOSERS = "”’\"'」』）)"
ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "al", "vs", "cf", "fig", "figs", "eq", "eqs", "sec", "vol", "pp", "approx", "resp",
     "dr", "mr", "mrs", "ms", "prof", "inc", "ltd", "jr", "st", "ch"}
)
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_LIST_MARKER = re.compile(r"^(?:#{1,6}\s+)?\(?[0-9A-Za-z]{1,3}\)?$")
_HEAD_WINDOW = 64  # characters before a full stop that decide whether it ends a sentence (keeps splitting linear)
RUN_ON = re.compile(r"(?<![\w./@:\\-])([A-Za-z]*[a-z]|\d{2,})[.!?](?=[A-Z](?:[a-z]|\s))(?![A-Z][A-Za-z]*\.[a-z])")


BRACKETED = re.compile(r"\[[^\]\n]*\]")
_MARK = re.compile("[\\[\\n" + re.escape(CJK_ENDS + LATIN_ENDS) + "]")  # the characters splitting acts on


def run_ons(text: str) -> list[int]:
    """The index just past every sentence end mark in ``text`` that runs straight into the next
    sentence (``units.Speech``), in order; none inside ``[…]`` (a citation's title stays as written)."""
    inside = [(m.start(), m.end()) for m in BRACKETED.finditer(text)]
    return [
        m.end()
        for m in RUN_ON.finditer(text)
        if len(m.group(1)) >= 2
        and m.group(1).lower() not in ABBREVIATIONS
        and not any(start < m.end() < end for start, end in inside)
    ]


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, each stripped of surrounding whitespace; empty ones dropped."""
    sentences: list[str] = []
    joins = set(run_ons(text))
    start = i = 0
    while i < len(text):
        char = text[i]
        if char == "[":
            close = _bracket_end(text, i)
            i = close if close else i + 1
        elif char == "\n":
            sentences.append(text[start:i])
            start = i = i + 1
        elif i + 1 in joins:
            sentences.append(text[start : i + 1])
            start = i = i + 1
        elif _ends_sentence(text, start, i):
            end = _sentence_end(text, i + 1)
            sentences.append(text[start:end])
            start = i = end
        else:
            mark = _MARK.search(text, i + 1)
            i = mark.start() if mark else len(text)
    sentences.append(text[start:])
    return [s.strip() for s in sentences if s.strip()]


def _bracket_end(text: str, i: int) -> int:
    """Index just past the ``]`` closing the bracket opened at ``i`` on the same line, or 0."""
    close = text.find("]", i + 1)
    newline = text.find("\n", i + 1)
    if close == -1 or (newline != -1 and newline < close):
        return 0
    return close + 1


def _ends_sentence(text: str, start: int, i: int) -> bool:
    """Whether the character at ``i`` ends the sentence that began at ``start``."""
    char = text[i]
    if char in CJK_ENDS:
        return True
    if char not in LATIN_ENDS:
        return False
    following = _skip(text, i + 1, LATIN_ENDS + CLOSERS)
    if following < len(text) and not (text[following].isspace() or text[following] == "[" or _is_cjk(text[following])):
        return False
    if char != ".":
        return True
    if following < len(text) and _is_cjk(text[following]) and text[i - 1 : i].isdigit():
        return False
    head = text[max(start, i - _HEAD_WINDOW) : i]
    if i - start <= _HEAD_WINDOW and _LIST_MARKER.match(head.strip()):
        return False
    word = _WORD_BEFORE.search(head)
    if word and (len(word.group(1)) == 1 or word.group(1).lower() in ABBREVIATIONS):
        return False
    after = _skip(text, following, " \t")
    return not (after < len(text) and text[after].isascii() and text[after].islower())


def _sentence_end(text: str, i: int) -> int:
    """Index just past a sentence whose end mark is at ``i - 1``: trailing marks, closers, citations."""
    end = _skip(text, i, CJK_ENDS + LATIN_ENDS + CLOSERS)
    while True:
        bracket = _skip(text, end, " \t")
        close = _bracket_end(text, bracket) if bracket < len(text) and text[bracket] == "[" else 0
        if not close or text.startswith("(", close):
            return end
        end = _skip(text, close, CJK_ENDS + LATIN_ENDS)


def _skip(text: str, i: int, chars: str) -> int:
    """First index from ``i`` whose character is not in ``chars``."""
    while i < len(text) and text[i] in chars:
        i += 1
    return i


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"
