"""Quantities written in any script, reduced to one value each so that two ways of writing the same
amount compare equal: 60亿 = 6B = 6 billion, 17万 = 170k, 百分之七十一 = 71 %, 1.5万 = 15,000, 二〇三五 = 2035.

A quantity is digits (thousands separators allowed) or Chinese numerals (一…九, 十百千, 〇/零, 两), with
a scale after it (万, 亿, 千, 百万, k, K, M, B, thousand, million, billion), or ``百分之`` before it.
The unit (%, 年, …) is ignored: 49 % and a table cell 49 are the same value. 约/左右/超过/近/多/余/
about/over/more than/nearly mark an approximation. English number words (two … twenty) count in
evidence and in claims; a lone Chinese numeral counts only before a measure word (三个, 六层). An
English month name next to a day or year is its number (Jul. 30th = 7月30日). A number glued to
the capitalised word or 参见 after it is a footnote marker, not a quantity.
"""

from __future__ import annotations

import re
from typing import NamedTuple

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
SCALES = {
    "万": 1e4, "亿": 1e8, "千": 1e3, "百万": 1e6, "千万": 1e7, "k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9,
    "thousand": 1e3, "million": 1e6, "billion": 1e9,
}
WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "twenty": 20,
    "hundred": 100, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",), ("June", "Jun"), ("July", "Jul"),
         ("August", "Aug"), ("September", "Sept", "Sep"), ("October", "Oct"), ("November", "Nov"), ("December", "Dec")],
        1,
    )
    for name in names
}
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DATES = re.compile(rf"(?P<year>\d{{4}})\s*年\s*(?P<month>\d{{1,2}})\s*月|\b(?P<name>{MONTH_NAMES})\.?\s+(?:\d{{1,2}},?\s+)?(?P<year2>\d{{4}})\b")
MEASURES = "个种名位层块天年次项条家场倍步小时秒月日周章节段篇部类组维头轮句词"
CN = "〇零一二两三四五六七八九十百千"
APPROXIMATE_BEFORE = re.compile(r"(?:约|大约|大概|超过|近|将近|接近|逾|不到|不足|about|around|over|nearly|almost|approximately|roughly|more than|less than|up to)\s*$", re.I)
APPROXIMATE_AFTER = re.compile(r"^\s*(?:多|余|左右|上下|以上|以下|\+)")
FOOTNOTE = re.compile(r"[A-Z][A-Za-z]|参见|见")
"""What follows a footnote marker glued to the next sentence (5QAMPARI requires…, 5参见…)."""
GLUED = re.compile(r"(?<=[a-z]{3})(?=\d)")
LATIN_BEFORE = r"(?<![A-Za-z\u0370-\u03ff_\d.])"
NUMBER = re.compile(
    LATIN_BEFORE + r"(?:(?P<percent>百分之)(?P<pcn>[" + CN + r"点]+)"
    r"|(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(?P<scale>百万|千万|万|亿|千|thousand\b|million\b|billion\b|[kKMB](?![A-Za-z]))?"
    r"|(?P<cn>[" + CN + r"]+(?:点[" + CN + r"]+)?)(?P<cnscale>万|亿)?"
    r"|(?P<word>\b(?:" + "|".join(WORDS) + r")\b)(?:\s+(?P<wordscale>thousand|million|billion)\b)?"
    r"|(?:(?<=\d )|(?<=\dst )|(?<=\dnd )|(?<=\drd )|(?<=\dth ))?\b(?P<month>" + MONTH_NAMES + r")\b\.?(?=\s+\d)"
    r"|(?:(?<=\d )|(?<=\dst )|(?<=\dnd )|(?<=\drd )|(?<=\dth ))\b(?P<monthafter>" + MONTH_NAMES + r")\b)"
)


class Quantity(NamedTuple):
    """One amount: its ``value``, the ``text`` it was read from, and whether it is approximate."""

    value: float
    text: str
    approximate: bool


def chinese_value(text: str) -> float | None:
    """The value of a run of Chinese numerals: positional (二〇三五 = 2035) or with 十百千 (七十一 = 71)."""
    whole, _, fraction = text.partition("点")
    if any(c in UNITS for c in whole):
        total, digit = 0, 0
        for char in whole:
            if char in UNITS:
                total += (digit or 1) * UNITS[char]
                digit = 0
            elif char in DIGITS:
                digit = DIGITS[char]
            else:
                return None
        value = float(total + digit)
    elif whole and all(c in DIGITS for c in whole):
        value = float("".join(str(DIGITS[c]) for c in whole))
    else:
        return None
    if fraction:
        if not all(c in DIGITS for c in fraction):
            return None
        value += float("0." + "".join(str(DIGITS[c]) for c in fraction))
    return value


def find_quantities(text: str, loose: bool = False) -> list[Quantity]:
    """The quantities of ``text`` in order. ``loose`` (for evidence) also reads a lone Chinese
    numeral without a measure word after it, and a number glued to a lower-case word (top100)."""
    if loose:
        text = GLUED.sub(" ", text)
    found = []
    for match in NUMBER.finditer(text):
        value = _value(match, text, loose)
        if value is None or (match.group("digits") and not match.group("scale") and FOOTNOTE.match(text, match.end("digits"))):
            continue
        before, after = text[max(0, match.start() - 12) : match.start()], text[match.end() : match.end() + 3]
        approximate = bool(APPROXIMATE_BEFORE.search(before) or APPROXIMATE_AFTER.match(after))
        found.append(Quantity(value, match.group(0).strip(), approximate))
    return found


def _value(match: re.Match[str], text: str, loose: bool) -> float | None:
    """The value ``match`` stands for, or None when it is not a quantity."""
    if match.group("percent"):
        return chinese_value(match.group("pcn"))
    if match.group("digits"):
        value = float(match.group("digits").replace(",", ""))
        return value * SCALES[match.group("scale")] if match.group("scale") else value
    if match.group("month") or match.group("monthafter"):
        return float(MONTHS[match.group("month") or match.group("monthafter")])
    if match.group("word"):
        value = float(WORDS[match.group("word").lower()])
        return value * SCALES[match.group("wordscale")] if match.group("wordscale") else value
    numerals, scale = match.group("cn"), match.group("cnscale")
    whole = chinese_value(numerals)
    if whole is None:
        return None
    after = text[match.end() : match.end() + 1]
    if len(numerals) == 1 and not scale and not loose and not (after and after in MEASURES):
        return None
    return whole * SCALES[scale] if scale else whole


def same_amount(claim: Quantity, evidence: Quantity) -> bool:
    """Whether two quantities state the same amount: equal to the claim's precision, or within 10 %
    when either is approximate."""
    if claim.value == evidence.value:
        return True
    if claim.approximate or evidence.approximate:
        return abs(claim.value - evidence.value) <= 0.1 * max(abs(claim.value), abs(evidence.value))
    return _rounded_equal(claim, evidence)


def _rounded_equal(claim: Quantity, evidence: Quantity) -> bool:
    """Whether the evidence value rounds to the claim's value at the claim's written precision (3.5万 for 35,012)."""
    digits = re.sub(r"[^\d.]", "", claim.text)
    if not digits or "." not in digits:
        return False
    places = len(digits.split(".")[1])
    scale = claim.value / float(digits) if float(digits) else 1.0
    return round(evidence.value / scale, places) == round(claim.value / scale, places)


def find_dates(text: str) -> list[tuple[int, int]]:
    """The (year, month) of each month of a year ``text`` names: 2022 年 5 月, May 2022, May 3, 2022."""
    found = []
    for match in DATES.finditer(text):
        if match.group("year"):
            found.append((int(match.group("year")), int(match.group("month"))))
        else:
            found.append((int(match.group("year2")), MONTHS[match.group("name")]))
    return found
