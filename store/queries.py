"""What the API reads: keyword-only query functions over the projection, always scoped to a team."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from contracts.hire import HireStatus
from pathways import registry
from pathways.calendar import add_business_days, eastern_date, end_of
from store.models import Document, Hire, HireClock, HireEvent, HireItem, HireStep
from store.search import folded, matches, words

Row = TypeVar("Row")


class BadCursorError(ValueError):
    pass


class DueWindow(StrEnum):
    """Windows on a hire's next deadline, in Eastern days (active hires only)."""

    OVERDUE = "overdue"  # its deadline has passed
    TODAY = "today"  # due by the end of today
    NEXT_5_BUSINESS_DAYS = "next_5_business_days"  # by the end of the 5th business day (Today)
    NEXT_30_DAYS = "next_30_days"  # by the end of the 30th day from today


class PermitWindow(StrEnum):
    """Windows on an issued permit's expiry date, in Eastern days."""

    EXPIRED = "expired"  # expired before today
    WITHIN_30_DAYS = "within_30_days"  # expires today or in the next 30 days
    WITHIN_90_DAYS = "within_90_days"
    WITHIN_120_DAYS = "within_120_days"
    ANY = "any"  # a permit was issued


class HireSort(StrEnum):
    CREATED = "created"  # newest first
    NEXT_DUE = "next_due"  # soonest deadline first, hires with none last
    NEXT_DUE_DESC = "next_due_desc"  # latest deadline first, hires with none last
    PERMIT_EXPIRY = "permit_expiry"  # soonest permit expiry first, hires with none last


@dataclass(frozen=True)
class HireFilter:
    pathway: str | None = None
    status: str | None = None
    overdue: bool | None = None
    owner: str | None = None  # the HR owner's email, in any case
    owner_names: tuple[str, ...] | None = None  # HR owners' names, as stored (owners_matching)
    name: str | None = None  # words of the candidate's name (store.search)
    step: str | None = None  # the current step's key
    due: DueWindow | None = None
    permit: PermitWindow | None = None


@dataclass(frozen=True)
class Owner:
    name: str
    email: str


@dataclass(frozen=True)
class Page:
    hires: list[Hire]
    next_cursor: str | None


@dataclass(frozen=True)
class HireRecord:
    hire: Hire
    steps: list[HireStep]
    items: list[HireItem]
    documents: list[Document]
    clocks: list[HireClock]


def encode_cursor(values: Sequence[object]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, date) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[object]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as err:
        raise BadCursorError("cursor is not one this API returned") from err
    if not isinstance(values, list) or len(values) != 2 or not isinstance(values[1], str):
        raise BadCursorError("cursor is not one this API returned")
    return values


# Each sort: the column it orders by, and whether it runs from the largest value down.
SORTS: dict[HireSort, tuple[Any, bool]] = {
    HireSort.CREATED: (Hire.created_at, True),
    HireSort.NEXT_DUE: (Hire.next_due_at, False),
    HireSort.NEXT_DUE_DESC: (Hire.next_due_at, True),
    HireSort.PERMIT_EXPIRY: (Hire.permit_expires_on, False),
}


def list_hires(
    session: Session,
    *,
    team_id: str,
    filters: HireFilter,
    now: datetime,
    sort: str = "created",
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """One page of a team's hires, by keyset so a deep page costs what the first does.

    ``sort`` is a :class:`HireSort`: ``created`` newest first; ``next_due`` soonest deadline
    first and ``next_due_desc`` latest first; ``permit_expiry`` soonest expiry first. Hires
    without the sorted value (no open deadline, no permit) come last, by id.
    """
    order = HireSort(sort)
    query = _filtered(select(Hire).where(Hire.team_id == team_id), filters, now)
    query = _keyset(query, order, cursor)
    rows = list(session.exec(query.limit(limit + 1)).all())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        column, _ = SORTS[order]
        next_cursor = encode_cursor([getattr(last, column.key), last.id])
    return Page(hires=rows, next_cursor=next_cursor)


def _keyset(
    query: SelectOfScalar[Hire], sort: HireSort, cursor: str | None
) -> SelectOfScalar[Hire]:
    """``query`` in ``sort``'s order, from just after ``cursor``'s row.

    A row-value comparison: SQLite and PostgreSQL seek the index to it, where the equivalent
    OR walks the index from the top (measured: 19 ms at 70% of 100,000 hires, against
    0.2 ms; docs/performance.md). A nullable column sorts its NULLs last, by id."""
    column, descending = SORTS[sort]
    key, ident = col(column), col(Hire.id)
    nullable = sort != HireSort.CREATED
    if cursor:
        raw, last_id = decode_cursor(cursor)
        if raw is None:
            if not nullable:
                raise BadCursorError("cursor is not one this API returned")
            after = sa.and_(key.is_(None), ident < last_id if descending else ident > last_id)
        else:
            value = _parse_day(raw) if sort == HireSort.PERMIT_EXPIRY else _parse_when(raw)
            row = sa.tuple_(key, ident)
            seek = row < (value, last_id) if descending else row > (value, last_id)
            after = sa.or_(key.is_(None), seek) if nullable else seek
        query = query.where(after)
    by: list[Any] = [key.desc(), ident.desc()] if descending else [key, ident]
    if nullable:
        by.insert(0, sa.case((key.is_(None), 1), else_=0))
    return query.order_by(*by)


def count_hires(session: Session, *, team_id: str, filters: HireFilter, now: datetime) -> int:
    """How many of the team's hires ``filters`` lets through (every page of them)."""
    query = _filtered(select(Hire.id).where(Hire.team_id == team_id), filters, now)
    return int(session.exec(select(sa.func.count()).select_from(query.subquery())).one())


def all_hires(
    session: Session,
    *,
    team_id: str,
    filters: HireFilter,
    now: datetime,
    sort: str,
    batch: int = 500,
) -> Iterator[Hire]:
    """Every hire ``filters`` lets through, in ``sort``'s order, read a page at a time."""
    cursor: str | None = None
    while True:
        page = list_hires(
            session,
            team_id=team_id,
            filters=filters,
            now=now,
            sort=sort,
            limit=batch,
            cursor=cursor,
        )
        yield from page.hires
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def step_choices() -> dict[str, str]:
    """The steps a hire can be at, key to title, in the order hires go through them (a step
    shared by pathways comes once, after every pathway's steps before it): the list's filter
    by current step."""
    order: list[str] = []
    titles: dict[str, str] = {}
    for key in registry.keys():
        waiting: list[str] = []  # this pathway's new steps, placed before its next known one
        for step in registry.current(key).steps:
            if step.key in titles:
                at = order.index(step.key)
                order[at:at], waiting = waiting, []
            else:
                titles[step.key] = step.title
                waiting.append(step.key)
        order.extend(waiting)
    return {key: titles[key] for key in order}


def team_owners(session: Session, *, team_id: str) -> list[Owner]:
    """The team's HR owners, one per email (in any case), by name; for a choice by name."""
    rows = session.exec(
        select(Hire.hr_owner_name, Hire.hr_owner_email).where(Hire.team_id == team_id).distinct()
    ).all()
    by_email: dict[str, Owner] = {}
    for name, email in sorted(rows, key=lambda r: (r[0] == "", folded(r[0]), r[1])):
        if email:
            by_email.setdefault(email.lower(), Owner(name or email, email.lower()))
    return sorted(by_email.values(), key=lambda o: (folded(o.name), o.email))


def owners_matching(session: Session, *, team_id: str, name: str) -> tuple[str, ...]:
    """The HR owners' names (as stored) that hold every word of ``name`` (store.search)."""
    rows = session.exec(select(Hire.hr_owner_name).where(Hire.team_id == team_id).distinct()).all()
    return tuple(sorted(n for n in rows if matches(name, n)))


def _filtered(
    query: SelectOfScalar[Row], filters: HireFilter, now: datetime
) -> SelectOfScalar[Row]:
    if filters.pathway:
        query = query.where(Hire.pathway == filters.pathway)
    if filters.status:
        query = query.where(Hire.status == filters.status)
    if filters.owner:
        email = filters.owner.strip().lower()
        query = query.where(sa.func.lower(col(Hire.hr_owner_email)) == email)
    if filters.owner_names is not None:
        query = query.where(col(Hire.hr_owner_name).in_(filters.owner_names))
    for word in words(filters.name or ""):
        query = query.where(col(Hire.search_name).contains(word, autoescape=True))
    if filters.step:
        query = query.where(Hire.current_step == filters.step)
    if filters.overdue is True:
        query = query.where(Hire.status == HireStatus.ACTIVE, col(Hire.next_due_at) < now)
    elif filters.overdue is False:
        query = query.where(sa.or_(col(Hire.next_due_at).is_(None), col(Hire.next_due_at) >= now))
    if filters.due is not None:
        query = query.where(Hire.status == HireStatus.ACTIVE, *_due_window(filters.due, now))
    if filters.permit is not None:
        query = query.where(*_permit_window(filters.permit, eastern_date(now)))
    return query


def _due_window(window: DueWindow, now: datetime) -> list[Any]:
    due = col(Hire.next_due_at)
    if window == DueWindow.OVERDUE:
        return [due < now]
    today = eastern_date(now)
    last_day = {
        DueWindow.TODAY: today,
        DueWindow.NEXT_5_BUSINESS_DAYS: add_business_days(today, 5),
        DueWindow.NEXT_30_DAYS: today + timedelta(days=30),
    }[window]
    return [due >= now, due <= end_of(last_day)]


def _permit_window(window: PermitWindow, today: date) -> list[Any]:
    expires = col(Hire.permit_expires_on)
    if window == PermitWindow.ANY:
        return [expires.is_not(None)]
    if window == PermitWindow.EXPIRED:
        return [expires < today]
    days = {
        PermitWindow.WITHIN_30_DAYS: 30,
        PermitWindow.WITHIN_90_DAYS: 90,
        PermitWindow.WITHIN_120_DAYS: 120,
    }[window]
    return [expires >= today, expires <= today + timedelta(days=days)]


def _parse_day(raw: object) -> date:
    if not isinstance(raw, str):
        raise BadCursorError("cursor is not one this API returned")
    try:
        return date.fromisoformat(raw)
    except ValueError as err:
        raise BadCursorError("cursor is not one this API returned") from err


def _parse_when(raw: object) -> datetime:
    if not isinstance(raw, str):
        raise BadCursorError("cursor is not one this API returned")
    try:
        when = datetime.fromisoformat(raw)
    except ValueError as err:
        raise BadCursorError("cursor is not one this API returned") from err
    if when.tzinfo is None:
        raise BadCursorError("cursor is not one this API returned")
    return when


def get_hire(session: Session, *, team_id: str, hire_id: str) -> Hire | None:
    hire = session.get(Hire, hire_id)
    return hire if hire is not None and hire.team_id == team_id else None


def get_hire_record(session: Session, *, team_id: str, hire_id: str) -> HireRecord | None:
    hire = get_hire(session, team_id=team_id, hire_id=hire_id)
    if hire is None:
        return None
    steps = session.exec(
        select(HireStep).where(HireStep.hire_id == hire_id).order_by(col(HireStep.ordinal))
    ).all()
    items = session.exec(
        select(HireItem).where(HireItem.hire_id == hire_id).order_by(col(HireItem.ordinal))
    ).all()
    documents = session.exec(
        select(Document).where(Document.hire_id == hire_id).order_by(col(Document.uploaded_at))
    ).all()
    clocks = session.exec(select(HireClock).where(HireClock.hire_id == hire_id)).all()
    return HireRecord(hire, list(steps), list(items), list(documents), list(clocks))


def get_item(session: Session, *, hire_id: str, item_key: str) -> tuple[HireItem, HireStep] | None:
    item = session.get(HireItem, (hire_id, item_key))
    if item is None:
        return None
    step = session.get(HireStep, (hire_id, item.step_key))
    assert step is not None
    return item, step


def list_events(
    session: Session, *, hire_id: str, after: int = 0, limit: int = 500
) -> list[HireEvent]:
    query = (
        select(HireEvent)
        .where(HireEvent.hire_id == hire_id, col(HireEvent.seq) > after)
        .order_by(col(HireEvent.seq))
        .limit(limit)
    )
    return list(session.exec(query).all())


def get_document(
    session: Session, *, team_id: str, hire_id: str, document_id: str
) -> Document | None:
    if get_hire(session, team_id=team_id, hire_id=hire_id) is None:
        return None
    document = session.get(Document, document_id)
    return document if document is not None and document.hire_id == hire_id else None
