"""What the pages read beyond a single hire: today's work, the pipeline, the calendar feed."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from store.models import CalendarToken, Hire, HireClock, HireStep

AUTHORITIES = ("esdc", "ircc", "cbsa")


@dataclass(frozen=True)
class OpenStep:
    hire: Hire
    step: HireStep


@dataclass(frozen=True)
class AtRisk:
    hire: Hire
    clock: HireClock


def open_steps(session: Session, *, team_id: str) -> list[OpenStep]:
    """Every open step of the team's active hires, soonest deadline first."""
    rows = session.exec(
        select(Hire, HireStep)
        .join(HireStep, col(HireStep.hire_id) == col(Hire.id))
        .where(Hire.team_id == team_id, Hire.status == "active", HireStep.status == "open")
        .order_by(col(HireStep.due_at), col(Hire.id))
    ).all()
    return [OpenStep(hire, step) for hire, step in rows]


def clocks_at_risk(session: Session, *, team_id: str) -> list[AtRisk]:
    rows = session.exec(
        select(Hire, HireClock)
        .join(HireClock, col(HireClock.hire_id) == col(Hire.id))
        .where(
            Hire.team_id == team_id,
            Hire.status == "active",
            col(HireClock.status).in_(("at_risk", "missed")),
        )
        .order_by(col(HireClock.started_on))
    ).all()
    return [AtRisk(hire, clock) for hire, clock in rows]


def pipeline(session: Session, *, team_id: str) -> dict[str, Counter[str]]:
    """Active hires per pathway and current step (and permits being tracked)."""
    rows = session.exec(
        select(Hire.pathway, Hire.current_step, Hire.status).where(
            Hire.team_id == team_id, col(Hire.status).in_(("active", "permit_issued"))
        )
    ).all()
    counts: dict[str, Counter[str]] = {}
    for pathway, step, status in rows:
        counts.setdefault(pathway, Counter())[step if status == "active" else "permit_issued"] += 1
    return counts


# ---- calendar links ----


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_calendar_token(session: Session, *, team_id: str) -> str:
    """A new link for the team's calendar; the token is shown once, the store keeps its hash."""
    token = secrets.token_urlsafe(32)
    session.add(CalendarToken(id=str(uuid.uuid4()), team_id=team_id, token_hash=_hash(token)))
    session.commit()
    return token


def revoke_calendar_tokens(session: Session, *, team_id: str) -> int:
    rows = session.exec(
        select(CalendarToken).where(
            CalendarToken.team_id == team_id, col(CalendarToken.revoked_at).is_(None)
        )
    ).all()
    for row in rows:
        row.revoked_at = datetime.now(UTC)
        session.add(row)
    session.commit()
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


def team_hire_ids(session: Session, *, team_id: str) -> list[str]:
    return list(session.exec(select(Hire.id).where(Hire.team_id == team_id)).all())
