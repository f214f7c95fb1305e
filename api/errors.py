"""Errors, answered the same way by the API and the pages: JSON under the JSON paths, a page
elsewhere; each problem in words for people (api.human_errors), the API's fields by path."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import SignInRequired
from api.human_errors import humane_detail, problems, summary
from api.templating import environment
from api.web.session import FormTokenInvalid, page_context
from core.settings import Settings

log = logging.getLogger("hirepath.api")

# Paths that answer JSON; everything else is a page and answers errors as a page.
JSON_PATHS = ("/api/", "/healthz", "/readyz", "/docs", "/openapi", "/calendar/", "/codec/")

FORM_OUT_OF_DATE = (
    "This form is out of date or was not sent from hirepath. "
    "Go back, reload the page and try again."
)


@dataclass
class ApiError(Exception):
    """A refusal with its HTTP status, and the fields at fault (the workflow's, or ours)."""

    status: int
    detail: str
    fields: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # The detail is for people: a field it names is said as its label (the fields keep
        # their names), wherever the refusal came from (a route, the hire's validators).
        self.detail = humane_detail(self.detail, self.fields)


def error_page(request: Request, settings: Settings, status: int, message: str) -> HTMLResponse:
    template = environment(settings.templates_dir, html=True).get_template("pages/error.html")
    context = page_context(request, status=status, message=message)
    return HTMLResponse(template.render(context), status_code=status)


def _fields_of(err: RequestValidationError) -> dict[str, str]:
    """Each field at fault and its problem in HR words (JSON that cannot be read is the
    body's problem, wherever the decoder stopped)."""
    found = [
        {**p, "loc": ("body",)} if p.get("type") == "json_invalid" else p for p in err.errors()
    ]
    return problems(found)


def install(app: FastAPI, settings: Settings) -> None:
    """The app's exception handlers: `{"detail", "fields"}` for JSON, an error page otherwise,
    and the sign-in page for a page that needs a signed-in team."""

    def is_page(request: Request) -> bool:
        return not request.url.path.startswith(JSON_PATHS)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, err: ApiError) -> Response:
        if is_page(request):
            return error_page(request, settings, err.status, err.detail)
        body: dict[str, Any] = {"detail": err.detail}
        if err.fields:
            body["fields"] = err.fields
        return JSONResponse(body, status_code=err.status, headers=err.headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(PoolTimeout)
    async def _store_down(request: Request, err: Exception) -> Response:
        """The store does not answer: say so (503) rather than fail (500); nothing changed."""
        log.warning("the store is unavailable: %s", type(err).__name__)
        detail = "the store is unavailable for a moment; nothing was changed: try again shortly"
        if is_page(request):
            return error_page(request, settings, 503, detail)
        return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, _: SignInRequired) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/signin?next={quote(target)}", status_code=303)

    @app.exception_handler(FormTokenInvalid)
    async def _form_token(request: Request, _: FormTokenInvalid) -> Response:
        return error_page(request, settings, 403, FORM_OUT_OF_DATE)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> Response:
        fields = _fields_of(err)
        if is_page(request):
            return error_page(request, settings, 422, summary(fields))
        return JSONResponse({"detail": summary(fields), "fields": fields}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException) -> Response:
        if is_page(request):
            return error_page(request, settings, err.status_code, str(err.detail))
        return JSONResponse(
            {"detail": err.detail}, status_code=err.status_code, headers=err.headers
        )
