"""Global Talent Stream (PATHWAYS.md 1.1, 1.2): one function per rule.

A rule gives its finding, or None when it does not apply to the position. Every rule reads
the table in force on the date screened for (``pathways.dated``): the occupation list from
2022-12-22, the Category A floors from the page that states them; before a table took effect
the finding says hirepath holds no rule for that date, never a later one. In Quebec, MIFI's
wage floors apply instead of ESDC's: a wage finding there needs MIFI's floor, never a refusal
on ESDC's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pathways.dated import Dated, first_effective, in_force
from pathways.eligibility.model import (
    ADVANCED_DEGREES,
    Candidate,
    Education,
    Finding,
    Met,
    Position,
    WagePer,
    _money,
    _years,
    present,
)
from pathways.occupations import OCCUPATION_LISTS, Occupation, occupation_list_on

CAT_A_ANNUAL_FLOOR = Decimal(80_000)
CAT_A_HOURLY_FLOOR = Decimal("38.46")

SOURCE_A = "G2"
SOURCE_B = "G2"
SOURCE_QUEBEC = "QC-MIFI, G2"


@dataclass(frozen=True)
class CategoryAFloors:
    """The unique and specialized position's base-pay floors: (annual, hourly) for the first
    positions ESDC approves for an employer in a calendar year, and for each one after."""

    first: tuple[Decimal, Decimal]
    further: tuple[Decimal, Decimal]
    first_positions: int = 2


# ESDC's requirements page (dated 2025-11-20) states both; it does not say since when.
CAT_A_FLOORS: tuple[Dated[CategoryAFloors], ...] = (
    Dated(
        CategoryAFloors(
            first=(CAT_A_ANNUAL_FLOOR, CAT_A_HOURLY_FLOOR),
            further=(Decimal(150_000), Decimal("72.11")),
        ),
        date(2025, 11, 20),
        page_date=date(2025, 11, 20),
        known_from_page=True,
    ),
)


def pay(position: Position) -> str:
    """The wage with its hours and the other unit: "$100,000 a year at 40 hours a week:
    $48.08/h"."""
    wage, hours = position.wage, _years(position.hours_per_week)
    if wage.per == WagePer.HOUR:
        return f"{_money(wage.hourly)}/h at {hours} hours a week: {_money(wage.annual)} a year"
    return f"{_money(wage.annual)} a year at {hours} hours a week: {_money(wage.hourly)}/h"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def in_quebec(position: Position) -> bool:
    return position.province == "QC"


def quebec_wage(position: Position, rule: str, compared: str) -> Finding:
    """A Quebec position's wage: MIFI's floor decides, so ESDC's is shown, never applied."""
    return Finding(
        rule,
        Met.EVIDENCE,
        f"In Quebec, MIFI's wage floor applies instead of ESDC's; {compared}, which does not "
        "decide here.",
        SOURCE_QUEBEC,
        missing=f"MIFI's wage floor for NOC {position.noc} in Quebec",
    )


# ---- Category B: the Global Talent Occupations List (1.2) ----


def category_b(position: Position, on: date) -> list[Finding]:
    occupations = occupation_list_on(on)
    if occupations is None:
        return [no_occupation_list(on)]
    occupation = occupations.find(position.noc)
    if occupation is None:
        return [b_occupation(position, None, occupations.effective)]
    return present(
        b_occupation(position, occupation, occupations.effective),
        b_sub_occupation(position, occupation),
        b_wage_floor(position, occupation),
        b_prevailing_wage(position, occupation),
    )


def no_occupation_list(on: date) -> Finding:
    held = first_effective(OCCUPATION_LISTS)
    return Finding(
        "gts_b_occupation",
        Met.EVIDENCE,
        f"hirepath holds no Global Talent Occupations List in force on {on.isoformat()}: the "
        f"list it holds took effect on {held.effective.isoformat()}.",
        SOURCE_B,
        missing=f"the Global Talent Occupations List in force on {on.isoformat()}",
    )


def b_occupation(position: Position, occupation: Occupation | None, since: date) -> Finding:
    if occupation is None:
        return Finding(
            "gts_b_occupation",
            Met.NO,
            f"NOC {position.noc} is not on the Global Talent Occupations List (Category B); "
            "consider Category A with a partner's referral.",
            SOURCE_B,
        )
    return Finding(
        "gts_b_occupation",
        Met.YES,
        f"NOC {position.noc} is on the Global Talent Occupations List (in force since "
        f"{since.isoformat()}): {occupation.title}.",
        SOURCE_B,
    )


def b_sub_occupation(position: Position, occupation: Occupation) -> Finding | None:
    if not occupation.noc_2016.startswith("sub-"):
        return None
    return Finding(
        "gts_b_sub_occupation",
        Met.EVIDENCE,
        f"Only part of NOC {position.noc} is on the list ({occupation.title}). "
        + (occupation.note or ""),
        SOURCE_B,
        missing="proof the role is the listed part of the occupation",
    )


def b_wage_floor(position: Position, occupation: Occupation) -> Finding:
    hourly, floor = position.wage.hourly, occupation.hourly_floor
    if floor is None:
        if in_quebec(position):
            return quebec_wage(
                position,
                "gts_b_wage_floor",
                f"the wage is {pay(position)}; ESDC's floor for NOC {position.noc} is the "
                "prevailing wage",
            )
        return Finding(
            "gts_b_wage_floor",
            Met.EVIDENCE,
            f"The wage ({pay(position)}) must be at least the prevailing wage for NOC "
            f"{position.noc} (Job Bank regional median) at every work location.",
            SOURCE_B,
            missing="the Job Bank median wage for the occupation and region",
        )
    if in_quebec(position):
        verb = "is below" if hourly < floor else "meets"
        return quebec_wage(
            position,
            "gts_b_wage_floor",
            f"the wage ({pay(position)}) {verb} ESDC's Category B floor for NOC {position.noc} "
            f"({_money(floor)}/h)",
        )
    if hourly < floor:
        return Finding(
            "gts_b_wage_floor",
            Met.NO,
            f"The wage ({pay(position)}) is below the Category B floor for NOC {position.noc}: "
            f"{_money(floor)}/h (the hourly floor governs).",
            SOURCE_B,
        )
    return Finding(
        "gts_b_wage_floor",
        Met.YES,
        f"The wage ({pay(position)}) meets the Category B floor of {_money(floor)}/h for NOC "
        f"{position.noc}.",
        SOURCE_B,
    )


def b_prevailing_wage(position: Position, occupation: Occupation) -> Finding | None:
    """Once the listed floor is met, the regional median may still be higher (in Quebec,
    MIFI's floor decides instead)."""
    floor = occupation.hourly_floor
    if floor is None or position.wage.hourly < floor or in_quebec(position):
        return None
    return Finding(
        "gts_b_prevailing_wage",
        Met.EVIDENCE,
        "The floor reads 'or higher prevailing wage': the wage must also meet the Job Bank "
        "median for the region if that is higher.",
        SOURCE_B,
        missing="the Job Bank median wage for the occupation and region",
    )


# ---- Category A: unique and specialized, on a partner's referral (1.1) ----


def category_a(candidate: Candidate, position: Position, on: date) -> list[Finding]:
    floors = in_force(CAT_A_FLOORS, on)
    return present(
        a_listed_is_b(position, on),
        a_wage(position, floors, on),
        a_positions_this_year(position, floors, on),
        a_expertise(candidate),
        a_referral(position),
    )


def a_listed_is_b(position: Position, on: date) -> Finding | None:
    occupations = occupation_list_on(on)
    if occupations is None or occupations.find(position.noc) is None:
        return None
    return Finding(
        "gts_a_listed_is_b",
        Met.NO,
        f"NOC {position.noc} is on the Global Talent Occupations List, so ESDC processes "
        "it as Category B even with a referral.",
        SOURCE_A,
    )


def _floor_text(floor: tuple[Decimal, Decimal]) -> str:
    return f"{_money(floor[0])} and {_money(floor[1])}/h"


def _meets(position: Position, floor: tuple[Decimal, Decimal]) -> bool:
    return position.wage.annual >= floor[0] and position.wage.hourly >= floor[1]


def a_wage(position: Position, row: Dated[CategoryAFloors] | None, on: date) -> Finding:
    """The base pay against the floor for this position's place in the employer's calendar
    year: the first 2 positions ESDC approves, or the third and later."""
    if row is None:
        return no_category_a_floors(on)
    floors, approved = row.value, position.gts_a_approved_this_year
    if approved is None:
        return a_wage_count_unknown(position, floors, on)
    later = approved >= floors.first_positions
    floor = floors.further if later else floors.first
    which = f"the employer's {ordinal(approved + 1)} Category A position in {on.year}"
    scope = (
        "the third and later positions approved in a calendar year"
        if later
        else f"the first {floors.first_positions} positions approved in a calendar year"
    )
    meets = _meets(position, floor)
    if in_quebec(position):
        verb = "meets" if meets else "is below"
        return quebec_wage(
            position,
            "gts_a_wage",
            f"the base pay ({pay(position)}) {verb} ESDC's floor for {which} "
            f"({_floor_text(floor)})",
        )
    verb = "meets" if meets else "is below"
    return Finding(
        "gts_a_wage",
        Met.YES if meets else Met.NO,
        f"The base pay ({pay(position)}) {verb} the floor for {which}: at least "
        f"{_floor_text(floor)} ({scope}).",
        SOURCE_A,
    )


def a_wage_count_unknown(position: Position, floors: CategoryAFloors, on: date) -> Finding:
    """Without the count, a wage between the two floors needs it; above both or below both,
    the count does not matter."""
    if in_quebec(position):
        verb = "meets" if _meets(position, floors.first) else "is below"
        return quebec_wage(
            position,
            "gts_a_wage",
            f"the base pay ({pay(position)}) {verb} ESDC's floor for the first "
            f"{floors.first_positions} Category A positions in a calendar year "
            f"({_floor_text(floors.first)})",
        )
    if _meets(position, floors.further):
        return Finding(
            "gts_a_wage",
            Met.YES,
            f"The base pay ({pay(position)}) meets the floor for any Category A position, even "
            f"the third and later in a calendar year: at least {_floor_text(floors.further)}.",
            SOURCE_A,
        )
    if not _meets(position, floors.first):
        return Finding(
            "gts_a_wage",
            Met.NO,
            f"The base pay ({pay(position)}) is below the floor for any Category A position: "
            f"at least {_floor_text(floors.first)}.",
            SOURCE_A,
        )
    return Finding(
        "gts_a_wage",
        Met.EVIDENCE,
        f"The base pay ({pay(position)}) meets the floor for the first {floors.first_positions} "
        f"Category A positions approved in a calendar year ({_floor_text(floors.first)}) but not "
        f"the one for the third and later ({_floor_text(floors.further)}).",
        SOURCE_A,
        missing=approved_missing(on),
    )


def approved_missing(on: date) -> str:
    return (
        f"how many Category A positions ESDC approved for the employer in {on.year} "
        "(position.gts_a_approved_this_year)"
    )


def no_category_a_floors(on: date) -> Finding:
    held = first_effective(CAT_A_FLOORS)
    since = (
        f"known in force from {held.effective.isoformat()} (the date of ESDC's page; the "
        "policy's own date is not on it)"
        if held.known_from_page
        else f"in force from {held.effective.isoformat()}"
    )
    return Finding(
        "gts_a_wage",
        Met.EVIDENCE,
        f"hirepath holds no Category A wage floors in force on {on.isoformat()}: the ones it "
        f"holds are {since}.",
        SOURCE_A,
        missing=f"ESDC's Category A wage floors in force on {on.isoformat()}",
    )


def a_positions_this_year(
    position: Position, row: Dated[CategoryAFloors] | None, on: date
) -> Finding | None:
    """ESDC usually approves 1 or 2 Category A positions per employer a calendar year; more
    only with the partner's new confirmation and the LMBP on track (and the higher floor)."""
    if row is None:
        return None
    first, approved = row.value.first_positions, position.gts_a_approved_this_year
    if approved is None:
        return Finding(
            "gts_a_positions_this_year",
            Met.EVIDENCE,
            f"ESDC usually approves up to {first} Category A positions per employer a calendar "
            "year; a third or later needs a higher wage, the referral partner's new "
            "confirmation and the Labour Market Benefits Plan commitments on track.",
            SOURCE_A,
            missing=approved_missing(on),
        )
    which = f"This is the employer's {ordinal(approved + 1)} Category A position in {on.year}"
    if approved < first:
        return Finding(
            "gts_a_positions_this_year",
            Met.YES,
            f"{which}: ESDC usually approves up to {first} a calendar year (the count starts "
            "again on January 1).",
            SOURCE_A,
        )
    return Finding(
        "gts_a_positions_this_year",
        Met.EVIDENCE,
        f"{which}: beyond the first {first} a calendar year, ESDC needs the referral partner to "
        "confirm again and the Labour Market Benefits Plan commitments to be on track.",
        SOURCE_A,
        missing="the referral partner's new confirmation and the Labour Market Benefits Plan's "
        "progress",
    )


def a_expertise(candidate: Candidate) -> Finding:
    years = candidate.years_experience
    if candidate.education in ADVANCED_DEGREES or (years is not None and years >= 5):
        return Finding(
            "gts_a_expertise",
            Met.YES,
            "An advanced degree in the specialization or at least 5 years of specialized "
            "experience: the candidate has it.",
            SOURCE_A,
        )
    if candidate.education is None or years is None:
        absent = (
            ("education", candidate.education is None),
            ("years of specialized experience", years is None),
        )
        return Finding(
            "gts_a_expertise",
            Met.EVIDENCE,
            "A unique and specialized position needs an advanced degree in the specialization "
            "and/or at least 5 years of specialized experience.",
            SOURCE_A,
            missing="the candidate's " + " and ".join(part for part, gone in absent if gone),
        )
    return Finding(
        "gts_a_expertise",
        Met.NO,
        "A unique and specialized position needs an advanced degree in the specialization "
        f"and/or at least 5 years of specialized experience; the candidate has "
        f"{(candidate.education or Education.NONE).value.replace('_', ' ')} and "
        f"{_years(years or Decimal(0))} years.",
        SOURCE_A,
    )


def a_referral(position: Position) -> Finding:
    """Without a designated partner's referral ESDC does not process a Category A LMIA (in
    Quebec, one of Quebec's partners)."""
    source = "G1, G2"
    if position.gts_a_referral is True:
        return Finding(
            "gts_a_referral",
            Met.YES,
            "A designated referral partner referred the employer for this position: file its "
            "referral form with the LMIA.",
            source,
        )
    if position.gts_a_referral is False:
        partner = (
            "a designated referral partner's referral (in Quebec, one of Quebec's partners)"
            if in_quebec(position)
            else "a designated referral partner's referral"
        )
        return Finding(
            "gts_a_referral",
            Met.NO,
            f"Without {partner}, ESDC does not process a Category A LMIA.",
            source,
        )
    return Finding(
        "gts_a_referral",
        Met.EVIDENCE,
        "Category A needs a referral from a designated referral partner for this position; "
        "without it ESDC does not process the LMIA.",
        source,
        missing="whether a designated partner referred the employer (position.gts_a_referral), "
        "and its referral form",
    )
