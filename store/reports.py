"""The team's reports: hires started and permits issued per month, time spent in each step,
each authority's on-time rate against its standard, and permits expiring per month. Reads
only, always scoped to a team.

Months are Eastern calendar months. The queries fetch only the columns a report needs and
bucket them into months in Python against the months' UTC boundaries (SQLite and PostgreSQL
share no date function), so the same code runs on both.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from contracts.hire import HireStatus, StepStatus
from pathways.calendar import eastern_instant, end_of
from pathways.model import Owner
from store.models import Hire, HireStep

MONTHS = 12  # each report covers 12 months: the last 12 up to this one, or the next 12
# the authorities whose decisions run against a published standard (ESDC's 10 business days
# for an LMIA, IRCC's two weeks for an online application), and CBSA's where a hire has one
AUTHORITIES = (Owner.ESDC.value, Owner.IRCC.value, Owner.CBSA.value)
ISSUED = (HireStatus.PERMIT_ISSUED.value, HireStatus.PERMIT_EXPIRED.value)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_to(today: date, count: int = MONTHS) -> list[date]:
    """The first day of each of the ``count`` months up to and including today's, oldest first."""
    this = first_of_month(today)
    return [add_months(this, i - count + 1) for i in range(count)]


def months_from(today: date, count: int = MONTHS) -> list[date]:
    """The first day of this month and each of the ``count - 1`` after it."""
    this = first_of_month(today)
    return [add_months(this, i) for i in range(count)]


class MonthBuckets:
    """Instants to Eastern months by bisecting the months' UTC boundaries (fast for many)."""

    def __init__(self, months: list[date]) -> None:
        self.months = months
        self.bounds = [eastern_instant(m, time(0)) for m in [*months, add_months(months[-1], 1)]]

    @property
    def start(self) -> datetime:
        return self.bounds[0]

    @property
    def end(self) -> datetime:
        return self.bounds[-1]

    def month(self, instant: datetime) -> date | None:
        index = bisect_right(self.bounds, instant) - 1
        return self.months[index] if 0 <= index < len(self.months) else None


def percentile(sorted_values: list[float], p: float) -> float:
    """The nearest-rank ``p``th percentile of values sorted ascending (a value that occurred)."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


# ---- hires started and permits issued, per month and pathway ----


@dataclass(frozen=True)
class HiresMonth:
    month: date
    started: dict[str, int]  # by pathway
    issued: dict[str, int]  # permits issued (the hire's completion), by pathway


def hires_per_month(session: Session, *, team_id: str, months: list[date]) -> list[HiresMonth]:
    buckets = MonthBuckets(months)
    started: dict[date, Counter[str]] = defaultdict(Counter)
    issued: dict[date, Counter[str]] = defaultdict(Counter)
    created = session.exec(
        select(Hire.pathway, Hire.created_at).where(
            Hire.team_id == team_id, Hire.created_at >= buckets.start, Hire.created_at < buckets.end
        )
    )
    for pathway, at in created:
        month = buckets.month(at)
        if month is not None:
            started[month][pathway] += 1
    closed = session.exec(
        select(Hire.pathway, col(Hire.closed_at)).where(
            Hire.team_id == team_id,
            col(Hire.status).in_(ISSUED),
            col(Hire.closed_at) >= buckets.start,
            col(Hire.closed_at) < buckets.end,
        )
    )
    for pathway, closed_at in closed:
        month = buckets.month(closed_at) if closed_at else None
        if month is not None:
            issued[month][pathway] += 1
    return [HiresMonth(m, dict(started[m]), dict(issued[m])) for m in months]


# ---- time spent in each step ----


@dataclass(frozen=True)
class StepTime:
    pathway: str
    step: str  # the step's key
    done: int  # steps finished in the window
    median_days: float
    p90_days: float


def _days(session: Session) -> sa.ColumnElement[Any]:
    """A done step's days from opening to completion, computed by the database (no date
    parsing in Python): SQLite stores UTC text, PostgreSQL timestamps."""
    opened, completed = col(HireStep.opened_at), col(HireStep.completed_at)
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.julianday(completed) - sa.func.julianday(opened)
    return sa.extract("epoch", completed - opened) / 86400


def step_times(session: Session, *, team_id: str, since: datetime) -> list[StepTime]:
    """Days from a step's opening to its completion, for the steps done since ``since``: the
    median and the 90th percentile per pathway and step, ordered by pathway and step key (the
    page orders them as the pathway runs)."""
    rows = session.exec(
        select(Hire.pathway, HireStep.key, _days(session))
        .join(Hire, col(Hire.id) == col(HireStep.hire_id))
        .where(
            Hire.team_id == team_id,
            HireStep.status == StepStatus.DONE,
            col(HireStep.completed_at) >= since,
            col(HireStep.opened_at).is_not(None),
        )
    )
    spans: dict[tuple[str, str], list[float]] = defaultdict(list)
    for pathway, key, span in rows:
        if span is not None and span >= 0:
            spans[(pathway, key)].append(float(span))
    out = []
    for (pathway, key), days in sorted(spans.items()):
        days.sort()
        out.append(StepTime(pathway, key, len(days), percentile(days, 50), percentile(days, 90)))
    return out


# ---- each authority's decisions against its standard ----


@dataclass(frozen=True)
class OnTimeMonth:
    month: date
    decided: dict[str, int]  # by authority
    on_time: dict[str, int]

    def rate(self, authority: str) -> float | None:
        decided = self.decided.get(authority, 0)
        return self.on_time.get(authority, 0) / decided if decided else None


def on_time_per_month(session: Session, *, team_id: str, months: list[date]) -> list[OnTimeMonth]:
    """Authority steps with a service standard decided in each month, and how many by their
    due date (the decision's Eastern date on or before it)."""
    buckets = MonthBuckets(months)
    rows = session.exec(
        select(HireStep.owner, col(HireStep.completed_at), col(HireStep.due_on))
        .join(Hire, col(Hire.id) == col(HireStep.hire_id))
        .where(
            Hire.team_id == team_id,
            col(HireStep.owner).in_(AUTHORITIES),
            col(HireStep.service_standard).is_(True),
            HireStep.status == StepStatus.DONE,
            col(HireStep.completed_at) >= buckets.start,
            col(HireStep.completed_at) < buckets.end,
        )
    )
    decided: dict[date, Counter[str]] = defaultdict(Counter)
    on_time: dict[date, Counter[str]] = defaultdict(Counter)
    ends: dict[date, datetime] = {}  # each due date's end in Eastern time, computed once
    for owner, completed, due_on in rows:
        month = buckets.month(completed) if completed else None
        if month is None or completed is None:
            continue
        decided[month][owner] += 1
        if due_on is not None:
            end = ends.get(due_on) or ends.setdefault(due_on, end_of(due_on))
            if completed < end:
                on_time[month][owner] += 1
    return [OnTimeMonth(m, dict(decided[m]), dict(on_time[m])) for m in months]


# ---- permits expiring ----


def expiries_per_month(
    session: Session, *, team_id: str, months: list[date]
) -> list[tuple[date, int]]:
    """Issued permits (still tracked) expiring in each month: counted per day in SQL."""
    last = add_months(months[-1], 1)
    rows: Iterable[tuple[date | None, int]] = session.exec(
        select(col(Hire.permit_expires_on), sa.func.count())
        .where(
            Hire.team_id == team_id,
            Hire.status == HireStatus.PERMIT_ISSUED,
            col(Hire.permit_expires_on) >= months[0],
            col(Hire.permit_expires_on) < last,
        )
        .group_by(col(Hire.permit_expires_on))
    )
    counts: Counter[date] = Counter()
    for day, count in rows:
        if day is not None:
            counts[first_of_month(day)] += count
    return [(m, counts[m]) for m in months]
