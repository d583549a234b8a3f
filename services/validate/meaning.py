"""Meaning comparison of a claim with the evidence sentences it is aligned to.

Each rule proves one kind of mismatch and names what differs:

- ``number``: a quantity of the claim that no quantity of the cited text equals
  (``services.validate.quantities``: scripts, scales and approximations normalised);
- ``polarity``: a clause of the claim and the evidence clause it restates disagree on negation, or
  (across languages, when no clauses align) the claim and the sentence it restates
  (不/未/无需/无须/不再/暂缓/取消/没有/缺乏/摒弃, not/no/never/without/no longer/lacks/dispensing with);
- ``direction``: a comparison whose sides are swapped (A outperforms B where the evidence says B
  outperforms A; 优于/超过/高于/低于/比…更…, better/worse/faster/… than, outperforms);
- ``name``: a name of the claim that the aligned evidence sentence replaces by another one
  (a Latin name, or a Chinese place, body or platform: 绍兴市 → 杭州市, 斗鱼 → 虎牙), or a country,
  region or city of the claim that the cited text never names in either script while the evidence
  sentence names another one (US for 德国).

A parenthetical Latin gloss after Chinese text (因果掩码（causal masking）) is not a claim of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import NamedTuple

import numpy as np
from wordfreq import zipf_frequency

from services.validate.alignment import Aligned, vectors
from services.validate.anchors import TERM
from services.validate.quantities import MONTHS, Quantity, find_dates, find_quantities, same_amount
from shared import embeddings
from shared.retrieval import COMMON

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
GLOSS = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff])\s*[（(]\s*[A-Za-z][A-Za-z0-9 \-'.,/&]*[)）]")
CLAUSE = re.compile(
    r"[，,；;：:、]|(?:但是|但|然而|而且|而|并且)(?=[\u4e00-\u9fff])"
    r"|(?<=\s)(?:whereas|while|but|although|though|since|because|as|instead(?!\s+of)|rather(?!\s+than))(?=\s)"
    r"|(?<=\s)(?=(?:without|instead of|rather than)\s)|(?<=\s)and(?=\s+(?:that|have|has|had|is|are|was|were)\s)",
    re.I
)
DOUBLE_NEGATIVE = re.compile(
    r"不得不|无不|不可不|不能不|not only|no doubt|不仅|不但|并?不(?:妨碍|阻碍|阻止)"
    r"|\b(?:not|never|no longer)\s+(?:\w+\s+)?(?:prevent|preclude|hinder|impede)\w*|n't\s+(?:\w+\s+)?(?:prevent|preclude|hinder|impede)\w*",
    re.I,
)
UN_WORD = r"\bun(?!it|if|der|ion)[a-z]{3,}(?:ed|able)\b"
"""A word negated by its prefix (unlisted, unsupported): it agrees with a negated clause (Unlisted
values / 未列出的值) but never denies one by itself (repair unsupported sentences / 修复句子)."""
NEGATION = re.compile(
    r"(?:无需|无须|无法|不再|没有|并未|未能|并非|并不|而不是|缺乏|缺少|尚缺|摒弃|抛弃|舍弃|摆脱|免去|暂缓|取消|妨碍|阻碍|阻止|防止"
    r"|不(?!同|断|少|久|足|过|论|管|妨|止|外|错|到|言而喻|容|一|等|变|定|良|稳|平|均|利)|未(?!来|成年)|无(?!限|论|数|疑|人|线)|没(?!收)|非(?!常|法)|(?<![是能可与])否)"
    r"|\b(?:not|no|never|none|nor|neither|without|cannot|lacks?|lacking|absence|fails?|failed|dispens\w*|eschew\w*"
    r"|instead of|rather than|preclud\w*|prevent\w*|hinder\w*|imped\w*|unable|inability|impossible|irrelevant|unrelated|unnecessary)\b|n't|(?<=[a-z])-free\b|" + UN_WORD,
    re.I,
)
RULED_OUT = re.compile(r"(?:而不是|而非|并非|instead of|rather than)\s*(?:=\s*)?", re.I)
REFERENCE = re.compile(r"\b(?:Table|Figure|Fig\.|Section|Sec\.|Eq\.|Equation|Appendix|row|step|layer)\s*\(?\d+\)?|[A-Za-z]-\d+(?:\.\d+)?", re.I)
"""A table, figure or section number and a number that is part of a name (GPT-4): not quantities of a claim."""
INCLUSION = re.compile(
    r"(?:(?P<except>\bexcept(?:\s+for)?\b|\bwith the exception of\b|\bexcluding\b|\bother than\b|\bapart from\b)"
    r"|\bincluding\b|\bincluded\b|\beven\b|包括|甚至)(?P<after>[^,;.，；。]{0,60})",
    re.I,
)
AUXILIARY = re.compile(r"^(?:\s*(?:be|been|is|are|a|an|the|to|do|does|did|have|has|yet|always|fully|necessarily|explicitly|any)\b)+", re.I)
CLAUSE_MATCH = 0.4
"""Cosine above which an evidence clause is taken to restate a claim clause (polarity rule across languages)."""
SENTENCE_MATCH = 0.4
"""Similarity from which the best evidence sentence in another language is compared with the whole
claim for negation (chosen on the tuning part of the claim set)."""
SENTENCE_SIZE = 3
"""How many times longer than the claim that sentence may be (a longer one holds other clauses,
whose negations say nothing about the claim)."""
TABLE_FIGURES = 6
"""How many quantities make a sentence a table read as text (row_mismatches)."""
FIGURE_SENTENCES = 3
"""How many of the best-aligned sentences may state a claim's quantity (a claim of one sentence's
figures may align better with the sentence before it)."""
NEGATED_CLAUSE = 0.1
"""How much closer another aligned sentence must be to a claim's negated clause than the best one
for the negation to be about that sentence."""
CLAUSE_MATCH_ENGLISH = 0.7
"""The same between two English clauses, whose cosines run higher."""
NAME_MATCH = 0.45
"""Similarity above which the best evidence sentence is taken to state the claim's fact (name rule)."""
FREQUENT = 4.0
"""Zipf frequency from which a capitalised word is taken for an ordinary English word, not a name."""
SIDE_MARGIN = 0.15
"""How much better the swapped pairing of two comparisons' sides must fit to call it reversed."""
EN_COMPARE = re.compile(
    r"(?P<x>[^,;:()]{2,80}?)\s+(?:(?:is|are|was|were|be|can be|is still)\s+)?(?:(?:\w+ly|much|far|even|still|generally|consistently)\s+)*"
    r"(?P<word>outperform\w*|beat|beats|surpass\w*|exceed\w*|better|worse|faster|slower|higher|lower|larger|smaller|"
    r"cheaper|superior|inferior|more\s+[a-z-]+|less\s+[a-z-]+)\b(?P<than>\s+(?:than|to))?\s*(?P<y>[^,;:()]{0,80})",
    re.I,
)
ZH_COMPARE = re.compile(r"(?P<x>[^，,；;。：:]{1,40}?)(?P<word>优于|超过了?|超越了?|高于|低于|快于|慢于|好于|差于|大于|小于|不如|落后于|领先于?)(?P<y>[^，,；;。：:]{1,30})")
ZH_THAN = re.compile(r"(?P<x>[^，,；;。：:]{1,40}?)比(?P<y>[^，,；;。：:]{1,30}?)(?:要|还|更|都)?(?P<word>快|高|好|大|强|贵|昂贵|低|慢|差|小|弱)")
EN_LEAD = re.compile(r"^\s*(?:much\s+|far\s+)?(?:better|worse|faster|slower|higher|lower|larger|smaller|more\s+\w+|less\s+\w+)\s+than\b", re.I)
OPPOSITE_PAIRS = [
    ("高", "低"), ("大", "小"), ("多", "少"), ("强", "弱"), ("快", "慢"), ("长", "短"), ("增加", "减少"), ("上升", "下降"),
    ("提高", "降低"), ("优", "劣"), ("易", "难"), ("重", "轻"), ("宽", "窄"), ("严", "松"),
    ("bigger", "smaller"), ("larger", "smaller"), ("higher", "lower"), ("better", "worse"), ("faster", "slower"),
    ("more", "fewer"), ("increases", "decreases"), ("increased", "decreased"), ("improves", "hurts"), ("easier", "harder"),
    ("longer", "shorter"), ("stronger", "weaker"),
]
"""Words and their antonyms (each way round), for the antonym rule."""
OPPOSITES: dict[str, list[str]] = {}
for _one, _other in OPPOSITE_PAIRS:
    OPPOSITES.setdefault(_one, []).append(_other)
    OPPOSITES.setdefault(_other, []).append(_one)
ZH_OPPOSITE = re.compile(
    r"(?P<context>[\u4e00-\u9fff]{2})(?P<word>" + "|".join(sorted((w for w in OPPOSITES if CJK.match(w)), key=len, reverse=True)) + r")(?![于过])"
)
EN_OPPOSITE = re.compile(r"\b(?P<word>" + "|".join(w for w in OPPOSITES if not CJK.match(w)) + r")\s+(?P<context>(?!than\b)[a-z]{3,}(?:\s+[a-z]{3,})?)")
INFERIOR = re.compile(r"worse|slower|lower|smaller|inferior|less|低于|慢于|差于|小于|不如|落后|^[低慢差小弱]$", re.I)
COMPARATIVE = re.compile(
    r"outperform|beat|surpass|exceed|better|worse|faster|slower|higher|lower|larger|smaller|cheaper|superior|inferior|"
    r"more|less|优于|超过|超越|高于|低于|快于|慢于|好于|差于|大于|小于|不如|落后于|领先|比",
    re.I,
)
"""A word without which none of the three comparison patterns can match (a cheap test first)."""
AMOUNT = re.compile(r"\s*(?:约|近|将近|大约)?[\d〇零一二两三四五六七八九十百千万亿]")
PLACES = {
    "美国": r"United States|USA?|America|American", "中国": r"China|Chinese|PRC", "日本": r"Japan|Japanese",
    "德国": r"Germany|German", "法国": r"France|French", "英国": r"United Kingdom|UK|Britain|British|England",
    "欧盟": r"European Union|EU", "欧洲": r"Europe|European", "韩国": r"South Korea|Korea|Korean",
    "俄罗斯": r"Russia|Russian", "印度": r"India|Indian", "加拿大": r"Canada|Canadian", "澳大利亚": r"Australia|Australian",
    "意大利": r"Italy|Italian", "西班牙": r"Spain|Spanish", "新加坡": r"Singapore", "北京": r"Beijing", "上海": r"Shanghai",
    "深圳": r"Shenzhen", "杭州": r"Hangzhou", "广州": r"Guangzhou", "成都": r"Chengdu", "香港": r"Hong Kong", "台湾": r"Taiwan",
    "贵州": r"Guizhou", "四川": r"Sichuan", "浙江": r"Zhejiang", "绍兴": r"Shaoxing", "旧金山": r"San Francisco",
    "纽约": r"New York", "伦敦": r"London", "巴黎": r"Paris", "东京": r"Tokyo", "长滩": r"Long Beach", "温哥华": r"Vancouver",
}
"""Countries, regions and cities a report may name in either script (Chinese name: English forms)."""
PLACE_PATTERNS = {zh: re.compile(rf"{zh}|\b(?:{en})\b") for zh, en in PLACES.items()}
NAME_SUFFIX = re.compile(r"^(?:市|县|省|区|州|国|盟|部|局|办|院|会|厅|委|大学|学院|公司|平台|直播|协会|总局|短视频)")
PUNCTUATION = re.compile(r"[，,。；;：:、！？!?“”《》（）()]")
NAME_END = re.compile(r"(?:市|县|省|区|州|国|盟|部|局|办|院|会|厅|委|大学|学院|公司|平台|协会)$")


class Mismatch(NamedTuple):
    """One proven difference: ``kind`` (number, polarity, direction, name), what the claim says,
    what the evidence says, and the evidence sentence."""

    kind: str
    claim: str
    evidence: str
    sentence: str

    def describe(self) -> str:
        """One sentence naming what differs, quoting the evidence."""
        said = {
            "number": f"the claim says {self.claim}" + (f" where the evidence says {self.evidence}" if self.evidence else ", which the cited text does not state"),
            "polarity": f"the claim {self.claim} what the evidence {self.evidence}",
            "direction": f"the comparison is reversed: the claim says {self.claim}, the evidence {self.evidence}",
            "name": f"the claim names {self.claim}" + (f" where the evidence names {self.evidence}" if self.evidence else ", which the cited text does not contain"),
        }[self.kind]
        return f"{self.kind}: {said} — evidence: “{self.sentence[:240]}”"


def strip_glosses(claim: str) -> str:
    """``claim`` without parenthetical Latin glosses after Chinese text."""
    return GLOSS.sub("", claim)


def compare(claim: str, aligned: list[Aligned], sentences: list[str]) -> list[Mismatch]:
    """Every mismatch proven between ``claim`` and its ``aligned`` evidence sentences (best first,
    indexes into ``sentences``, the whole cited text, where a quantity may be found anywhere)."""
    if not aligned:
        return []
    claim = strip_glosses(claim)
    return [
        *number_mismatches(claim, aligned, sentences),
        *(polarity_mismatches(claim, aligned) or exception_mismatches(claim, aligned)),
        *(direction_mismatches(claim, aligned) or role_mismatches(claim, aligned[0])),
        *(name_mismatches(claim, aligned, sentences) or place_mismatches(claim, aligned, sentences) or row_mismatches(claim, aligned)),
    ]


# numbers -------------------------------------------------------------------------------------


def claim_quantities(claim: str) -> list[Quantity]:
    """The quantities of ``claim`` worth checking: not a lone 0 or 1, a list position, a table, figure
    or section number, or a number in a name (GPT-4), and in an English claim not a whole number
    below 10 either (checking those flagged more correct claims than wrong ones on AttributionBench);
    a month named in a date is checked (June for July)."""
    body = re.sub(r"^\s*(?:\d{1,2}[.、)）]\s*|[（(]\d{1,2}[)）]\s*)", "", claim)
    smallest = 2 if CJK.search(claim) else 10
    return [q for q in find_quantities(REFERENCE.sub(" ", body)) if q.value >= smallest or "." in q.text or q.text.rstrip(".") in MONTHS]


def number_mismatches(claim: str, aligned: list[Aligned], sentences: list[str]) -> list[Mismatch]:
    """A ``number`` mismatch for each claim quantity that the evidence the claim is about does not
    state: the sentences around the best one and those of the ``FIGURE_SENTENCES`` best-aligned
    ones that restate the claim too (similarity at least ``NAME_MATCH``) or state all its two or
    more quantities, else, when none restates it, anywhere in the cited text."""
    best = max(aligned, key=lambda a: a.similarity)
    wanted = claim_quantities(claim)
    if best.similarity >= NAME_MATCH:
        top = aligned[0].index
        near = sentences[max(0, best.index - 2) : best.index + 3] + sentences[max(0, top - 1) : top + 2]
        near += [a.sentence for a in aligned[:FIGURE_SENTENCES] if a.similarity >= NAME_MATCH or (len(wanted) >= 2 and states_each(wanted, a.sentence))]
    else:
        near = sentences
    stated = find_quantities(" ".join(near), loose=True)
    mismatches = []
    for quantity in wanted:
        if any(same_amount(quantity, other) for other in stated):
            continue
        nearby = [q for q in find_quantities(best.sentence, loose=True) if q.value >= 2]
        closest = min(nearby, key=lambda q: abs(q.value - quantity.value), default=None)
        mismatches.append(Mismatch("number", quantity.text, closest.text if closest else "", best.sentence))
    return mismatches or date_mismatches(claim, " ".join(near), best) or ruled_out(claim, best)


def date_mismatches(claim: str, near: str, best: Aligned) -> list[Mismatch]:
    """A ``number`` mismatch for a month of a year the claim names that the evidence it is about
    (``near``) names with another year or month, and never as the claim does (2016年5月 where the
    evidence says 2022 年 5 月 and names 2016 only as the start of a period)."""
    stated = find_dates(near)
    for year, month in find_dates(claim):
        if (year, month) in stated:
            continue
        other = next(((y, m) for y, m in stated if y == year or m == month), None)
        if other:
            return [Mismatch("number", f"{year}年{month}月", f"{other[0]}年{other[1]}月", best.sentence)]
    return []


def ruled_out(claim: str, best: Aligned) -> list[Mismatch]:
    """A ``number`` mismatch for a quantity that the claim states and the evidence sentence restating
    it (similarity at least ``NAME_MATCH``) rules out, or the other way round (0.3，而不是0.1 where the
    evidence says 0.1, instead of 0.3)."""
    if best.similarity < NAME_MATCH:
        return []
    for text, other in ((best.sentence, claim), (claim, best.sentence)):
        stated = find_quantities(other, loose=True)
        for denial, quantity in denied_quantities(text):
            if any(same_amount(quantity, q) for q in stated) and not any(same_amount(quantity, q) for _, q in denied_quantities(other)):
                said = f"“{denial}”" if text is best.sentence else f"“{quantity.text}” stated"
                mine = quantity.text if text is best.sentence else f"“{denial}”"
                return [Mismatch("number", mine, said, best.sentence)]
    return []


def denied_quantities(text: str) -> list[tuple[str, Quantity]]:
    """The quantities ``text`` rules out (instead of 0.3, 而不是0.1), each with the words that do."""
    found = []
    for match in RULED_OUT.finditer(text):
        rest = text[match.end() : match.end() + 24]
        quantities = find_quantities(rest, loose=True)
        if quantities and rest.lstrip().startswith(quantities[0].text):
            found.append((match.group(0) + quantities[0].text, quantities[0]))
    return found


def states_each(quantities: list[Quantity], sentence: str) -> bool:
    """Whether ``sentence`` states each of ``quantities`` (at least one)."""
    stated = find_quantities(sentence, loose=True)
    return bool(quantities) and all(any(same_amount(q, s) for s in stated) for q in quantities)


# polarity ------------------------------------------------------------------------------------


def clauses(sentence: str) -> list[str]:
    """The clauses of ``sentence`` (split at commas, semicolons, contrastive conjunctions, and at an
    "and" that starts a new predicate: "…instead of X and have been shown…")."""
    return [c.strip() for c in CLAUSE.split(sentence) if len(c.strip()) >= 3]


def negations(clause: str) -> int:
    """How many negations ``clause`` holds (double negatives count as none); one or more make it negated."""
    return len(NEGATION.findall(DOUBLE_NEGATIVE.sub(" ", clause)))


def prefix_negated(text: str) -> bool:
    """Whether ``text`` is negated by ``UN_WORD`` words only, which never make a polarity mismatch."""
    return negations(text) > 0 and negations(re.sub(UN_WORD, " ", text, flags=re.I)) == 0


def clause_pairs(claim: str, aligned: list[Aligned]) -> tuple[list[str], list[tuple[str, str]]]:
    """The clauses of ``claim`` and those of its two best-aligned sentences (each with its sentence)
    that ``polarity_mismatches`` matches by embedding; none when both claim and best sentence are
    Chinese (compared word by word)."""
    if CJK.search(claim) and CJK.search(aligned[0].sentence):
        return [], []
    return clauses(claim), [(c, a.sentence) for a in aligned[:2] for c in clauses(a.sentence)]


def differ_in_negation(mine: list[str], theirs: list[tuple[str, str]]) -> bool:
    """Whether some clause of ``mine`` and some of ``theirs`` differ in negation: only then can a
    matched pair differ, so only then are the clauses embedded."""
    return len({negations(c) > 0 for c in [*mine, *(c for c, _ in theirs)]}) == 2


def texts_to_encode(claim: str, aligned: list[Aligned]) -> list[str]:
    """The texts ``compare`` will embed for ``claim`` and its ``aligned`` sentences (the clauses the
    polarity comparison matches), so the texts of many claims can be encoded in one batch first."""
    if not aligned:
        return []
    mine, theirs = clause_pairs(strip_glosses(claim), aligned)
    return mine + [c for c, _ in theirs] if mine and theirs and differ_in_negation(mine, theirs) else []


def polarity_mismatches(claim: str, aligned: list[Aligned]) -> list[Mismatch]:
    """A ``polarity`` mismatch, one per claim. Both in Chinese: a word negated on one side and
    stated without negation on the other (无法形成 / 已经形成). Otherwise: a claim clause and the
    evidence clause that restates it (cosine above ``CLAUSE_MATCH``, ``CLAUSE_MATCH_ENGLISH``
    between English clauses) differ in negation."""
    best = aligned[0]
    if CJK.search(claim) and CJK.search(best.sentence):
        return negated_words(claim, best.sentence) if best.similarity >= NAME_MATCH else []
    threshold = CLAUSE_MATCH if CJK.search(claim) or CJK.search(best.sentence) else CLAUSE_MATCH_ENGLISH
    mine, theirs = clause_pairs(claim, aligned)
    if not mine or not theirs:
        return []
    if differ_in_negation(mine, theirs):
        found = negated_clause(mine, theirs, threshold)
        if found:
            return found
    return negated_sentence(claim, best, aligned[1:]) if threshold == CLAUSE_MATCH else []


def negated_clause(mine: list[str], theirs: list[tuple[str, str]], threshold: float) -> list[Mismatch]:
    """A ``polarity`` mismatch for the first clause of ``mine`` whose closest clause of ``theirs``
    (cosine at least ``threshold``) differs from it in negation."""
    cosine = embeddings.similarity(vectors(mine), vectors([c for c, _ in theirs]))
    for i, clause in enumerate(mine):
        j = int(np.argmax(cosine[i]))
        if cosine[i, j] < threshold:
            continue
        other, sentence = theirs[j]
        denied = negations(clause) > 0
        if denied != (negations(other) > 0) and not prefix_negated(clause if denied else other):
            said = ("denies", "asserts") if denied else ("asserts", "denies")
            return [Mismatch("polarity", f"{said[0]} “{clause}”", f"{said[1]} (“{other}”)", sentence)]
    return []


def exception_mismatches(claim: str, aligned: list[Aligned]) -> list[Mismatch]:
    """A ``polarity`` mismatch for a name the claim includes (including X, 包括X) that one of the
    ``FIGURE_SENTENCES`` best-aligned sentences excepts (with the exception of X), or the other
    way round (除X外 is left alone: it may mean besides X)."""
    names = latin_names(claim)
    mine = marked(claim, names)
    for item in aligned[:FIGURE_SENTENCES]:
        theirs = marked(item.sentence, names)
        for key, mark in mine.items():
            if theirs.get(key, mark) != mark:
                return [Mismatch("polarity", f"{mark} {names[key]}", theirs[key], item.sentence)]
    return []


def marked(text: str, names: dict[str, str]) -> dict[str, str]:
    """Each of ``names`` (by key) that ``text`` marks as included or excepted ('includes' or
    'excepts'), by the nearest marker within a few words before it; a name marked both ways is left out."""
    found: dict[str, set[str]] = {}
    for match in INCLUSION.finditer(text):
        mark = "excepts" if match.group("except") else "includes"
        for key in names:
            if key in squash(match.group("after")):
                found.setdefault(key, set()).add(mark)
    return {key: marks.pop() for key, marks in found.items() if len(marks) == 1}


def size(text: str) -> float:
    """How much ``text`` says, comparable across scripts: a Chinese character counts 2.5 letters."""
    return len(CJK.findall(text)) * 2.5 + len(re.sub(r"[\s\u3400-\u4dbf\u4e00-\u9fff]", "", text))


def negated_sentence(claim: str, best: Aligned, others: Sequence[Aligned] = ()) -> list[Mismatch]:
    """A ``polarity`` mismatch between a claim and the evidence sentence in another language that
    restates it (similarity at least ``SENTENCE_MATCH``, at most ``SENTENCE_SIZE`` times the claim's
    ``size``, every quantity of the claim stated there) when one of them is negated and the other
    is not: 仍然需要循环结构 / dispensing with recurrence, whose clauses align too weakly to be
    compared one by one; unless the claim's negation is about one of the ``others`` aligned
    sentences (``negation_elsewhere``). Nor when each clause of the claim agrees with the sentence's
    clause closest to it: a claim restating the positive half of "eschewing X and instead relying on
    Y" is not denied."""
    stated = find_quantities(best.sentence, loose=True)
    if best.similarity < SENTENCE_MATCH or size(best.sentence) > SENTENCE_SIZE * size(claim):
        return []
    if not all(any(same_amount(q, s) for s in stated) for q in claim_quantities(claim)):
        return []
    denied = negations(claim) > 0
    if denied == (negations(best.sentence) > 0) or prefix_negated(claim if denied else best.sentence):
        return []
    if denied and negation_elsewhere(claim, best, others):
        return []
    mine, theirs = clauses(claim) or [claim], clauses(best.sentence) or [best.sentence]
    closest = [theirs[j] for j in np.argmax(embeddings.similarity(vectors(mine), vectors(theirs)), axis=1)]
    if all((negations(m) > 0) == (negations(t) > 0) for m, t in zip(mine, closest, strict=True)):
        return []
    said = ("denies", "asserts") if denied else ("asserts", "denies")
    return [Mismatch("polarity", f"{said[0]} “{claim}”", said[1], best.sentence)]


def negation_elsewhere(claim: str, best: Aligned, others: Sequence[Aligned]) -> bool:
    """Whether a negated clause of ``claim`` is restated by one of ``others`` better (by at least
    ``NEGATED_CLAUSE`` in cosine) than by ``best``: the negation is about that sentence, and ``best``,
    restating the rest of the claim, proves nothing about it (…这种固有的顺序性使训练样本内部无法并行
    against "Recurrent models typically factor computation along the symbol positions")."""
    denied = [part for part in clauses(claim) if negations(part) > 0]
    if not denied or not others:
        return False
    cosine = embeddings.similarity(vectors(denied), vectors([best.sentence] + [a.sentence for a in others]))
    return bool((cosine[:, 1:].max(axis=1) >= cosine[:, 0] + NEGATED_CLAUSE).any())


def negated_words(claim: str, sentence: str) -> list[Mismatch]:
    """A ``polarity`` mismatch for a word one text negates and the other states plainly."""
    for text, other, said in ((sentence, claim, ("asserts", "denies")), (claim, sentence, ("denies", "asserts"))):
        for word, _ in negated_targets(text):
            where = other.lower().find(word)
            if where != -1 and not negated_before(other, where) and other.lower().count(word) == 1:
                clause = next((c for c in clauses(text) if word in c.lower()), text)
                mine = claim[max(0, where - 12) : where + 12] if text is sentence else clause
                theirs = clause if text is sentence else sentence[max(0, where - 20) : where + 20]
                return [Mismatch("polarity", f"{said[0]} “{mine.strip()}”", f"{said[1]} (“{theirs.strip()}”)", sentence)]
    return []


def negated_targets(text: str) -> list[tuple[str, int]]:
    """The words ``text`` negates, each with where its negation starts: the two characters after a
    Chinese negation, the stem (first five letters) of the word after an English one."""
    body = DOUBLE_NEGATIVE.sub(lambda m: " " * len(m.group(0)), text)
    targets = []
    for match in NEGATION.finditer(body):
        rest = AUXILIARY.sub("", body[match.end() :])
        if CJK.match(rest[:1]):
            word = rest[:2]
        else:
            words = re.findall(r"[A-Za-z]+", rest[:30])
            word = words[0].lower()[:5] if words and len(words[0]) >= 4 else ""
        if (len(word) == 2 and CJK.search(word)) or len(word) >= 4:
            targets.append((word, match.start()))
    return targets


def negated_before(text: str, where: int) -> bool:
    """Whether a negation ends just before position ``where`` of ``text`` (within a few characters)."""
    window = text[max(0, where - 14) : where]
    return any(m.end() >= len(window) - (3 if CJK.search(window[-3:]) else 12) for m in NEGATION.finditer(DOUBLE_NEGATIVE.sub(" ", window)))


# direction -----------------------------------------------------------------------------------


class Comparison(NamedTuple):
    """``better`` is said to rank above ``worse`` (``worse`` is '' when the sentence names no other side)."""

    better: str
    worse: str
    text: str


def comparisons(sentence: str) -> list[Comparison]:
    """The comparisons ``sentence`` states, each with its sides in ranking order."""
    if not COMPARATIVE.search(sentence):
        return []
    found = []
    previous = ""
    for clause in re.split(r"[；;。]|(?<=[A-Za-z0-9]),\s|，", re.sub(r"\s*[（(][^()（）]*[)）]", "", sentence)):
        for pattern in (EN_COMPARE, ZH_COMPARE, ZH_THAN):
            lead = EN_LEAD.match(clause) if pattern is EN_COMPARE else None
            matches: list[re.Match[str] | None] = list(pattern.finditer(clause))
            if lead and previous:
                matches = [EN_COMPARE.match(" ".join(previous.split()[:5]) + " " + clause)]
            for m in filter(None, matches):
                x, y = _side(m.group("x")), _side(m.group("y"))
                word = m.group("word")
                if pattern is EN_COMPARE and not m.group("than") and not word.lower().startswith(("outperform", "beat", "surpass", "exceed")):
                    y = ""
                if pattern is ZH_COMPARE and AMOUNT.match(y):
                    continue  # 超过300位: an amount, not a comparison (大于ChatGPT的4096 is one)
                if not x:
                    continue
                better, worse = (y, x) if INFERIOR.search(word) else (x, y)
                found.append(Comparison(better, worse, m.group(0)))
        previous = clause
    return found


def _side(phrase: str) -> str:
    """A comparison side without the framing around it (在…上, adverbs, articles, a citation, the
    conditions after it: dot product attention without scaling for larger values of dk)."""
    phrase = re.sub(r"在[^在]{0,12}?上|对于[^，]{0,10}|即使|仍然|都|也|均|还|明显|显著|通常|训练速度", "", phrase)
    phrase = re.sub(r"^.*\b(?:that|shows?|find|found|observe)\s+", "", phrase.strip(), flags=re.I)
    phrase = re.sub(r"^(?:the|a|an|even|our|in|on|all)\s+", "", phrase.strip(), flags=re.I)
    phrase = re.sub(r"\s*\[[\d,\s–-]+\]|\s+(?:for|when|on|in|at|across|under)\s.*$", "", phrase, flags=re.I)
    return phrase.strip(" 的了")


def _fit(a: str, b: str) -> float:
    """How well two comparison sides name the same thing: shared Latin names decide, else the cosine."""
    if not a or not b:
        return 0.0
    names_a = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9-]+", a)} - COMMON
    names_b = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9-]+", b)} - COMMON
    if names_a and names_b:
        if names_a <= names_b or names_b <= names_a:
            return 1.0
        if not names_a & names_b and not (CJK.search(a) or CJK.search(b)):
            return 0.0
    return float(embeddings.similarity(vectors([a]), vectors([b]))[0, 0])


def direction_mismatches(claim: str, aligned: list[Aligned]) -> list[Mismatch]:
    """A ``direction`` mismatch when a claim comparison matches an evidence comparison with its
    sides swapped (better by ``SIDE_MARGIN`` than the straight pairing)."""
    for mine in comparisons(claim):
        if not mine.worse:
            continue
        for item in aligned[:2]:
            for theirs in comparisons(item.sentence):
                straight = _fit(mine.better, theirs.better) + (_fit(mine.worse, theirs.worse) if theirs.worse else 0)
                swapped = _fit(mine.worse, theirs.better) + (_fit(mine.better, theirs.worse) if theirs.worse else 0)
                sides = 2 if theirs.worse else 1
                if swapped > straight + SIDE_MARGIN and swapped / sides >= 0.5:
                    return [Mismatch("direction", f"“{mine.text}”", f"“{theirs.text}”", item.sentence)]
    return []


# roles ---------------------------------------------------------------------------------------


def role_mismatches(claim: str, best: Aligned) -> list[Mismatch]:
    """Mismatches of who does what, against the best evidence sentence when it restates the claim
    (similarity at least ``NAME_MATCH``): two names whose clauses are swapped (``swapped_roles``),
    a name whose clause is negated on one side only (``name_polarity``), a word replaced by its
    antonym in the same context (``antonyms``)."""
    if best.similarity < NAME_MATCH:
        return []
    return swapped_roles(claim, best.sentence) or name_polarity(claim, best.sentence) or antonyms(claim, best.sentence)


def shared_names(clause: str, other: str) -> list[str]:
    """The names of ``clause`` that ``other`` holds too: Latin names (``latin_names``), and the
    longest Chinese span ending in a body or place suffix (文化部, 国家新闻出版广电总局)."""
    plain = squash(other)
    found = [text for key, text in latin_names(clause).items() if key in plain]
    for end, char in enumerate(clause):
        if NAME_END.search(char):
            spans = [clause[start : end + 1] for start in range(end - 1, -1, -1)]
            held = [span for span in spans if CJK.fullmatch(span[0]) and span in other]
            if held:
                found.append(max(held, key=len))
    return found


def swapped_roles(claim: str, sentence: str) -> list[Mismatch]:
    """A ``direction`` mismatch when a claim and an evidence sentence in the same language state two
    names' roles the other way round: each claim clause with one name says what the evidence says of
    the other name (文化部负责文艺表演，国家新闻出版广电总局负责网络影视剧内容, swapped)."""
    if bool(CJK.search(claim)) != bool(CJK.search(sentence)):
        return []
    roles = [(clause, names[0]) for clause in clauses(claim) for names in [shared_names(clause, sentence)] if len(names) == 1]
    if len(roles) != 2 or roles[0][1] == roles[1][1]:
        return []
    theirs = clauses(sentence)

    def fit(rest: str, name: str) -> float:
        return max((SequenceMatcher(None, rest, c.replace(name, "")).ratio() for c in theirs if name in c), default=0.0)

    (first, one), (second, other) = roles
    if all(fit(c.replace(n, ""), o) > fit(c.replace(n, ""), n) + SIDE_MARGIN for c, n, o in ((first, one, other), (second, other, one))):
        return [Mismatch("direction", f"“{first}”, “{second}”", "gives the roles the other way round", sentence)]
    return []


def name_polarity(claim: str, sentence: str) -> list[Mismatch]:
    """A ``polarity`` mismatch when the claim and the evidence sentence each contrast names in a
    negated clause with names in an asserted one, and a name changes side (而Vicuna的数据没有 /
    data of Vicuna and Oasst contain examples…, while Alpaca's data do not). A name must be in one
    clause on each side; a contrast is needed because a Chinese clause often drops its subject."""
    names = latin_names(claim)
    mine, theirs = sides(clauses(claim), names), sides(clauses(sentence), names)
    if len(set(mine.values())) < 2 or len(set(theirs.values())) < 2:
        return []
    for key, denied in mine.items():
        if key in theirs and theirs[key] != denied:
            said = ("denies", "asserts") if denied else ("asserts", "denies")
            return [Mismatch("polarity", f"{said[0]} of {names[key]}", said[1], sentence)]
    return []


def sides(parts: list[str], names: dict[str, str]) -> dict[str, bool]:
    """For each of ``names`` (by key) in exactly one of the clauses ``parts``: whether that clause is negated."""
    found = {}
    for key in names:
        holding = [part for part in parts if key in squash(part)]
        if len(holding) == 1:
            found[key] = negations(holding[0]) > 0
    return found


def antonyms(claim: str, sentence: str) -> list[Mismatch]:
    """A ``polarity`` mismatch for a word of the claim whose antonym the evidence sentence has in
    the same context, which the claim lacks (门槛高 / 门槛低, smaller models / bigger models); a
    comparative before than/于 is left to the direction rule."""
    lowered_claim, lowered = claim.lower(), sentence.lower()
    for pattern in (ZH_OPPOSITE, EN_OPPOSITE):
        for match in pattern.finditer(lowered_claim):
            word, context = match.group("word"), match.group("context")
            for opposite in OPPOSITES.get(word, ()):
                theirs = context + opposite if pattern is ZH_OPPOSITE else f"{opposite} {context}"
                if theirs in lowered and match.group(0) not in lowered and theirs not in lowered_claim:
                    return [Mismatch("polarity", f"says “{match.group(0)}”, the opposite of", f"says (“{theirs}”)", sentence)]
    return []


# names ---------------------------------------------------------------------------------------


def latin_names(text: str) -> dict[str, str]:
    """The Latin names of ``text`` by ``squash``ed key: words with a capital or digit inside
    (ByteNet, P100), and capitalised words that are not frequent English words (Noam, Shaoxing)."""
    names = {}
    for match in TERM.finditer(text):
        word = match.group(0).rstrip(".'")
        inner = any(c.isupper() or c.isdigit() for c in word[1:])
        if word.lower() in COMMON or len(word) < 2:
            continue
        if inner or (word[0].isupper() and zipf_frequency(word.lower(), "en") < FREQUENT):
            names[squash(word)] = word
    return names


def shape(name: str) -> str:
    """The kind of word a name is: 'digits' (P100, GPT-4), 'capitals' (WMT) or 'word' (Noam, ByteNet)."""
    if any(c.isdigit() for c in name):
        return "digits"
    return "capitals" if name.isupper() else "word"


def squash(text: str) -> str:
    """``text`` lower-cased without spaces, hyphens and apostrophes ('English-to-German' ~ 'Englishto-German')."""
    return re.sub(r"['’]s\b|[\s\-'’]", "", text.lower())


def name_mismatches(claim: str, aligned: list[Aligned], sentences: list[str]) -> list[Mismatch]:
    """A ``name`` mismatch when the best aligned sentence states the claim's fact with another name:
    a name of the claim found neither in it nor in the sentences around it, where it names one the
    claim does not."""
    best = aligned[0]
    if best.similarity < NAME_MATCH:
        return []
    if CJK.search(best.sentence) and not CJK.search(claim):
        return []  # an English claim about Chinese text: its names are translations
    around = squash(" ".join(sentences[max(0, best.index - 1) : best.index + 2]))
    mine = latin_names(claim)
    absent = [text for key, text in mine.items() if key not in around]
    claimed = squash(claim)
    others = [
        text for key, text in latin_names(best.sentence).items()
        if key not in claimed and key.removesuffix("s") not in claimed and any(shape(text) == shape(name) for name in absent)
    ]
    if absent and others and len(absent) <= 2:
        return [Mismatch("name", ", ".join(absent), ", ".join(others[:3]), best.sentence)]
    if CJK.search(claim) and CJK.search(best.sentence):
        return chinese_swaps(claim, best.sentence, " ".join(sentences))
    return []


def places(text: str) -> set[str]:
    """The countries, regions and cities of ``PLACES`` that ``text`` names, in either script (by Chinese name)."""
    return {zh for zh, pattern in PLACE_PATTERNS.items() if pattern.search(text)}


def place_mismatches(claim: str, aligned: list[Aligned], sentences: list[str]) -> list[Mismatch]:
    """A ``name`` mismatch for a place the claim names (in either script) that the cited text never
    names in either, where the best aligned sentence names another place: US and Japanese
    legislation for 借鉴德国、欧盟的立法经验."""
    named = places(claim)
    if not named:
        return []  # the cited text is searched only for a claim that names a place
    mine = named - places(" ".join(sentences))
    others = places(aligned[0].sentence) - named
    if not mine or not others:
        return []
    return [Mismatch("name", "、".join(sorted(mine)), "、".join(sorted(others)), aligned[0].sentence)]


def chinese_swaps(claim: str, sentence: str, cited: str = "") -> list[Mismatch]:
    """A ``name`` mismatch for a short span of a Chinese claim that replaces, in the same context, a
    place, body or platform name of the evidence sentence, or a term of it by another term the
    ``cited`` text uses in that context elsewhere (刑法监管 for 行政监管, where the source has both).
    The evidence is read in a window the claim's length around their longest common stretch (so
    another mention elsewhere does not hide a swap), then whole (a claim shortening the sentence)."""
    a, b = re.sub(r"\s+", "", claim), re.sub(r"\s+", "", sentence)
    i, j, size = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    if size < 4:
        return []
    terms = re.sub(r"\s+", "", cited)
    for evidence in (b[max(0, j - i) : j + len(a) - i + 4], b):
        for op, i1, i2, j1, j2 in SequenceMatcher(None, a, evidence, autojunk=False).get_opcodes():
            if op != "replace" or not (1 <= i2 - i1 <= 12 and 1 <= j2 - j1 <= 12):
                continue
            mine, theirs = a[i1:i2], evidence[j1:j2]
            if not (CJK.search(mine) and CJK.search(theirs)) or PUNCTUATION.search(mine[:-1] + theirs[:-1]):
                continue  # a name holds no punctuation (a trailing mark is checked below)
            attached = not (PUNCTUATION.search(mine[-1]) or PUNCTUATION.search(theirs[-1]))  # the suffix ends the span's name
            named = (attached and NAME_SUFFIX.match(evidence[j2:]) and NAME_SUFFIX.match(a[i2:])) or (NAME_END.search(theirs) and NAME_END.search(mine))
            if named or source_term(mine, theirs, a[i2 : i2 + 2], evidence[j2 : j2 + 2], terms):
                return [Mismatch("name", mine, theirs.strip("，,"), sentence)]
    return []


def source_term(mine: str, theirs: str, after: str, their_after: str, cited: str) -> bool:
    """Whether ``mine`` replaces ``theirs`` (both two to four Chinese characters) before the same
    two characters, and the cited text uses ``mine`` before them too: one term of the source put
    in the place of another."""
    same = len(after) == 2 and after == their_after and bool(CJK.fullmatch(after[0]))
    sized = 2 <= len(mine) <= 4 and 2 <= len(theirs) <= 4 and all(CJK.match(c) for c in mine + theirs)
    return same and sized and (mine + after) in cited


def row_mismatches(claim: str, aligned: list[Aligned]) -> list[Mismatch]:
    """A ``name`` mismatch when the claim gives a table row's scores to another row: in the first of
    the ``FIGURE_SENTENCES`` best-aligned sentences stating every decimal figure of the claim, if it
    holds a table (``TABLE_FIGURES`` quantities or more), the name heading each figure's row is not
    a name of the claim, while a name of the claim heads a row of its own (ByteNet given ConvS2S's 25.16)."""
    figures = [q for q in claim_quantities(claim) if "." in q.text]
    mine = latin_names(claim)
    if not figures or not mine:
        return []
    for item in aligned[:FIGURE_SENTENCES]:
        if not states_each(figures, item.sentence):
            continue
        if len(find_quantities(item.sentence, loose=True)) < TABLE_FIGURES:
            return []  # the figures' source is a sentence, not a table
        rows = row_names(item.sentence)
        heads = [head for q in figures for head in [row_of(q, rows)] if head is not None]
        if len(heads) < len(figures):
            continue
        labels = {key for key, _, _ in rows}
        if any(key in mine for key, _, _ in heads):
            continue
        own = [text for key, text in mine.items() if key in labels]
        if own:
            return [Mismatch("name", ", ".join(own), ", ".join(dict.fromkeys(t for _, t, _ in heads)), item.sentence)]
    return []


def row_names(sentence: str) -> list[tuple[str, str, list[Quantity]]]:
    """The rows of a table read as text: each name (``latin_names``) with the figures after it up
    to the next name (a name before the first figure heads a column, not a row)."""
    rows: list[tuple[str, str, list[Quantity]]] = []
    names = [(m.start(), m.end(), m.group(0).rstrip(".'")) for m in TERM.finditer(sentence)]
    names = [(start, end, word) for start, end, word in names if latin_names(word)]
    for n, (_, end, word) in enumerate(names):
        stop = names[n + 1][0] if n + 1 < len(names) else len(sentence)
        figures = [q for q in find_quantities(re.sub(r"\[\d+\]|\(\d{4}\)", " ", sentence[end:stop]), loose=True) if "." in q.text]
        if figures:
            rows.append((squash(word), word, figures))
    return rows


def row_of(quantity: Quantity, rows: list[tuple[str, str, list[Quantity]]]) -> tuple[str, str, list[Quantity]] | None:
    """The one row holding ``quantity`` among its figures, or None (none or several do)."""
    holding = [row for row in rows if any(q.value == quantity.value for q in row[2])]
    return holding[0] if len(holding) == 1 else None
