"""Hand-made report pairs with known edits, and the accepted events that carry them."""

from __future__ import annotations

from shared.events import ObjectRef, ReportAccepted, RoundRecord, TaskContext
from shared.findings import Finding

A = "检索增强生成先检索再生成答案[文档: paper.pdf, page 1]。"
B_BAD = "引用精确率提高到86.9%[文档: paper.pdf, page 9]。"
B_FIXED = "引用精确率提高到86.9%[文档: paper.pdf, page 2]。"
C = "这一结果说明核查引用很有必要。"
C_EDITED = "这一结果说明逐句核查引用很有必要。"
D = "该方法只在英文数据上验证过[文档: paper.pdf, page 3]。"
E = '检索失误占剩余错误的14%[long_context: "RAG入门", chunk 0]。'

ORIGINAL = f"# 调研报告\n\n{A}{B_BAD}{C}{D}\n"
FINAL = f"# 调研报告\n\n{A}{B_FIXED}{C_EDITED}{E}\n"
"""Heading and A kept, B re-cited, C edited, D removed, E added."""


def finding(check: str, sentence: str = "", severity: str = "error", citation: str = "") -> Finding:
    return Finding(check=check, severity=severity, message=f"{check} here.", sentence=sentence, citation=citation)


UNRESOLVED = finding("citation.unresolved", B_BAD, citation="[文档: paper.pdf, page 9]")
SHORT = finding("length.too_short", severity="warning")


def accepted(
    original: str = ORIGINAL,
    final: str = FINAL,
    rounds: list[RoundRecord] | None = None,
    remaining: list[Finding] | None = None,
    requirements: dict | None = None,
) -> ReportAccepted:
    """An accepted event for a pair; by default round 1 found B unresolved (and the report short),
    round 2 passed with the length warning left."""
    remaining = [SHORT] if remaining is None else remaining
    if rounds is None:
        rounds = [
            RoundRecord(
                report_version=1,
                chars=len(original),
                errors=1,
                warnings=1,
                findings=[UNRESOLVED, SHORT],
                verdict="revise",
                text=original,
            ),
            RoundRecord(
                report_version=2, chars=len(final), errors=0, warnings=1, findings=remaining, verdict="pass", text=final
            ),
        ]
    return ReportAccepted(
        task_id="t1",
        round=len(rounds),
        context=TaskContext(query="写一份调研报告", evidence=ObjectRef(key="t1/evidence.json", digest="d", size=0)),
        report_version=rounds[-1].report_version if rounds else 1,
        text=final,
        original_text=original,
        stop_reason="passed: no error-level finding",
        findings=remaining,
        rounds=rounds,
        requirements=requirements or {"language": "zh"},
    )
