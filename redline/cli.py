"""The ``redline`` command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from redline.batch import add_batch_options, cmd_batch
from redline.check import add_check_command
from redline.client import submit, task_id_for
from redline.export import export_docx, open_report, task_folder
from redline.ingest_cmd import add_ingest_command
from services.ingest.errors import SourceError
from services.ingest.folder import collect_files, find_query
from shared.bus import Bus
from shared.embedded import EmbeddedNatsError
from shared.logging import configure_logging
from shared.settings import NatsSettings


def fail(message: str) -> int:
    print(f"redline: {message}", file=sys.stderr)
    return 1


def read_request(args: argparse.Namespace) -> tuple[str, list[dict]]:
    """The request text and media descriptions: --query, else a query.jsonl line for the folder."""
    if args.query:
        return args.query, []
    return find_query(args.folder, args.query_file)


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
        return fail("run needs a task FOLDER (or --batch query.jsonl --data-dir DATA_DIR)")
    query, multimodal = read_request(args)
    out = args.out or Path("out") / args.folder.resolve().name
    print(f"redline: running {args.folder} (max {args.max_rounds} revision rounds)", file=sys.stderr)
    result = await run_folder(
        args.folder,
        query,
        out,
        multimodal=multimodal,
        max_rounds=args.max_rounds,
        echo=lambda line: print(f"  {line}", file=sys.stderr),
        timeout=args.timeout,
    )
    if result.failure:
        return fail(f"task {result.task_id} failed at {result.failure}")
    print(f"redline: task {result.task_id} done; outputs in {out}/", file=sys.stderr)
    for path in result.files:
        print(path)
    return 0


async def cmd_submit(args: argparse.Namespace) -> int:
    query, multimodal = read_request(args)
    bus = await deployed_bus()
    try:
        task_id = task_id_for(args.folder)
        await submit(
            bus, task_id, collect_files(args.folder), query, multimodal, args.max_rounds, title=args.folder.resolve().name
        )
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
    finally:
        await bus.close()
    return 1 if last is None or last.stage == "failed" else 0


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
    print(export_docx((folder / "final.md").read_text(encoding="utf-8"), args.out or folder / "final.docx"))
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


def add_request_options(parser: argparse.ArgumentParser, folder_required: bool = True) -> None:
    parser.add_argument("folder", type=Path, nargs=None if folder_required else "?", help="task folder with the source files")
    request = parser.add_mutually_exclusive_group()
    request.add_argument("--query", help="the writing request as text")
    request.add_argument("--query-file", type=Path, help="a query.jsonl whose 'task' matches the folder name")
    parser.add_argument("--max-rounds", type=int, default=3, help="revision rounds at most (default 3)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="redline", description="Grounded report writing with checked citations.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run a task folder end to end in this process")
    add_request_options(run, folder_required=False)
    add_batch_options(run)
    run.add_argument("--out", type=Path, help="output folder (default out/FOLDER-NAME)")
    run.add_argument("--timeout", type=float, default=300.0, help="seconds without progress before giving up")
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
    add_ingest_command(commands)

    export = commands.add_parser("export", help="write a finished task's final report in another form")
    export.add_argument("task", help="task id (found under ./out/) or an output folder")
    export.add_argument("--docx", action="store_true", required=True, help="as a Word document")
    export.add_argument("--out", type=Path, help="file to write (default FOLDER/final.docx)")
    export.set_defaults(handler=cmd_export)

    open_ = commands.add_parser("open", help="open a finished task's report.html in the browser")
    open_.add_argument("task", help="task id (found under ./out/) or an output folder")
    open_.set_defaults(handler=cmd_open)

    trace = commands.add_parser("trace", help="a task's spans as a waterfall (service, round, duration, tokens)")
    trace.add_argument("target", help="trace.json, an output folder, an OTLP JSON file, or a task id under out/")
    trace.add_argument("--task", help="only the traces of this task id")
    trace.add_argument("--width", type=int, default=110)
    trace.set_defaults(handler=cmd_trace)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging("WARNING")
    try:
        return asyncio.run(args.handler(args))
    except EmbeddedNatsError as exc:
        return fail(str(exc))
    except (SourceError, FileNotFoundError, LookupError, ValueError) as exc:
        return fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
