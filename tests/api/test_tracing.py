"""Traces, when an operator turns them on: one trace runs from the HR person's request through
the workflow to its activities, and no span carries a candidate's name, email or a hire's ID in
a URL. Off (the default), the API and the worker make no spans at all."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from core.telemetry import client_interceptors, tracer_provider
from core.temporal import connect
from hirepath.worker import build_parts, build_worker
from store.db import SessionFactory
from testkit.samples import hire_body
from tests.conftest import TeamKey
from tests.helpers import eventually, serving, unique_name


def _ancestors(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> list[str]:
    names, parent = [], span.parent
    while parent is not None and parent.span_id in by_id:
        above = by_id[parent.span_id]
        names.append(above.name)
        parent = above.parent
    return names


def _texts(spans: Sequence[ReadableSpan]) -> str:
    return "\n".join(
        f"{s.name} {dict(s.attributes or {})} {[dict(e.attributes or {}) for e in s.events]}"
        for s in spans
    )


def test_tracing_is_off_unless_configured(settings: Settings) -> None:
    assert settings.otel_endpoint == ""
    assert client_interceptors(settings) == []
    assert tracer_provider(settings) is None


async def test_one_trace_from_the_request_to_the_activities_with_nothing_personal(
    settings: Settings,
    dev_env: WorkflowEnvironment,
    sessions: SessionFactory,
    executor: ThreadPoolExecutor,
    team: TeamKey,
) -> None:
    exporter = InMemorySpanExporter()
    queue = f"tracing-{uuid.uuid4().hex[:8]}"
    target = dev_env.client.service_client.config.target_host
    ours = settings.model_copy(update={"temporal_address": target, "task_queue": queue, "otel_endpoint": "http://127.0.0.1:9"})  # fmt: skip
    provider = tracer_provider(ours, "hirepath-test", exporter=exporter)
    assert provider is not None
    name = unique_name("Traced")
    client = await connect(ours)
    async with build_worker(client, ours, build_parts(ours, sessions), executor):
        async with serving(create_app(ours, client=client)) as api:
            body = hire_body(name=name)
            response = await api.post("/api/v1/hires", headers=team.headers, json=body)
            assert response.status_code == 201, response.text
            hire_id = response.json()["id"]
            assert (await api.get(f"/api/v1/hires/{hire_id}", headers=team.headers)).is_success

            def activities_ran() -> bool:
                return any(s.name.startswith("RunActivity:") for s in exporter.get_finished_spans())

            await eventually(activities_ran, timeout=30)
    spans = list(exporter.get_finished_spans())
    by_id = {s.context.span_id: s for s in spans}

    # the start request's span is the root of the Temporal calls it made...
    start = next(s for s in spans if s.name.startswith("StartUpdateWithStartWorkflow:"))
    assert "POST /api/v1/hires" in _ancestors(start, by_id), _ancestors(start, by_id)
    trace = [s for s in spans if s.context.trace_id == start.context.trace_id]
    names = {s.name for s in trace}
    # ...and of the workflow's run, its update handler and its activities
    assert any(n.startswith("RunWorkflow:GtsHire") for n in names), names
    assert any(n.startswith("HandleUpdate:") for n in names), names
    assert any(n.startswith("RunActivity:") for n in names), names
    assert start.attributes and start.attributes.get("temporalWorkflowID") == hire_id

    # a URL names the route, never the hire it was about; no span holds the candidate
    reads = [s for s in spans if s.name.startswith("GET /api/v1/hires/")]
    assert reads and all(s.name == "GET /api/v1/hires/{hire_id}" for s in reads)
    text = _texts(spans)
    assert name not in text
    assert body["candidate"]["email"] not in text
    assert f"/api/v1/hires/{hire_id}" not in text
