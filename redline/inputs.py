"""A task's input checked before anything starts: its folder, its files and its request.

Every problem is a ``UsageError`` whose message is one line naming the path and what to do.
"""

from __future__ import annotations

from pathlib import Path

from redline.folder import collect_files, find_query
from services.ingest.errors import SourceError
from services.ingest.sources import SUPPORTED, skip_reason

SHOWN = 5


class UsageError(Exception):
    """Input that cannot start a task; the message says which path and what to do."""


def supported_kinds() -> str:
    """The file suffixes ingest reads, for a message."""
    return ", ".join(sorted(SUPPORTED))


def read_folder(folder: Path) -> dict[str, bytes]:
    """The task folder's files by relative name; ``UsageError`` when the folder is missing, is a
    file, cannot be read, holds no file, or holds no file of a kind redline reads."""
    if not folder.exists():
        raise UsageError(f"{folder} does not exist: give the folder that holds the task's source files")
    if not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder: put it in a folder and give that folder")
    try:
        files = collect_files(folder)
    except OSError as exc:
        where = exc.filename or folder
        raise UsageError(f"{where} cannot be read ({exc.strerror or exc}): check its permissions") from exc
    if not files:
        raise UsageError(f"{folder} holds no files: put the sources (PDF, web pages, documents, media) in it")
    if all(skip_reason(name) for name in files):
        names = sorted(files)
        listed = ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
        raise UsageError(f"{folder} holds no file redline reads ({listed}); readable kinds: {supported_kinds()}")
    return files


def read_request(folder: Path, query: str | None, query_file: Path | None) -> tuple[str, list[dict]]:
    """The request text and media descriptions: ``query``, else the ``query.jsonl`` line for the
    folder; ``UsageError`` when the query is empty or the file is missing, unreadable or malformed."""
    if query is not None:
        if not query.strip():
            raise UsageError('--query is empty: give the writing request, e.g. --query "请撰写……"')
        return query, []
    if query_file is not None and query_file.is_dir():
        raise UsageError(f"{query_file} is a folder: give --query-file a query.jsonl file")
    try:
        return find_query(folder, query_file)
    except UnicodeDecodeError as exc:
        raise UsageError(f"{query_file or folder} is not UTF-8 text ({exc.reason}): save it as UTF-8") from exc
    except OSError as exc:
        raise UsageError(f"{exc.filename} cannot be read ({exc.strerror or exc}): check its permissions") from exc
    except SourceError as exc:
        raise UsageError(f'{exc}; give the request with --query "…" or --query-file query.jsonl') from exc
