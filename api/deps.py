"""Dependencies the routes share: settings, a store session, the Temporal client, the caller's team."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from temporalio.client import Client

from core.settings import Settings
from store.db import SessionFactory, release
from store.files import DocumentStore
from store.teams import find_key, touch_key

bearer = HTTPBearer(auto_error=False, description="An HR team's API key: `hirepath team create`")


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
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "unknown or revoked API key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    touch_key(session, row)
    release(session)
    return Caller(
        team_id=row.team_id, key_id=row.id, actor=f"api key {row.name or row.prefix}"[:200]
    )


def get_documents(request: Request) -> DocumentStore:
    documents: DocumentStore = request.app.state.documents
    return documents


SettingsDep = Annotated[Settings, Depends(get_settings)]
DocumentsDep = Annotated[DocumentStore, Depends(get_documents)]
SessionDep = Annotated[Session, Depends(get_session)]
ClientDep = Annotated[Client, Depends(get_client)]
CallerDep = Annotated[Caller, Depends(get_caller)]
