"""Prometheus metrics of one service process, served at ``/metrics``.

All metrics live in ``REGISTRY`` (not the library's global one), so a process exposes exactly
what redline records plus the process collector (CPU, memory, open files):

- ``redline_messages_handled_total{subject}`` and ``redline_messages_failed_total{subject}``;
- ``redline_handler_seconds{subject}``: how long a handler took, settled or not;
- ``redline_validation_rounds``: validation rounds a task needed before it was accepted;
- ``redline_model_tokens_total{model, direction}``: tokens sent (``input``) and received (``output``).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from shared.events import EventData, ReportAccepted

CONTENT_TYPE = CONTENT_TYPE_LATEST

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)

HANDLED = Counter(
    "redline_messages_handled",
    "Messages whose handler succeeded, by subject.",
    ["subject"],
    registry=REGISTRY,
)
FAILED = Counter(
    "redline_messages_failed",
    "Messages whose handler raised (transient or poison), by subject.",
    ["subject"],
    registry=REGISTRY,
)
HANDLER_SECONDS = Histogram(
    "redline_handler_seconds",
    "Seconds a handler ran, by subject.",
    ["subject"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
    registry=REGISTRY,
)
VALIDATION_ROUNDS = Histogram(
    "redline_validation_rounds",
    "Validation rounds a task took until its report was accepted.",
    buckets=(1, 2, 3, 4, 5, 6, 8, 10),
    registry=REGISTRY,
)
MODEL_TOKENS = Counter(
    "redline_model_tokens",
    "Model tokens by model and direction (input = prompt, output = completion).",
    ["model", "direction"],
    registry=REGISTRY,
)


def record_handled(subject: str, seconds: float) -> None:
    """Count one successfully handled message on ``subject`` and observe its handler time."""
    HANDLED.labels(subject=subject).inc()
    HANDLER_SECONDS.labels(subject=subject).observe(seconds)


def record_failed(subject: str, seconds: float | None = None) -> None:
    """Count one failed message on ``subject``; observe its handler time when given."""
    FAILED.labels(subject=subject).inc()
    if seconds is not None:
        HANDLER_SECONDS.labels(subject=subject).observe(seconds)


def record_rounds(rounds: int) -> None:
    """Observe how many validation rounds an accepted task took."""
    VALIDATION_ROUNDS.observe(rounds)


def record_tokens(model: str, input_tokens: int, output_tokens: int) -> None:
    """Add one model call's token counts; zero counts are not recorded."""
    if input_tokens:
        MODEL_TOKENS.labels(model=model, direction="input").inc(input_tokens)
    if output_tokens:
        MODEL_TOKENS.labels(model=model, direction="output").inc(output_tokens)


def render() -> bytes:
    """The registry in the Prometheus text exposition format."""
    return generate_latest(REGISTRY)


def record_published(data: EventData) -> None:
    """Record what a published event says about the task: rounds when accepted, model tokens."""
    if isinstance(data, ReportAccepted):
        record_rounds(len(data.rounds))
    usage = getattr(data, "usage", None)
    if usage is not None and usage.calls:
        record_tokens(getattr(data, "writer", "unknown"), usage.input_tokens, usage.output_tokens)
