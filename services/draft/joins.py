"""Joining sentences into prose by each sentence's own script.

A sentence that ends in a CJK character or full-width mark ("。") is followed directly by the next;
one that ends in Latin script (".", a letter, a closing bracket) is followed by one space, so an
English sentence never runs into the next ("…hours apart.A Mathematical…").
"""

from __future__ import annotations

import re

CJK_END = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef”」』]\s*$")


def join_sentences(sentences: list[str]) -> str:
    """``sentences`` as one paragraph, a space after each one that does not end in CJK script."""
    text = ""
    for sentence in sentences:
        if text and not CJK_END.search(text):
            text += " "
        text += sentence
    return text
