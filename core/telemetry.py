"""Metrics and traces, each off unless configured.

Metrics: the worker's Temporal client runs on a Runtime that serves the SDK's own metrics
(task latencies, slots, failures, the sticky cache) in Prometheus' text format on
HIREPATH_WORKER_METRICS_ADDRESS. The API's metrics are api/metrics.py.

Traces: with HIREPATH_OTEL_ENDPOINT (or the standard OTEL_EXPORTER_OTLP_ENDPOINT) set, each
process sends OpenTelemetry spans over OTLP/HTTP: the API's requests (api/tracing.py), and
through Temporal's TracingInterceptor on the client, the workflow starts and updates it sends,
the workflow's run and handlers, and every activity, all in one trace per request. Span
attributes carry opaque IDs only (hire-<uuid>, run and activity IDs), never a payload.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from core.settings import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from temporalio.client import Interceptor

# One per process: a second Runtime serving the same address would fail to bind.
_RUNTIMES: dict[str, Runtime] = {}
LAG_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_TRACING: dict[str, TracerProvider] = {}


def metrics_runtime(address: str) -> Runtime | None:
    """A Temporal Runtime serving the SDK's metrics on ``address`` (host:port), or None (the
    default runtime, no metrics) when the address is empty. Durations in seconds, counters
    ending in _total: Prometheus' conventions."""
    if not address:
        return None
    if address not in _RUNTIMES:
        _RUNTIMES[address] = Runtime(
            telemetry=TelemetryConfig(
                metrics=PrometheusConfig(
                    bind_address=address,
                    counters_total_suffix=True,
                    unit_suffix=True,
                    durations_as_seconds=True,
                    # the store's lag (hirepath/activity_metrics.py): milliseconds to a minute
                    histogram_bucket_overrides={"hirepath_projection_lag": LAG_BUCKETS},
                )
            )
        )
    return _RUNTIMES[address]


def tracing_endpoint(settings: Settings) -> str:
    """Where spans go: HIREPATH_OTEL_ENDPOINT, else OpenTelemetry's own variables; empty (no
    tracing) when none is set or OTEL_SDK_DISABLED is true."""
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return ""
    return (
        settings.otel_endpoint
        or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
        or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "")
    )


def tracer_provider(
    settings: Settings, service: str = "hirepath", exporter: SpanExporter | None = None
) -> TracerProvider | None:
    """The process's tracer provider when tracing is configured, made on first use (and made
    OpenTelemetry's global one); None when tracing is off. ``exporter`` replaces the OTLP one
    (tests keep spans in memory)."""
    endpoint = tracing_endpoint(settings)
    if not endpoint:
        return None
    if "provider" not in _TRACING:
        from opentelemetry import trace
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

        name = os.environ.get("OTEL_SERVICE_NAME") or service
        provider = TracerProvider(resource=Resource.create({"service.name": name}))
        if exporter is not None:
            provider.add_span_processor(SimpleSpanProcessor(exporter))
        else:
            provider.add_span_processor(BatchSpanProcessor(_otlp_exporter(settings, endpoint)))
        trace.set_tracer_provider(provider)
        _TRACING["provider"] = provider
    return _TRACING["provider"]


def _otlp_exporter(settings: Settings, endpoint: str) -> SpanExporter:
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    if settings.otel_endpoint:  # a collector's base URL, as OTEL_EXPORTER_OTLP_ENDPOINT
        return OTLPSpanExporter(endpoint=settings.otel_endpoint.rstrip("/") + "/v1/traces")
    return OTLPSpanExporter()  # reads OpenTelemetry's own variables (and their headers)


def client_interceptors(settings: Settings) -> list[Interceptor]:
    """Temporal's tracing interceptor when tracing is on: on the client, it traces what the
    client sends and, inherited by a worker on that client, workflows and activities."""
    provider = tracer_provider(settings)
    if provider is None:
        return []
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return [TracingInterceptor(provider.get_tracer("hirepath.temporal"))]
