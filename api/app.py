"""The FastAPI application: wiring only."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from temporalio.client import Client

from api.routes import health, hires, pathways, screenings
from api.services import ApiError
from hirepath.settings import Settings
from hirepath.temporal import connect
from store.db import make_engine, session_factory

log = logging.getLogger("hirepath.api")


class TemporalConnection:
    """Connects on first use and again after a failure, so the API starts (and says
    'not ready') while Temporal is still coming up."""

    def __init__(self, settings: Settings, client: Client | None = None) -> None:
        self._settings = settings
        self._client = client
        self._lock = asyncio.Lock()

    async def get(self) -> Client | None:
        if self._client is not None:
            return self._client
        async with self._lock:
            if self._client is None:
                try:
                    self._client = await asyncio.wait_for(connect(self._settings), timeout=10)
                except Exception as err:  # unreachable for now; the next request tries again
                    log.warning(
                        "Temporal at %s unreachable: %s",
                        self._settings.temporal,
                        type(err).__name__,
                    )
            return self._client


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form")]
    return ".".join(parts) or "body"


def create_app(settings: Settings, *, client: Client | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database, pool_size=settings.database_pool_size)
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessions = session_factory(engine)
        app.state.temporal = TemporalConnection(settings, client)
        await app.state.temporal.get()
        yield
        engine.dispose()

    app = FastAPI(
        title="hirepath",
        version="1",
        summary="Hiring workflows for Canadian work permits: GTS, CUSMA Professionals, Intra-Company Transfers.",
        lifespan=lifespan,
    )

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, err: ApiError) -> JSONResponse:
        body: dict[str, Any] = {"detail": err.detail}
        if err.fields:
            body["fields"] = err.fields
        return JSONResponse(body, status_code=err.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, err: RequestValidationError) -> JSONResponse:
        fields: dict[str, str] = {}
        for problem in err.errors():
            if problem.get("type") == "json_invalid":
                reason = (problem.get("ctx") or {}).get("error", "")
                fields.setdefault("body", f"malformed JSON: {reason}".rstrip(": "))
                continue
            fields.setdefault(
                _field_name(problem.get("loc", ())), str(problem.get("msg", "invalid"))
            )
        detail = "; ".join(f"{name}: {message}" for name, message in fields.items())
        return JSONResponse({"detail": detail, "fields": fields}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, err: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"detail": err.detail}, status_code=err.status_code, headers=err.headers
        )

    app.include_router(health.router)
    app.include_router(pathways.router)
    app.include_router(hires.router)
    app.include_router(screenings.router)
    return app
