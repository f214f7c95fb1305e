"""Links to a team's calendar feed (/calendar/<token>.ics): unguessable and revocable. A token
is shown once, at creation; the store keeps its hash.

The writes here add or change rows and do not commit: the caller owns the transaction (the
calendar page commits right after).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from store.models import CalendarToken


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_calendar_token(session: Session, *, team_id: str) -> str:
    """A new link for the team's calendar; the token is shown once, the store keeps its hash."""
    token = secrets.token_urlsafe(32)
    session.add(CalendarToken(id=str(uuid.uuid4()), team_id=team_id, token_hash=_hash(token)))
    return token


def revoke_calendar_tokens(session: Session, *, team_id: str) -> int:
    rows = active_calendar_tokens(session, team_id=team_id)
    for row in rows:
        row.revoked_at = datetime.now(UTC)
        session.add(row)
    return len(rows)


def active_calendar_tokens(session: Session, *, team_id: str) -> list[CalendarToken]:
    return list(
        session.exec(
            select(CalendarToken).where(
                CalendarToken.team_id == team_id, col(CalendarToken.revoked_at).is_(None)
            )
        ).all()
    )


def team_of_calendar_token(session: Session, *, token: str) -> str | None:
    if not 20 <= len(token) <= 100:
        return None
    row = session.exec(
        select(CalendarToken).where(CalendarToken.token_hash == _hash(token))
    ).first()
    return row.team_id if row is not None and row.revoked_at is None else None
