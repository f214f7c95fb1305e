"""GET /metrics as Prometheus scrapes it: the counters move with what users do, the store's
gauges say what the emails are doing, nothing personal is in a label, and only operators read
it in production. The worker's SDK metrics and the Grafana dashboard agree on every name."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlmodel import select
from temporalio import activity, workflow
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from api.app import create_app
from contracts.activities import ActivityName
from core.settings import Settings
from core.telemetry import metrics_runtime
from core.temporal import connect
from hirepath.activity_metrics import ActivityMetrics
from hirepath.worker import build_parts, build_worker
from store.db import SessionFactory, session_scope
from store.models import Notification
from testkit.samples import hire_body
from tests.conftest import TeamKey, free_port
from tests.helpers import Mailbox, eventually, serving, unique_name

ROOT = Path(__file__).resolve().parents[2]
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def scrape(api: httpx.AsyncClient, **headers: str) -> Samples:
    response = await api.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


def hires_total(samples: Samples) -> float:
    return sum(v for (name, _), v in samples.items() if name == "hirepath_hires")


async def test_a_hire_start_moves_the_counters_and_the_store_gauges(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    before = await scrape(api)
    name = unique_name("Metrics")
    response = await api.post("/api/v1/hires", headers=team.headers, json=hire_body(name=name))
    assert response.status_code == 201, response.text
    hire_id = response.json()["id"]
    assert (await api.get(f"/api/v1/hires/{hire_id}", headers=team.headers)).status_code == 200
    assert (await api.get("/no/such/page")).status_code == 404
    assert (await api.get("/static/app.js")).status_code == 200

    def emails_sent() -> bool:
        with sessions() as session:
            rows = session.exec(select(Notification).where(Notification.hire_id == hire_id))
            return {n.status for n in rows} == {"sent"}

    await eventually(emails_sent, timeout=30)
    after = await scrape(api)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    # requests by route template and status, and their latency
    start = {"method": "POST", "route": "/api/v1/hires"}
    assert moved("hirepath_http_requests_total", **start, status="201") == 1
    assert moved("hirepath_http_request_duration_seconds_count", **start) == 1
    read = {"method": "GET", "route": "/api/v1/hires/{hire_id}"}
    assert moved("hirepath_http_requests_total", **read, status="200") >= 1
    assert moved("hirepath_http_request_duration_seconds_count", **read) >= 1
    page = {"method": "GET", "route": "unmatched", "status": "404"}
    assert moved("hirepath_http_requests_total", **page) >= 1
    static = {"method": "GET", "route": "/static/...", "status": "200"}
    assert moved("hirepath_http_requests_total", **static) >= 1
    # the store: one more hire, active; its email counted as sent
    assert hires_total(after) == hires_total(before) + 1
    assert value(after, "hirepath_hires", status="active") >= 1
    assert moved("hirepath_emails", status="sent") >= 1
    assert value(after, "hirepath_store_up") == 1
    # no ID, name or address in any label
    labels = " ".join(f"{k}={v}" for (_, pairs), _ in after.items() for k, v in pairs)
    for personal in (hire_id, name, "@", "candidate.example"):
        assert personal not in labels, personal


async def test_the_email_gauges_show_an_email_the_server_keeps_refusing(
    dev_worker: object,
    settings: Settings,
    team: TeamKey,
    mailbox: Mailbox,
    sessions: SessionFactory,
    dev_env: WorkflowEnvironment,
) -> None:
    # alert after 2 attempts (the default is 5), so the test need not wait minutes
    app = create_app(
        settings.model_copy(update={"metrics_attempts_alert": 2}), client=dev_env.client
    )
    async with serving(app) as api:
        mailbox.refuse = True  # 451 to every message: the notifier retries (5 s, then 10 s)
        try:
            response = await api.post(
                "/api/v1/hires",
                headers=team.headers,
                json=hire_body(name=unique_name("Refused")),
            )
            assert response.status_code == 201, response.text

            async def refused_twice() -> Samples:
                samples = await scrape(api)
                assert value(samples, "hirepath_emails_over_attempts") >= 1
                return samples

            samples = await eventually(refused_twice, timeout=60, interval=0.5)
            assert value(samples, "hirepath_emails", status="retrying") >= 1
            assert value(samples, "hirepath_emails_oldest_unsent_age_seconds") >= 4
        finally:
            mailbox.refuse = False
        hire_id = response.json()["id"]

        def sent() -> bool:
            with sessions() as session:
                rows = session.exec(select(Notification).where(Notification.hire_id == hire_id))
                return {n.status for n in rows} == {"sent"}

        await eventually(sent, timeout=60)


async def test_an_email_stuck_for_minutes_counts_as_unsent_over_a_minute(
    api: httpx.AsyncClient, sessions: SessionFactory
) -> None:
    """A worker killed mid-send leaves its email 'sending' until the activity's retry."""
    before = await scrape(api)
    ident = uuid.uuid4().hex
    with session_scope(sessions) as session:
        session.add(
            Notification(
                id=ident, hire_id=f"hire-{uuid.uuid4()}", key="opened:1", kind="step_opened",
                status="sending", attempts=1, created_at=datetime.now(UTC) - timedelta(minutes=5),
            )
        )  # fmt: skip
    try:
        after = await scrape(api)
        assert value(after, "hirepath_emails_unsent_over_a_minute") == (
            value(before, "hirepath_emails_unsent_over_a_minute") + 1
        )
        assert value(after, "hirepath_emails_oldest_unsent_age_seconds") >= 299
    finally:
        with session_scope(sessions) as session:
            row = session.get(Notification, ident)
            if row is not None:
                session.delete(row)


@pytest_asyncio.fixture(loop_scope="session")
async def guarded(
    settings: Settings, dev_env: WorkflowEnvironment
) -> AsyncIterator[httpx.AsyncClient]:
    token = "m" * 40
    app = create_app(
        settings.model_copy(update={"metrics_token": SecretStr(token)}), client=dev_env.client
    )
    async with serving(app) as client:
        yield client


async def test_only_operators_read_the_metrics(
    guarded: httpx.AsyncClient, settings: Settings, dev_env: WorkflowEnvironment
) -> None:
    # with HIREPATH_METRICS_TOKEN set: that bearer token, nothing else
    assert (await guarded.get("/metrics")).status_code == 401
    wrong = await guarded.get("/metrics", headers={"Authorization": "Bearer " + "x" * 40})
    assert wrong.status_code == 401
    await scrape(guarded, Authorization="Bearer " + "m" * 40)
    # in production without a token, there are no metrics to read
    production = settings.model_copy(update={"environment": "production"})
    app = create_app(production, client=dev_env.client)
    async with serving(app, "https://hirepath.test") as client:
        assert (await client.get("/metrics")).status_code == 404


async def test_the_worker_serves_the_sdk_metrics_and_the_dashboard_names_only_real_metrics(
    settings: Settings,
    dev_env: WorkflowEnvironment,
    sessions: SessionFactory,
    executor: ThreadPoolExecutor,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    address = f"127.0.0.1:{free_port()}"
    queue = f"metrics-{uuid.uuid4().hex[:8]}"
    ours = settings.model_copy(update={"temporal_address": dev_env.client.service_client.config.target_host, "task_queue": queue, "worker_metrics_address": address, "metrics_attempts_alert": 2})  # fmt: skip
    client = await connect(ours, runtime=metrics_runtime(address))
    async with build_worker(client, ours, build_parts(ours, sessions), executor):
        app = create_app(ours, client=client)
        async with serving(app) as api:
            mailbox.refuse = True  # one failed activity attempt, for the failure counters
            try:
                response = await api.post(
                    "/api/v1/hires",
                    headers=team.headers,
                    json=hire_body(name=unique_name("Sdk")),
                )
                assert response.status_code == 201, response.text
                hire_id = response.json()["id"]

                def refused_once() -> bool:
                    with sessions() as session:
                        rows = session.exec(
                            select(Notification).where(Notification.hire_id == hire_id)
                        )
                        return any(n.status == "retrying" for n in rows)

                await eventually(refused_once, timeout=30)
            finally:
                mailbox.refuse = False

            def sent() -> bool:  # its retry goes through: the hire's next workflow task
                with sessions() as session:
                    rows = session.exec(select(Notification).where(Notification.hire_id == hire_id))
                    return {n.status for n in rows} == {"sent"}

            await eventually(sent, timeout=60)
            api_samples = await scrape(api)
        async with httpx.AsyncClient() as http:

            async def worker_metrics() -> Samples:
                samples = parse((await http.get(f"http://{address}/metrics")).text)
                assert value(samples, "temporal_activity_execution_failed_total", activity_type="notify", failure_reason="ActivityError", namespace="default", service_name="temporal-core-sdk", task_queue=queue, workflow_type="GtsHire") >= 1  # fmt: skip
                assert any(name == "temporal_sticky_cache_hit_total" for name, _ in samples)
                # ours: the refused email's second attempt passed the alert threshold (2), and
                # every store write's lag since the workflow asked for it
                retries = [
                    (dict(labels), v)
                    for (n, labels), v in samples.items()
                    if n == "hirepath_activity_retries_past_threshold_total"
                ]
                assert [(labels["activity_type"], v) for labels, v in retries] == [("notify", 1)]
                lags = [
                    (dict(labels), v)
                    for (n, labels), v in samples.items()
                    if n == "hirepath_projection_lag_seconds_count"
                ]
                assert sum(v for _, v in lags) >= 1, lags
                assert {labels["activity_type"] for labels, _ in lags} <= {
                    "record",
                    "record_changes",
                }
                return samples

            worker_samples = await eventually(worker_metrics, timeout=30)
    exported = {name for name, _ in api_samples} | {name for name, _ in worker_samples}
    assert "temporal_workflow_task_schedule_to_start_latency_seconds_bucket" in exported

    dashboard = json.loads((ROOT / "docs" / "grafana-dashboard.json").read_text())
    queries = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    assert len(queries) >= 8
    for query in queries:
        names = re.findall(r"\b(?:hirepath|temporal)_[a-z0-9_]+", query)
        assert names, query
        for name in names:
            assert name in exported, (name, query)


@activity.defn(name=ActivityName.RECORD)
def slow_record(_: str) -> str:
    """A store write that takes 0.3 s to commit."""
    time.sleep(0.3)
    return "committed"


@workflow.defn(name="LagProbe", sandboxed=False)
class LagProbe:
    @workflow.run
    async def run(self) -> str:
        return str(
            await workflow.execute_activity(
                ActivityName.RECORD, "x", start_to_close_timeout=timedelta(seconds=10)
            )
        )


async def test_the_projection_lag_runs_until_the_write_committed(
    settings: Settings, dev_env: WorkflowEnvironment, executor: ThreadPoolExecutor
) -> None:
    address = f"127.0.0.1:{free_port()}"
    queue = f"lag-{uuid.uuid4().hex[:8]}"
    ours = settings.model_copy(update={"temporal_address": dev_env.client.service_client.config.target_host})  # fmt: skip
    client = await connect(ours, runtime=metrics_runtime(address))
    async with Worker(
        client, task_queue=queue, workflows=[LagProbe], activities=[slow_record],
        activity_executor=executor, interceptors=[ActivityMetrics(5)],
    ):  # fmt: skip
        assert (
            await client.execute_workflow(LagProbe.run, id=queue, task_queue=queue) == "committed"
        )
    async with httpx.AsyncClient() as http:
        samples = parse((await http.get(f"http://{address}/metrics")).text)
    lag = {n: v for (n, labels), v in samples.items() if n.startswith("hirepath_projection_lag")}
    assert lag["hirepath_projection_lag_seconds_count"] == 1
    assert lag["hirepath_projection_lag_seconds_sum"] >= 0.3  # the write's own time included
    buckets = {dict(labels)["le"] for (n, labels), _ in samples.items() if n.endswith("_bucket") and n.startswith("hirepath_projection_lag")}  # fmt: skip
    assert {"0.005", "60"} <= buckets  # milliseconds to a minute
