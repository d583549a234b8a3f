"""Structure checks: is the text a report at all, is it complete, does it have the requested
title and sections in order, each with a body.

Required sections are found by ``shared.report`` (the one section finder the writer and the
reviser use too): a heading line in any style, or a short bare line, that starts with the name and
adds a short tail at most (``一、论文基本信息（Basic information）``, ``方法与实验`` for 方法).
"""

from __future__ import annotations

import re

from shared.chatter import is_plan
from shared.citations import find_citations, strip_citations
from shared.findings import Finding
from shared.report import HEADING_TAIL, SectionSpan, heading_parts, locate_sections, normalise
from shared.requirements import Requirements
from shared.wordcount import count_zi

TITLE_LINES = 5  # the title must be among the first non-empty lines
PLACEHOLDER_LIMIT = 200  # 字: shorter than this and asking for content means "not a report"

PLACEHOLDER = re.compile(
    r"please\s+(?:provide|insert|supply|share|paste|upload|add)|no\s+(?:original\s+|final\s+)?report\s+"
    r"(?:was\s+)?generated|placeholder|to\s+be\s+(?:written|completed|added)|请(?:提供|补充|上传|粘贴|给出|输入)"
    r"|待补充|待填写|此处(?:填写|插入)|未生成(?:报告)?",
    re.IGNORECASE,
)
TOOL_CALL = re.compile(
    r"</?tool_call>|</?use_mcp_tool>|\buse_mcp_tool\b|</?function_calls?>|<tool_name>"
    r"|```(?:json)?\s*\{\s*\"(?:name|tool_name|function|tool)\"\s*:",
    re.IGNORECASE,
)
SENTENCE_END = tuple("。！？!?.…」』”\"’'）)]】》〉|")
URL_END = re.compile(r"https?://\S+$")
RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
PAIRS = (("(", ")"), ("（", "）"), ("[", "]"), ("【", "】"), ("《", "》"), ("“", "”"), ("「", "」"))


def contains_in_order(name: str, text: str) -> bool:
    """Whether the characters of ``name`` occur in ``text`` in order (words may be inserted)."""
    rest = iter(text)
    return all(char in rest for char in name)


def near_heading(text: str, name: str) -> str:
    """A heading line that names ``name`` with words inserted (``关键技术深度解析``), or ``""``."""
    wanted = normalise(name)
    for line in text.splitlines():
        style, rest = heading_parts(line)
        if style and wanted and len(rest) - len(name) <= HEADING_TAIL and contains_in_order(wanted, normalise(rest)):
            return line.strip()
    return ""


def sections_of(text: str, requirements: Requirements) -> list[tuple[str, str]]:
    """Each required section found in ``text``, in text order: (section name, body text)."""
    return [(s.name, text[s.body_start:s.end].strip()) for s in locate_sections(text, requirements)]


def check_empty(text: str) -> list[Finding]:
    """``structure.empty``: no report text at all."""
    if text.strip():
        return []
    return [
        Finding(
            check="structure.empty",
            severity="error",
            message="There is no report: the text is empty.",
            fix="Write the complete report.",
        )
    ]


def is_fragment(text: str) -> bool:
    """Whether ``text`` is too short (under 200 字) to be a report whatever it says."""
    return count_zi(text.strip()) < PLACEHOLDER_LIMIT


def check_placeholder(text: str) -> list[Finding]:
    """``structure.placeholder``: a short text (under 200 字) that asks for content or says no report
    was made, that is one bracketed note, or that holds only citations, instead of a report."""
    stripped = text.strip()
    if not stripped or not is_fragment(stripped):
        return []
    hit = PLACEHOLDER.search(stripped)
    bracketed = stripped[0] in "[【" and stripped[-1] in "]】" and not find_citations(stripped)
    only_citations = not re.search(r"\w", strip_citations(stripped))
    if not hit and not bracketed and not only_citations:
        return []
    what = "only citations" if only_citations else "a placeholder"
    return [
        Finding(
            check="structure.placeholder",
            severity="error",
            message=f"The text is {what}, not a report ({count_zi(stripped)} 字).",
            evidence=stripped[:200],
            fix="Write the complete report itself; never a request for content or a note that it is missing.",
        )
    ]


def check_preamble(text: str) -> list[Finding]:
    """``structure.preamble``: the text opens with the writer's plan ("I'll…", "Let me…", "我将…")
    or contains a tool call, instead of being the report."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    plan = is_plan(heading_parts(first)[1] or first)
    tool = TOOL_CALL.search(text)
    if not plan and not tool:
        return []
    evidence = tool.group(0) if tool else first[:200]
    return [
        Finding(
            check="structure.preamble",
            severity="error",
            message="The text is a tool-call preamble, not a report: "
            + ("it contains a tool call." if tool else "it opens with the writer's plan."),
            evidence=evidence,
            fix="Remove the plan and any tool calls; output only the finished report, starting with its title.",
        )
    ]


def last_line(text: str) -> str:
    """The last non-empty line that is not a horizontal rule."""
    for line in reversed(text.splitlines()):
        if line.strip() and not RULE.match(line):
            return line.strip()
    return ""


def truncation(text: str) -> str:
    """Why ``text`` looks cut off, or ``""``."""
    if sum(1 for line in text.splitlines() if line.lstrip().startswith("```")) % 2:
        return "a code fence is never closed"
    line = last_line(text)
    for opener, closer in PAIRS:
        if line.count(opener) > line.count(closer):
            return f"the last line leaves '{opener}' unclosed"
    tail = line.rstrip("*_~` ")
    groups = find_citations(line)
    if groups and groups[-1].end == len(line.rstrip()):
        return ""
    if not tail or tail.endswith(SENTENCE_END) or URL_END.search(tail):
        return ""
    return "the last line ends without terminal punctuation"


def check_truncated(text: str) -> list[Finding]:
    """``structure.truncated``: the report ends mid-sentence (no terminal punctuation, closing
    bracket or citation on its last line) or with an unclosed bracket or code fence."""
    reason = truncation(text)
    if not reason:
        return []
    return [
        Finding(
            check="structure.truncated",
            severity="error",
            message=f"The report looks cut off: {reason}.",
            sentence=last_line(text)[-200:],
            evidence=last_line(text)[-200:],
            fix="Finish the last sentence and any remaining sections; close every bracket and code fence.",
        )
    ]


def check_title(text: str, requirements: Requirements) -> list[Finding]:
    """``structure.title_missing``: the requested title is not among the first few lines."""
    wanted = normalise(requirements.title)
    if not wanted:
        return []
    head = [line for line in text.splitlines() if line.strip()][:TITLE_LINES]
    if any(wanted in normalise(line) for line in head):
        return []
    title = requirements.title.strip("《》")
    return [
        Finding(
            check="structure.title_missing",
            severity="error",
            message=f"The requested title 《{title}》 is not in the first {TITLE_LINES} lines.",
            evidence="\n".join(head)[:300],
            fix=f"Start the report with the title line 《{title}》.",
        )
    ]


def check_sections(text: str, requirements: Requirements) -> list[Finding]:
    """``structure.section_missing`` / ``section_order`` / ``section_empty`` for every required
    section, in the order the request lists them."""
    spans = {s.name: s for s in locate_sections(text, requirements)}
    findings: list[Finding] = []
    latest: SectionSpan | None = None
    for section in requirements.sections:
        label = f"{section.marker}{section.name}"
        span = spans.get(section.name)
        if span is None:
            near = near_heading(text, section.name)
            findings.append(
                Finding(
                    check="structure.section_missing",
                    severity="error",
                    message=f"The required section {label} is missing"
                    + (f"; the heading '{near}' does not use the requested name." if near else "."),
                    section=section.name,
                    evidence=near,
                    fix=f"Rename the heading '{near}' to '{label}'."
                    if near
                    else f"Add the section as a heading line '{label}' followed by its text, in the requested order.",
                )
            )
            continue
        if latest is not None and span.start < latest.start:
            findings.append(
                Finding(
                    check="structure.section_order",
                    severity="error",
                    message=f"Section {label} comes before {latest.name}, but the request lists it after.",
                    section=section.name,
                    evidence=span.heading,
                    fix=f"Move {label} after {latest.name}.",
                )
            )
        else:
            latest = span
        if not re.search(r"\w", strip_citations(text[span.body_start:span.end])):
            findings.append(
                Finding(
                    check="structure.section_empty",
                    severity="error",
                    message=f"Section {label} has a heading but no text.",
                    section=section.name,
                    evidence=span.heading,
                    fix=f"Write the body of {label} under its heading.",
                )
            )
    return findings
