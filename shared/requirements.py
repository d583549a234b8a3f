"""What a writing request asks for, read from its text by a deterministic parser.

Rules (each ``read_*`` function documents its own):
- title: the report's name in 《…》, chosen by the verb that asks for it;
- sections: a numbered list (（1）, (1), 1. / 1、, 一、, ①), else an enumeration after 包含/包括;
- length: a phrase with a number and a unit (字, words, characters) or a length cue (字数, 篇幅);
- language, citation request, output format, tables, bullets and tone (register) from key phrases.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field


class LengthRange(BaseModel):
    """A length target. ``unit`` is 'zi' (字数), 'words' or 'characters'; either bound may be open."""

    minimum: int | None = None
    maximum: int | None = None
    unit: str = "zi"
    text: str = Field(default="", description="The phrase of the request the range was read from.")


class Section(BaseModel):
    """One required section: its number as written ('（1）', '1.', '一、') and its name."""

    marker: str
    name: str
    note: str = Field(
        default="",
        description="What the request adds to the name after a colon or in a closing bracket, e.g. '附来源'.",
    )


class Requirements(BaseModel):
    """Everything the checks compare a report against."""

    title: str = ""
    sections: list[Section] = Field(default_factory=list)
    length: LengthRange | None = None
    language: str = "zh"
    cite_sources: bool = False
    output_format: str = Field(default="markdown", description="'markdown', or 'html' when HTML is asked for.")
    table: bool = Field(default=False, description="The request asks for a table (表格, 汇总表, 图表, table).")
    no_bullets: bool = Field(default=False, description="The request forbids bullet points (不要分点).")
    tone: str = Field(default="", description="Register: 'formal' (正式书面语), 'casual' (轻松有趣) or '' when not stated.")


APPROXIMATE_TOLERANCE = 0.10
""""3000字左右" / "about 3000 words" / a bare "3000字" means 3000 ± 10%."""

TITLE_VERBS = "撰写|编写|书写|写|完成|形成|生成|起草|编制|制作|准备|输出|产出|给出|提交|题为|标题为|名为"
ASKED_TITLE = re.compile(rf"(?:{TITLE_VERBS})[^。！？!?\n《]{{0,30}}《([^《》\n]+)》")
ANY_TITLE = re.compile(r"《([^《》\n]+)》")
ENGLISH_TITLE = re.compile(r"\b(?:titled|entitled|called|named)\s*[:：]?\s*[\"“'‘]([^\"”'’\n]+)[\"”'’]", re.IGNORECASE)

BOUNDARY = r"(?:^|(?<=[\s:：;；。，,!?！？]))"
MARKER_STYLES = {
    "paren": re.compile(r"[（(]\s*(\d{1,2})\s*[）)]"),
    "circled": re.compile(r"([①-⑳])"),
    "chinese": re.compile(rf"{BOUNDARY}([一二三四五六七八九十]{{1,3}})\s*[、．.]", re.MULTILINE),
    "arabic": re.compile(rf"{BOUNDARY}(\d{{1,2}})\s*[、．.](?!\d)", re.MULTILINE),
}
ENUMERATION = re.compile(
    r"(?:包含|包括|涵盖|分为)(?:以下|如下)(?:几个|若干)?(?:部分|章节|板块|模块|内容)\s*[:：]\s*([^。；;\n]+)"
    r"|(?:包含|包括|涵盖|分为)\s*[:：]?\s*([^。；;，,（）()\n:：]+?)\s*等?(?:几个|若干)?(?:部分|章节|板块|模块)"
)
ITEM_END = "。；;，,\n"
OPENERS, CLOSERS = "（(《“【[「", "）)》”】]」"

NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?\s*[千万]?|[一二两三四五六七八九十]*[百千万][一二两三四五六七八九十百千]*"
UNIT = r"\s*-?\s*(?:个)?(?P<unit>汉字|字符|字|words?|characters?|chars?)(?![A-Za-z])"
RANGE_SEPARATOR = r"\s*(?:至|到|-|–|—|－|~|～|〜|to|and)\s*"
LENGTH_NUMBER = re.compile(rf"(?P<number>{NUMBER})(?!\s*[\d年月日号%％页张篇段点句条项位名家])(?:{UNIT})?", re.IGNORECASE)
LENGTH_RANGE = re.compile(
    rf"(?P<first>{NUMBER})(?:{UNIT})?{RANGE_SEPARATOR}(?P<last>{NUMBER})(?!\s*[\d年月日号%％])", re.IGNORECASE
)
LENGTH_CUE = re.compile(r"字数|篇幅|长度|\bword count\b|\blength\b", re.IGNORECASE)
CLAUSE_END = re.compile(r"[。；;！？!?\n，]|,(?!\d{3})|\.(?=\s|$)")
PER_PART = re.compile(r"^\s*每[段节章部个条项点页]|\beach (?:section|paragraph|part)\b", re.IGNORECASE)
BOUND_CUE = re.compile(
    r"(?P<maximum>不超过|不多于|不得超过|不要超过|不能超过|不高于|最多|至多|以内|之内|以下|少于|低于"
    r"|\b(?:no|not) more than\b|\bat most\b|\bunder\b|\bup to\b|\bmaximum\b|\bfewer than\b|\bless than\b"
    r"|\bwithin\b|\bor (?:less|fewer)\b|\bnot (?:to )?exceed)"
    r"|(?P<minimum>不少于|不低于|不得少于|不小于|至少|最少|以上|多于|超过"
    r"|\bat least\b|\bno (?:less|fewer) than\b|\bnot less than\b|\bminimum\b|\bmore than\b|\bover\b|\bor more\b)",
    re.IGNORECASE,
)
"""A bound cue; the leftmost wins, so 不少于 is a lower bound although it contains 少于."""
CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}

ENGLISH_ASKED = re.compile(r"(?:用|使用|以|采用)英文|英文(?:撰写|写作|输出|回答)|\bin English\b", re.IGNORECASE)
CHINESE_ASKED = re.compile(r"(?:用|使用|以|采用)(?:中文|汉语)|\bin Chinese\b", re.IGNORECASE)
CITE = re.compile(
    r"(?:注明|标注|标明|注出|写明|指明|列明|附上?|给出)[^。；;\n]{0,10}?(?:来源|出处)|引用|引注"
    r"|\bcit(?:e|es|ing|ation|ations)\b",
    re.IGNORECASE,
)
HTML = re.compile(
    r"(?:返回|输出|生成|采用|使用|以|用|提供|写成|做成)\s*(?:一个|一份|成)?\s*html|html\s*(?:格式|形式|页面|网页|文件|代码)"
    r"|\b(?:in|as|return|output)\s+(?:an?\s+)?html\b",
    re.IGNORECASE,
)
TABLE = re.compile(r"表格|汇总表|对比表|一览表|统计表|图表|\btables?\b", re.IGNORECASE)
NO_BULLETS = re.compile(
    r"不要分点|不分点|避免分点|不用分点|不要列点|不要使用(?:项目符号|列表)|\bno bullet|\bwithout bullet", re.IGNORECASE
)
TONES = {
    "formal": re.compile(r"正式书面|书面语|正式的语言|语言正式|\bformal\b", re.IGNORECASE),
    "casual": re.compile(r"轻松|有趣|幽默|口语化|活泼|\b(?:casual|informal|conversational|light-hearted)\b", re.IGNORECASE),
}


def parse_request(query: str) -> Requirements:
    """Read the title (《…》), numbered sections, length range, language, citation request, output
    format, table, bullet and register requirements from a request."""
    return Requirements(
        title=read_title(query),
        sections=read_sections(query),
        length=read_length(query),
        language=read_language(query),
        cite_sources=bool(CITE.search(query)),
        output_format="html" if HTML.search(query) else "markdown",
        table=bool(TABLE.search(query)),
        no_bullets=bool(NO_BULLETS.search(query)),
        tone=read_tone(query),
    )


def read_title(query: str) -> str:
    """The requested report's title: the first 《…》 that a writing verb (撰写, 写, 完成, 形成, …) asks
    for in the same sentence; else the first 《…》; else an English ``titled "…"``; else ``""``.

    So in "参考《民法典》，撰写一篇《…报告》" the title is the report's, not the cited law's."""
    for pattern in (ASKED_TITLE, ANY_TITLE, ENGLISH_TITLE):
        match = pattern.search(query)
        if match:
            return match.group(1).strip()
    return ""


def read_sections(query: str) -> list[Section]:
    """The required sections in order.

    A numbered list is the longest run of markers numbered 1, 2, 3, … in one style — （1）/(1),
    ①, 一、, 1. / 1、 (the last two only after a line start, space or punctuation); it needs at least
    two items. Each item runs to the next marker and ends at the first 。；，or line break outside
    brackets. Failing that, an enumeration "包含A、B、C等部分" / "包括以下部分：A、B、C" gives
    sections marked "1", "2", …. A name is cut at its first colon and before a closing bracketed
    phrase; what was cut is the section's ``note``."""
    chain = _longest_chain(query)
    if chain:
        ends = [m.start() for m in chain[1:]] + [len(query)]
        items = [(m.group(0).strip(), query[m.end() : end]) for m, end in zip(chain, ends, strict=False)]
    else:
        enumeration = ENUMERATION.search(query)
        if not enumeration:
            return []
        names = re.split(r"\s*[、，,；;]\s*", (enumeration.group(1) or enumeration.group(2)).strip())
        items = [(str(i), name) for i, name in enumerate(filter(None, names), start=1)]
        if len(items) < 2:
            return []
    return [_section(marker, _cut(item, ITEM_END)) for marker, item in items]


def _longest_chain(query: str) -> list[re.Match[str]]:
    """The longest run of markers of one style numbered 1, 2, 3, … in text order (earliest on ties)."""
    best: list[re.Match[str]] = []
    for pattern in MARKER_STYLES.values():
        matches = list(pattern.finditer(query))
        for start, match in enumerate(matches):
            if _marker_value(match.group(1)) != 1:
                continue
            chain = [match]
            for later in matches[start + 1 :]:
                if _marker_value(later.group(1)) == len(chain) + 1:
                    chain.append(later)
            if len(chain) > len(best) or (len(chain) == len(best) and best and chain[0].start() < best[0].start()):
                best = chain
    return best if len(best) >= 2 else []


def _marker_value(number: str) -> int:
    """The value of a marker's number: '3', '③' or '三'."""
    if "①" <= number <= "⑳":
        return ord(number) - ord("①") + 1
    if number.isdigit():
        return int(number)
    return _chinese_number(number)


def _cut(text: str, stops: str) -> str:
    """``text`` up to its first character in ``stops`` that lies outside brackets and quotes."""
    depth = 0
    for position, char in enumerate(text):
        if char in OPENERS:
            depth += 1
        elif char in CLOSERS:
            depth = max(depth - 1, 0)
        elif depth == 0 and char in stops:
            return text[:position]
    return text


def _section(marker: str, item: str) -> Section:
    """A section from its marker and item text: name before a colon and a closing bracket, note after."""
    item = item.strip().strip("*_ ").removesuffix(".")
    name = _cut(item, ":：")
    notes = [item[len(name) + 1 :].strip()] if len(name) < len(item) else []
    name = name.strip()
    if name[-1:] in "）)":
        opening = _opening_of_last_bracket(name)
        if opening > 0:
            notes.insert(0, name[opening + 1 : -1].strip())
            name = name[:opening].strip()
    return Section(marker=marker, name=name.strip("“”\"'「」《》 "), note="；".join(n for n in notes if n))


def _opening_of_last_bracket(text: str) -> int:
    """Index of the bracket that the closing bracket ending ``text`` closes (-1 when unbalanced)."""
    depth = 0
    for position in range(len(text) - 1, -1, -1):
        if text[position] in "）)":
            depth += 1
        elif text[position] in "（(":
            depth -= 1
            if depth == 0:
                return position
    return -1


def read_length(query: str) -> LengthRange | None:
    """The requested length.

    The request is cut into clauses (at 。；，! ? line breaks, and at ', ' and '. '); a length clause
    has a number followed by a unit (字, 字符, 汉字, words, characters) or a length cue (字数, 篇幅,
    长度, word count, length), and does not start with 每 ("每段不超过200字" limits a part).
    In a length clause: two numbers joined by 至/到/-/–/~/to/and are a range; one number with a
    maximum cue (不超过, 以内, 以下, at most, under, …) is an upper bound, with a minimum cue
    (不少于, 以上, 至少, at least, …) a lower bound, and otherwise (左右, 约, about, or nothing) the
    number ± 10%. The first clause with both bounds wins; otherwise the first lower and first upper
    bound are combined when they are consistent, else the first bound found is returned. Numbers
    followed by 年, 月, %, 个, 页, … are not lengths. 字/字符/汉字 give unit 'zi'."""
    found = [length for clause in _clauses(query) if (length := _clause_length(clause))]
    for length in found:
        if length.minimum is not None and length.maximum is not None:
            return length
    lower = next((f for f in found if f.minimum is not None), None)
    upper = next((f for f in found if f.maximum is not None), None)
    if (
        lower
        and upper
        and lower.minimum is not None
        and upper.maximum is not None
        and lower.unit == upper.unit
        and lower.minimum <= upper.maximum
    ):
        joined = f"{lower.text}{'，' if lower.unit == 'zi' else ', '}{upper.text}"
        return LengthRange(minimum=lower.minimum, maximum=upper.maximum, unit=lower.unit, text=joined)
    return found[0] if found else None


def _clauses(query: str) -> list[str]:
    return [c.strip() for c in CLAUSE_END.split(query) if c.strip()]


def _clause_length(clause: str) -> LengthRange | None:
    """The length one clause asks for, if it is a length clause."""
    if PER_PART.search(clause):
        return None
    numbers = list(LENGTH_NUMBER.finditer(clause))
    units = [m.group("unit") for m in numbers if m.group("unit")]
    if not numbers or not (units or LENGTH_CUE.search(clause)):
        return None
    unit = _unit(units[0] if units else "字")
    span = LENGTH_RANGE.search(clause)
    if span and (not span.group("unit") or _unit(span.group("unit")) == unit):
        first, last = _number(span.group("first")), _number(span.group("last"))
        return LengthRange(minimum=min(first, last), maximum=max(first, last), unit=unit, text=clause)
    value = _number(next(m for m in numbers if m.group("unit") or not units).group("number"))
    cue = BOUND_CUE.search(clause)
    if cue and cue.group("maximum"):
        return LengthRange(maximum=value, unit=unit, text=clause)
    if cue:
        return LengthRange(minimum=value, unit=unit, text=clause)
    return LengthRange(
        minimum=round(value * (1 - APPROXIMATE_TOLERANCE)),
        maximum=round(value * (1 + APPROXIMATE_TOLERANCE)),
        unit=unit,
        text=clause,
    )


def _unit(word: str) -> str:
    word = word.lower()
    if word.startswith("word"):
        return "words"
    if word.startswith("char"):
        return "characters"
    return "zi"


def _number(text: str) -> int:
    """'1,500' → 1500; '1.5万' → 15000; '3千' → 3000; '两千五百' → 2500."""
    text = re.sub(r"[\s,]", "", text)
    if re.fullmatch(r"\d+(?:\.\d+)?[千万]?", text):
        multiplier = CHINESE_UNITS.get(text[-1], 1)
        return round(float(text.rstrip("千万")) * multiplier)
    return _chinese_number(text)


def _chinese_number(text: str) -> int:
    """'三' → 3, '十二' → 12, '两千五百' → 2500, '一万' → 10000."""
    total, section, digit = 0, 0, 0
    for char in text:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
        elif char == "万":
            total += (section + digit) * 10000
            section, digit = 0, 0
        else:
            section += (digit or 1) * CHINESE_UNITS[char]
            digit = 0
    return total + section + digit


def read_language(query: str) -> str:
    """'en' or 'zh': an explicit instruction (用英文撰写, in English / 用中文, in Chinese) decides;
    otherwise 'zh' when the request has more CJK characters than Latin words."""
    english, chinese = ENGLISH_ASKED.search(query), CHINESE_ASKED.search(query)
    if english or chinese:
        return "en" if english and (not chinese or english.start() > chinese.start()) else "zh"
    cjk = len(re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]", query))
    words = len(re.findall(r"[A-Za-z]+", query))
    return "zh" if cjk > words else "en"


def read_tone(query: str) -> str:
    """'formal' (正式书面语, formal) or 'casual' (轻松, 有趣, 幽默, casual); when both are asked for,
    the one stated last wins (a closing "语言风格：轻松有趣" overrides an earlier 正式书面语)."""
    last = {name: max((m.start() for m in pattern.finditer(query)), default=-1) for name, pattern in TONES.items()}
    name = max(last, key=last.__getitem__)
    return name if last[name] >= 0 else ""
