"""Liveness and readiness."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.schemas import Health

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
    body = Health(status="ready" if ok else "not ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
