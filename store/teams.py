"""HR teams and their API keys. A key is shown once, at creation; the store keeps its hash.

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

from sqlmodel import Session, select

from store.models import ApiKey, Team

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
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = datetime.now(UTC)
    return True


def list_keys(session: Session, *, team_id: str | None = None) -> list[ApiKey]:
    query = select(ApiKey).order_by(ApiKey.created_at)  # type: ignore[arg-type]
    if team_id:
        query = query.where(ApiKey.team_id == team_id)
    return list(session.exec(query).all())
