"""Who is signed in to the pages, their form tokens, and one-time messages.

A page session lives in the store (store.teams: team, API key, created, last seen, expiry,
sign-out); the signed (itsdangerous), HttpOnly, SameSite=Strict cookie (Secure in production)
carries only its random id, and the store only that id's hash. Signing out ends the session
in the store, so a copy of the cookie opens nothing afterwards; so does revoking its key.
Who the session's team is, is a dependency beside the API key's (api.deps.page_caller).

Before signing in the cookie carries a random id with no session behind it, for the sign-in
form's token. Every form post carries a CSRF token derived from the cookie's id (an HMAC with
the session secret), so a new id at sign-in and sign-out is a new token. Messages to show once
are kept with the session in the store, not in the cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import Request
from sqlmodel import Session

from api.deps import SESSION_ID, Caller, SignedIn
from core.settings import Settings
from store.db import SessionFactory, session_scope
from store.models import ApiKey, Team
from store.teams import (
    add_flash,
    clear_flashes,
    end_page_session,
    hash_key,
    open_page_session,
    purge_page_sessions,
)

SESSION_COOKIE = "hirepath_session"
FORGET_ENDED_AFTER = timedelta(days=1)


class FormTokenInvalid(Exception):
    """A form post without this session's CSRF token."""


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _store(request: Request) -> SessionFactory:
    factory: SessionFactory = request.app.state.sessions
    return factory


def _cookie_id(request: Request) -> str | None:
    value = request.session.get(SESSION_ID)
    return value if isinstance(value, str) and value else None


def _token_for(request: Request, cookie_id: str) -> str:
    key = _settings(request).session_key().encode()
    digest = hmac.new(key, b"csrf:" + cookie_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def csrf_token(request: Request) -> str:
    cookie_id = _cookie_id(request)
    if cookie_id is None:  # not signed in yet: an id for the sign-in form's token only
        cookie_id = secrets.token_urlsafe(32)
        request.session[SESSION_ID] = cookie_id
    return _token_for(request, cookie_id)


def check_csrf(request: Request, token: str | None) -> None:
    cookie_id = _cookie_id(request)
    if cookie_id is None or not token:
        raise FormTokenInvalid()
    if not hmac.compare_digest(_token_for(request, cookie_id).encode(), str(token).encode()):
        raise FormTokenInvalid()


def flash(request: Request, message: str, kind: str = "info", target: str = "") -> None:
    """A message for the next page of this session (dropped when nobody is signed in);
    ``target``: the id of the part of the page it is about, where the page shows it."""
    entry = {"kind": kind, "message": message[:2000], "target": target}
    signed_in: SignedIn | None = getattr(request.state, "signed_in", None)
    if signed_in is not None:
        signed_in.flashes.append(entry)
        id_hash = signed_in.id_hash
    elif (cookie_id := _cookie_id(request)) is not None:
        id_hash = hash_key(cookie_id)
    else:
        return
    with session_scope(_store(request)) as store:
        add_flash(store, id_hash=id_hash, entry=entry)


def take_flashes(request: Request) -> list[dict[str, str]]:
    signed_in: SignedIn | None = getattr(request.state, "signed_in", None)
    if signed_in is None or not signed_in.flashes:
        return []
    messages, signed_in.flashes = signed_in.flashes, []
    with session_scope(_store(request)) as store:
        clear_flashes(store, id_hash=signed_in.id_hash)
    return messages


def sign_in(request: Request, session: Session, key: ApiKey) -> None:
    """A new session in the store, and a new id in the cookie (none from before signing in
    carries over); commits."""
    settings = _settings(request)
    purge_page_sessions(session, expired_before=datetime.now(UTC) - FORGET_ENDED_AFTER)
    cookie_id = open_page_session(
        session, key=key, lifetime=timedelta(hours=settings.session_max_hours)
    )
    session.commit()
    request.session.clear()
    request.session[SESSION_ID] = cookie_id


def sign_out(request: Request, session: Session) -> None:
    """End the session in the store (every copy of the cookie with it) and drop the cookie;
    commits."""
    cookie_id = _cookie_id(request)
    if cookie_id is not None:
        end_page_session(session, session_id=cookie_id)
        session.commit()
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
