"""Properties of the business-day and screening rules, over many generated inputs (hypothesis)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.calendar import (
    add_business_days,
    business_days_between,
    eastern_date,
    eastern_instant,
    eastern_offset,
    end_of,
    is_business_day,
    morning_of,
    next_business_day,
    previous_business_day,
    service_standard_due,
)
from pathways.deadlines import step_notices
from pathways.eligibility import (
    Candidate,
    Education,
    Met,
    Position,
    RelatedEmployment,
    Relationship,
    Status,
    WagePer,
    screen_all,
    spouse_open_work_permit,
)
from pathways.ict import Capacity
from pathways.model import AUTHORITY_PLAN, ReminderPlan

days = st.dates(min_value=date(2021, 1, 1), max_value=date(2044, 12, 1))
counts = st.integers(min_value=0, max_value=120)


@given(days, counts)
def test_adding_business_days_lands_on_one_and_counts_back(start: date, n: int) -> None:
    end = add_business_days(start, n)
    if n:
        assert is_business_day(end)
    assert business_days_between(start, end) == n
    assert end >= start


@given(days, counts)
def test_going_forward_then_back_returns_to_the_same_business_day(start: date, n: int) -> None:
    day = start if is_business_day(start) else next_business_day(start)
    assert add_business_days(add_business_days(day, n), -n) == day


@given(days)
def test_next_and_previous_business_days_skip_only_non_business_days(day: date) -> None:
    after, before = next_business_day(day), previous_business_day(day)
    assert is_business_day(after) and is_business_day(before)
    assert all(not is_business_day(day + timedelta(days=k)) for k in range(1, (after - day).days))
    assert all(not is_business_day(day - timedelta(days=k)) for k in range(1, (day - before).days))


@given(days, st.integers(min_value=1, max_value=30))
def test_a_service_standard_is_n_business_days_after_receipt(received: date, n: int) -> None:
    due = service_standard_due(received, n)
    assert is_business_day(due) and business_days_between(received, due) == n


@given(days, st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_eastern_wall_clock_round_trips(day: date, hour: int, minute: int) -> None:
    spring_gap = hour == 2 and day.month == 3 and day.weekday() == 6 and 8 <= day.day <= 14
    instant = eastern_instant(day, datetime.min.time().replace(hour=hour, minute=minute))
    local = instant + eastern_offset(instant)
    if not spring_gap:  # 02:xx does not exist the night clocks spring forward
        assert (local.date(), local.hour, local.minute) == (day, hour, minute)
    assert eastern_date(end_of(day) - timedelta(seconds=1)) == day
    assert eastern_date(morning_of(day)) == day


@given(days, st.booleans())
def test_notices_are_ordered_and_reminders_come_before_the_due_date(
    due: date, authority: bool
) -> None:
    notices = step_notices(
        due, AUTHORITY_PLAN if authority else ReminderPlan(), service_standard=authority
    )
    assert [n.at for n in notices] == sorted(n.at for n in notices)
    assert len({n.key for n in notices}) == len(notices)
    for notice in notices:
        if notice.kind == "reminder":
            assert notice.at < end_of(due)
        else:
            assert notice.at >= morning_of(due) or notice.kind == "decision_due"


countries = st.lists(
    st.sampled_from(["US", "MX", "IN", "FR", "BR", "CN", "GB", "CA"]),
    min_size=1,
    max_size=3,
    unique=True,
)
nocs = st.sampled_from(
    [
        "20012",
        "21231",
        "21211",
        "22222",
        "22220",
        "52120",
        "51120",
        "11100",
        "64100",
        "12010",
        "21320",
    ]
)
wages = st.decimals(min_value=Decimal("10"), max_value=Decimal("400000"), places=2)


@settings(max_examples=300, deadline=None)
@given(
    countries,
    st.one_of(st.none(), st.sampled_from(list(Education))),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=40, places=1)),
    nocs,
    wages,
    st.sampled_from(list(WagePer)),
    st.sampled_from(["ON", "QC", "BC"]),
    st.one_of(st.none(), st.sampled_from(list(Capacity))),
    st.one_of(st.none(), st.sampled_from(list(Relationship))),
    st.one_of(st.none(), st.integers(min_value=0, max_value=1500)),
    st.one_of(st.none(), st.booleans()),
)
def test_screening_always_gives_reasons_and_a_consistent_verdict(
    citizenships: list[str],
    education: Education | None,
    years: Decimal | None,
    noc: str,
    amount: Decimal,
    per: WagePer,
    province: str,
    capacity: Capacity | None,
    relationship: Relationship | None,
    job_days: int | None,
    visa_exempt: bool | None,
) -> None:
    today = date(2026, 12, 1)
    job = (
        RelatedEmployment(start=today - timedelta(days=job_days)) if job_days is not None else None
    )
    candidate = Candidate(
        citizenships=tuple(citizenships), education=education, years_experience=years,
        related_employment=job, visa_exempt=visa_exempt,
    )  # fmt: skip
    position = Position(
        noc=noc, wage_amount=amount, wage_per=per, province=province, ict_capacity=capacity,
        employer_relationship=relationship, cusma_profession="computer_systems_analyst",
    )  # fmt: skip
    for verdict in screen_all(candidate, position, today):
        assert verdict.findings, verdict
        assert all(f.reason for f in verdict.findings)
        expected = (
            Status.NOT_ELIGIBLE if any(f.met == Met.NO for f in verdict.findings)
            else Status.NEEDS_EVIDENCE if any(f.met == Met.EVIDENCE for f in verdict.findings)
            else Status.ELIGIBLE
        )  # fmt: skip
        assert verdict.status == expected
        assert all(f.missing for f in verdict.findings if f.met == Met.EVIDENCE)
        if "CA" in citizenships:
            assert verdict.status == Status.NOT_ELIGIBLE
        if verdict.pathway == "cusma" and not {"US", "MX"} & set(citizenships):
            assert verdict.status == Status.NOT_ELIGIBLE
        if verdict.may_apply_at_border:
            assert "US" in citizenships or visa_exempt is True


@given(nocs, st.one_of(st.none(), st.integers(min_value=0, max_value=120)))
def test_the_spouse_rule_never_says_yes_under_sixteen_months(noc: str, months: int | None) -> None:
    finding = spouse_open_work_permit(
        Position(noc=noc, wage_amount=Decimal(1), wage_per=WagePer.YEAR), months
    )
    if finding.met == Met.YES:
        assert months is not None and months >= 16
    assert finding.reason
