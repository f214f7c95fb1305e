"""Who is signed in to the pages, their form tokens, and one-time messages.

A signed (itsdangerous), HttpOnly, SameSite=Strict session cookie holds the API key's id,
a CSRF token and flash messages. Every page checks the key is still live; every form
post carries the CSRF token. Who the session's team is, is a dependency beside the API key's
(api.deps.page_caller).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import Request
from sqlmodel import Session

from api.deps import Caller
from store.models import ApiKey, Team

SESSION_COOKIE = "hirepath_session"


class FormTokenInvalid(Exception):
    """A form post without this session's CSRF token."""


def csrf_token(request: Request) -> str:
    token: str | None = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, token: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not token or not hmac.compare_digest(str(expected), str(token)):
        raise FormTokenInvalid()


def flash(request: Request, message: str, kind: str = "info") -> None:
    request.session.setdefault("flash", []).append({"kind": kind, "message": message[:2000]})


def take_flashes(request: Request) -> list[dict[str, str]]:
    messages: list[dict[str, str]] = request.session.pop("flash", [])
    return messages


def sign_in(request: Request, key: ApiKey) -> None:
    request.session.clear()
    request.session["key_id"] = key.id
    csrf_token(request)


def sign_out(request: Request) -> None:
    request.session.clear()


def team_name(session: Session, caller: Caller) -> str:
    team = session.get(Team, caller.team_id)
    return team.name if team else ""


def page_context(request: Request, **values: Any) -> dict[str, Any]:
    """What every page template gets: the CSRF token and the messages to show once."""
    return {
        "request": request,
        "csrf": csrf_token(request),
        "flashes": take_flashes(request),
        **values,
    }
