"""Tracing: one tracer provider per process, context carried in NATS headers.

Exporters follow the standard ``OTEL_*`` variables: when ``OTEL_EXPORTER_OTLP_ENDPOINT`` (or
the traces-specific variable) is set, spans go out over OTLP/HTTP. An embedded run adds a
collecting exporter so it can write the task's spans to ``trace.json``.
"""

from __future__ import annotations

import os

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter

TRACER_NAME = "redline"


def configure_tracing(service_name: str, collector: SpanExporter | None = None) -> TracerProvider:
    """Install this process's tracer provider (once) and its exporters."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", service_name)})
        provider = TracerProvider(resource=resource)
        if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(provider)
    if collector is not None:
        provider.add_span_processor(SimpleSpanProcessor(collector))
    return provider


def tracer() -> trace.Tracer:
    """The tracer every redline span is made with."""
    return trace.get_tracer(TRACER_NAME)


def inject_headers(headers: dict[str, str]) -> dict[str, str]:
    """Add the current trace context (``traceparent``) to ``headers``; returns them."""
    propagate.inject(headers)
    return headers


def extract_context(headers: dict[str, str] | None) -> Context:
    """The trace context carried by message headers."""
    return propagate.extract(headers or {})

