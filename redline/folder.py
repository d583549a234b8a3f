"""A task folder on disk: its files, and its request from a ``query.jsonl`` (reference-system layout)."""

from __future__ import annotations

import json
from pathlib import Path

from services.ingest.errors import SourceError
from services.ingest.paths import is_hidden

QUERY_FILE = "query.jsonl"


def collect_files(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` (recursively) by its relative POSIX name, in name order;
    hidden files and folders (and ``__MACOSX``), symbolic links and the folder's own ``query.jsonl`` are left out."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if is_hidden(relative.as_posix()) or relative == Path(QUERY_FILE):
            continue
        if path.is_file() and not path.is_symlink():
            files[relative.as_posix()] = path.read_bytes()
    return files


def query_files(folder: Path, query_file: Path | None) -> list[Path]:
    """Where the request is looked for: ``query_file`` when given, else ``query.jsonl`` in the
    folder, then in its parent."""
    if query_file is not None:
        if not query_file.is_file():
            raise SourceError(f"{query_file} does not exist")
        return [query_file]
    return [candidate for candidate in (folder / QUERY_FILE, folder.parent / QUERY_FILE) if candidate.is_file()]


def query_lines(place: Path) -> list[tuple[int, dict]]:
    """The JSON objects of a ``query.jsonl`` file with their line numbers; blank lines and lines
    that are not objects are left out. Raises ``SourceError`` for a line that is not JSON."""
    entries: list[tuple[int, dict]] = []
    for number, line in enumerate(place.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{place.name} line {number} is not JSON: {exc}") from exc
        if isinstance(entry, dict):
            entries.append((number, entry))
    return entries


def task_name(entry: dict) -> str:
    """The task a ``query.jsonl`` line is for: its ``task``, else its ``number``, as text."""
    return str(entry.get("task", entry.get("number", "")))


def request_of(entry: dict, where: str) -> tuple[str, list[dict]]:
    """The request text and ``multimodal`` descriptions of a line; ``where`` names the line in the
    ``SourceError`` raised when it has no query."""
    if not str(entry.get("query") or "").strip():
        raise SourceError(f"{where} (task '{task_name(entry)}') has no \"query\"")
    return str(entry["query"]), list(entry.get("multimodal") or [])


def find_query(folder: Path, query_file: Path | None = None) -> tuple[str, list[dict]]:
    """The request for ``folder`` and its ``multimodal`` descriptions: the first ``query.jsonl`` line
    whose ``task`` (or ``number``) equals the folder's name. Raises ``SourceError`` when no line
    matches, the matching line has no query, or a line is not JSON."""
    task = folder.resolve().name
    places = query_files(folder, query_file)
    for place in places:
        for number, entry in query_lines(place):
            if task_name(entry) == task:
                return request_of(entry, f"{place.name} line {number}")
    looked = ", ".join(str(place) for place in places) or f"no {QUERY_FILE} in the folder or its parent"
    raise SourceError(f"no request for task '{task}': no {QUERY_FILE} line has \"task\": \"{task}\" ({looked})")
