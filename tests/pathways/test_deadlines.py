"""Due dates and notices (PATHWAYS.md 1.4 and 5), counted by hand in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pathways.deadlines import NoticeKind, clock_notices, due_date, step_notices
from pathways.gts import GTS_2025_11, TWO_WEEK_TARGET
from pathways.model import AUTHORITY_PLAN, ReminderPlan

ESDC = GTS_2025_11.step("lmia_decision").deadline
IRCC = GTS_2025_11.step("work_permit_decision").deadline
PREPARE = GTS_2025_11.step("prepare_lmia").deadline


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Fri Dec 18 2026: day 1 Mon 21, 22, 23, 24 (4); Fri 25 Christmas; Mon 28 Boxing Day
        # observed; 29 (5), 30, 31 (7); Fri Jan 1; Jan 4 (8), 5 (9), 6 (10).
        (date(2026, 12, 18), date(2027, 1, 6)),
        # Wed Dec 23 2026: day 1 Thu 24, then 29, 30, 31, Jan 4, 5, 6, 7, 8 (9), Mon 11 (10).
        (date(2026, 12, 23), date(2027, 1, 11)),
        # Thu Dec 24 2026: the business day after is Tue Dec 29 (Christmas, weekend, Boxing Day
        # observed): 29, 30, 31, Jan 4, 5, 6, 7, 8, 11, 12 -> Tue Jan 12.
        (date(2026, 12, 24), date(2027, 1, 12)),
        # Fri Sep 25 2026: Mon 28 (1), Tue 29 (2), Wed 30 NDTR, Oct 1 (3), 2 (4), 5..9 (5-9),
        # Mon Oct 12 Thanksgiving, Tue Oct 13 (10).
        (date(2026, 9, 25), date(2026, 10, 13)),
        # Received on a holiday (Sep 30 2026): day 1 is Thu Oct 1; 1,2,5,6,7,8,9,13,14,15.
        (date(2026, 9, 30), date(2026, 10, 15)),
    ],
)
def test_esdc_standard_is_ten_business_days_from_the_business_day_after_receipt(
    received: date, due: date
) -> None:
    assert due_date(ESDC, received) == due


def test_ircc_two_weeks_are_calendar_days() -> None:
    assert due_date(IRCC, date(2026, 12, 18)) == date(2027, 1, 1)


def test_employer_step_counts_business_days_from_the_day_it_opens() -> None:
    # Opened Mon Dec 21 2026: 22, 23, 24, 29, 30, 31, Jan 4, 5, 6, 7 -> Thu Jan 7.
    assert due_date(PREPARE, date(2026, 12, 21)) == date(2027, 1, 7)


def at(day: str) -> datetime:
    """09:00 Eastern (14:00 UTC in winter) on ``day``."""
    return datetime.fromisoformat(f"{day}T14:00:00+00:00").astimezone(UTC)


def test_reminders_before_and_escalations_after_skip_the_holidays() -> None:
    notices = step_notices(date(2027, 1, 6), ReminderPlan(), service_standard=False)
    assert [(n.kind, n.at, n.days) for n in notices] == [
        (NoticeKind.REMINDER, at("2026-12-31"), 3),  # Jan 5, Jan 4, (Jan 1 holiday) Dec 31
        (NoticeKind.REMINDER, at("2027-01-05"), 1),
        (NoticeKind.ESCALATION, at("2027-01-07"), 1),
        (NoticeKind.ESCALATION, at("2027-01-11"), 3),
        (NoticeKind.ESCALATION, at("2027-01-13"), 5),
    ]


def test_an_authority_step_is_not_nagged_before_its_standard() -> None:
    notices = step_notices(date(2027, 1, 6), AUTHORITY_PLAN, service_standard=True)
    assert [n.kind for n in notices] == [
        NoticeKind.DECISION_DUE,
        NoticeKind.STANDARD_PASSED,
        NoticeKind.FOLLOW_UP,
        NoticeKind.FOLLOW_UP,
    ]
    assert notices[0].at == at("2027-01-06")
    assert all(n.at >= at("2027-01-06") for n in notices)
    assert notices[1].at == at("2027-01-07")


def test_a_due_date_on_a_weekend_is_announced_on_the_last_business_day_before_it() -> None:
    notices = step_notices(date(2027, 1, 2), AUTHORITY_PLAN, service_standard=True)  # a Saturday
    assert notices[0].kind == NoticeKind.DECISION_DUE and notices[0].at == at("2026-12-31")
    assert notices[1].kind == NoticeKind.STANDARD_PASSED and notices[1].at == at("2027-01-04")


def test_the_clock_replaces_an_authority_steps_due_and_passed_notices() -> None:
    notices = step_notices(
        date(2027, 1, 1), AUTHORITY_PLAN, service_standard=True, clock_covers=True
    )
    assert {n.kind for n in notices} == {NoticeKind.FOLLOW_UP}


def test_two_week_clock_is_at_risk_on_day_10_and_missed_when_day_14_ends() -> None:
    at_risk, missed = clock_notices(TWO_WEEK_TARGET, date(2026, 12, 18))
    assert at_risk.kind == NoticeKind.CLOCK_AT_RISK and at_risk.at == at("2026-12-28")
    # End of Fri Jan 1 2027 Eastern = 05:00 UTC Jan 2.
    assert missed.kind == NoticeKind.CLOCK_MISSED and missed.at == datetime(
        2027, 1, 2, 5, tzinfo=UTC
    )


def test_moving_the_deadline_gives_new_notice_keys() -> None:
    first = {n.key for n in step_notices(date(2027, 1, 6), ReminderPlan(), service_standard=False)}
    moved = {n.key for n in step_notices(date(2027, 1, 8), ReminderPlan(), service_standard=False)}
    assert not first & moved
