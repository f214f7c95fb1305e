"""Business days and local time for deadlines.

A business day is a weekday that is not a federal public-service holiday
(PATHWAYS.md section 5). The holidays come from ``pathways.holiday_table``, a
table generated from the ``holidays`` library by ``tools.holiday_source``
(and checked against it by the tests): the library reads translation files
when it runs, which workflow code must not, and a frozen table also keeps a
library upgrade from moving the deadlines of hires in flight.

Deadlines are kept in Eastern time (Ottawa, where ESDC and IRCC count their
standards). The daylight-saving rule is computed here rather than read from
the system's time-zone files, so this module does no I/O and stays safe to
call from workflow code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from pathways.holiday_table import FEDERAL_HOLIDAYS, FIRST_YEAR, LAST_YEAR

REMINDER_HOUR = 9  # reminders and notices go out at 09:00 Eastern on a business day


def federal_holidays(year: int) -> dict[date, str]:
    """The federal public-service holidays of ``year``, each on the day it is observed."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"no holiday table for {year}: run `python -m tools.holiday_source` to extend it"
        )
    return FEDERAL_HOLIDAYS[year]


def holiday_name(day: date) -> str | None:
    return federal_holidays(day.year).get(day)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def next_business_day(day: date) -> date:
    """The first business day strictly after ``day``."""
    day += timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def previous_business_day(day: date) -> date:
    """The last business day strictly before ``day``."""
    day -= timedelta(days=1)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def add_business_days(day: date, count: int) -> date:
    """The ``count``-th business day after ``day`` (before it when negative)."""
    step = next_business_day if count >= 0 else previous_business_day
    for _ in range(abs(count)):
        day = step(day)
    return day


def business_days_between(start: date, end: date) -> int:
    """Business days in (start, end]: how many business days ``end`` is after ``start``."""
    if end <= start:
        return -business_days_between(end, start) if end < start else 0
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count


def service_standard_due(received: date, business_days: int) -> date:
    """Due date of a standard counted "from the business day after receipt" (that day is day 1)."""
    first = next_business_day(received)
    return add_business_days(first, business_days - 1)


def business_day_on_or_after(day: date) -> date:
    return day if is_business_day(day) else next_business_day(day)


# Eastern time without tz files: since 2007 Canada's Eastern zone is UTC-5,
# and UTC-4 from 02:00 local on the second Sunday of March to 02:00 local on
# the first Sunday of November.


def _nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def _dst_bounds_utc(year: int) -> tuple[datetime, datetime]:
    start = datetime.combine(_nth_sunday(year, 3, 2), time(7), UTC)  # 02:00 EST
    end = datetime.combine(_nth_sunday(year, 11, 1), time(6), UTC)  # 02:00 EDT
    return start, end


def eastern_offset(instant: datetime) -> timedelta:
    """UTC offset of Eastern time at ``instant`` (an aware datetime)."""
    start, end = _dst_bounds_utc(instant.astimezone(UTC).year)
    return timedelta(hours=-4) if start <= instant < end else timedelta(hours=-5)


def eastern_date(instant: datetime) -> date:
    """The calendar date in Eastern time at ``instant``."""
    return (instant.astimezone(UTC) + eastern_offset(instant)).date()


def eastern_instant(day: date, at: time) -> datetime:
    """The UTC instant of wall-clock time ``at`` on ``day`` in Eastern time."""
    naive_utc = datetime.combine(day, at, UTC)
    guess = naive_utc + timedelta(hours=5)
    offset = eastern_offset(guess)
    candidate = naive_utc - offset
    if eastern_offset(candidate) != offset:  # the day of a switch: re-check with the new offset
        candidate = naive_utc - eastern_offset(candidate)
    return candidate


def morning_of(day: date) -> datetime:
    """09:00 Eastern on ``day``: when reminders and notices for that day go out."""
    return eastern_instant(day, time(REMINDER_HOUR))


def end_of(day: date) -> datetime:
    """The first instant after ``day`` ends in Eastern time: a deadline on ``day`` passes then."""
    return eastern_instant(day + timedelta(days=1), time(0))
