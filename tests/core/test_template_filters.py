"""One format for dates and moments on pages and in emails: a date is 'Jan 6, 2027'; a moment
is its Eastern date and time of day, 'Jan 6, 2027, 2:05 p.m. ET'."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.template_filters import long_date, short_date
from pathways.calendar import eastern_date


def test_a_date_shows_without_a_time() -> None:
    assert short_date(date(2027, 1, 6)) == "Jan 6, 2027"
    assert short_date("2027-01-06") == "Jan 6, 2027"
    assert long_date(date(2027, 1, 6)) == "Wednesday, January 6, 2027"
    assert short_date(None) == short_date("") == ""


def test_a_winter_moment_is_five_hours_behind_utc() -> None:
    assert short_date(datetime(2027, 1, 6, 19, 5, tzinfo=UTC)) == "Jan 6, 2027, 2:05 p.m. ET"


def test_a_summer_moment_is_four_hours_behind_utc() -> None:
    assert short_date(datetime(2027, 7, 6, 18, 5, tzinfo=UTC)) == "Jul 6, 2027, 2:05 p.m. ET"


def test_a_late_evening_in_toronto_is_already_tomorrow_in_utc() -> None:
    winter = datetime(2027, 1, 7, 4, 59, tzinfo=UTC)  # 23:59 EST on the 6th
    summer = datetime(2027, 7, 7, 3, 30, tzinfo=UTC)  # 23:30 EDT on the 6th
    assert short_date(winter) == "Jan 6, 2027, 11:59 p.m. ET"
    assert short_date(summer) == "Jul 6, 2027, 11:30 p.m. ET"
    assert short_date(winter + timedelta(minutes=1)) == "Jan 7, 2027, 12:00 a.m. ET"
    assert short_date(datetime(2027, 1, 7, 17, tzinfo=UTC)) == "Jan 7, 2027, 12:00 p.m. ET"


def test_an_iso_string_with_a_time_and_a_naive_moment_are_utc_moments() -> None:
    assert short_date("2027-01-07T04:59:00+00:00") == "Jan 6, 2027, 11:59 p.m. ET"
    assert short_date(datetime(2027, 1, 7, 4, 59)) == "Jan 6, 2027, 11:59 p.m. ET"
    assert long_date(datetime(2027, 1, 7, 4, 59, tzinfo=UTC)) == (
        "Wednesday, January 6, 2027, 11:59 p.m. ET"
    )


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2027, 3, 14, 6, 59, tzinfo=UTC),  # 01:59 EST, a minute before clocks go forward
        datetime(2027, 3, 14, 7, 0, tzinfo=UTC),  # 03:00 EDT
        datetime(2027, 11, 7, 5, 59, tzinfo=UTC),  # 01:59 EDT, the first of the two
        datetime(2027, 11, 7, 6, 0, tzinfo=UTC),  # 01:00 EST, the second
    ],
)
def test_the_shown_date_is_the_deadlines_date_across_a_clock_change(moment: datetime) -> None:
    """The time zone database and the deadline rules (pathways.calendar) agree, so a page
    never shows a moment on a day other than the one its deadline counts."""
    local = moment.astimezone(ZoneInfo("America/Toronto"))
    assert local.date() == eastern_date(moment)
    assert short_date(moment).startswith(f"{local:%b} {local.day}, {local.year}, ")
    assert short_date(moment).endswith(f"{local.hour % 12 or 12}:{local.minute:02d} a.m. ET")
