"""The emails sent about a team's hires, as the notifier recorded them: newest first, a page
at a time (a keyset on the time and id, so a deep page costs what the first does)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, or_, select

from store.models import Hire, Notification
from store.queries import BadCursorError, decode_cursor, encode_cursor


@dataclass(frozen=True)
class SentEmail:
    notification: Notification
    hire_id: str


@dataclass(frozen=True)
class EmailPage:
    items: list[SentEmail]
    next_cursor: str | None  # the next (older) page, if there is one


def team_emails(
    session: Session, *, team_id: str, cursor: str | None = None, limit: int = 50
) -> EmailPage:
    """The team's emails, newest first; ``cursor`` (from a previous page) continues it."""
    query = (
        select(Notification)
        .join(Hire, col(Hire.id) == col(Notification.hire_id))
        .where(Hire.team_id == team_id)
    )
    if cursor:
        created_raw, last_id = decode_cursor(cursor)
        try:
            created = datetime.fromisoformat(str(created_raw))
        except ValueError as err:
            raise BadCursorError("cursor is not one this page gave") from err
        query = query.where(
            or_(
                col(Notification.created_at) < created,
                (col(Notification.created_at) == created) & (col(Notification.id) < last_id),
            )
        )
    rows = list(
        session.exec(
            query.order_by(col(Notification.created_at).desc(), col(Notification.id).desc()).limit(
                limit + 1
            )
        ).all()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    return EmailPage(
        items=[SentEmail(row, row.hire_id) for row in rows],
        next_cursor=encode_cursor([last.created_at, last.id]) if more and last else None,
    )
