"""Spans as OTLP/JSON files: write the spans of a run, read them back as simple rows.

``spans_to_otlp`` encodes finished SDK spans with the OTLP exporter's own encoder and prints
the result in OTLP/JSON form (hex trace and span ids, integer enums, 64-bit integers as
strings), so any OTLP tool can read the file. ``read_spans`` reads that file, or the
OpenTelemetry Collector's file exporter output (one OTLP/JSON object per line), into
``SpanRow``s. ``CollectingExporter`` keeps the spans of an embedded run in memory until
they are written.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf.json_format import MessageToDict
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

ID_FIELDS = ("traceId", "spanId", "parentSpanId")
TASK_ATTRIBUTE = "redline.task_id"


@dataclass(frozen=True)
class SpanRow:
    """One span, flattened: ids in hex ('' for a root's parent), times in Unix nanoseconds."""

    trace_id: str
    span_id: str
    parent_id: str
    name: str
    service: str
    start_ns: int
    end_ns: int
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def duration_ns(self) -> int:
        return self.end_ns - self.start_ns


def _hex_ids(item: dict[str, Any]) -> None:
    """Turn the protobuf JSON's base64 ids of one span or link into OTLP/JSON's hex ids."""
    for key in ID_FIELDS:
        if item.get(key):
            item[key] = base64.b64decode(item[key]).hex()


def spans_to_otlp(spans: Sequence[ReadableSpan]) -> dict[str, Any]:
    """The spans as one OTLP/JSON ``ExportTraceServiceRequest`` object."""
    document = MessageToDict(encode_spans(spans), use_integers_for_enums=True)
    for resource_spans in document.get("resourceSpans", []):
        for scope_spans in resource_spans.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                _hex_ids(span)
                for link in span.get("links", []):
                    _hex_ids(link)
    return document


def any_value(value: dict[str, Any]) -> Any:
    """The Python value of an OTLP ``AnyValue``."""
    if "stringValue" in value:
        return value["stringValue"]
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "intValue" in value:
        return int(value["intValue"])
    if "doubleValue" in value:
        return float(value["doubleValue"])
    if "arrayValue" in value:
        return [any_value(item) for item in value["arrayValue"].get("values", [])]
    if "kvlistValue" in value:
        return attributes_of(value["kvlistValue"].get("values", []))
    if "bytesValue" in value:
        return base64.b64decode(value["bytesValue"])
    return None


def attributes_of(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    """OTLP ``KeyValue`` pairs as a dict."""
    return {pair["key"]: any_value(pair.get("value", {})) for pair in pairs}


def rows_of(document: dict[str, Any]) -> Iterator[SpanRow]:
    """The spans of one OTLP/JSON object."""
    for resource_spans in document.get("resourceSpans", []):
        resource = attributes_of(resource_spans.get("resource", {}).get("attributes", []))
        service = str(resource.get("service.name", ""))
        for scope_spans in resource_spans.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                yield SpanRow(
                    trace_id=span.get("traceId", ""),
                    span_id=span.get("spanId", ""),
                    parent_id=span.get("parentSpanId", ""),
                    name=span.get("name", ""),
                    service=service,
                    start_ns=int(span.get("startTimeUnixNano", 0)),
                    end_ns=int(span.get("endTimeUnixNano", 0)),
                    attributes=attributes_of(span.get("attributes", [])),
                )


def read_spans(path: str | Path) -> list[SpanRow]:
    """Every span in an OTLP/JSON file: one object, or JSON lines of objects (collector file exporter)."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        documents = [json.loads(text)]
    except json.JSONDecodeError:
        documents = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [row for document in documents for row in rows_of(document)]


def task_trace_ids(spans: Sequence[ReadableSpan], task_id: str) -> set[int]:
    """Trace ids of the spans that carry ``redline.task_id == task_id``."""
    return {
        span.context.trace_id
        for span in spans
        if span.context is not None and (span.attributes or {}).get(TASK_ATTRIBUTE) == task_id
    }


class CollectingExporter(InMemorySpanExporter):
    """Keeps every finished span in memory so a run can write them as OTLP/JSON."""

    def spans_of_task(self, task_id: str) -> list[ReadableSpan]:
        """The finished spans of every trace that touched ``task_id``."""
        spans = self.get_finished_spans()
        traces = task_trace_ids(spans, task_id)
        return [span for span in spans if span.context is not None and span.context.trace_id in traces]

    def write(self, path: str | Path, task_id: str | None = None) -> int:
        """Write the spans (only ``task_id``'s traces when given) to ``path``; returns how many."""
        spans = self.spans_of_task(task_id) if task_id else list(self.get_finished_spans())
        Path(path).write_text(json.dumps(spans_to_otlp(spans), ensure_ascii=False, indent=1), encoding="utf-8")
        return len(spans)
