"""Jinja filters shared by email and page templates: formatting only, no words."""

from __future__ import annotations

from datetime import date, datetime

from jinja2 import Environment

from pathways.calendar import eastern_date


def _day(value: date | datetime | str) -> date:
    """A date, an ISO string, or a datetime shown on its Eastern-time date."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return eastern_date(value)
    return value


def long_date(value: date | datetime | str | None) -> str:
    """'Wednesday, January 6, 2027'."""
    if value is None or value == "":
        return ""
    day = _day(value)
    return f"{day:%A, %B} {day.day}, {day.year}"


def short_date(value: date | datetime | str | None) -> str:
    """'Jan 6, 2027'."""
    if value is None or value == "":
        return ""
    day = _day(value)
    return f"{day:%b} {day.day}, {day.year}"


def money(cents: int | None) -> str:
    if cents is None:
        return ""
    dollars, rest = divmod(int(cents), 100)
    return f"${dollars:,}" + (f".{rest:02d}" if rest else "")


def register_filters(env: Environment) -> None:
    env.filters.update(long_date=long_date, short_date=short_date, money=money)
