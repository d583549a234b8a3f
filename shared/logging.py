"""structlog set-up: JSON lines carrying task_id, round and trace_id."""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog
from opentelemetry import trace


def add_trace_id(_logger: object, _name: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Attach the current span's trace id, when there is one."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict.setdefault("trace_id", format(context.trace_id, "032x"))
    return event_dict


def stderr_logger(*_args: object) -> structlog.PrintLogger:
    """A logger writing to ``sys.stderr`` as it is now: whoever replaced it since configuration (a
    test capturing output, then closing its stream) does not make logging fail."""
    return structlog.PrintLogger(sys.stderr)


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """Write JSON log lines to ``stream``, or to the standard error of the moment of each line."""
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            add_trace_id,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(stream) if stream else stderr_logger,
        cache_logger_on_first_use=False,
    )
