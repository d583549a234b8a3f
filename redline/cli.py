"""The ``redline`` command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from redline import exits
from redline.batch import add_batch_options, cmd_batch
from redline.check import add_check_command
from redline.client import submit, task_id_for
from redline.diff import add_diff_command
from redline.export import export_docx, open_report, task_folder
from redline.ingest_cmd import add_ingest_command
from redline.inputs import UsageError, read_folder, read_request
from redline.parser import Parser, add_common_options, version
from redline.progress import Display
from services.ingest.errors import SourceError
from shared.bus import Bus
from shared.consumer import StaleDurable
from shared.embedded import EmbeddedNatsError
from shared.logging import configure_logging
from shared.redact import redact
from shared.references import reference_list
from shared.settings import NatsSettings
from shared.units import SourceMeta

MODEL_VARIABLES = {"model": "REDLINE_DRAFT_MODEL", "base_url": "REDLINE_DRAFT_BASE_URL"}


def fail(message: str, code: int = exits.ERRORS) -> int:
    """Print ``message`` (secrets redacted) on stderr; returns ``code``."""
    print(f"redline: {redact(message)}", file=sys.stderr)
    return code


def use_model_options(args: argparse.Namespace) -> None:
    """``--model`` and ``--base-url`` set the draft service's variables for this process."""
    for option, variable in MODEL_VARIABLES.items():
        if getattr(args, option, None):
            os.environ[variable] = getattr(args, option)


async def deployed_bus() -> Bus:
    settings = NatsSettings()
    if not settings.url:
        raise SystemExit("redline: set NATS_URL to the deployment's NATS server")
    return await Bus.connect(settings, source="/cli")


async def cmd_run(args: argparse.Namespace) -> int:
    from redline.run import run_folder

    if args.batch:
        return await cmd_batch(args)
    if args.folder is None:
        raise UsageError("run needs a task FOLDER (or --batch query.jsonl --data-dir DATA_DIR)")
    read_folder(args.folder)
    query, multimodal = read_request(args.folder, args.query, args.query_file)
    use_model_options(args)
    out = args.out or Path("out") / args.folder.resolve().name
    display = Display(sys.stderr)
    display.line(f"redline: running {args.folder} (max {args.max_rounds} revision rounds)")
    try:
        result = await run_folder(
            args.folder,
            query,
            out,
            multimodal=multimodal,
            max_rounds=args.max_rounds,
            echo=display.event,
            timeout=args.timeout,
            alive=display.alive,
        )
    finally:
        display.close()
    for path in result.files:
        print(path, flush=True)
    return fail(result.last_line(), result.exit_code())


async def cmd_submit(args: argparse.Namespace) -> int:
    files = read_folder(args.folder)
    query, multimodal = read_request(args.folder, args.query, args.query_file)
    bus = await deployed_bus()
    try:
        task_id = task_id_for(args.folder)
        await submit(bus, task_id, files, query, multimodal, args.max_rounds, title=args.folder.resolve().name)
    finally:
        await bus.close()
    print(task_id)
    return 0


async def cmd_bootstrap(args: argparse.Namespace) -> int:
    from redline.bootstrap import bootstrap

    settings = NatsSettings()
    if not settings.url:
        raise SystemExit("redline: set NATS_URL (and the admin user's credentials) to bootstrap a deployment")
    for line in await bootstrap(settings):
        print(line)
    return 0


async def cmd_status(args: argparse.Namespace) -> int:
    bus = await deployed_bus()
    try:
        status = await bus.status.get(args.task)
    finally:
        await bus.close()
    if status is None:
        return fail(f"no status for task {args.task!r}: unknown, or submitted and not yet taken by ingest")
    print(f"{status.task_id}  {status.stage}  round {status.round}  {status.detail}".rstrip())
    return 1 if status.stage == "failed" else 0


async def cmd_watch(args: argparse.Namespace) -> int:
    bus = await deployed_bus()
    last = None
    try:
        async for status in bus.status.follow(args.task, timeout=args.timeout):
            print(f"{status.updated:%H:%M:%S}  {status.stage:<10} round {status.round}  {status.detail}".rstrip())
            last = status
    except TimeoutError:
        stage = last.stage if last else "the task"
        return fail(f"no change of task {args.task} for {args.timeout:g} s (last: {stage})", exits.TIMED_OUT)
    finally:
        await bus.close()
    return exits.FAILED if last is None or last.stage == "failed" else exits.CLEAN


async def cmd_fetch(args: argparse.Namespace) -> int:
    bus = await deployed_bus()
    try:
        keys = await bus.store.keys(f"{args.task}/out/")
        args.out.mkdir(parents=True, exist_ok=True)
        for key in keys:
            path = args.out / key.rsplit("/", 1)[-1]
            path.write_bytes(await bus.store.get(key))
            print(path)
    finally:
        await bus.close()
    return 0 if keys else fail(f"task {args.task!r} has no artifacts (not completed yet?)")


async def cmd_export(args: argparse.Namespace) -> int:
    folder = task_folder(args.task)
    final = (folder / "final.md").read_text(encoding="utf-8")
    findings = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    sources = [SourceMeta.model_validate(s) for s in findings.get("sources", [])]
    references = reference_list(final, sources) if args.references else None
    language = findings.get("requirements", {}).get("language", "zh")
    print(export_docx(final, args.out or folder / "final.docx", references, language))
    return 0


async def cmd_open(args: argparse.Namespace) -> int:
    return 0 if open_report(task_folder(args.task) / "report.html") else fail("no browser could be started")


def trace_file(target: str) -> Path:
    """A trace.json given as a file, an output folder, or a task id found under ./out/."""
    path = Path(target)
    if path.is_file():
        return path
    if (path / "trace.json").is_file():
        return path / "trace.json"
    for candidate in sorted(Path("out").glob("*/trace.json")):
        if target in candidate.read_text(encoding="utf-8"):
            return candidate
    raise FileNotFoundError(f"no trace for {target!r}: give a trace.json, an output folder or a task id under out/")


async def cmd_trace(args: argparse.Namespace) -> int:
    from redline.waterfall import render_waterfall, select_task
    from shared.tracefile import read_spans

    path = trace_file(args.target)
    rows = read_spans(path)
    if args.task:
        rows = select_task(rows, args.task)
    if not rows:
        return fail(f"{path} holds no spans" + (f" of task {args.task!r}" if args.task else ""))
    print(render_waterfall(rows, width=args.width))
    return 0


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """``--model`` and ``--base-url``, beside the environment variables they set."""
    parser.add_argument("--model", help="drafting model name (sets REDLINE_DRAFT_MODEL; default OPENAI_MODEL)")
    parser.add_argument(
        "--base-url", help="OpenAI-compatible endpoint (sets REDLINE_DRAFT_BASE_URL; default OPENAI_BASE_URL)"
    )


def add_request_options(parser: argparse.ArgumentParser, folder_required: bool = True) -> None:
    parser.add_argument("folder", type=Path, nargs=None if folder_required else "?", help="task folder with the source files")
    request = parser.add_mutually_exclusive_group()
    request.add_argument("--query", help="the writing request as text")
    request.add_argument("--query-file", type=Path, help="a query.jsonl whose 'task' matches the folder name")
    parser.add_argument("--max-rounds", type=int, default=3, help="revision rounds at most (default 3)")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="redline", description="Grounded report writing with checked citations.")
    parser.add_argument("--version", action="version", version=f"redline {version()}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    parser.commands = commands

    run = commands.add_parser(
        "run",
        help="run a task folder end to end in this process",
        epilog="exit status: 0 no error remains, 1 errors remain in the accepted report, "
        "2 bad usage or input, 3 the task failed, 4 no sign of life within --timeout",
    )
    add_request_options(run, folder_required=False)
    add_batch_options(run)
    add_model_options(run)
    run.add_argument("--out", type=Path, help="output folder (default out/FOLDER-NAME)")
    run.add_argument(
        "--timeout", type=float, default=300.0, help="seconds without any sign of life from the services (default 300)"
    )
    run.set_defaults(handler=cmd_run)

    sub = commands.add_parser("submit", help="upload a task folder to a running deployment; prints the task id")
    add_request_options(sub)
    sub.set_defaults(handler=cmd_submit)

    boot = commands.add_parser(
        "bootstrap", help="create or update the stream, buckets and durables (as the NATS admin user)"
    )
    boot.set_defaults(handler=cmd_bootstrap)

    status = commands.add_parser("status", help="a task's current stage")
    status.add_argument("task")
    status.set_defaults(handler=cmd_status)

    watch = commands.add_parser("watch", help="follow a task's stages until it ends")
    watch.add_argument("task")
    watch.add_argument("--timeout", type=float, default=300.0)
    watch.set_defaults(handler=cmd_watch)

    fetch = commands.add_parser("fetch", help="download a completed task's artifacts")
    fetch.add_argument("task")
    fetch.add_argument("--out", type=Path, required=True)
    fetch.set_defaults(handler=cmd_fetch)

    add_check_command(commands)
    add_diff_command(commands)
    add_ingest_command(commands)

    export = commands.add_parser("export", help="write a finished task's final report in another form")
    export.add_argument("task", help="task id (found under ./out/) or an output folder")
    export.add_argument("--docx", action="store_true", required=True, help="as a Word document")
    export.add_argument("--out", type=Path, help="file to write (default FOLDER/final.docx)")
    export.add_argument("--references", action="store_true", help="end with a reference list (参考文献) of the cited sources")
    export.set_defaults(handler=cmd_export)

    open_ = commands.add_parser("open", help="open a finished task's report.html in the browser")
    open_.add_argument("task", help="task id (found under ./out/) or an output folder")
    open_.set_defaults(handler=cmd_open)

    trace = commands.add_parser("trace", help="a task's spans as a waterfall (service, round, duration, tokens)")
    trace.add_argument("target", help="trace.json, an output folder, an OTLP JSON file, or a task id under out/")
    trace.add_argument("--task", help="only the traces of this task id")
    trace.add_argument("--width", type=int, default=110)
    trace.set_defaults(handler=cmd_trace)
    for command in commands.choices.values():
        add_common_options(command)
    return parser


def configure_output(args: argparse.Namespace) -> None:
    """Structured logs, and the standard ``logging`` of the libraries used: to ``--log-file``, else to
    stderr with ``--verbose``, else nowhere."""
    log_file = getattr(args, "log_file", None)
    if log_file:
        configure_logging("INFO", open(log_file, "a", encoding="utf-8"))  # noqa: SIM115 -- logs until exit
        logging.basicConfig(filename=log_file, level=logging.INFO)
    elif getattr(args, "verbose", False):
        configure_logging("INFO")
        logging.basicConfig(level=logging.INFO)
    else:
        configure_logging("CRITICAL", open(os.devnull, "w"))  # noqa: SIM115 -- discards logs until exit
        logging.getLogger().addHandler(logging.NullHandler())


def interrupt_on_terminate() -> None:
    """SIGTERM stops a command the way Ctrl-C does: the running task is cancelled, so the embedded
    nats-server and model are stopped and their files removed before the process exits."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: signal.raise_signal(signal.SIGINT))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_output(args)
    interrupt_on_terminate()
    try:
        return asyncio.run(args.handler(args))
    except KeyboardInterrupt:
        return fail("interrupted; the servers it started are stopped", exits.INTERRUPTED)
    except UsageError as exc:
        return fail(str(exc), exits.USAGE)
    except EmbeddedNatsError as exc:
        return fail(str(exc))
    except (SourceError, FileNotFoundError, LookupError, ValueError, StaleDurable) as exc:
        return fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
