"""Report length: the Chinese 字数 convention and English word counts.

字数 counts, one each: a CJK character (Han ideographs, and kana and Hangul syllables), a full-width
punctuation mark (``，。！？；：“”‘’（）《》【】、—…·～`` and the rest of the CJK punctuation and
full-width forms blocks; ``——`` and ``……`` count 2), and a Latin token. A Latin token is a run of
letters and digits (any script other than CJK, full-width forms included) in which single ``-``,
``_``, ``.``, ``'``, ``’`` join the characters on both sides, and ``,`` joins digits to a group of
three: ``GPT-4``, ``3.5``, ``1,000``, ``don't`` and ``state-of-the-art`` are one token each, while
``1200–1500`` is two (the en dash is not full-width punctuation) and ``50%`` is one.
Half-width punctuation and symbols, whitespace, Markdown syntax (``# * - | > ` ``, link and image
targets ``[text](url)``) and HTML markup (tags, ``<style>``/``<script>`` blocks; entities are decoded)
do not count.
"""

from __future__ import annotations

import html
import re

from shared.citations import strip_citations

CONVENTION = (
    "字数 = CJK characters + full-width punctuation marks + Latin words and numbers (a run such as "
    "'GPT-4' or '3.5' counts once); whitespace, half-width symbols, Markdown/HTML markup and citation "
    "brackets do not count."
)

CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f"
FULL_WIDTH_PUNCTUATION = (
    r"\u3001-\u303f\u00b7\u2014\u2015\u2018\u2019\u201c\u201d\u2026"
    r"\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\ufe30-\ufe4f"
)
ALNUM = rf"[^\W_{CJK}{FULL_WIDTH_PUNCTUATION}]"
LATIN_TOKEN = re.compile(rf"{ALNUM}+(?:[-_.'’]{ALNUM}+|(?<=\d),\d{{3}}(?!\d))*")
CJK_CHARACTER = re.compile(rf"[{CJK}]")
PUNCTUATION = re.compile(rf"[{FULL_WIDTH_PUNCTUATION}]")
MARKDOWN_TARGET = re.compile(r"(!?\[[^\[\]\n]*\])\([^)\n]*\)")
HTML_BLOCK = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->", re.DOTALL)


def count_zi(text: str, include_citations: bool = False) -> int:
    """字数 of ``text`` by ``CONVENTION``; citation brackets are left out unless ``include_citations``."""
    plain = _content(text if include_citations else strip_citations(text))
    return len(CJK_CHARACTER.findall(plain)) + len(PUNCTUATION.findall(plain)) + len(LATIN_TOKEN.findall(plain))


def count_words(text: str) -> int:
    """English words of ``text`` as written (citations included): Latin tokens as in ``count_zi``,
    plus one per CJK character; punctuation and markup do not count."""
    plain = _content(text)
    return len(LATIN_TOKEN.findall(plain)) + len(CJK_CHARACTER.findall(plain))


def _content(text: str) -> str:
    """``text`` without link targets and HTML markup (entities decoded)."""
    text = MARKDOWN_TARGET.sub(r"\1", text)
    text = HTML_TAG.sub(" ", HTML_BLOCK.sub(" ", text))
    return html.unescape(text)
