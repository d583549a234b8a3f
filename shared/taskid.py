"""Task ids: one form that is safe as a NATS subject token, a status key and an object name.

A user's folder may be called anything (``中文任务``, ``my task``, ``a.b*c``); the id keeps the
folder name's ASCII letters, digits, ``-`` and ``_`` as a readable stem, adds a random suffix, and
the human name travels beside it (``TaskSubmitted.title``).
"""

from __future__ import annotations

import re
import uuid

PATTERN = r"^[A-Za-z0-9_-]{1,128}$"
"""What a task id may hold: safe for JetStream key-value keys, subjects and object names."""

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_STEM_LIMIT = 48


def is_valid(task_id: str) -> bool:
    """Whether ``task_id`` can key the status bucket and name objects."""
    return re.fullmatch(PATTERN, task_id) is not None


def stem_of(name: str) -> str:
    """The readable part of an id made from ``name``: its safe characters, ``task`` when none."""
    stem = _UNSAFE.sub("-", name).strip("-_")[:_STEM_LIMIT].strip("-_")
    return stem or "task"


def new_task_id(name: str) -> str:
    """A fresh task id for a folder called ``name``: ``005-3f2a9c1b``, ``task-3f2a9c1b`` for ``中文任务``."""
    return f"{stem_of(name)}-{uuid.uuid4().hex[:8]}"
