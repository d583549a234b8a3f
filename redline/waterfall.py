"""A trace as a terminal waterfall: one line per span on a shared time axis.

Each line shows the span name indented by its depth, the service, the validation round
(``redline.round``), the duration, the model tokens (``gen_ai.usage.input_tokens`` /
``output_tokens``) and a bar placed where the span ran within the trace::

    trace 4bf92f3577b34da6a3ce929d0e0e4736 · 7 spans · 1843.2 ms · tokens 5120 in / 906 out
    span                      service          round   duration   tokens in/out  timeline
    ingest task.submitted     redline-ingest       0     120.4 ms                |███                 |
      model chat              redline-draft        1     800.0 ms       2048/512 |    ████████        |
"""

from __future__ import annotations

from shared.tracefile import TASK_ATTRIBUTE, SpanRow

INPUT_TOKENS = "gen_ai.usage.input_tokens"
OUTPUT_TOKENS = "gen_ai.usage.output_tokens"
ROUND = "redline.round"
MIN_BAR = 10
MAX_NAME = 40
MAX_SERVICE = 18


def select_task(rows: list[SpanRow], task_id: str) -> list[SpanRow]:
    """The spans of every trace in which some span carries ``redline.task_id == task_id``."""
    traces = {row.trace_id for row in rows if row.attributes.get(TASK_ATTRIBUTE) == task_id}
    return [row for row in rows if row.trace_id in traces]


def depths(rows: list[SpanRow]) -> dict[str, int]:
    """Each span's depth below its trace's root; a span whose parent is missing counts as a root."""
    parents = {row.span_id: row.parent_id for row in rows}
    result: dict[str, int] = {}
    for row in rows:
        depth, parent, seen = 0, row.parent_id, {row.span_id}
        while parent in parents and parent not in seen:
            seen.add(parent)
            depth += 1
            parent = parents[parent]
        result[row.span_id] = depth
    return result


def bar(start: int, end: int, origin: int, total: int, width: int) -> str:
    """``width`` cells with the cells covered by [start, end] filled; at least one cell is filled."""
    first = min(width - 1, (start - origin) * width // total)
    last = max(first + 1, min(width, -(-(end - origin) * width // total)))
    return " " * first + "█" * (last - first) + " " * (width - last)


def tokens(row: SpanRow) -> str:
    """'in/out' model tokens of a span, or '' when it made no model call."""
    if INPUT_TOKENS not in row.attributes and OUTPUT_TOKENS not in row.attributes:
        return ""
    return f"{row.attributes.get(INPUT_TOKENS, 0)}/{row.attributes.get(OUTPUT_TOKENS, 0)}"


def service_of(row: SpanRow) -> str:
    """The redline service that made the span (one process may run all four), else the resource's."""
    return str(row.attributes.get("redline.service", row.service))


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, marking a cut with '…'."""
    return text if len(text) <= width else text[: width - 1] + "…"


def render_waterfall(rows: list[SpanRow], width: int = 100) -> str:
    """The spans of one trace as plain-text lines about ``width`` characters wide."""
    if not rows:
        return "no spans\n"
    ordered = sorted(rows, key=lambda row: (row.start_ns, row.end_ns))
    depth = depths(ordered)
    origin = ordered[0].start_ns
    total = max(max(row.end_ns for row in ordered) - origin, 1)
    labels = [clip("  " * depth[row.span_id] + row.name, MAX_NAME) for row in ordered]
    name_width = max(len("span"), *(len(label) for label in labels))
    service_width = min(MAX_SERVICE, max(len("service"), *(len(service_of(row)) for row in ordered)))
    columns = name_width + service_width + len("  round  ") + 11 + len("  tokens in/out  ") + 2
    bar_width = max(MIN_BAR, width - columns - 2)

    token_in = sum(int(row.attributes.get(INPUT_TOKENS, 0)) for row in ordered)
    token_out = sum(int(row.attributes.get(OUTPUT_TOKENS, 0)) for row in ordered)
    traces = sorted({row.trace_id for row in ordered})
    lines = [
        f"trace {', '.join(traces)} · {len(ordered)} spans · {total / 1e6:.1f} ms"
        f" · tokens {token_in} in / {token_out} out",
        f"{'span':<{name_width}}  {'service':<{service_width}}  {'round':>5}  {'duration':>11}"
        f"  {'tokens in/out':>13}  timeline",
    ]
    for label, row in zip(labels, ordered, strict=False):
        round_ = row.attributes.get(ROUND, "")
        lines.append(
            f"{label:<{name_width}}  {clip(service_of(row), service_width):<{service_width}}  {round_!s:>5}"
            f"  {row.duration_ns / 1e6:>8.1f} ms  {tokens(row):>13}"
            f"  |{bar(row.start_ns, row.end_ns, origin, total, bar_width)}|"
        )
    return "\n".join(lines) + "\n"
