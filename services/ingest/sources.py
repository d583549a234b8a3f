"""Every uploaded file turned into units: dispatch by file kind, collect failures, never stop early.

Readers for videos, images and audio live in optional extras; they are imported only when such a
file is read, so a missing extra fails that file alone with the extra to install. They also get
context from the rest of the task: a video or audio file the bytes of the subtitle file beside it
(``STEM.srt``/``.vtt``), the limits and the model endpoints, an image the endpoints and the
descriptions the request gives of it. Limits, endpoints and the unit cache are the caller's: the
service reads them once at start (``services.ingest.handlers.Deps``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from services.ingest.archives import ARCHIVE_SUFFIXES, is_archive, unpack
from services.ingest.cache import UnitCache, cache_key
from services.ingest.data import read_json
from services.ingest.descriptions import attach_descriptions, descriptions_of
from services.ingest.endpoints import OFFLINE, Endpoints
from services.ingest.errors import SourceError
from services.ingest.html import read_html
from services.ingest.limits import (
    DEFAULT_LIMITS,
    IngestLimits,
    check_duration,
    check_file_size,
    check_frames,
    check_pages,
)
from services.ingest.office import read_csv, read_docx, read_pptx, read_xlsx
from services.ingest.paths import unsafe_reason
from services.ingest.pdf import read_pdf
from services.ingest.subtitles import read_subtitle_file, sidecar_for
from services.ingest.textfiles import read_text
from services.ingest.webpages import is_webpages, read_webpages
from shared.units import EvidencePack, SourceMeta, Unit

Reader = Callable[[str, bytes], tuple[list[Unit], SourceMeta]]


@dataclass(frozen=True)
class ExtraReader:
    """A reader in ``services.ingest.<module>`` that needs the ``extra`` of redline installed."""

    module: str
    function: str
    extra: str
    what: str

    def __call__(self, name: str, data: bytes, **context) -> tuple[list[Unit], SourceMeta]:
        """The reader's result for ``data`` and the keyword arguments ``context``; a ``SourceError``
        naming the extra when its packages are missing."""
        try:
            reader = getattr(importlib.import_module(f"services.ingest.{self.module}"), self.function)
            return reader(name, data, **context)
        except ImportError as exc:
            raise SourceError(f"{name}: install redline[{self.extra}] to read {self.what} ({exc})") from exc


VIDEO = ExtraReader("video", "read_video", "video", "videos")
IMAGE = ExtraReader("image", "read_image", "video", "images")
AUDIO = ExtraReader("audio", "read_audio", "asr", "audio")
VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".webm", ".avi")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")
AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a")

READERS: dict[str, Reader] = {
    ".pdf": read_pdf,
    ".txt": read_text,
    ".md": read_text,
    ".markdown": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".docx": read_docx,
    ".pptx": read_pptx,
    ".xlsx": read_xlsx,
    ".csv": read_csv,
    ".tsv": read_csv,
    ".json": read_json,
    ".jsonl": read_json,
    ".srt": read_subtitle_file,
    ".vtt": read_subtitle_file,
    **dict.fromkeys(VIDEO_SUFFIXES, VIDEO),
    **dict.fromkeys(IMAGE_SUFFIXES, IMAGE),
    **dict.fromkeys(AUDIO_SUFFIXES, AUDIO),
}

SUPPORTED = frozenset(READERS) | frozenset(ARCHIVE_SUFFIXES)
"""File suffixes ingest reads; ``long_context*.json`` is read as retrieved web pages, other
``.json`` as data. Archives are unpacked and their files read by these same rules."""

def suffix(name: str) -> str:
    """The lower-case suffix of ``name``, with its dot ('' when there is none)."""
    return PurePosixPath(name).suffix.lower()


def reader_for(name: str) -> Reader | None:
    """The reader for ``name``, or None when ingest does not read that kind of file."""
    if is_webpages(name):
        return read_webpages
    return READERS.get(suffix(name))


def reader_name(name: str) -> str:
    """What ``name`` is read as, for the cache key: 'webpages' or its suffix."""
    return "webpages" if is_webpages(name) else suffix(name)


def skip_reason(name: str) -> str:
    """Why ``name`` is not read ('' when it is): an unsafe path or a kind of file ingest does not read."""
    unsafe = unsafe_reason(name)
    if unsafe:
        return unsafe
    if reader_for(name) is None and not is_archive(name):
        return f"{suffix(name)} files are not read" if suffix(name) else "files without a suffix are not read"
    return ""


def check_limits(name: str, units: list[Unit], meta: SourceMeta, limits: IngestLimits, media: bool) -> None:
    """Raise when what was read is over the page limit, or for a video or audio file (``media``)
    over the frame or length limits."""
    check_pages(name, meta.pages or 0, limits)
    if media:
        check_frames(name, sum(1 for unit in units if unit.kind == "frame"), limits)
        check_duration(name, max((unit.end or unit.start or 0.0 for unit in units), default=0.0), limits)


def read_source(
    name: str, data: bytes, limits: IngestLimits | None = None, cache: UnitCache | None = None, context: dict | None = None
) -> tuple[list[Unit], SourceMeta]:
    """The units and metadata of one file, chosen by its name, taken from ``cache`` when the same
    bytes were read before with the same ``context`` (keyword arguments for a media reader; see
    ``media_context``). Raises ``SourceError`` for an unsafe name, a kind of file ingest does
    not read (archives included: see ``ingest_files``), an empty file, a file over a limit and
    unreadable content."""
    limits = limits or DEFAULT_LIMITS
    reason = skip_reason(name)
    if reason:
        raise SourceError(f"{name}: {reason}")
    reader = reader_for(name)
    if reader is None:
        raise SourceError(f"{name}: archives are unpacked by ingest_files, not read as one file")
    if not data:
        raise SourceError(f"{name} is empty (0 bytes)")
    check_file_size(name, len(data), limits)
    context = context or {}
    key = cache_key(reader_name(name), data, context)
    found = cache.get(key, name) if cache is not None else None
    units, meta = found or reader(name, data, **context)
    check_limits(name, units, meta, limits, media=isinstance(reader, ExtraReader))
    if cache is not None and found is None:
        cache.put(key, units, meta)
    return units, meta


def source_kind(name: str) -> str:
    """The kind a file is reported as when it fails, from its name."""
    if is_webpages(name):
        return "webpages"
    return "archive" if is_archive(name) else suffix(name).lstrip(".") or "file"


def expand_archives(files: dict[str, bytes], pack: EvidencePack, limits: IngestLimits) -> dict[str, bytes]:
    """``files`` with unsafe names moved to ``pack.skipped`` and each archive replaced by its
    members, named ``archive.zip/member``; an archive gets a ``SourceMeta`` (with the error when it
    cannot be unpacked) and its left-out members go to ``pack.skipped``."""
    expanded: dict[str, bytes] = {}
    for name in sorted(files):
        reason = skip_reason(name)
        if reason:
            pack.skipped.append(f"{name}: {reason}")
        elif is_archive(name):
            try:
                check_file_size(name, len(files[name]), limits)
                unpacked = unpack(name, files[name], limits)
            except SourceError as exc:
                pack.sources.append(SourceMeta(source=name, kind="archive", error=str(exc)))
                continue
            method = f"{unpacked.method}, {len(unpacked.members)} files"
            pack.sources.append(SourceMeta(source=name, kind="archive", method=method))
            pack.skipped.extend(unpacked.skipped)
            expanded.update({f"{name}/{member}": data for member, data in unpacked.members.items()})
        else:
            expanded[name] = files[name]
    return expanded


def media_context(
    name: str,
    files: dict[str, bytes],
    limits: IngestLimits,
    multimodal: list[dict[str, Any]],
    language: str = "",
    endpoints: Endpoints = OFFLINE,
) -> dict[str, Any]:
    """Keyword arguments for the reader of ``name``: for a video or audio file the bytes of its
    subtitle file (None when there is none), the limits, the ``endpoints`` and the request's
    ``language``; for a PDF the limits (its pages are counted before any is read); for an image the
    ``endpoints`` and the request's descriptions of it (when there are any); nothing for other files."""
    if suffix(name) == ".pdf":
        return {"limits": limits}
    if suffix(name) in VIDEO_SUFFIXES + AUDIO_SUFFIXES:
        sidecar = sidecar_for(name, files)
        return {
            "subtitles": files[sidecar] if sidecar else None,
            "limits": limits,
            "endpoints": endpoints,
            "language": language,
        }
    if suffix(name) not in IMAGE_SUFFIXES:
        return {}
    provided = descriptions_of(name, multimodal)
    return {"endpoints": endpoints, "provided": provided} if provided else {"endpoints": endpoints}


def ingest_files(
    files: dict[str, bytes],
    task_id: str,
    multimodal: list[dict] | None = None,
    limits: IngestLimits | None = None,
    cache: UnitCache | None = None,
    language: str = "",
    endpoints: Endpoints | None = None,
) -> EvidencePack:
    """Every file of a task read into one evidence pack, in name order, archives unpacked; media
    files are read with their context (``media_context``); ``multimodal`` descriptions (``{name,
    type, description}``) reach the files they describe (see ``attach_descriptions``); ``language``
    is the request's, for speech whose language is unsure. ``limits`` and ``endpoints`` default to
    what the environment sets (``REDLINE_INGEST_*``, ``OPENAI_*``); ``cache`` (none by default)
    keeps units of files read before. A file that fails keeps its reason in
    its ``SourceMeta.error``; files of unknown kind and unsafe names are listed in ``skipped`` with
    the reason. Raises ``SourceError`` listing every reason when no unit remains."""
    limits = limits or IngestLimits()
    endpoints = endpoints or Endpoints()
    multimodal = multimodal or []
    pack = EvidencePack(task_id=task_id)
    expanded = expand_archives(files, pack, limits)
    for name, data in sorted(expanded.items()):
        if not reader_for(name):
            pack.skipped.append(f"{name}: {skip_reason(name)}")
            continue
        try:
            context = media_context(name, expanded, limits, multimodal, language, endpoints)
            units, meta = read_source(name, data, limits, cache, context)
        except SourceError as exc:
            pack.sources.append(SourceMeta(source=name, kind=source_kind(name), error=str(exc)))
        else:
            pack.units.extend(units)
            pack.sources.append(meta)
    for meta in pack.sources:
        if meta.kind == "archive" and not meta.error:
            meta.units = sum(1 for unit in pack.units if unit.source.startswith(f"{meta.source}/"))
    attach_descriptions(pack, multimodal)
    if not pack.units:
        reasons = [meta.error for meta in pack.sources if meta.error] + pack.skipped
        raise SourceError("No usable source: " + ("; ".join(reasons) if reasons else "no files were given"))
    return pack
