"""Zip and tar archives unpacked in memory, safely: their files become sources named
``archive.zip/member.pdf``.

Nothing is written to disk. A member is left out, with its reason, when its name is absolute or
holds ``..``, when it is a link or device, encrypted, itself an archive, larger than the file size
limit, or damaged; hidden files and ``__MACOSX`` metadata are left out silently. The whole archive
is refused when it is unreadable, holds more files than ``max_archive_members``, unpacks to more
than ``max_archive_bytes`` or (a zip bomb) to more than ``max_archive_ratio`` times its own size and
more than 32 MB (both counted from member headers before reading, and reads are bounded by those
headers, so a lying header cannot inflate memory), or when unpacking takes longer than
``max_seconds`` (checked after every megabyte).
"""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import IO

from services.ingest.errors import SourceError
from services.ingest.limits import MB, Deadline, IngestLimits, check_file_size, over
from services.ingest.paths import is_hidden, unsafe_reason

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
ZIP_ENCRYPTED = 0x1
ZIP_UTF8_NAME = 0x800
BOMB_FLOOR = 32 * MB
"""Archives unpacking to less than this are never taken for bombs: small text compresses very well."""
CHUNK = MB


@dataclass
class Entry:
    """One file inside an archive: its name, its size from the header, why it cannot be read
    ('' when it can) and how to open it as a stream."""

    name: str
    size: int
    problem: str
    open: Callable[[], IO[bytes]]


@dataclass
class Unpacked:
    """The readable files of an archive by their name inside it, and the left-out ones with reasons."""

    method: str
    members: dict[str, bytes] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def is_archive(name: str) -> bool:
    """Whether ``name`` is a zip or (compressed) tar archive, by its suffix."""
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def zip_name(info: zipfile.ZipInfo) -> str:
    """A member's name, re-decoded as UTF-8 or GB18030 when the archive did not mark it as UTF-8
    (zipfile then reads it as CP437, which garbles Chinese names)."""
    if info.flag_bits & ZIP_UTF8_NAME:
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def zip_entries(archive: zipfile.ZipFile) -> Iterator[Entry]:
    """The non-directory members of a zip archive."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        problem = ""
        if info.flag_bits & ZIP_ENCRYPTED:
            problem = "encrypted members are not read"
        elif stat.S_ISLNK(info.external_attr >> 16):
            problem = "links are not followed"
        yield Entry(zip_name(info), info.file_size, problem, partial(archive.open, info))


def member_stream(archive: tarfile.TarFile, info: tarfile.TarInfo) -> IO[bytes]:
    """The bytes of a regular file in a tar archive."""
    stream = archive.extractfile(info)
    if stream is None:
        raise SourceError(f"{info.name}: not a regular file")
    return stream


def tar_entries(archive: tarfile.TarFile) -> Iterator[Entry]:
    """The non-directory members of a tar archive."""
    for info in archive:
        if info.isdir():
            continue
        problem = "" if info.isfile() else "links and devices are not read"
        yield Entry(info.name, info.size, problem, partial(member_stream, archive, info))


def member_problem(entry: Entry, label: str, limits: IngestLimits) -> str:
    """Why ``entry`` is left out ('' when it is read); ``label`` is its full name."""
    problem = entry.problem or unsafe_reason(entry.name)
    if problem:
        return problem
    if is_archive(entry.name):
        return "archives inside archives are not unpacked"
    try:
        check_file_size(label, entry.size, limits)
    except SourceError as exc:
        return str(exc).removeprefix(f"{label}: ")
    return ""


def read_member(entry: Entry, deadline: Deadline) -> bytes:
    """At most ``entry.size`` bytes of ``entry``, read a megabyte at a time within ``deadline``."""
    chunks: list[bytes] = []
    got = 0
    with entry.open() as stream:
        while got < entry.size:
            deadline.check(f"unpacking (at {entry.name})")
            chunk = stream.read(min(CHUNK, entry.size - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    return b"".join(chunks)


def check_unpacked(name: str, total: int, packed: int, limits: IngestLimits) -> None:
    """Raise when ``total`` unpacked bytes so far are over the archive size or ratio limits."""
    if total > limits.max_archive_bytes:
        raise over(name, "unpacked size", f"more than {limits.max_archive_bytes / MB:.1f} MB",
                   f"{limits.max_archive_bytes / MB:.1f} MB", "max_archive_bytes")
    if total > BOMB_FLOOR and total > limits.max_archive_ratio * packed:
        raise over(name, "unpacked size (a zip bomb?)", f"{total / MB:.1f} MB from {packed / MB:.2f} MB packed, "
                   f"{total / max(packed, 1):.0f} times,", f"{limits.max_archive_ratio:g} times", "max_archive_ratio")


def take(name: str, entries: Iterator[Entry], packed: int, limits: IngestLimits, unpacked: Unpacked) -> Unpacked:
    """The members of ``entries`` read into ``unpacked`` within the archive limits; ``packed`` is
    the archive's own size."""
    total = 0
    deadline = Deadline(name, limits.max_seconds)
    for count, entry in enumerate(entries, start=1):
        deadline.check("unpacking")
        if count > limits.max_archive_members:
            raise over(name, "file count", f"more than {limits.max_archive_members}",
                       f"{limits.max_archive_members} files", "max_archive_members")
        if is_hidden(entry.name):
            continue
        problem = member_problem(entry, f"{name}/{entry.name}", limits)
        if problem:
            unpacked.skipped.append(f"{name}/{entry.name}: {problem}")
            continue
        total += entry.size
        check_unpacked(name, total, packed, limits)
        try:
            unpacked.members[entry.name] = read_member(entry, deadline)
        except SourceError:
            raise
        except Exception as exc:  # zlib, bz2, lzma and zipfile each raise their own types on damage
            unpacked.skipped.append(f"{name}/{entry.name}: cannot be unpacked ({exc})")
    return unpacked


def unpack(name: str, data: bytes, limits: IngestLimits) -> Unpacked:
    """The readable files of the archive ``data`` and the left-out ones. Raises ``SourceError``
    when the archive is unreadable or over a limit."""
    try:
        if name.lower().endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return take(name, zip_entries(archive), len(data), limits, Unpacked(method="zip"))
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            return take(name, tar_entries(archive), len(data), limits, Unpacked(method="tar"))
    except SourceError:
        raise
    except Exception as exc:  # damaged archives raise zipfile, tarfile, zlib, bz2 and lzma errors
        raise SourceError(f"{name} is not a readable archive: {exc}") from exc
