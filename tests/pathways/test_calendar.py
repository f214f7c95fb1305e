"""Business days and Eastern time (PATHWAYS.md section 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pathways.calendar import (
    add_business_days,
    eastern_date,
    eastern_instant,
    eastern_offset,
    federal_holidays,
    is_business_day,
    morning_of,
    next_business_day,
)
from pathways.holiday_table import FEDERAL_HOLIDAYS
from tools.holiday_source import FIRST_YEAR, LAST_YEAR, compute_federal_holidays

# PATHWAYS.md section 5, the table, holiday by holiday (St-Jean-Baptiste is Quebec's,
# not a federal business-day holiday, so it is left out).
SECTION_5 = {
    2025: ["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-19", "2025-07-01", "2025-08-04",
           "2025-09-01", "2025-09-30", "2025-10-13", "2025-11-11", "2025-12-25", "2025-12-26"],
    2026: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-18", "2026-07-01", "2026-08-03",
           "2026-09-07", "2026-09-30", "2026-10-12", "2026-11-11", "2026-12-25", "2026-12-28"],
    2027: ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-24", "2027-07-01", "2027-08-02",
           "2027-09-06", "2027-09-30", "2027-10-11", "2027-11-11", "2027-12-27", "2027-12-28"],
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(SECTION_5))
def test_holidays_are_the_ones_in_section_5(year: int) -> None:
    assert sorted(d.isoformat() for d in federal_holidays(year)) == SECTION_5[year]


def test_weekend_holidays_are_observed_on_the_next_working_day() -> None:
    assert federal_holidays(2026)[date(2026, 12, 28)] == "Boxing Day (observed)"  # Sat Dec 26
    assert federal_holidays(2027)[date(2027, 12, 27)] == "Christmas Day (observed)"  # Sat
    assert federal_holidays(2027)[date(2027, 12, 28)] == "Boxing Day (observed)"  # Sun -> Tue
    assert federal_holidays(2029)[date(2029, 10, 1)].startswith("National Day for Truth")  # Sun


def test_the_committed_table_is_what_the_library_and_rules_give() -> None:
    """pathways/holiday_table.py is generated; regenerate it if this fails."""
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        assert FEDERAL_HOLIDAYS[year] == compute_federal_holidays(year), year


def test_a_year_outside_the_table_is_an_error_not_a_silent_weekday() -> None:
    with pytest.raises(ValueError, match="holiday_source"):
        federal_holidays(LAST_YEAR + 1)


def test_business_days_skip_weekends_and_holidays() -> None:
    assert not is_business_day(date(2026, 9, 30))  # NDTR, a Wednesday
    assert not is_business_day(date(2026, 12, 26))  # Saturday
    assert next_business_day(date(2026, 12, 24)) == date(
        2026, 12, 29
    )  # Christmas, weekend, Boxing Day obs.
    assert add_business_days(date(2026, 12, 31), 1) == date(2027, 1, 4)  # New Year's Day, weekend
    assert add_business_days(date(2027, 1, 6), -3) == date(2026, 12, 31)
    assert add_business_days(date(2026, 4, 2), 1) == date(2026, 4, 7)  # Good Friday, Easter Monday


def test_eastern_time_matches_the_time_zone_database() -> None:
    toronto = ZoneInfo("America/Toronto")
    instant = datetime(2024, 1, 1, tzinfo=UTC)
    while instant.year < 2031:
        assert eastern_offset(instant) == instant.astimezone(toronto).utcoffset(), instant
        assert eastern_date(instant) == instant.astimezone(toronto).date(), instant
        instant += timedelta(minutes=37)


def test_morning_notices_are_at_nine_eastern_summer_and_winter() -> None:
    assert morning_of(date(2026, 7, 2)) == datetime(2026, 7, 2, 13, tzinfo=UTC)
    assert morning_of(date(2026, 12, 29)) == datetime(2026, 12, 29, 14, tzinfo=UTC)
    toronto = ZoneInfo("America/Toronto")
    for day in (date(2026, 3, 8), date(2026, 11, 1), date(2027, 3, 14)):  # switch days
        assert (
            eastern_instant(day, datetime.min.time().replace(hour=9)).astimezone(toronto).hour == 9
        )
