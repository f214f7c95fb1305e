"""The FastAPI application: wiring only."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import Mount
from swagger_ui_bundle import swagger_ui_path
from temporalio.client import Client

from api import errors, metrics, tracing
from api.headers import DOCS_PAGE, SecurityHeaders
from api.limits import RequestLimits
from api.request_text import PlainText, plain_path
from api.routes import (
    bundle,
    codec,
    corrections,
    health,
    hires,
    pathways,
    plan,
    screenings,
    sources,
)
from api.schemas import ErrorOut
from api.web import pages
from api.web.session import SESSION_COOKIE
from core.crypto import DocumentSealer
from core.settings import Settings
from core.temporal import connect
from store.db import make_engine, session_factory
from store.files import DocumentFiles

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


def documented_errors(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with errors as this API answers them: `{"detail", "fields"}`."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, summary=app.summary, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ErrorOut.model_json_schema()
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "422" in responses:
                responses["422"] = {"description": "Invalid input, by field", **error}
            for code in ("404", "409"):
                if code in responses:
                    responses[code] = {
                        "description": responses[code].get("description", "Error"),
                        **error,
                    }
    app.openapi_schema = schema
    return schema


def create_app(settings: Settings, *, client: Client | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database, pool_size=settings.database_pool_size)
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessions = session_factory(engine)
        app.state.documents = DocumentFiles(
            settings.documents_dir,
            settings.max_upload_bytes,
            DocumentSealer(settings.document_keyring()),
        )
        app.state.temporal = TemporalConnection(settings, client)
        await app.state.temporal.get()
        yield
        engine.dispose()

    app = FastAPI(
        title="hirepath",
        version="1",
        summary="Hiring workflows for Canadian work permits: GTS, CUSMA Professionals, Intra-Company Transfers.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(plain_path)],
    )

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    errors.install(app, settings)
    app.openapi = lambda: documented_errors(app)  # type: ignore[method-assign]
    app.include_router(health.router)
    app.include_router(pathways.router)
    app.include_router(sources.router)
    app.include_router(hires.router)
    app.include_router(corrections.router)
    app.include_router(plan.router)
    app.include_router(bundle.router)
    app.include_router(screenings.router)
    app.include_router(codec.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=settings.static_dir), name="static")
    app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")
    install_middleware(app, settings)
    tracing.instrument(app, settings)  # off unless HIREPATH_OTEL_ENDPOINT is set
    metrics.install(app, settings)  # GET /metrics, and every request counted
    return app


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """Outermost last. Nearest the routes: control characters in the URL and the pages' forms
    (inside the session, to flash); CORS for the codec (if configured); the session cookie; the
    request's size, before anything reads it; and the security headers on every response."""
    mounts = tuple(route.path for route in app.routes if isinstance(route, Mount))
    app.add_middleware(PlainText, mounts=mounts)
    if settings.codec_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=[o.strip() for o in settings.codec_cors_origins.split(",") if o.strip()],
            allow_methods=["POST"],
            allow_headers=["Authorization", "Content-Type", "X-Namespace"],
            allow_credentials=True,
        )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_key(),
        session_cookie=SESSION_COOKIE,
        max_age=12 * 3600,
        same_site="strict",
        https_only=settings.environment == "production",
    )
    app.add_middleware(
        RequestLimits,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.max_upload_bytes,
    )
    app.add_middleware(SecurityHeaders, hsts=settings.environment == "production")
