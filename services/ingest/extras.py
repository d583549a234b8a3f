"""Optional dependencies imported when first needed, with an error that names the extra to install."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from services.ingest.errors import SourceError


def installed(module: str) -> bool:
    """Whether ``module`` can be imported, without importing it."""
    return importlib.util.find_spec(module) is not None


def load(module: str, extra: str, purpose: str) -> ModuleType:
    """The module ``module``; raises ``SourceError`` naming the ``extra`` that provides it when it is
    not installed (``purpose`` says what it is needed for)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise SourceError(
            f"{purpose} needs the '{extra}' extra, which is not installed "
            f"(pip install 'redline[{extra}]'; missing module: {exc.name or module})"
        ) from exc
