"""``redline run --batch query.jsonl --data-dir DATA_DIR``: every line of a ``query.jsonl`` run
against its folder ``DATA_DIR/<task>/``, one after the other, outputs in ``OUT/<task>/``.

A line that cannot run (no folder, no query, an unsafe task name, a failure inside the run) is
recorded and the batch goes on. ``OUT/batch.jsonl`` lists every line's outcome.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from redline import exits
from redline.folder import query_lines, request_of, task_name
from redline.inputs import UsageError
from redline.run import RunResult, run_folder
from services.ingest.errors import SourceError

Runner = Callable[..., Awaitable[RunResult]]


@dataclass
class BatchOutcome:
    """How one line of the batch ended: its task, the run's task id and outputs, and the failure."""

    task: str
    line: int
    task_id: str = ""
    out: str = ""
    failure: str = ""
    errors: int = 0


def task_folder(data_dir: Path, task: str) -> Path:
    """``DATA_DIR/<task>``. Raises ``SourceError`` for an empty or unsafe task name, or no such folder."""
    if task in ("", ".", "..") or "/" in task or "\\" in task:
        raise SourceError(f"task name {task!r} is not a plain folder name")
    folder = data_dir / task
    if not folder.is_dir():
        raise SourceError(f"no folder {folder} for task '{task}'")
    return folder


async def run_line(
    number: int, entry: dict, query_file: Path, data_dir: Path, out: Path, runner: Runner, **options
) -> BatchOutcome:
    """One line of the batch run with ``runner`` (``run_folder``); failures become the outcome."""
    task = task_name(entry)
    outcome = BatchOutcome(task=task, line=number)
    try:
        folder = task_folder(data_dir, task)
        query, multimodal = request_of(entry, f"{query_file.name} line {number}")
        result = await runner(folder, query, out / task, multimodal=multimodal, **options)
    except (SourceError, UsageError) as exc:
        outcome.failure = str(exc)
        return outcome
    except Exception as exc:  # one task's crash must not end the batch; it is reported instead
        outcome.failure = f"{type(exc).__name__}: {exc}"
        return outcome
    outcome.task_id, outcome.out, outcome.errors = result.task_id, str(result.out), result.errors
    outcome.failure = result.last_line() if result.exit_code() in (exits.FAILED, exits.TIMED_OUT) else ""
    return outcome


async def run_batch(
    query_file: Path,
    data_dir: Path,
    out: Path,
    max_rounds: int = 3,
    echo: Callable[[str], None] = print,
    timeout: float = 300.0,
    runner: Runner = run_folder,
) -> list[BatchOutcome]:
    """Run every line of ``query_file`` against ``data_dir/<task>/`` in file order, writing each
    task's outputs to ``out/<task>/`` and the outcomes to ``out/batch.jsonl``. Raises
    ``SourceError`` when the query file is missing or holds a line that is not JSON."""
    if not query_file.is_file():
        raise SourceError(f"{query_file} does not exist")
    outcomes: list[BatchOutcome] = []
    for number, entry in query_lines(query_file):
        echo(f"task {task_name(entry) or '?'} (line {number})")
        outcome = await run_line(
            number, entry, query_file, data_dir, out, runner, max_rounds=max_rounds, echo=echo, timeout=timeout
        )
        echo(f"task {outcome.task}: " + (f"failed: {outcome.failure}" if outcome.failure else f"done in {outcome.out}"))
        outcomes.append(outcome)
    out.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps(asdict(outcome), ensure_ascii=False) + "\n" for outcome in outcomes)
    (out / "batch.jsonl").write_text("".join(lines), encoding="utf-8")
    return outcomes


def add_batch_options(run: argparse.ArgumentParser) -> None:
    """``--batch`` and ``--data-dir`` on the ``run`` command."""
    run.add_argument("--batch", type=Path, help="a query.jsonl: run every line against DATA_DIR/<task>/")
    run.add_argument("--data-dir", type=Path, help="the folder holding one sub-folder per task (with --batch)")


async def cmd_batch(args: argparse.Namespace) -> int:
    """``redline run --batch``: 0 when every line finished without errors, 1 when some finished with
    errors, 3 when some could not run or failed."""
    if args.data_dir is None:
        print("redline: --batch needs --data-dir", file=sys.stderr)
        return exits.USAGE
    out = args.out or Path("out")
    try:
        outcomes = await run_batch(
            args.batch,
            args.data_dir,
            out,
            max_rounds=args.max_rounds,
            echo=lambda line: print(f"redline: {line}", file=sys.stderr),
            timeout=args.timeout,
        )
    except SourceError as exc:
        print(f"redline: {exc}", file=sys.stderr)
        return exits.USAGE
    print(out / "batch.jsonl")
    if any(outcome.failure for outcome in outcomes):
        return exits.FAILED
    return exits.ERRORS if any(outcome.errors for outcome in outcomes) else exits.CLEAN
