"""Jinja filters shared by email and page templates: formatting only, no words.

One format everywhere (README, "Dates and times"): a date is 'Jan 6, 2027'; a moment (an
aware datetime: an event, an upload, an email sent) is its date and time of day in Eastern
time, 'Jan 6, 2027, 2:05 p.m. ET'. Stored moments are UTC; a naive one is read as UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment

EASTERN = ZoneInfo("America/Toronto")  # the zone of every deadline (pathways.calendar)


def eastern(moment: datetime) -> datetime:
    """``moment`` on Eastern wall-clock time (a naive datetime is taken as UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(EASTERN)


def _parsed(value: date | datetime | str) -> date | datetime:
    """A date or a moment; an ISO string with a time of day is a moment."""
    if not isinstance(value, str):
        return value
    if len(value) > 10:
        return datetime.fromisoformat(value)
    return date.fromisoformat(value)


def clock_time(moment: datetime) -> str:
    """'2:05 p.m. ET', '12:00 a.m. ET' (midnight), in Eastern time."""
    local = eastern(moment)
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d} {'a.m.' if local.hour < 12 else 'p.m.'} ET"


def _format(value: date | datetime | str | None, day_format: str) -> str:
    if value is None or value == "":
        return ""
    parsed = _parsed(value)
    if isinstance(parsed, datetime):
        day = eastern(parsed).date()
        return f"{day:{day_format}} {day.day}, {day.year}, {clock_time(parsed)}"
    return f"{parsed:{day_format}} {parsed.day}, {parsed.year}"


def short_date(value: date | datetime | str | None) -> str:
    """A date: 'Jan 6, 2027'; a moment: 'Jan 6, 2027, 2:05 p.m. ET'."""
    return _format(value, "%b")


def long_date(value: date | datetime | str | None) -> str:
    """A date: 'Wednesday, January 6, 2027' (the Today page's heading); a moment gets its
    Eastern time of day like short_date."""
    return _format(value, "%A, %B")


def money(cents: int | None) -> str:
    if cents is None:
        return ""
    dollars, rest = divmod(int(cents), 100)
    return f"${dollars:,}" + (f".{rest:02d}" if rest else "")


def register_filters(env: Environment) -> None:
    env.filters.update(long_date=long_date, short_date=short_date, money=money)
