"""``redline ingest PATH...``: what redline reads from files, one JSON line per unit.

Each line holds ``source``, ``kind``, ``address``, ``text`` and ``method``. A file is named by its
base name, a folder's files by their path inside the folder (as in a task). Files that fail and
files that are skipped are reported on standard error; the exit status is 1 when any file failed
or nothing could be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from redline.folder import collect_files
from services.ingest.errors import SourceError
from services.ingest.sources import ingest_files
from shared.units import Unit


def clock(seconds: float) -> str:
    """``seconds`` as ``H:MM:SS.mmm`` (hours only when there are any)."""
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    return (f"{hours}:" if hours else "") + f"{minutes:02d}:{rest:06.3f}"


def address(unit: Unit) -> str:
    """Where the unit is in its source: 'page 3', 'chunk 2 "Title"', 'sheet 1 "Sales"',
    'frame 4 00:12.000-00:15.500'."""
    place = unit.address + (f' "{unit.title}"' if unit.title else "")
    if unit.start is not None:
        place += f" {clock(unit.start)}-" + (clock(unit.end) if unit.end is not None else "end")
    return place


def unit_line(unit: Unit) -> str:
    """One unit as a JSON line."""
    fields = {"source": unit.source, "kind": unit.kind, "address": address(unit), "text": unit.text, "method": unit.method}
    return json.dumps(fields, ensure_ascii=False)


def gather(paths: list[Path]) -> dict[str, bytes]:
    """The files named by ``paths``: a file by its base name, a folder's files by their relative
    names. Raises ``SourceError`` for a path that does not exist."""
    files: dict[str, bytes] = {}
    for path in paths:
        if path.is_dir():
            files.update(collect_files(path))
        elif path.is_file():
            files[path.name] = path.read_bytes()
        else:
            raise SourceError(f"{path} does not exist")
    return files


async def cmd_ingest(args: argparse.Namespace) -> int:
    """Print every unit of ``args.paths``; report failed and skipped files on standard error."""
    try:
        pack = ingest_files(gather(args.paths), "ingest")
    except SourceError as exc:
        print(f"redline: {exc}", file=sys.stderr)
        return 1
    for unit in pack.units:
        print(unit_line(unit))
    failed = [meta.error for meta in pack.sources if meta.error]
    for message in failed:
        print(f"redline: failed: {message}", file=sys.stderr)
    for message in pack.skipped:
        print(f"redline: skipped: {message}", file=sys.stderr)
    return 1 if failed else 0


def add_ingest_command(subparsers: argparse._SubParsersAction) -> None:
    """The ``ingest`` command on the ``redline`` parser."""
    parser = subparsers.add_parser("ingest", help="print the units redline reads from files or folders (JSON lines)")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="a file or a folder")
    parser.set_defaults(handler=cmd_ingest)
