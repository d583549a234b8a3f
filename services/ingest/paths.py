"""File names inside a task: which ones are unsafe to use as paths."""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def unsafe_reason(name: str) -> str:
    """Why ``name`` cannot be used as a path inside a task ('' when it can): an absolute path, a
    drive letter, a ``..`` part (with either slash), or a control character such as a newline
    (a citation names its file on one line)."""
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or PureWindowsPath(name).drive:
        return "absolute paths are not allowed"
    if ".." in posix.parts:
        return "'..' is not allowed in file names"
    if CONTROL.search(name):
        return "control characters (newlines, tabs) are not allowed in file names"
    return ""


def is_hidden(name: str) -> bool:
    """Whether any part of ``name`` is hidden (starts with a dot, other than ``.`` and ``..``) or is
    macOS archive metadata."""
    parts = name.replace("\\", "/").split("/")
    return any((part.startswith(".") and part not in (".", "..")) or part == "__MACOSX" for part in parts)
