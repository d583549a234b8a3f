"""``comparison.md``: the comparison document as Markdown — numbers, rounds and changed sentences."""

from __future__ import annotations

from services.compare.rounds import grouped
from services.compare.summary import Comparison, SentenceRow, describe_counts, describe_errors
from shared.findings import Finding


def percent(value: float | None) -> str:
    """``0.8125`` → ``81.3%``; ``—`` for None."""
    return "—" if value is None else f"{value:.1%}"


def describe_finding(finding: Finding) -> str:
    """One line for a finding: severity, check, message."""
    return f"[{finding.severity}] `{finding.check}` {finding.message}"


def summary_table(comparison: Comparison) -> list[str]:
    before, after = comparison.numbers.before, comparison.numbers.after
    rows = [
        ("Characters", before.characters, after.characters),
        ("字数", before.zi, after.zi),
        ("Sentences", before.sentences, after.sentences),
        ("Cited sentences", before.cited, after.cited),
        (
            "Supported",
            f"{before.supported} ({percent(before.supported_share)})",
            f"{after.supported} ({percent(after.supported_share)})",
        ),
    ]
    return ["| | Original | Final |", "|---|---:|---:|", *(f"| {a} | {b} | {c} |" for a, b, c in rows)]


def round_lines(comparison: Comparison) -> list[str]:
    lines = []
    for number, change in enumerate(comparison.rounds, 1):
        title = f"### Round {number}: version {change.report_version}, {change.verdict}"
        lines += [
            title,
            "",
            f"{change.errors} errors, {change.warnings} warnings." + (f" {change.note}." if change.note else ""),
            "",
        ]
        for label, findings in (("Raised", change.raised), ("Resolved", change.resolved)):
            lines.append(f"{label} ({len(findings)})" + (":" if findings else "."))
            lines += [f"- {describe_finding(f)}" + (f" (×{n})" if n > 1 else "") for f, n in grouped(findings)]
            lines.append("")
    return lines or ["No validation round was recorded.", ""]


def sentence_lines(row: SentenceRow) -> list[str]:
    """A changed sentence: its text before and after, its citations and the findings naming it."""
    lines = []
    if row.original:
        lines.append(f"- Before: {row.original.text}")
    if row.final:
        lines.append(f"{'  ' if row.original else '- '}After: {row.final.text}")
    if row.recited and row.original and row.final:
        lines.append(
            f"  Citations: {' '.join(row.original.citations) or '(none)'} → {' '.join(row.final.citations) or '(none)'}"
        )
    lines += [f"  Finding before: {describe_finding(f)}" for f in row.findings_before]
    lines += [f"  Finding after: {describe_finding(f)}" for f in row.findings_after]
    return lines


def changed_groups(comparison: Comparison) -> list[tuple[str, list[SentenceRow]]]:
    """The rows that changed, by kind: edited, added, removed, and kept but re-cited."""
    rows = comparison.sentences
    return [
        ("Edited", [r for r in rows if r.status == "edited"]),
        ("Added", [r for r in rows if r.status == "added"]),
        ("Removed", [r for r in rows if r.status == "removed"]),
        ("Re-cited", [r for r in rows if r.status == "kept" and r.recited]),
    ]


def render_comparison_md(comparison: Comparison) -> str:
    """The Markdown text of ``comparison.md``; ends with a newline."""
    numbers = comparison.numbers
    lines = [
        f"# Comparison of the original and final report: {comparison.task_id}",
        "",
        f"Accepted version {comparison.accepted_version}. Stop reason: {comparison.stop_reason}",
        "",
        "## Summary",
        "",
        *summary_table(comparison),
        "",
        f"Sentences: {describe_counts(numbers.model_dump())}.",
        "",
        f"Preservation: {percent(numbers.preservation)} ({numbers.preserved} of {numbers.preservable} supported "
        "original sentences).",
        "",
        f"Errors: {numbers.errors_before} in the first draft, {numbers.resolved} resolved, "
        f"{numbers.remaining} remaining in the accepted version ({describe_errors(numbers.model_dump())}).",
        "",
        "### Definitions",
        "",
        *(f"- {name.capitalize()}: {text}" for name, text in comparison.definitions.items()),
        f"- 字数: {comparison.length_convention}",
        "",
        "## Rounds",
        "",
        *round_lines(comparison),
    ]
    for title, rows in changed_groups(comparison):
        if rows:
            lines += (
                [f"## {title} sentences ({len(rows)})", ""] + [line for r in rows for line in sentence_lines(r)] + [""]
            )
    for label, findings in (("original", comparison.unplaced_before), ("final", comparison.unplaced_after)):
        if findings:
            lines += (
                [f"## Findings on the {label} report as a whole", ""]
                + [f"- {describe_finding(f)}" for f in findings]
                + [""]
            )
    return "\n".join(lines).rstrip("\n") + "\n"
