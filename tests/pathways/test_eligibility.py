"""GTS screening (PATHWAYS.md 1.1 and 1.2): each rule with an eligible and an ineligible case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pathways.eligibility import Met, Position, Status, Wage, WagePer, screen_gts


def position(noc: str, amount: str, per: WagePer = WagePer.YEAR) -> Position:
    return Position(noc=noc, wage=Wage(Decimal(amount), per), province="ON")


def finding(verdict, rule):  # type: ignore[no-untyped-def]
    return next(f for f in verdict.findings if f.rule == rule)


def test_listed_occupation_is_category_b() -> None:
    verdict = screen_gts("B", position("21231", "120000"))
    assert finding(verdict, "gts_b_occupation").met == Met.YES
    # Software engineers' floor is the prevailing wage, which HR attests to.
    assert verdict.status == Status.NEEDS_EVIDENCE


def test_unlisted_occupation_is_not_category_b() -> None:
    verdict = screen_gts("B", position("11100", "120000"))
    assert verdict.status == Status.NOT_ELIGIBLE
    assert finding(verdict, "gts_b_occupation").reason == (
        "NOC 11100 is not on the Global Talent Occupations List (Category B); "
        "consider Category A with a partner's referral."
    )


@pytest.mark.parametrize(
    ("noc", "hourly", "met"),
    [
        ("22222", "41.03", Met.YES),
        ("22222", "41.02", Met.NO),
        ("22220", "40.87", Met.YES),
        ("52120", "38.45", Met.NO),
    ],
)
def test_category_b_hourly_floors_govern(noc: str, hourly: str, met: Met) -> None:
    verdict = screen_gts("B", position(noc, hourly, WagePer.HOUR))
    assert finding(verdict, "gts_b_wage_floor").met == met


def test_22222_at_85000_a_year_is_below_its_hourly_floor() -> None:
    # $85,000 / 2,080 h = $40.87/h < $41.03/h (PATHWAYS.md 6.4: the hourly floor governs)
    verdict = screen_gts("B", position("22222", "85000"))
    assert finding(verdict, "gts_b_wage_floor").reason == (
        "The wage ($40.87/h) is below the Category B floor for NOC 22222: $41.03/h (the hourly floor governs)."
    )


def test_category_a_unique_and_specialized_wage() -> None:
    assert (
        finding(screen_gts("A", position("11100", "80000")), "gts_a_unique_specialized_wage").met
        == Met.YES
    )
    low = screen_gts("A", position("11100", "79999"))
    assert low.status == Status.NOT_ELIGIBLE
    assert finding(low, "gts_a_unique_specialized_wage").reason == (
        "A unique and specialized position pays at least $80,000 and $38.46/h base; "
        "this one pays $79,999 ($38.46/h)."
    )
    assert (
        finding(screen_gts("A", position("11100", "80000")), "gts_a_referral").met == Met.EVIDENCE
    )
