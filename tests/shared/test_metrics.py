"""Metrics: each record_* call moves the series it names, and render() is Prometheus text."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from shared import metrics


def value(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def test_record_handled_counts_per_subject_and_observes_latency():
    before = value("redline_messages_handled_total", subject="redline.test.handled.v1")
    metrics.record_handled("redline.test.handled.v1", 0.2)
    assert value("redline_messages_handled_total", subject="redline.test.handled.v1") == before + 1
    assert value("redline_handler_seconds_count", subject="redline.test.handled.v1") >= 1
    assert value("redline_handler_seconds_bucket", subject="redline.test.handled.v1", le="0.25") >= 1


def test_record_failed_counts_without_touching_handled():
    metrics.record_failed("redline.test.failed.v1")
    assert value("redline_messages_failed_total", subject="redline.test.failed.v1") == 1
    assert value("redline_messages_handled_total", subject="redline.test.failed.v1") == 0


def test_record_rounds_lands_in_the_matching_bucket():
    below = value("redline_validation_rounds_bucket", le="2.0")
    metrics.record_rounds(2)
    assert value("redline_validation_rounds_bucket", le="2.0") == below + 1


def test_record_tokens_splits_input_and_output_by_model():
    metrics.record_tokens("test-model", 100, 7)
    assert value("redline_model_tokens_total", model="test-model", direction="input") == 100
    assert value("redline_model_tokens_total", model="test-model", direction="output") == 7


def test_render_is_parseable_exposition_text():
    metrics.record_handled("redline.test.render.v1", 0.01)
    families = {family.name for family in text_string_to_metric_families(metrics.render().decode())}
    assert {"redline_messages_handled", "redline_handler_seconds", "redline_model_tokens"} <= families
