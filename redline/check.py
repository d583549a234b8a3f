"""``redline check REPORT.md --sources FOLDER``: validate a report written elsewhere against a folder
of sources, print the findings, and exit 0 only when no error-level finding remains. With
``REDLINE_JUDGE_MODEL`` set, the model judge reviews the doubted citations, as in the validate service."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from redline.folder import QUERY_FILE, collect_files, find_query
from services.ingest.errors import SourceError
from services.ingest.sources import ingest_files
from services.validate.checks import run_checks, summarise
from services.validate.display import describe_requirements
from services.validate.judge import Judge
from shared.findings import Finding, count_errors
from shared.requirements import Requirements, parse_request


def add_check_command(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``check`` command to the CLI's subparsers."""
    check = subparsers.add_parser("check", help="validate a report written elsewhere against a folder of sources")
    check.add_argument("report", type=Path, help="the report (Markdown or text)")
    check.add_argument("--sources", type=Path, required=True, help="folder with the source files")
    request = check.add_mutually_exclusive_group()
    request.add_argument("--query", help="the writing request as text")
    request.add_argument("--query-file", type=Path, help="a query.jsonl whose 'task' matches the folder name")
    check.add_argument("--json", action="store_true", help="print requirements, summary and findings as JSON")
    check.set_defaults(handler=cmd_check)


def read_query(args: argparse.Namespace) -> str:
    """--query; else the query.jsonl line for the sources folder (--query-file, or one beside the
    folder); else '' (only the request-independent checks apply)."""
    if args.query:
        return args.query
    if args.query_file or (args.sources / QUERY_FILE).is_file() or (args.sources.parent / QUERY_FILE).is_file():
        return find_query(args.sources, args.query_file)[0]
    return ""


def check_report(report: Path, sources: Path, query: str, judge: Judge | None = None) -> tuple[dict, list[Finding]]:
    """The parsed requirements (readable) and every finding for ``report`` against the files under
    ``sources`` (the report itself is not a source when it lies inside the folder), reviewed by
    ``judge`` when there is one. Without a request nothing is required, not even a language."""
    files = collect_files(sources)
    report_path, folder = report.resolve(), sources.resolve()
    if report_path.is_relative_to(folder):
        files.pop(report_path.relative_to(folder).as_posix(), None)
    pack = ingest_files(files, sources.resolve().name)
    requirements = parse_request(query) if query else Requirements(language="")
    findings = run_checks(report.read_text(encoding="utf-8"), requirements, pack, query)
    if judge is not None:
        findings = asyncio.run(judge.review(findings, pack))
    return describe_requirements(requirements), findings


def render(requirements: dict, findings: list[Finding]) -> str:
    """Findings as readable text: the requirements checked, then one block per finding, then a count."""
    lines = ["Requirements checked:"] + [f"  {name}: {value}" for name, value in requirements.items()] + [""]
    for finding in findings:
        number = f"sentence {finding.sentence_index}: " if finding.sentence_index is not None else ""
        where = " / ".join(part for part in (finding.section, number + finding.sentence[:80]) if part.strip())
        lines.append(f"{finding.severity.upper():7} {finding.check}: {finding.message}")
        lines += [f"        at: {where}"] if where else []
        lines += [f"        fix: {finding.fix}"] if finding.fix else []
    errors = count_errors(findings)
    lines.append(f"{errors} errors, {len(findings) - errors} warnings")
    return "\n".join(lines)


async def cmd_check(args: argparse.Namespace) -> int:
    """Run the checks and print them; 0 when no error-level finding remains, else 1 (also when the
    sources or the request cannot be read, with the reason on stderr)."""
    try:
        requirements, findings = await asyncio.to_thread(
            check_report, args.report, args.sources, read_query(args), Judge.configured()
        )
    except SourceError as exc:
        print(f"redline: {exc}", file=sys.stderr)
        return 1
    if args.json:
        payload = {
            "requirements": requirements,
            "summary": summarise(findings),
            "findings": [f.model_dump() for f in findings],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(render(requirements, findings))
    return 1 if count_errors(findings) else 0
