"""The holiday table, the Eastern-time rule and the reminder hour are workflow code: they
decide when running hires' deadlines fall and their notices go out, so changing them moves
hires in flight (a replay of their histories then fails). Like a published rules version,
they are frozen here; docs/versioning.md says how to change them safely."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

from pathways.calendar import REMINDER_HOUR, eastern_offset
from pathways.holiday_table import FEDERAL_HOLIDAYS, FIRST_YEAR, LAST_YEAR

# The table as generated on 2026-11-29 (tools/holiday_source.py); a new holiday (a one-off
# like 19 September 2022) means a change recorded against histories, with a new digest here.
HOLIDAYS_DIGEST = "b93dbcdd6dadc6575cd8a11bba3e2debf9a42f7d3a7e3d24198ac9be6691e544"


def test_the_holiday_table_is_the_published_one() -> None:
    canonical = json.dumps(
        {
            str(year): {day.isoformat(): name for day, name in sorted(days.items())}
            for year, days in sorted(FEDERAL_HOLIDAYS.items())
        },
        sort_keys=True,
    )
    assert hashlib.sha256(canonical.encode()).hexdigest() == HOLIDAYS_DIGEST, (
        "the holiday table changed: running hires' deadlines move with it; "
        "follow docs/versioning.md ('The calendar') before updating this digest"
    )
    assert (FIRST_YEAR, LAST_YEAR) == (2020, 2045)


def test_eastern_time_and_the_reminder_hour_are_as_published() -> None:
    assert REMINDER_HOUR == 9
    offsets = {
        at.isoformat(): eastern_offset(at).total_seconds() / 3600
        for at in (
            datetime(2027, 3, 14, 6, 59, tzinfo=UTC),  # before the spring change
            datetime(2027, 3, 14, 7, 0, tzinfo=UTC),
            datetime(2027, 11, 7, 5, 59, tzinfo=UTC),  # before the fall change
            datetime(2027, 11, 7, 6, 0, tzinfo=UTC),
        )
    }
    assert list(offsets.values()) == [-5, -4, -4, -5]


def test_the_table_reaches_two_years_past_today() -> None:
    """A deadline past the table's last year stops the hire that reaches it: extend the
    table (as a recorded change) well before."""
    assert LAST_YEAR >= date.today().year + 2
