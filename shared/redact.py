"""Secrets taken out of text that leaves a process (error reasons, log lines, span statuses).

``redact`` is applied where an error is made readable, before the text reaches an event, a log,
a trace or the status bucket. It replaces with ``***``: the values of the environment's secrets
(model keys, NATS passwords and tokens: every variable whose name ends in ``KEY``, ``PASSWORD``,
``TOKEN`` or ``SECRET``), the password of a URL (``https://user:KEY@host``), the value of a key-like
URL parameter (``?api_key=…``), a bearer token and an ``sk-…`` API key.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Iterable, Mapping

MASK = "***"
SECRET_NAME = re.compile(r"(KEY|PASSWORD|TOKEN|SECRET)$", re.IGNORECASE)
MIN_SECRET = 8
"""Values shorter than this are not searched for: they would mask ordinary words."""
PATTERNS = [
    (re.compile(r"(?<=://)([^/\s:@]*):[^/\s@]+@"), rf"\1:{MASK}@"),
    (re.compile(r"([?&;](?:api[_-]?key|key|token|access[_-]?token|password|secret|sig|signature)=)[^&\s#'\"]+", re.I),
     rf"\1{MASK}"),
    (re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.I), rf"\1{MASK}"),
    (re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"), f"sk-{MASK}"),
]


def secret_values(environ: Mapping[str, str] | None = None) -> list[str]:
    """The values of the secret variables of ``environ`` (the process environment by default),
    longest first, so a secret holding another is masked whole."""
    environ = os.environ if environ is None else environ
    values = {value for name, value in environ.items() if SECRET_NAME.search(name) and len(value) >= MIN_SECRET}
    return sorted(values, key=len, reverse=True)


def redact(text: str, environ: dict[str, str] | None = None, known: Iterable[str] = ()) -> str:
    """``text`` with every secret replaced by ``***``: those of ``environ`` (see ``secret_values``),
    the ``known`` values (a key passed in settings) and those the patterns recognise."""
    values = secret_values(environ) + [value for value in known if len(value) >= MIN_SECRET]
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, MASK)
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def exception_attributes(exc: BaseException, known: Iterable[str] = ()) -> dict[str, str]:
    """The message and stack trace of ``exc`` as a span records them, redacted."""
    return {
        "exception.message": redact(str(exc), known=known),
        "exception.stacktrace": redact("".join(traceback.format_exception(exc)), known=known),
    }
