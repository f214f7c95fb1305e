"""The team's work across hires, for the pages and the calendar feed: open steps, SLA clocks
at risk, the pipeline. Reads only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from contracts.hire import ClockStatus, HireStatus, StepStatus
from pathways.model import AUTHORITIES
from store.models import Hire, HireClock, HireStep, Team


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
        .where(
            Hire.team_id == team_id,
            Hire.status == HireStatus.ACTIVE,
            HireStep.status == StepStatus.OPEN,
        )
        .order_by(col(HireStep.due_at), col(Hire.id))
    ).all()
    return [OpenStep(hire, step) for hire, step in rows]


@dataclass(frozen=True)
class Worklist:
    """Open steps sorted for the HR person (Today, the Monday digest): each in at most one list."""

    overdue: list[OpenStep]  # past their deadline
    soon: list[OpenStep]  # HR's or the worker's, due by the horizon
    authority: list[OpenStep]  # awaiting ESDC, IRCC or CBSA, not yet overdue


def worklist(steps: list[OpenStep], now: datetime, horizon: datetime) -> Worklist:
    def overdue(o: OpenStep) -> bool:
        return bool(o.step.due_at and o.step.due_at < now)

    return Worklist(
        overdue=[o for o in steps if overdue(o)],
        soon=[
            o
            for o in steps
            if o.step.due_at and now <= o.step.due_at <= horizon and o.step.owner not in AUTHORITIES
        ],
        authority=[o for o in steps if o.step.owner in AUTHORITIES and not overdue(o)],
    )


def clocks_at_risk(session: Session, *, team_id: str) -> list[AtRisk]:
    rows = session.exec(
        select(Hire, HireClock)
        .join(HireClock, col(HireClock.hire_id) == col(Hire.id))
        .where(
            Hire.team_id == team_id,
            Hire.status == HireStatus.ACTIVE,
            col(HireClock.status).in_((ClockStatus.AT_RISK, ClockStatus.MISSED)),
        )
        .order_by(col(HireClock.started_on))
    ).all()
    return [AtRisk(hire, clock) for hire, clock in rows]


def pipeline(session: Session, *, team_id: str) -> dict[str, Counter[str]]:
    """Active hires per pathway and current step (and permits being tracked)."""
    rows = session.exec(
        select(Hire.pathway, Hire.current_step, Hire.status).where(
            Hire.team_id == team_id,
            col(Hire.status).in_((HireStatus.ACTIVE, HireStatus.PERMIT_ISSUED)),
        )
    ).all()
    counts: dict[str, Counter[str]] = {}
    for pathway, step, status in rows:
        column = step if status == HireStatus.ACTIVE else HireStatus.PERMIT_ISSUED.value
        counts.setdefault(pathway, Counter())[column] += 1
    return counts


def permits_expiring(session: Session, *, team_id: str, first: date, last: date) -> list[Hire]:
    """The team's issued permits expiring from ``first`` to ``last`` (both included), soonest
    first: the expiry tracking still runs for them."""
    return list(
        session.exec(
            select(Hire)
            .where(
                Hire.team_id == team_id,
                Hire.status == HireStatus.PERMIT_ISSUED,
                col(Hire.permit_expires_on) >= first,
                col(Hire.permit_expires_on) <= last,
            )
            .order_by(col(Hire.permit_expires_on), col(Hire.id))
        ).all()
    )


def team_ids(session: Session) -> list[str]:
    return list(session.exec(select(Team.id).order_by(col(Team.id))).all())


def team_hire_ids(session: Session, *, team_id: str) -> list[str]:
    return list(session.exec(select(Hire.id).where(Hire.team_id == team_id)).all())
