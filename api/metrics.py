"""The API's metrics, in Prometheus' text format at GET /metrics (docs/deploy.md says what each
means and what to alert on).

- Requests, by method, route template (``/api/v1/hires/{hire_id}``, never a path with its IDs)
  and status, and their latency: counted by a middleware around everything, so refusals
  (401, 413, 429) count too.
- The store's figures, read when scraped (one grouped query over hires, one over emails):
  hires by status, emails by status, emails unsent after a minute and the oldest one's age,
  emails unsent after many attempts, and whether the store answered.

Labels hold fixed words only (statuses, methods, route templates): nothing personal, no ID.

With several uvicorn workers (HIREPATH_API_WORKERS), a scrape reaches one of them: set
PROMETHEUS_MULTIPROC_DIR to an empty directory (the compose file uses a tmpfs) and each
process's counters are summed there. The store's figures are the same from any process.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, status
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlmodel import col

from api.deps import SettingsDep, require_operator_token
from contracts.hire import HireStatus
from core.settings import Settings
from store.db import SessionFactory
from store.models import Hire, Notification

log = logging.getLogger("hirepath.api")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]  # fmt: skip

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
EMAIL_STATUSES = ("sending", "retrying", "sent", "failed", "skipped")
UNSENT = ("sending", "retrying")  # claimed, not yet accepted by the mail server
STUCK_AFTER = timedelta(minutes=1)

REQUESTS = Counter(
    "hirepath_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "hirepath_http_request_duration_seconds",
    "Time from a request's arrival to its answer's last byte, by method and route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def route_template(scope: Scope) -> str:
    """The matched route's template, a mount's prefix ("/static/..."), or "unmatched"."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str) and path:
        return path
    if scope.get("endpoint") is not None and scope.get("root_path"):  # inside a mount
        return f"{scope['root_path']}/..."
    return "unmatched"


class RequestMetrics:
    """ASGI middleware counting every HTTP request by route template and status, and timing it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Message]],
        send: Callable[[Message], Awaitable[None]],
    ) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        answered = {"status": 500}  # an exception with nothing sent is answered 500

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                answered["status"] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, counted)
        finally:
            method = scope.get("method", "")
            method = method if method in METHODS else "other"
            route = route_template(scope)
            REQUESTS.labels(method, route, str(answered["status"])).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)


class StoreFigures(Collector):
    """Gauges read from the store when /metrics is scraped."""

    def __init__(self, sessions: SessionFactory, settings: Settings) -> None:
        self._sessions = sessions
        self._attempts = settings.metrics_attempts_alert

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "hirepath_store_up", "1 when the store answered this scrape's queries, else 0"
        )
        try:
            hires, emails = self._read()
        except Exception as err:  # the store is down: say so, and nothing else
            log.warning("metrics: the store did not answer: %s", type(err).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from _hire_gauges(hires)
        yield from _email_gauges(emails, self._attempts)

    def _read(self) -> tuple[dict[str, int], dict[str, tuple[int, datetime | None, int, int]]]:
        now = datetime.now(UTC)
        stuck = sa.case((col(Notification.created_at) < now - STUCK_AFTER, 1), else_=0)
        many = sa.case((col(Notification.attempts) >= self._attempts, 1), else_=0)
        with self._sessions() as session:
            hires = session.execute(
                sa.select(col(Hire.status), sa.func.count()).group_by(col(Hire.status))
            ).all()
            emails = session.execute(
                sa.select(
                    col(Notification.status),
                    sa.func.count(),
                    sa.func.min(col(Notification.created_at)),
                    sa.func.sum(stuck),
                    sa.func.sum(many),
                ).group_by(col(Notification.status))
            ).all()
        return (
            {row[0]: int(row[1]) for row in hires},
            {row[0]: (int(row[1]), row[2], int(row[3] or 0), int(row[4] or 0)) for row in emails},
        )


def _hire_gauges(counts: dict[str, int]) -> Iterator[Metric]:
    hires = GaugeMetricFamily("hirepath_hires", "Hires in the store, by status", labels=["status"])
    for name in sorted({*(s.value for s in HireStatus), *counts}):
        hires.add_metric([name], counts.get(name, 0))
    yield hires


def _email_gauges(
    rows: dict[str, tuple[int, datetime | None, int, int]], attempts: int
) -> Iterator[Metric]:
    emails = GaugeMetricFamily(
        "hirepath_emails",
        "Emails (one per notice) by status: sent, sending (an attempt under way), retrying "
        "(the server refused for now), failed (refused for good), skipped (its step closed)",
        labels=["status"],
    )
    for name in sorted({*EMAIL_STATUSES, *rows}):
        emails.add_metric([name], rows.get(name, (0, None, 0, 0))[0])
    yield emails
    unsent = [rows[s] for s in UNSENT if s in rows]
    oldest = min((first for _, first, _, _ in unsent if first is not None), default=None)
    age = (datetime.now(UTC) - _utc(oldest)).total_seconds() if oldest else 0.0
    yield GaugeMetricFamily(
        "hirepath_emails_unsent_over_a_minute",
        "Emails whose first attempt began over a minute ago and that are not sent yet",
        value=sum(stuck for _, _, stuck, _ in unsent),
    )
    yield GaugeMetricFamily(
        "hirepath_emails_oldest_unsent_age_seconds",
        "Seconds since the first attempt of the oldest email not sent yet (0: none waiting)",
        value=max(age, 0.0),
    )
    yield GaugeMetricFamily(
        "hirepath_emails_over_attempts",
        f"Emails not sent after {attempts} or more attempts (HIREPATH_METRICS_ATTEMPTS_ALERT)",
        value=sum(many for _, _, _, many in unsent),
    )


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---- the route ----

operator_bearer = HTTPBearer(
    auto_error=False, scheme_name="metrics token", description="HIREPATH_METRICS_TOKEN"
)


def metrics_reader(
    request: Request,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(operator_bearer)],
) -> None:
    """With HIREPATH_METRICS_TOKEN set, only that bearer token opens /metrics (wrong ones count
    towards the client's limit); without it, /metrics is open in development, absent (404) in
    production."""
    expected = settings.metrics_token.get_secret_value()
    if not expected:
        if settings.environment == "production":
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Not Found")
        return
    require_operator_token(request, credentials, expected, "metrics", "HIREPATH_METRICS_TOKEN")


router = APIRouter(include_in_schema=False)


@router.get("/metrics", dependencies=[Depends(metrics_reader)])
async def metrics(request: Request, settings: SettingsDep) -> Response:
    """Prometheus' text format: this API's requests, then the store's figures."""
    store = CollectorRegistry()
    store.register(StoreFigures(request.app.state.sessions, settings))
    body = await asyncio.to_thread(_exposition, store)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def _exposition(store: CollectorRegistry) -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        MultiProcessCollector(processes)  # every process's counters, summed
        requests = generate_latest(processes)
    else:
        requests = generate_latest(REGISTRY)
    return requests + generate_latest(store)


def install(app: FastAPI, settings: Settings) -> None:
    """The /metrics route, and the request counter around every other middleware of ours
    (call it after they are added; tracing, when on, wraps it too)."""
    if settings.api_workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        log.warning(
            "metrics: %s API workers without PROMETHEUS_MULTIPROC_DIR: each scrape counts "
            "the requests of one of them only",
            settings.api_workers,
        )
    app.include_router(router)
    app.add_middleware(RequestMetrics)
