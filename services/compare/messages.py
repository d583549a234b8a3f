"""The words of report.html in the request's language: interface labels and findings.

Findings are written by the checks in English. On a Chinese page each finding is said by its check
id from the Chinese catalogue, with the specifics the English message quotes (names, citations,
numbers in quotes) and the section it names; on an English page it keeps its own message. A check
the catalogue does not know is named by its id.
"""

from __future__ import annotations

import re

from shared.findings import Finding

LABELS = {
    "zh": {
        "title": "修订对比",
        "original": "原稿",
        "final": "终稿",
        "supported": "引用句获支持",
        "preservation": "保留率",
        "zi": "字数",
        "characters": "字符",
        "sentences": "句子",
        "errors_line": "错误",
        "rounds": "校验轮次",
        "round_details": "展开本轮问题",
        "stop": "结束原因",
        "kept": "保留",
        "edited": "修改",
        "added": "新增",
        "removed": "删除",
        "recited": "改引",
        "raised": "新发现",
        "resolved": "已解决",
        "remaining": "仍存在",
        "open": "仍存在",
        "version": "版本",
        "verdict": "结论",
        "errors": "错误",
        "warnings": "警告",
        "whole_before": "原稿整体问题",
        "whole_after": "终稿整体问题",
        "rules": "口径说明",
        "unresolved": "该引用未指向任何证据单元。",
        "more": "另有 {n} 个单元未显示。",
        "no_thumbnail": "证据包中暂无该帧的缩略图",
        "close": "关闭",
        "none": "无",
        "times": "×{n}",
        "fix": "建议",
        "claim": "引用它的句子",
        "verdicts": {"pass": "通过", "revise": "需修订", "stop": "停止", "rejected": "已退回"},
        "definitions": {
            "kept": "保留：原稿句子去掉引用后的文字在终稿中原样保留。",
            "recited": "改引：保留的句子换了引用。",
            "edited": "修改：原稿句子与终稿句子按顺序配对，去掉引用后的文字相似度不低于 50%。",
            "added": "新增：终稿中没有配对原稿句子的句子。",
            "removed": "删除：原稿中没有配对终稿句子的句子（移动的句子算作删除加新增）。",
            "supported": "获支持：带引用的句子没有被任何错误级问题点名（原稿看第一轮的问题，终稿看最终仍存在的问题）；"
            "不带引用的句子不计。",
            "preserved": "保留率：原稿中获支持的句子在终稿中保留（原样或仅改引）的比例。",
            "resolved": "已解决：初稿中的错误，其问题（同一检查、同一章节、沿修改追踪的同一句子）在终稿中不再出现；"
            "仅改引用或改写措辞不算解决，删除该句算解决。",
            "remaining": "仍存在：终稿中的错误级问题。",
        },
    },
    "en": {
        "title": "What changed",
        "original": "Original",
        "final": "Final",
        "supported": "Cited sentences supported",
        "preservation": "Preservation",
        "zi": "字数",
        "characters": "Characters",
        "sentences": "Sentences",
        "errors_line": "Errors",
        "rounds": "Validation rounds",
        "round_details": "show this round's findings",
        "stop": "Stop reason",
        "kept": "kept",
        "edited": "edited",
        "added": "added",
        "removed": "removed",
        "recited": "re-cited",
        "raised": "raised",
        "resolved": "resolved",
        "remaining": "remaining",
        "open": "still open",
        "version": "Version",
        "verdict": "Verdict",
        "errors": "Errors",
        "warnings": "Warnings",
        "whole_before": "Findings on the whole original",
        "whole_after": "Findings on the whole final",
        "rules": "Definitions",
        "unresolved": "This citation points at no evidence unit.",
        "more": "{n} more units are not shown.",
        "no_thumbnail": "No thumbnail of this frame in the evidence pack",
        "close": "Close",
        "none": "none",
        "times": "×{n}",
        "fix": "Fix",
        "claim": "Cited by",
        "verdicts": {"pass": "pass", "revise": "revise", "stop": "stop", "rejected": "rejected"},
        "definitions": {},
    },
}

CHECKS_ZH = {
    "structure.empty": "报告为空。",
    "structure.placeholder": "这是占位文字，不是报告。",
    "structure.preamble": "报告前有与正文无关的开场白。",
    "structure.truncated": "报告在句中被截断。",
    "structure.title_missing": "缺少要求的标题。",
    "structure.section_missing": "缺少要求的章节。",
    "structure.section_order": "章节顺序与要求不符。",
    "structure.section_empty": "要求的章节没有内容。",
    "length.too_short": "篇幅不足要求的字数。",
    "length.too_long": "篇幅超出要求的字数。",
    "length.self_report": "报告自称的字数与实际不符。",
    "citation.unresolved": "引用未指向任何证据单元。",
    "citation.noncanonical": "引用格式不规范。",
    "citation.missing": "该句缺少引用。",
    "citation.unsupported": "所引证据不支持该句。",
    "claim.uncited": "该论断没有引用来源。",
    "metadata.title": "论文题目与论文首页不符。",
    "metadata.authors": "作者与论文首页不符。",
    "metadata.link_kind": "把代码仓库当作论文原文或官网链接。",
    "metadata.year": "年份未出现在论文首页。",
    "metadata.venue": "发表会议或期刊未出现在论文首页。",
    "language.mismatch": "报告语言与要求不符。",
    "register.colloquial": "用语偏口语化。",
    "judge.unavailable": "模型评审不可用，沿用离线判断。",
    "draft.citation_removed": "写作模型给出的引用无法解析，已删除。",
    "draft.claim_dropped": "修订新增的句子没有引用，已删除。",
    "draft.reply_rejected": "写作模型的回复不是报告，已退回。",
    "source.instruction": "来源中含有指令性文字，已忽略。",
}
QUOTED = re.compile(r"(?<!\w)'([^']{1,80})'(?!\w)")


def labels_for(language: str) -> dict:
    """The labels of a page in ``language`` (English for 'en…', else Chinese)."""
    return LABELS["en" if language.startswith("en") else "zh"]


def finding_text(finding: Finding, language: str) -> str:
    """What a finding says, in ``language``."""
    if language.startswith("en"):
        return finding.message
    said = CHECKS_ZH.get(finding.check, f"检查 {finding.check} 发现问题。")
    specifics = list(dict.fromkeys([finding.section, *QUOTED.findall(finding.message)]))
    return said + (f"（{'；'.join(s for s in specifics if s)}）" if any(specifics) else "")


STOPS_ZH = [
    (re.compile(r"^passed: no error-level finding$"), "通过：没有错误级问题"),
    (
        re.compile(r"^no progress: version (\d+) has (\d+) errors, version (\d+) had (\d+); the loop stops$"),
        "无进展：第 {0} 版有 {1} 个错误，第 {2} 版有 {3} 个；循环停止",
    ),
    (
        re.compile(r"^no progress: version (\d+) was rejected, so the loop stops at version (\d+)$"),
        "无进展：第 {0} 版被退回，循环停在第 {1} 版",
    ),
    (
        re.compile(r"^revision budget spent \((\d+)\); (\d+) errors remain$"),
        "修订轮数已用完（{0} 轮）；仍有 {1} 个错误",
    ),
    (
        re.compile(r"^the revision has more errors \((\d+)\) than version (\d+) \((\d+)\)$"),
        "修订稿的错误（{0} 个）多于第 {1} 版（{2} 个）",
    ),
    (re.compile(r"^the revision is much shorter \((\d+) vs (\d+) characters\)$"), "修订稿明显变短（{0} 对 {1} 字符）"),
    (re.compile(r"^the revision is a placeholder, not a report$"), "修订稿是占位文字，不是报告"),
]


def loop_text(reason: str, language: str) -> str:
    """A stop reason or a rejection note of the revision loop, in ``language`` (as written when the
    Chinese catalogue does not know it)."""
    if language.startswith("en"):
        return reason
    for pattern, said in STOPS_ZH:
        if match := pattern.match(reason):
            return said.format(*match.groups())
    return reason
