"""The ORIGINAL-vs-FINAL comparison file in the reference system's exact byte format.

Lengths are Python ``len()`` of the stripped report text (Unicode code points).
"""

from __future__ import annotations

from datetime import datetime

HEAVY = "=" * 80
LIGHT = "-" * 80
NO_ORIGINAL = "No original report generated."
NO_FINAL = "No final report generated."
IDENTICAL = "✅ Reports are IDENTICAL (no changes made during validation)"
DIFFERENT = "⚠️ Reports are DIFFERENT (changes were made during validation)"


def render_comparison(task_id: str, query: str, original: str, final: str, generated_at: datetime) -> str:
    """The comparison file's text; every line ends with a newline."""
    original, final = original.strip(), final.strip()
    lines = [HEAVY, "REPORT COMPARISON: ORIGINAL vs FINAL (After Validation)", HEAVY, ""]
    lines += [f"Task: {task_id}", f"Generated at: {generated_at:%Y-%m-%d %H:%M:%S}", ""]
    if query:
        lines += [LIGHT, "QUERY", LIGHT, query, ""]
    lines += [HEAVY, "ORIGINAL REPORT (Before Validation)", HEAVY, "", original or NO_ORIGINAL, ""]
    lines += [HEAVY, "FINAL REPORT (After Validation)", HEAVY, "", final or NO_FINAL, ""]
    lines += [HEAVY, "COMPARISON SUMMARY", HEAVY, ""]
    lines += [
        f"Original report length: {len(original)} characters",
        f"Final report length: {len(final)} characters",
        f"Length difference: {len(final) - len(original)} characters",
        "",
        IDENTICAL if original == final else DIFFERENT,
    ]
    return "\n".join(lines) + "\n"


def split_comparison(text: str) -> dict[str, str]:
    """Read a comparison file back: task, query, original and final report texts."""
    def between(start: str, end: str) -> str:
        head = f"{HEAVY}\n{start}\n{HEAVY}\n\n" if start != "QUERY" else f"{LIGHT}\nQUERY\n{LIGHT}\n"
        body = text.split(head, 1)[1]
        return body.split(f"\n\n{HEAVY}\n{end}\n", 1)[0] if start != "QUERY" else body.split("\n\n" + HEAVY, 1)[0]

    task = text.split("Task: ", 1)[1].split("\n", 1)[0]
    query = between("QUERY", "") if f"{LIGHT}\nQUERY\n" in text else ""
    original = between("ORIGINAL REPORT (Before Validation)", "FINAL REPORT (After Validation)")
    final = between("FINAL REPORT (After Validation)", "COMPARISON SUMMARY")
    return {
        "task": task,
        "query": query,
        "original": "" if original == NO_ORIGINAL else original,
        "final": "" if final == NO_FINAL else final,
    }
