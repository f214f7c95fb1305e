"""Dependencies the routes and pages share: settings, a store session, the Temporal client,
the document files, and the caller's team (by API key for the JSON API, by the signed-in page
session for the pages: its id in the cookie, the session in the store), the count of wrong
credentials per client address, plus the path parameters both name a hire by."""

from __future__ import annotations

import hmac
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from temporalio.client import Client

from core.settings import Settings
from store.db import SessionFactory, release
from store.files import DocumentFiles
from store.models import ApiKey
from store.teams import find_key, live_page_session, touch_key

log = logging.getLogger("hirepath.api")

bearer = HTTPBearer(auto_error=False, description="An HR team's API key: `hirepath team create`")

HireId = Annotated[
    str, Path(pattern=r"^hire-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]
Key = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,60}$")]  # a step's or a checklist item's key


SESSION_ID = "sid"  # the one thing the page session's cookie holds: the session's random id


class SignInRequired(Exception):
    """The page needs a signed-in team; the app redirects to /signin."""


@dataclass
class SignedIn:
    """The live page session a request came with (request.state.signed_in), for its messages."""

    id_hash: str
    flashes: list[dict[str, str]] = field(default_factory=list)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    factory: SessionFactory = request.app.state.sessions
    session = factory()
    try:
        yield session
    finally:
        session.close()


async def get_client(request: Request) -> Client:
    client: Client | None = await request.app.state.temporal.get()
    if client is None:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "Temporal is not reachable; try again shortly"
        )
    return client


@dataclass(frozen=True)
class Caller:
    team_id: str
    key_id: str
    actor: str  # how the timeline names who acted


def get_caller(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing API key: send Authorization: Bearer <key>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    row = find_key(session, key=credentials.credentials)
    if row is None:
        raise refused(request, "unknown or revoked API key")
    touch_key(session, row)
    release(session)  # commits the key's last use (the store leaves commits to its callers)
    return _caller_of(row)


def page_caller(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> Caller:
    """The team signed in to the pages: the cookie's id names a live session in the store
    (not signed out, idle or expired; its key not revoked). Otherwise the sign-in page, or a
    401 for a script's request (the pages' fetch, or one that asks for JSON)."""
    cookie_id = request.session.get(SESSION_ID)
    found = (
        live_page_session(
            session,
            session_id=cookie_id,
            idle=timedelta(minutes=settings.session_idle_minutes),
        )
        if isinstance(cookie_id, str)
        else None
    )
    if found is None:
        request.session.pop(SESSION_ID, None)
        if _wants_json(request):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "sign in again")
        raise SignInRequired()
    row, key = found
    touch_key(session, key)
    session.commit()  # the session's and the key's last use (the store leaves commits to us)
    request.state.signed_in = SignedIn(row.id_hash, list(row.flashes))
    return _caller_of(key)


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return bool(request.headers.get("x-requested-with")) or (
        "application/json" in accept and "text/html" not in accept
    )


def _caller_of(row: ApiKey) -> Caller:
    return Caller(
        team_id=row.team_id, key_id=row.id, actor=f"api key {row.name or row.prefix}"[:200]
    )


class WrongCredentials:
    """Wrong credentials (API keys, sign-ins, codec tokens) by client address over a sliding
    window, in this process. A client with ``limit`` of them in the window is refused (429)
    until the oldest leaves it; what it sends meanwhile is not counted, so a client that waits
    as told gets its next try, and one that does not gets no more than ``limit`` a window.
    The addresses kept are bounded; no address is logged."""

    MAX_CLIENTS = 10_000

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def failed(self, client: str) -> int | None:
        """Count a wrong credential from ``client``; or, when it has had its fill, count
        nothing and return the seconds until it may try again."""
        now = self._clock()
        with self._lock:
            times = self._failures.get(client)
            if times is None:
                self._make_room(now)
                times = self._failures[client] = deque()
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return max(1, math.ceil(times[0] + self.window - now))
            times.append(now)
            if len(times) == self.limit:
                log.warning(
                    "a client sent %d wrong credentials within %g s: it gets 429 for a while",
                    self.limit,
                    self.window,
                )
            return None

    def _make_room(self, now: float) -> None:
        if len(self._failures) < self.MAX_CLIENTS:
            return
        for client in [c for c, t in self._failures.items() if not t or t[-1] <= now - self.window]:
            del self._failures[client]
        while len(self._failures) >= self.MAX_CLIENTS:  # the oldest first
            del self._failures[next(iter(self._failures))]


_making = threading.Lock()


def wrong_credentials(request: Request) -> WrongCredentials:
    """The app's count of wrong credentials (made on first use)."""
    state = request.app.state
    with _making:
        found: WrongCredentials | None = getattr(state, "wrong_credentials", None)
        if found is None:
            settings: Settings = state.settings
            found = WrongCredentials(
                settings.auth_failure_limit, settings.auth_failure_window_seconds
            )
            state.wrong_credentials = found
    return found


def failed_attempt(request: Request) -> int | None:
    """Count a wrong credential from the request's client address; None, or the seconds it
    must wait when it has had too many (then answer 429 with Retry-After)."""
    return wrong_credentials(request).failed(request.client.host if request.client else "")


def require_operator_token(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None,
    expected: str,
    what: str,
    variable: str,
) -> None:
    """An operators' route (the codec, the metrics): the configured bearer token, compared in
    constant time; a wrong one counts towards the client's limit."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            f"send the operators' {what} token: Authorization: Bearer <{variable}>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise refused(request, f"wrong {what} token")


def refused(request: Request, detail: str) -> HTTPException:
    """The answer to a wrong credential: 401, or 429 once the client has sent too many."""
    wait = failed_attempt(request)
    if wait is not None:
        return HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"too many wrong credentials from your address: try again in {wait} s",
            headers={"Retry-After": str(wait)},
        )
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"}
    )


def get_documents(request: Request) -> DocumentFiles:
    documents: DocumentFiles = request.app.state.documents
    return documents


SettingsDep = Annotated[Settings, Depends(get_settings)]
DocumentsDep = Annotated[DocumentFiles, Depends(get_documents)]
SessionDep = Annotated[Session, Depends(get_session)]
ClientDep = Annotated[Client, Depends(get_client)]
CallerDep = Annotated[Caller, Depends(get_caller)]
PageCaller = Annotated[Caller, Depends(page_caller)]
