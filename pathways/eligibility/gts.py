"""Global Talent Stream (PATHWAYS.md 1.1, 1.2): one function per rule.

A rule gives its finding, or None when it does not apply to the position.
"""

from __future__ import annotations

from decimal import Decimal

from pathways.eligibility.model import (
    ADVANCED_DEGREES,
    Candidate,
    Education,
    Finding,
    Met,
    Position,
    _money,
    _years,
    present,
)
from pathways.occupations import GLOBAL_TALENT_OCCUPATIONS, Occupation

CAT_A_ANNUAL_FLOOR = Decimal(80_000)
CAT_A_HOURLY_FLOOR = Decimal("38.46")

SOURCE_A = "G2 (PATHWAYS.md 1.1)"
SOURCE_B = "G2 (PATHWAYS.md 1.2)"


# ---- Category B: the Global Talent Occupations List (1.2) ----


def category_b(position: Position) -> list[Finding]:
    occupation = GLOBAL_TALENT_OCCUPATIONS.find(position.noc)
    if occupation is None:
        return [b_occupation(position, None)]
    return present(
        b_occupation(position, occupation),
        b_sub_occupation(position, occupation),
        quebec_floors(position),
        b_wage_floor(position, occupation),
        b_prevailing_wage(position, occupation),
    )


def b_occupation(position: Position, occupation: Occupation | None) -> Finding:
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
        f"NOC {position.noc} is on the Global Talent Occupations List: {occupation.title}.",
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


def quebec_floors(position: Position) -> Finding | None:
    if position.province != "QC":
        return None
    return Finding(
        "gts_quebec_floors",
        Met.EVIDENCE,
        "In Quebec, MIFI's wage floors apply instead of ESDC's.",
        SOURCE_B,
        missing="the MIFI floor for the occupation",
    )


def b_wage_floor(position: Position, occupation: Occupation) -> Finding:
    hourly = position.wage.hourly
    if occupation.hourly_floor is None:
        return Finding(
            "gts_b_wage_floor",
            Met.EVIDENCE,
            f"The wage must be at least the prevailing wage for NOC {position.noc} (Job Bank "
            "regional median) at every work location.",
            "G2 (PATHWAYS.md 1.1)",
            missing="the Job Bank median wage for the occupation and region",
        )
    if hourly < occupation.hourly_floor:
        return Finding(
            "gts_b_wage_floor",
            Met.NO,
            f"The wage ({_money(hourly)}/h) is below the Category B floor for NOC "
            f"{position.noc}: {_money(occupation.hourly_floor)}/h (the hourly floor governs).",
            SOURCE_B,
        )
    return Finding(
        "gts_b_wage_floor",
        Met.YES,
        f"The wage ({_money(hourly)}/h) meets the Category B floor of "
        f"{_money(occupation.hourly_floor)}/h for NOC {position.noc}.",
        SOURCE_B,
    )


def b_prevailing_wage(position: Position, occupation: Occupation) -> Finding | None:
    """Once the listed floor is met, the regional median may still be higher."""
    floor = occupation.hourly_floor
    if floor is None or position.wage.hourly < floor:
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


def category_a(candidate: Candidate, position: Position) -> list[Finding]:
    return present(
        a_listed_is_b(position),
        a_wage(position),
        a_expertise(candidate),
        a_referral(),
    )


def a_listed_is_b(position: Position) -> Finding | None:
    if GLOBAL_TALENT_OCCUPATIONS.find(position.noc) is None:
        return None
    return Finding(
        "gts_a_listed_is_b",
        Met.NO,
        f"NOC {position.noc} is on the Global Talent Occupations List, so ESDC processes "
        "it as Category B even with a referral.",
        SOURCE_A,
    )


def a_wage(position: Position) -> Finding:
    annual, hourly = position.wage.annual, position.wage.hourly
    if hourly < CAT_A_HOURLY_FLOOR or annual < CAT_A_ANNUAL_FLOOR:
        return Finding(
            "gts_a_wage",
            Met.NO,
            f"A unique and specialized position pays at least {_money(CAT_A_ANNUAL_FLOOR)} and "
            f"{_money(CAT_A_HOURLY_FLOOR)}/h base; this one pays {_money(annual)} "
            f"({_money(hourly)}/h).",
            SOURCE_A,
        )
    return Finding(
        "gts_a_wage",
        Met.YES,
        f"The base pay ({_money(annual)}, {_money(hourly)}/h) meets the unique and "
        "specialized floor of $80,000 and $38.46/h.",
        SOURCE_A,
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


def a_referral() -> Finding:
    return Finding(
        "gts_a_referral",
        Met.EVIDENCE,
        "Category A needs a referral form from a designated referral partner for this worker.",
        "G1, G2 (PATHWAYS.md 1.1)",
        missing="the designated partner's referral form",
    )
