"""Liveness and readiness."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import func
from sqlmodel import select

from api.schemas import Health
from store.models import Notification

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(request: Request) -> JSONResponse:
    """Ready when the store and Temporal both answer (503 and which one failed otherwise)."""
    checks: dict[str, str] = {}

    def ping_store() -> None:
        with request.app.state.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))

    try:
        await asyncio.wait_for(asyncio.to_thread(ping_store), timeout=5)
        checks["store"] = "ok"
    except Exception as err:  # any failure means not ready
        checks["store"] = f"unreachable: {type(err).__name__}"
    client = await request.app.state.temporal.get()
    if client is None:
        checks["temporal"] = "unreachable"
    else:
        try:
            await asyncio.wait_for(client.service_client.check_health(), timeout=5)
            checks["temporal"] = "ok"
        except Exception as err:
            checks["temporal"] = f"unreachable: {type(err).__name__}"
    ok = all(v == "ok" for v in checks.values())
    try:
        checks["mail"] = await asyncio.wait_for(asyncio.to_thread(mail_backlog, request), timeout=5)
    except Exception as err:
        checks["mail"] = f"unknown: {type(err).__name__}"
    body = Health(status="ready" if ok else "not ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


def mail_backlog(request: Request) -> str:
    """ "ok", or how many emails wait to be retried and since when (the API stays ready: the
    emails are not lost, and the workers keep retrying them)."""
    with request.app.state.sessions() as session:
        waiting = session.exec(
            select(func.count(), func.min(Notification.created_at)).where(
                Notification.status == "retrying"
            )
        ).one()
    count, since = waiting
    if not count:
        return "ok"
    return f"delayed: {count} email{'s' if count != 1 else ''} waiting to be retried, the oldest since {since:%Y-%m-%d %H:%M} UTC"
