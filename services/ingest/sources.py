"""Every uploaded file turned into units: dispatch by file kind, collect failures, never stop early."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath, PureWindowsPath

from services.ingest.errors import SourceError
from services.ingest.pdf import read_pdf
from services.ingest.textfiles import read_text
from services.ingest.webpages import is_webpages, read_webpages
from shared.units import EvidencePack, SourceMeta, Unit

Reader = Callable[[str, bytes], tuple[list[Unit], SourceMeta]]

SUPPORTED = frozenset({".pdf", ".txt", ".md", ".json"})
"""File suffixes ingest reads; ``.json`` only as ``long_context*.json`` (retrieved web pages)."""

READERS: dict[str, Reader] = {".pdf": read_pdf, ".txt": read_text, ".md": read_text}


def suffix(name: str) -> str:
    """The lower-case suffix of ``name``, with its dot ('' when there is none)."""
    return PurePosixPath(name).suffix.lower()


def reader_for(name: str) -> Reader | None:
    """The reader for ``name``, or None when ingest does not read that kind of file."""
    if is_webpages(name):
        return read_webpages
    return READERS.get(suffix(name))


def skip_reason(name: str) -> str:
    """Why ``name`` is not read ('' when it is): an unsafe path or a kind of file ingest does not read."""
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or PureWindowsPath(name).drive:
        return "absolute paths are not allowed"
    if ".." in posix.parts:
        return "'..' is not allowed in file names"
    if reader_for(name) is None:
        return f"{suffix(name)} files are not read" if suffix(name) else "files without a suffix are not read"
    return ""


def read_source(name: str, data: bytes) -> tuple[list[Unit], SourceMeta]:
    """The units and metadata of one file, chosen by its name. Raises ``SourceError`` for an unsafe
    name, a kind of file ingest does not read, an empty file and unreadable content."""
    reason = skip_reason(name)
    if reason:
        raise SourceError(f"{name}: {reason}")
    if not data:
        raise SourceError(f"{name} is empty (0 bytes)")
    return reader_for(name)(name, data)


def source_kind(name: str) -> str:
    """The kind a file is reported as when it fails, from its name."""
    return "webpages" if is_webpages(name) else suffix(name).lstrip(".") or "file"


def ingest_files(files: dict[str, bytes], task_id: str) -> EvidencePack:
    """Every file of a task read into one evidence pack, in name order. A file that fails keeps its
    reason in its ``SourceMeta.error``; files of unknown kind and unsafe names are listed in
    ``skipped`` with the reason. Raises ``SourceError`` listing every reason when no unit remains."""
    pack = EvidencePack(task_id=task_id)
    for name in sorted(files):
        reason = skip_reason(name)
        if reason:
            pack.skipped.append(f"{name}: {reason}")
        else:
            try:
                units, meta = read_source(name, files[name])
            except SourceError as exc:
                pack.sources.append(SourceMeta(source=name, kind=source_kind(name), error=str(exc)))
            else:
                pack.units.extend(units)
                pack.sources.append(meta)
    if not pack.units:
        reasons = [meta.error for meta in pack.sources] + pack.skipped
        raise SourceError("No usable source: " + ("; ".join(reasons) if reasons else "no files were given"))
    return pack
