"""Signing in to the pages with a team's API key (wrong keys count towards the address's
limit, api.deps.refused), and out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import SessionDep, SettingsDep, failed_attempt
from api.web.session import check_csrf, sign_in, sign_out
from api.web.shared import CsrfField, render
from core.settings import Settings
from store.teams import find_key

router = APIRouter(include_in_schema=False)


@router.get("/signin", response_class=HTMLResponse)
async def signin_page(request: Request, settings: SettingsDep, next: str = "/") -> HTMLResponse:
    return render(
        request,
        settings,
        "signin.html",
        next=_safe_next(next),
        demo_key_file=_demo_key_file(settings),
    )


@router.post("/signin", response_model=None)
async def signin(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    csrf_token: CsrfField = "",
    api_key: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request, csrf_token)
    row = find_key(session, key=api_key.strip())
    if row is None:
        wait = failed_attempt(request)
        page = render(
            request,
            settings,
            "signin.html",
            status=401 if wait is None else 429,
            next=_safe_next(next),
            demo_key_file=_demo_key_file(settings),
            error="That key is unknown or revoked."
            if wait is None
            else f"Too many wrong keys from your address. Try again in {wait} seconds.",
        )
        if wait is not None:
            page.headers["Retry-After"] = str(wait)
        return page
    sign_in(request, session, row)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/signout")
async def signout(
    request: Request, session: SessionDep, csrf_token: CsrfField = ""
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    sign_out(request, session)
    return RedirectResponse("/signin", status_code=303)


def _demo_key_file(settings: Settings) -> Path | None:
    """In development, where `make run` writes the demo team's key (in the data directory,
    HIREPATH_DATA_DIR); a production sign-in page names no file of the server's."""
    return settings.demo_key_file if settings.environment == "development" else None


def _safe_next(target: str) -> str:
    """Only a path on this site (no //host or scheme)."""
    return (
        target
        if target.startswith("/") and not target.startswith("//") and "\\" not in target
        else "/"
    )
