"""Joining pieces of text (lines, cues, pages, segments, sentences) into running text.

Two pieces meet with the separator their script needs: nothing after a CJK character, and nothing
before one unless Latin sentence punctuation ends the text so far (Chinese sentences and wrapped
Chinese lines run on without a space), a space otherwise (so an English sentence end is always
followed by a space, whatever comes next). A line that ends in a hyphen after a lower-case
letter and is followed by a lower-case word is a word broken across lines: the two halves are mended
(``infor-`` + ``mation`` → ``information``). Sentences that an extractor already ran together
(``apart.A Mathematical``) are separated again: see ``shared.sentences.RUN_ON`` for which
``word.Word`` joins count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shared.sentences import run_ons

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
BROKEN_WORD = re.compile(r"[a-z]-$")
LATIN_END = re.compile(r"[.!?][\]\)\"'’”]*$")


def separator(before: str, after: str) -> str:
    """What goes between running text ending in ``before`` and a piece starting with ``after``."""
    if not before or CJK.match(before[-1]):
        return ""
    if CJK.match(after[0]) and not LATIN_END.search(before):
        return ""
    return " "


def join_text(pieces: Iterable[str]) -> str:
    """``pieces`` (each stripped, empty ones dropped) as one run of text, each joined with the
    separator its script needs, hyphenated word breaks mended and run-on sentences separated."""
    text = ""
    for piece in (piece.strip() for piece in pieces):
        if not piece:
            continue
        if BROKEN_WORD.search(text) and piece[0].islower():
            text = text[:-1] + piece
        else:
            text += separator(text, piece) + piece
    return separate_run_ons(text)


def separate_run_ons(text: str) -> str:
    """``text`` with a space put after every sentence end that runs into the next sentence."""
    ends = run_ons(text)
    for end in reversed(ends):
        text = text[:end] + " " + text[end:]
    return text
