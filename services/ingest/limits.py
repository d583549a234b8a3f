"""Limits on what ingest accepts, read from ``REDLINE_INGEST_*`` environment variables.

Each check raises ``SourceError`` with a message that names the file, the measured size, the limit
and the variable that raises it, so a user can tell a limit from a broken file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.ingest.errors import SourceError

MB = 1024 * 1024
ENV_PREFIX = "REDLINE_INGEST_"


class IngestLimits(BaseSettings):
    """How much ingest reads from one file and one archive."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    max_file_bytes: int = Field(default=512 * MB, ge=1, description="Size of one file (or archive member).")
    max_pages: int = Field(default=2000, ge=1, description="Pages of a PDF, slides of a deck, row blocks of a sheet.")
    max_video_seconds: float = Field(default=3 * 3600, gt=0, description="Length of one video or audio file.")
    max_frames: int = Field(default=500, ge=1, description="Frame units of one video.")
    max_archive_members: int = Field(default=1000, ge=1, description="Files inside one archive.")
    max_archive_bytes: int = Field(default=1024 * MB, ge=1, description="Unpacked size of one archive.")
    max_archive_ratio: float = Field(default=200, gt=0, description="Unpacked size over packed size of one archive.")
    max_seconds: float = Field(default=600, gt=0, description="Time spent unpacking an archive or OCR-reading one file.")


DEFAULT_LIMITS = IngestLimits.model_construct()
"""The built-in limits, whatever the environment says: what a reader uses when it is given none."""


def variable(field: str) -> str:
    """The environment variable that sets ``field``."""
    return ENV_PREFIX + field.upper()


def over(name: str, what: str, value: str, limit: str, field: str) -> SourceError:
    """The error for ``name`` whose ``what`` (``value``) is over ``limit``."""
    return SourceError(f"{name}: {what} {value} is over the limit of {limit} (set {variable(field)} to change it)")


def check_file_size(name: str, size: int, limits: IngestLimits) -> None:
    """Raise when a file of ``size`` bytes is larger than ``max_file_bytes``."""
    if size > limits.max_file_bytes:
        raise over(name, "size", f"{size / MB:.1f} MB", f"{limits.max_file_bytes / MB:.1f} MB", "max_file_bytes")


def check_pages(name: str, pages: int, limits: IngestLimits) -> None:
    """Raise when a document has more than ``max_pages`` pages (slides, sheets)."""
    if pages > limits.max_pages:
        raise over(name, "page count", str(pages), f"{limits.max_pages} pages", "max_pages")


def check_duration(name: str, seconds: float, limits: IngestLimits) -> None:
    """Raise when a video or audio file lasts longer than ``max_video_seconds``."""
    if seconds > limits.max_video_seconds:
        raise over(name, "length", f"{seconds:.0f} s", f"{limits.max_video_seconds:.0f} s", "max_video_seconds")


def check_frames(name: str, frames: int, limits: IngestLimits) -> None:
    """Raise when a video gives more than ``max_frames`` frame units."""
    if frames > limits.max_frames:
        raise over(name, "frame count", str(frames), f"{limits.max_frames} frames", "max_frames")


@dataclass
class Deadline:
    """The time one file may take (``max_seconds``), counted from when it was made."""

    name: str
    seconds: float
    started: float = field(default_factory=time.monotonic)

    def check(self, doing: str) -> None:
        """Raise when the time is up; ``doing`` says what was going on (for the message)."""
        elapsed = time.monotonic() - self.started
        if elapsed > self.seconds:
            raise over(self.name, f"time {doing}", f"{elapsed:.1f} s", f"{self.seconds:g} s", "max_seconds")
