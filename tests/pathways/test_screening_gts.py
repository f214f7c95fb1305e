"""Screening that is never wrongly "eligible" (issue 12): GTS Category A's count of positions per
calendar year, the referral, Quebec's floors, a past start date, the spouse of a Canadian, and
rules dated by when they took effect. One table per defect (REVIEW-2026-12.md 5, 19, 23, section
4 and section 5 P2, P3, P5, P6); each row is what a user reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways.eligibility import (
    Candidate,
    Education,
    Finding,
    Met,
    Position,
    Status,
    WagePer,
    screen,
    screen_all,
    spouse_finding,
)
from pathways.ict import Capacity

ON = date(2026, 12, 1)
EXPERT = Candidate(citizenships=("IN",), education=Education.MASTER, years_experience=Decimal(8))
UNLISTED = Position(  # NOC 11100 (financial auditors) is not on the list: Category A only
    noc="11100",
    wage_amount=Decimal(100_000),
    wage_per=WagePer.YEAR,
    province="ON",
    gts_a_referral=True,
    gts_a_approved_this_year=0,
)


def finding(verdict_findings: tuple[Finding, ...], rule: str) -> Finding:
    [found] = [f for f in verdict_findings if f.rule == rule]
    return found


def cat_a(on: date = ON, **position: Any) -> tuple[Status, tuple[Finding, ...]]:
    verdict = screen("gts", "A", EXPERT, replace(UNLISTED, **position), on)
    return verdict.status, verdict.findings


# ---- Defect 5: the third and later Category A positions in a calendar year ----

A_WAGE: list[tuple[str, dict[str, Any], Met, str, str]] = [
    (
        "first-position-at-80k",
        {"gts_a_approved_this_year": 0, "wage_amount": Decimal(80_000)},
        Met.YES,
        "The base pay ($80,000 a year at 40 hours a week: $38.46/h) meets the floor for the "
        "employer's 1st Category A position in 2026: at least $80,000 and $38.46/h (the first 2 "
        "positions approved in a calendar year).",
        "",
    ),
    (
        "third-position-at-100k",
        {"gts_a_approved_this_year": 2},
        Met.NO,
        "The base pay ($100,000 a year at 40 hours a week: $48.08/h) is below the floor for the "
        "employer's 3rd Category A position in 2026: at least $150,000 and $72.11/h (the third "
        "and later positions approved in a calendar year).",
        "",
    ),
    (
        "fifth-position-at-150k-over-45-hours",
        {
            "gts_a_approved_this_year": 4,
            "wage_amount": Decimal(150_000),
            "hours_per_week": Decimal(45),
        },
        Met.NO,
        "The base pay ($150,000 a year at 45 hours a week: $64.10/h) is below the floor for the "
        "employer's 5th Category A position in 2026: at least $150,000 and $72.11/h (the third "
        "and later positions approved in a calendar year).",
        "",
    ),
    (
        "third-position-at-160k",
        {"gts_a_approved_this_year": 2, "wage_amount": Decimal(160_000)},
        Met.YES,
        "The base pay ($160,000 a year at 40 hours a week: $76.92/h) meets the floor for the "
        "employer's 3rd Category A position in 2026: at least $150,000 and $72.11/h (the third "
        "and later positions approved in a calendar year).",
        "",
    ),
    (
        "count-unknown-between-the-floors",
        {"gts_a_approved_this_year": None},
        Met.EVIDENCE,
        "The base pay ($100,000 a year at 40 hours a week: $48.08/h) meets the floor for the "
        "first 2 Category A positions approved in a calendar year ($80,000 and $38.46/h) but not "
        "the one for the third and later ($150,000 and $72.11/h).",
        "how many Category A positions ESDC approved for the employer in 2026 "
        "(position.gts_a_approved_this_year)",
    ),
    (
        "count-unknown-below-both",
        {"gts_a_approved_this_year": None, "wage_amount": Decimal(79_000)},
        Met.NO,
        "The base pay ($79,000 a year at 40 hours a week: $37.98/h) is below the floor for any "
        "Category A position: at least $80,000 and $38.46/h.",
        "",
    ),
    (
        "count-unknown-above-both",
        {"gts_a_approved_this_year": None, "wage_amount": Decimal(151_000)},
        Met.YES,
        "The base pay ($151,000 a year at 40 hours a week: $72.60/h) meets the floor for any "
        "Category A position, even the third and later in a calendar year: at least $150,000 "
        "and $72.11/h.",
        "",
    ),
]


@pytest.mark.parametrize(
    ("changes", "met", "reason", "missing"),
    [row[1:] for row in A_WAGE],
    ids=[row[0] for row in A_WAGE],
)
def test_category_a_wage_counts_the_positions_approved_this_calendar_year(
    changes: dict[str, Any], met: Met, reason: str, missing: str
) -> None:
    status, findings = cat_a(**changes)
    wage = finding(findings, "gts_a_wage")
    assert (wage.met, wage.reason, wage.missing) == (met, reason, missing)
    if met == Met.NO:
        assert status == Status.NOT_ELIGIBLE


@pytest.mark.parametrize(
    ("approved", "met", "reason", "missing"),
    [
        (
            1,
            Met.YES,
            "This is the employer's 2nd Category A position in 2026: ESDC usually "
            "approves up to 2 a calendar year (the count starts again on January 1).",
            "",
        ),
        (
            2,
            Met.EVIDENCE,
            "This is the employer's 3rd Category A position in 2026: beyond the "
            "first 2 a calendar year, ESDC needs the referral partner to confirm again and the "
            "Labour Market Benefits Plan commitments to be on track.",
            "the referral partner's new confirmation and the Labour Market Benefits Plan's progress",
        ),
        (
            None,
            Met.EVIDENCE,
            "ESDC usually approves up to 2 Category A positions per employer "
            "a calendar year; a third or later needs a higher wage, the referral partner's new "
            "confirmation and the Labour Market Benefits Plan commitments on track.",
            "how many Category A positions ESDC approved for the employer in 2026 "
            "(position.gts_a_approved_this_year)",
        ),
    ],
)
def test_category_a_says_which_position_of_the_year_this_is(
    approved: int | None, met: Met, reason: str, missing: str
) -> None:
    status, findings = cat_a(gts_a_approved_this_year=approved, wage_amount=Decimal(200_000))
    count = finding(findings, "gts_a_positions_this_year")
    assert (count.met, count.reason, count.missing) == (met, reason, missing)
    assert status == (Status.ELIGIBLE if met == Met.YES else Status.NEEDS_EVIDENCE)


def test_the_count_is_for_the_calendar_year_screened_for() -> None:
    _, findings = cat_a(on=date(2027, 1, 4), gts_a_approved_this_year=None)
    assert "in 2027" in finding(findings, "gts_a_wage").missing


# ---- P2: the referral declared present or absent ----


@pytest.mark.parametrize(
    ("referral", "province", "met", "status", "reason", "missing"),
    [
        (
            True,
            "ON",
            Met.YES,
            Status.ELIGIBLE,
            "A designated referral partner referred the employer for this position: file its "
            "referral form with the LMIA.",
            "",
        ),
        (
            False,
            "ON",
            Met.NO,
            Status.NOT_ELIGIBLE,
            "Without a designated referral partner's referral, ESDC does not process a Category A "
            "LMIA.",
            "",
        ),
        (
            None,
            "ON",
            Met.EVIDENCE,
            Status.NEEDS_EVIDENCE,
            "Category A needs a referral from a designated referral partner for this position; "
            "without it ESDC does not process the LMIA.",
            "whether a designated partner referred the employer (position.gts_a_referral), and its "
            "referral form",
        ),
        (
            False,
            "QC",
            Met.NO,
            Status.NOT_ELIGIBLE,
            "Without a designated referral partner's referral (in Quebec, one of Quebec's partners), "
            "ESDC does not process a Category A LMIA.",
            "",
        ),
    ],
)
def test_a_referral_can_be_declared_present_or_absent(
    referral: bool | None, province: str, met: Met, status: Status, reason: str, missing: str
) -> None:
    verdict_status, findings = cat_a(
        gts_a_referral=referral, province=province, wage_amount=Decimal(200_000)
    )
    found = finding(findings, "gts_a_referral")
    assert (found.met, found.reason, found.missing) == (met, reason, missing)
    if province == "ON":
        assert verdict_status == status


# ---- P3: Quebec positions are judged against MIFI's floor ----

QUEBEC: list[tuple[str, str, dict[str, Any], str, Met, str, str]] = [
    (
        "b-below-esdc-floor",
        "B",
        {"noc": "22222", "wage_amount": Decimal(85_000)},
        "gts_b_wage_floor",
        Met.EVIDENCE,
        "In Quebec, MIFI's wage floor applies instead of ESDC's; the wage ($85,000 a year at 40 "
        "hours a week: $40.87/h) is below ESDC's Category B floor for NOC 22222 ($41.03/h), "
        "which does not decide here.",
        "MIFI's wage floor for NOC 22222 in Quebec",
    ),
    (
        "b-above-esdc-floor",
        "B",
        {"noc": "22222", "wage_amount": Decimal(90_000)},
        "gts_b_wage_floor",
        Met.EVIDENCE,
        "In Quebec, MIFI's wage floor applies instead of ESDC's; the wage ($90,000 a year at 40 "
        "hours a week: $43.27/h) meets ESDC's Category B floor for NOC 22222 ($41.03/h), which "
        "does not decide here.",
        "MIFI's wage floor for NOC 22222 in Quebec",
    ),
    (
        "a-below-esdc-floor",
        "A",
        {"wage_amount": Decimal(79_000)},
        "gts_a_wage",
        Met.EVIDENCE,
        "In Quebec, MIFI's wage floor applies instead of ESDC's; the base pay ($79,000 a year at "
        "40 hours a week: $37.98/h) is below ESDC's floor for the employer's 1st Category A "
        "position in 2026 ($80,000 and $38.46/h), which does not decide here.",
        "MIFI's wage floor for NOC 11100 in Quebec",
    ),
]


@pytest.mark.parametrize(
    ("category", "changes", "rule", "met", "reason", "missing"),
    [row[1:] for row in QUEBEC],
    ids=[row[0] for row in QUEBEC],
)
def test_quebec_positions_need_mifis_floor_never_a_refusal_on_esdcs(
    category: str, changes: dict[str, Any], rule: str, met: Met, reason: str, missing: str
) -> None:
    position = replace(UNLISTED, province="QC", **changes)
    verdict = screen("gts", category, EXPERT, position, ON)
    found = finding(verdict.findings, rule)
    assert (found.met, found.reason, found.missing) == (met, reason, missing)
    assert verdict.status == Status.NEEDS_EVIDENCE


# ---- P5: a start date in the past warns ----


@pytest.mark.parametrize(
    ("start", "warned"),
    [
        (date(2026, 11, 30), True),
        (date(2026, 12, 1), False),
        (date(2027, 3, 1), False),
        (None, False),
    ],
)
def test_a_start_date_in_the_past_warns_without_refusing(start: date | None, warned: bool) -> None:
    for verdict in screen_all(EXPERT, replace(UNLISTED, start_date=start), ON):
        warnings = [f for f in verdict.findings if f.rule == "start_date"]
        assert bool(warnings) == warned, verdict.pathway
        if warned:
            assert warnings[0].met == Met.WARNING
            lmia = (
                "An LMIA is submitted no more than 6 months before a start date still ahead, "
                "and a permit"
                if verdict.pathway == "gts"
                else "A permit"
            )
            assert warnings[0].reason == (
                "The planned start date, 2026-11-30, is already past on 2026-12-01: set a new "
                f"one. {lmia} is applied for before the worker starts."
            )
    gts_a = screen("gts", "A", EXPERT, replace(UNLISTED, start_date=start), ON)
    assert gts_a.status == Status.ELIGIBLE


# ---- P6: no spouse finding when no permit is needed ----


@pytest.mark.parametrize(
    ("citizenships", "permanent_residences", "spoken"),
    [(("CA",), (), False), (("IN",), ("CA",), False), (("IN",), (), True)],
)
def test_no_spouse_finding_when_the_worker_needs_no_permit(
    citizenships: tuple[str, ...], permanent_residences: tuple[str, ...], spoken: bool
) -> None:
    worker = replace(EXPERT, citizenships=citizenships, permanent_residences=permanent_residences)
    found = spouse_finding(worker, replace(UNLISTED, noc="21231"), 36, ON)
    assert (found is not None) == spoken
    if found is not None:
        assert found.met == Met.YES


# ---- Dated rules (section 4, defect 23): never a rule before it is in force ----

DATED: list[tuple[str, date, str, str, Met, str]] = [
    (
        "list-before-it-took-effect",
        date(2022, 12, 21),
        "B",
        "gts_b_occupation",
        Met.EVIDENCE,
        "hirepath holds no Global Talent Occupations List in force on 2022-12-21: the list it "
        "holds took effect on 2022-12-22.",
    ),
    (
        "list-the-day-it-took-effect",
        date(2022, 12, 22),
        "B",
        "gts_b_occupation",
        Met.YES,
        "NOC 21231 is on the Global Talent Occupations List (in force since 2022-12-22): "
        "Software engineers and designers.",
    ),
]


@pytest.mark.parametrize(
    ("on", "category", "rule", "met", "reason"),
    [row[1:] for row in DATED],
    ids=[row[0] for row in DATED],
)
def test_screening_for_a_date_before_a_rule_took_effect_applies_no_later_rule(
    on: date, category: str, rule: str, met: Met, reason: str
) -> None:
    position = replace(UNLISTED, noc="21231", wage_amount=Decimal(150_000))
    found = finding(screen("gts", category, EXPERT, position, on).findings, rule)
    assert (found.met, found.reason) == (met, reason)


def test_category_a_floors_are_not_applied_before_hirepath_knows_them_in_force() -> None:
    status, findings = cat_a(on=date(2025, 11, 19))
    wage = finding(findings, "gts_a_wage")
    assert wage.met == Met.EVIDENCE and status == Status.NEEDS_EVIDENCE
    assert wage.reason == (
        "hirepath holds no Category A wage floors in force on 2025-11-19: the ones it holds are "
        "known in force from 2025-11-20 (the date of ESDC's page; the policy's own date is not "
        "on it)."
    )
    assert wage.missing == "ESDC's Category A wage floors in force on 2025-11-19"


@pytest.mark.parametrize(
    ("on", "met", "reason"),
    [
        (
            date(2025, 1, 21),
            Met.YES,
            "The spouse may get an open work permit: TEER 1 job, permit "
            "of 36 months (at least 16 needed when the spouse applies; apply with the worker for "
            "the two-week processing).",
        ),
        (
            date(2025, 1, 20),
            Met.EVIDENCE,
            "hirepath holds no rule for a spouse's open work "
            "permit applied for on 2025-01-20: the one it holds applies to applications received "
            "from 2025-01-21.",
        ),
    ],
)
def test_the_spouse_rule_applies_from_2025_01_21(on: date, met: Met, reason: str) -> None:
    found = spouse_finding(EXPERT, replace(UNLISTED, noc="21231"), 36, on)
    assert found is not None and (found.met, found.reason) == (met, reason)


def test_two_week_processing_by_teer_is_not_applied_before_teer_took_effect() -> None:
    position = replace(UNLISTED, noc="21231")
    before = screen("cusma", "T36", EXPERT, position, date(2022, 11, 15)).two_week_processing
    after = screen("cusma", "T36", EXPERT, position, date(2022, 11, 16)).two_week_processing
    assert before is not None and before.met == Met.EVIDENCE
    assert before.reason == (
        "hirepath holds no two-week processing rule for LMIA-exempt jobs on 2022-11-15: the "
        "TEER rule it holds took effect on 2022-11-16 (skill types applied before)."
    )
    assert after is not None and after.met == Met.YES


# ---- The property: never "eligible" with a finding unmet or needing evidence ----

nocs = st.sampled_from(["21231", "11100", "22222", "52120", "21211", "64100", "20012"])


@settings(max_examples=400, deadline=None)
@given(
    nocs,
    st.decimals(min_value=Decimal(10), max_value=Decimal(300_000), places=2),
    st.sampled_from(list(WagePer)),
    st.sampled_from([Decimal(20), Decimal(40), Decimal(45)]),
    st.sampled_from(["ON", "QC", "BC"]),
    st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
    st.one_of(st.none(), st.booleans()),
    st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2028, 12, 31))),
    st.dates(min_value=date(2019, 1, 1), max_value=date(2028, 12, 31)),
    st.sampled_from([("IN",), ("US",), ("MX",), ("CA",), ("FR", "CA")]),
    st.one_of(st.none(), st.sampled_from(list(Education))),
)
def test_no_screening_is_eligible_while_a_finding_is_unmet_or_needs_evidence(
    noc: str,
    amount: Decimal,
    per: WagePer,
    hours: Decimal,
    province: str,
    approved: int | None,
    referral: bool | None,
    start: date | None,
    on: date,
    citizenships: tuple[str, ...],
    education: Education | None,
) -> None:
    candidate = replace(EXPERT, citizenships=citizenships, education=education)
    position = replace(
        UNLISTED, noc=noc, wage_amount=amount, wage_per=per, hours_per_week=hours,
        province=province, gts_a_approved_this_year=approved, gts_a_referral=referral,
        start_date=start,
    )  # fmt: skip
    for verdict in screen_all(candidate, position, on):
        if verdict.status != Status.ELIGIBLE:
            continue
        assert all(f.met in (Met.YES, Met.WARNING) for f in verdict.findings), verdict
        if verdict.pathway == "gts" and verdict.category == "A":
            wage = position.wage
            floor = (Decimal(150_000), Decimal("72.11")) if approved is None or approved >= 2 else (
                Decimal(80_000), Decimal("38.46"))  # fmt: skip
            assert referral is True and approved is not None and approved < 2
            assert wage.annual >= floor[0] and wage.hourly >= floor[1] and province != "QC"
            assert on >= date(2025, 11, 20)
        if verdict.pathway == "gts" and verdict.category == "B":
            assert province != "QC" and on >= date(2022, 12, 22)
    spouse = spouse_finding(candidate, position, 36, on)
    if "CA" in citizenships:
        assert spouse is None
    elif spouse is not None and spouse.met == Met.YES:
        assert on >= date(2025, 1, 21)


# ---- Border rules, dated: flagpoling ended 2024-12-23, Mexicans need a visa from 2024-02-29 ----


@pytest.mark.parametrize(
    ("citizenships", "residence", "on", "at_border"),
    [
        (("FR",), "CA", date(2024, 12, 22), True),  # flagpoling still open that day
        (("FR",), "CA", date(2024, 12, 23), False),  # ended 2024-12-23 [FLAG]
        (("MX",), "MX", date(2024, 2, 28), True),  # visa-exempt until 2024-02-29 [MX]
        (("MX",), "MX", date(2024, 2, 29), False),
        (("US",), "CA", date(2025, 6, 1), True),  # US citizens still may
    ],
)
def test_border_rules_apply_from_the_day_they_took_effect(
    citizenships: tuple[str, ...], residence: str, on: date, at_border: bool
) -> None:
    worker = replace(EXPERT, citizenships=citizenships, residence=residence, visa_exempt=True)
    verdict = screen("gts", "B", worker, replace(UNLISTED, noc="21231"), on)
    assert verdict.may_apply_at_border == at_border


@pytest.mark.parametrize(
    ("pathway", "category", "changes"),
    [
        ("cusma", "T36", {"cusma_profession": "engineer"}),
        ("ict", "C62", {"ict_capacity": Capacity.MANAGER}),
    ],
)
def test_lmia_exempt_codes_are_not_applied_before_2022_12_15(
    pathway: str, category: str, changes: dict[str, Any]
) -> None:
    position = replace(UNLISTED, noc="20012", **changes)
    before = screen(pathway, category, EXPERT, position, date(2022, 12, 14))
    after = screen(pathway, category, EXPERT, position, date(2022, 12, 15))
    code = finding(before.findings, "code_in_force")
    assert code.met == Met.EVIDENCE and before.status != Status.ELIGIBLE
    assert code.reason == (
        f"Code {category} took effect on 2022-12-15; hirepath holds no rule for the code it "
        "replaced (T23, T24 or C12) on 2022-12-14."
    )
    assert "code_in_force" not in {f.rule for f in after.findings}
