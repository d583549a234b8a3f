"""``redline diff OUT``: the redline of a finished task in the terminal — every sentence the loop
changed, with the changes marked and the findings that gave the reasons.

Deleted text is ``[-…-]`` and inserted text ``{+…+}`` (red and green on a terminal).
"""

from __future__ import annotations

import argparse
from difflib import SequenceMatcher

from rich.console import Console
from rich.text import Text

from redline.export import task_folder
from services.compare.summary import Comparison, SentenceRow, describe_counts, describe_errors

MARKS = {"removed": "-", "added": "+", "edited": "~", "kept": "="}


def marked(before: str, after: str) -> Text:
    """``after`` with what changed from ``before`` marked: deletions ``[-…-]``, insertions ``{+…+}``."""
    text = Text()
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            text.append(before[i1:i2])
            continue
        if i2 > i1:
            text.append(f"[-{before[i1:i2]}-]", style="red strike")
        if j2 > j1:
            text.append(f"{{+{after[j1:j2]}+}}", style="green")
    return text


def row_text(row: SentenceRow) -> Text:
    """One changed sentence: its mark, its text with the changes, and the reasons under it."""
    status = "re-cited" if row.status == "kept" else row.status
    line = Text(f"{MARKS[row.status]} {status:<8} ", style="bold")
    before = row.original.text if row.original else ""
    after = row.final.text if row.final else ""
    if row.status == "removed":
        line.append(before, style="red strike")
    elif row.status == "added":
        line.append(after, style="green")
    else:
        line.append_text(marked(before, after))
    for finding in row.findings_before:
        line.append(f"\n    because {finding.check}: {finding.message}", style="yellow")
    return line


def redline_text(comparison: Comparison) -> list[Text]:
    """The redline: a head line with the numbers, then every changed sentence."""
    numbers = comparison.numbers.model_dump()
    head = Text(
        f"v1 → v{comparison.accepted_version}: {describe_counts(numbers)}; {describe_errors(numbers)}",
        style="bold",
    )
    changed = [r for r in comparison.sentences if r.status != "kept" or r.recited]
    resolved_whole = [f for f in comparison.unplaced_before if f.severity == "error"]
    lines = [head, *(row_text(r) for r in changed)]
    lines += [Text(f"  report-wide: {f.check}: {f.message}", style="yellow") for f in resolved_whole]
    if not changed:
        lines.append(Text("no sentence changed: the first draft was accepted"))
    return lines


async def cmd_diff(args: argparse.Namespace) -> int:
    """Print the redline of a finished task."""
    folder = task_folder(args.task)
    comparison = Comparison.model_validate_json((folder / "comparison.json").read_text(encoding="utf-8"))
    console = Console(highlight=False, soft_wrap=True)
    for line in redline_text(comparison):
        console.print(line)
    return 0


def add_diff_command(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``diff`` command."""
    diff = subparsers.add_parser("diff", help="the sentences a finished task's loop changed, and why")
    diff.add_argument("task", help="task id (found under ./out/) or an output folder")
    diff.set_defaults(handler=cmd_diff)
