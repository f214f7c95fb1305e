"""HR teams, their API keys and the page sessions signed in with them. A key is shown once,
at creation, and a session's id lives only in its cookie: the store keeps their hashes.

The writes here add or change rows (and flush at most): the caller owns the transaction and
commits (the ``hirepath`` command through ``session_scope``, the API after a key's use).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, delete, select, update

from store.models import ApiKey, PageSession, Team

KEY_PREFIX = "hp_"


@dataclass(frozen=True)
class NewKey:
    team_id: str
    key_id: str
    key: str  # the secret: print it once, never store it


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_team(session: Session, *, name: str) -> Team:
    team = Team(id=str(uuid.uuid4()), name=name)
    session.add(team)
    session.flush()
    return team


def create_key(session: Session, *, team_id: str, name: str = "") -> NewKey:
    if len(name) > 100:
        raise ValueError("a key's name is at most 100 characters")
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(
        id=str(uuid.uuid4()), team_id=team_id, prefix=prefix, key_hash=hash_key(key), name=name
    )
    session.add(row)
    session.flush()
    return NewKey(team_id=team_id, key_id=row.id, key=key)


def find_key(session: Session, *, key: str) -> ApiKey | None:
    """The live key row for ``key``, or None if it is unknown, malformed or revoked."""
    if not key.startswith(KEY_PREFIX) or key.count("_") < 2 or len(key) > 200:
        return None
    prefix = key[len(KEY_PREFIX) :].split("_", 1)[0]
    row = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.key_hash, hash_key(key)):
        return None
    return row


LAST_USED_RESOLUTION = timedelta(minutes=1)


def touch_key(session: Session, row: ApiKey) -> None:
    """Record the key's use, at most once a minute (no write on every request); the caller
    commits."""
    now = datetime.now(UTC)
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        session.add(row)


def revoke_key(session: Session, *, key_id: str) -> bool:
    """Revoke the key and end every page session signed in with it."""
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = datetime.now(UTC)
    session.exec(
        update(PageSession)
        .where(col(PageSession.api_key_id) == key_id, col(PageSession.revoked_at).is_(None))
        .values(revoked_at=row.revoked_at)
    )
    return True


def list_keys(session: Session, *, team_id: str | None = None) -> list[ApiKey]:
    query = select(ApiKey).order_by(ApiKey.created_at)  # type: ignore[arg-type]
    if team_id:
        query = query.where(ApiKey.team_id == team_id)
    return list(session.exec(query).all())


# ---- page sessions ----

SEEN_RESOLUTION = timedelta(minutes=1)
MAX_FLASHES = 10


def open_page_session(session: Session, *, key: ApiKey, lifetime: timedelta) -> str:
    """A new page session signed in with ``key``, ending after ``lifetime`` at the latest.
    Returns its id, for the cookie only: the store keeps its hash."""
    session_id = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session.add(
        PageSession(
            id_hash=hash_key(session_id),
            team_id=key.team_id,
            api_key_id=key.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return session_id


def live_page_session(
    session: Session, *, session_id: str, idle: timedelta
) -> tuple[PageSession, ApiKey] | None:
    """The page session and its key while both live: not signed out, not past its absolute
    expiry, not idle longer than ``idle``, its key not revoked. Its use is recorded at most
    once a minute; the caller commits."""
    if not session_id or len(session_id) > 200:
        return None
    row = session.get(PageSession, hash_key(session_id))
    now = datetime.now(UTC)
    if row is None or row.revoked_at is not None or now >= row.expires_at:
        return None
    if now - row.last_seen_at > idle:
        return None
    key = session.get(ApiKey, row.api_key_id)
    if key is None or key.revoked_at is not None:
        return None
    if now - row.last_seen_at >= SEEN_RESOLUTION:
        row.last_seen_at = now
        session.add(row)
    return row, key


def end_page_session(session: Session, *, session_id: str) -> None:
    """Sign out: the session's id opens nothing from now on, wherever a copy of it is."""
    row = session.get(PageSession, hash_key(session_id)) if session_id else None
    if row is not None and row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.add(row)


def purge_page_sessions(session: Session, *, expired_before: datetime) -> None:
    """Forget sessions that ended (at their absolute expiry) before ``expired_before``."""
    session.exec(delete(PageSession).where(col(PageSession.expires_at) < expired_before))


def add_flash(session: Session, *, id_hash: str, entry: dict[str, str]) -> None:
    """A message for the session's next page (the last few are kept)."""
    row = session.get(PageSession, id_hash)
    if row is not None:
        row.flashes = [*row.flashes, entry][-MAX_FLASHES:]
        session.add(row)


def clear_flashes(session: Session, *, id_hash: str) -> None:
    row = session.get(PageSession, id_hash)
    if row is not None and row.flashes:
        row.flashes = []
        session.add(row)
