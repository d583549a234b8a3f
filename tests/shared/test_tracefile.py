"""Trace files: SDK spans → OTLP/JSON → rows, and the collector's JSON-lines output reads too."""

from __future__ import annotations

import json

import pytest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind

from shared.tracefile import CollectingExporter, read_spans, rows_of, spans_to_otlp


def provider_with(service: str, exporter: CollectingExporter) -> TracerProvider:
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


@pytest.fixture
def exporter() -> CollectingExporter:
    """Two tasks' traces: T1 with a child span carrying tokens, T2 with a single span."""
    exporter = CollectingExporter()
    tracer = provider_with("redline-draft", exporter).get_tracer("redline")
    with tracer.start_as_current_span(
        "draft evidence.ready", kind=SpanKind.CONSUMER, attributes={"redline.task_id": "T1", "redline.round": 1}
    ), tracer.start_as_current_span(
        "chat model", attributes={"gen_ai.usage.input_tokens": 12, "gen_ai.usage.output_tokens": 3, "ratio": 0.5}
    ):
        pass
    with tracer.start_as_current_span("draft evidence.ready", attributes={"redline.task_id": "T2", "tags": ["a", "b"]}):
        pass
    return exporter


def spans_of(document: dict) -> list[dict]:
    return [span for rs in document["resourceSpans"] for ss in rs["scopeSpans"] for span in ss["spans"]]


def test_otlp_ids_are_lowercase_hex_of_the_right_length(exporter):
    spans = spans_of(spans_to_otlp(exporter.get_finished_spans()))
    assert all(len(span["traceId"]) == 32 and int(span["traceId"], 16) for span in spans)
    assert all(len(span["spanId"]) == 16 and span["spanId"] == span["spanId"].lower() for span in spans)
    child = next(span for span in spans if span["name"] == "chat model")
    parent = next(span for span in spans if span["spanId"] == child["parentSpanId"])
    assert parent["traceId"] == child["traceId"]


def test_otlp_times_are_strings_and_enums_integers(exporter):
    span = next(s for s in spans_of(spans_to_otlp(exporter.get_finished_spans())) if s.get("kind") == 5)
    assert isinstance(span["startTimeUnixNano"], str)
    assert int(span["endTimeUnixNano"]) >= int(span["startTimeUnixNano"])


def test_otlp_attributes_are_any_values(exporter):
    child = next(s for s in spans_of(spans_to_otlp(exporter.get_finished_spans())) if s["name"] == "chat model")
    values = {pair["key"]: pair["value"] for pair in child["attributes"]}
    assert values["gen_ai.usage.input_tokens"] == {"intValue": "12"}
    assert values["ratio"] == {"doubleValue": 0.5}


def test_otlp_resource_names_the_service(exporter):
    resource = spans_to_otlp(exporter.get_finished_spans())["resourceSpans"][0]["resource"]
    assert {"key": "service.name", "value": {"stringValue": "redline-draft"}} in resource["attributes"]


def test_written_file_reads_back_as_rows(exporter, tmp_path):
    path = tmp_path / "trace.json"
    assert exporter.write(path) == 3
    rows = read_spans(path)
    child = next(row for row in rows if row.name == "chat model")
    parent = next(row for row in rows if row.span_id == child.parent_id)
    assert parent.attributes == {"redline.task_id": "T1", "redline.round": 1}
    assert child.attributes["gen_ai.usage.output_tokens"] == 3
    assert child.service == "redline-draft"
    assert child.end_ns >= child.start_ns > 0
    assert parent.parent_id == ""


def test_array_attributes_read_back_as_lists(exporter, tmp_path):
    exporter.write(tmp_path / "trace.json")
    row = next(row for row in read_spans(tmp_path / "trace.json") if row.attributes.get("redline.task_id") == "T2")
    assert row.attributes["tags"] == ["a", "b"]


def test_write_for_a_task_keeps_only_its_traces(exporter, tmp_path):
    assert exporter.write(tmp_path / "t1.json", task_id="T1") == 2
    assert {row.name for row in read_spans(tmp_path / "t1.json")} == {"draft evidence.ready", "chat model"}


def test_collector_json_lines_are_read_line_by_line(exporter, tmp_path):
    first, second = exporter.get_finished_spans()[:2], exporter.get_finished_spans()[2:]
    path = tmp_path / "collector.jsonl"
    path.write_text("\n".join(json.dumps(spans_to_otlp(part)) for part in (first, second)) + "\n")
    assert len(read_spans(path)) == 3


def test_kvlist_and_bool_values_decode():
    document = {
        "resourceSpans": [
            {
                "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "svc"}}]},
                "scopeSpans": [
                    {
                        "spans": [
                            {
                                "traceId": "0" * 31 + "1",
                                "spanId": "0" * 15 + "2",
                                "name": "s",
                                "startTimeUnixNano": "5",
                                "endTimeUnixNano": "9",
                                "attributes": [
                                    {"key": "ok", "value": {"boolValue": True}},
                                    {"key": "kv", "value": {"kvlistValue": {"values": [{"key": "n", "value": {"intValue": "4"}}]}}},
                                ],
                            }
                        ]
                    }
                ],
            }
        ]
    }

    (row,) = rows_of(document)
    assert row.attributes == {"ok": True, "kv": {"n": 4}}
    assert (row.service, row.duration_ns) == ("svc", 4)
