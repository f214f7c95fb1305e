"""Eligibility screening: which pathways fit a candidate and a position, and why.

Each rule gives a finding: met, not met, or needs evidence (hirepath cannot check it, or
an input is missing; ``missing`` says what). A verdict is "not_eligible" when any rule is
not met, "needs_evidence" when any needs evidence, else "eligible". Every finding names its
sources by key (``pathways.sources``: the title, publisher and address of each).

One module per pathway, one function per rule: ``gts`` (1.1, 1.2), ``cusma`` (2.1, 2.4),
``ict`` (3.1 to 3.4), ``permits`` (two-week processing, the spouse, section 4); the inputs
and verdicts are in ``model``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pathways.eligibility import cusma, gts, ict
from pathways.eligibility.cusma import CUSMA_CITIZENS
from pathways.eligibility.gts import CAT_A_ANNUAL_FLOOR, CAT_A_HOURLY_FLOOR
from pathways.eligibility.ict import continuous_days_in_window
from pathways.eligibility.model import (
    ADVANCED_DEGREES,
    DEGREES,
    HOURS_PER_YEAR_FULL_TIME,
    POST_SECONDARY,
    YEAR,
    Candidate,
    Education,
    Finding,
    Met,
    Position,
    RelatedEmployment,
    Relationship,
    Status,
    Verdict,
    Wage,
    WagePer,
    present,
)
from pathways.eligibility.permits import (
    MIN_AUTHORIZATION_MONTHS,
    SPOUSE_EXCLUDED_PREFIXES,
    SPOUSE_TEER_2_3_PREFIXES,
    border_on,
    code_in_force,
    facts_of,
    months_between,
    needs_no_permit,
    permit_months,
    spouse_finding,
    spouse_open_work_permit,
    start_date_warning,
    two_week_processing,
)
from pathways.gts import CATEGORY_A, CATEGORY_B
from pathways.ict import Capacity, ict_code

__all__ = [
    "ADVANCED_DEGREES",
    "CAT_A_ANNUAL_FLOOR",
    "CAT_A_HOURLY_FLOOR",
    "CUSMA_CITIZENS",
    "DEGREES",
    "HOURS_PER_YEAR_FULL_TIME",
    "MIN_AUTHORIZATION_MONTHS",
    "POST_SECONDARY",
    "SPOUSE_EXCLUDED_PREFIXES",
    "SPOUSE_TEER_2_3_PREFIXES",
    "YEAR",
    "Candidate",
    "Education",
    "Finding",
    "Met",
    "Position",
    "RelatedEmployment",
    "Relationship",
    "Status",
    "Verdict",
    "Wage",
    "WagePer",
    "continuous_days_in_window",
    "facts_of",
    "months_between",
    "needs_no_permit",
    "permit_months",
    "replace_capacity",
    "screen",
    "screen_all",
    "spouse_finding",
    "spouse_open_work_permit",
    "two_week_processing",
]


def screen(
    pathway: str, category: str, candidate: Candidate, position: Position, today: date
) -> Verdict:
    """The verdict for one pathway and category (for ICT, the category follows the capacity)."""
    if "CA" in candidate.citizenships or "CA" in candidate.permanent_residences:
        canadian = Finding(
            "canadian",
            Met.NO,
            "A Canadian citizen or permanent resident needs no work permit.",
            "IRPA",
        )
        return Verdict(pathway, category, (canadian,))
    if pathway == "ict" and position.ict_capacity is None:
        return Verdict(pathway, category, (ict.no_capacity(),))
    facts = facts_of(candidate, position, category)
    return Verdict(
        pathway,
        category,
        tuple(
            present(
                code_in_force(pathway, category, today),
                *_findings(pathway, category, candidate, position, today),
                start_date_warning(position, today, pathway),
            )
        ),
        may_apply_at_border=border_on(facts, today),
        two_week_processing=two_week_processing(pathway, position, today),
    )


def _findings(
    pathway: str, category: str, candidate: Candidate, position: Position, today: date
) -> list[Finding]:
    if pathway == "gts" and category == CATEGORY_B:
        return gts.category_b(position, today)
    if pathway == "gts" and category == CATEGORY_A:
        return gts.category_a(candidate, position, today)
    if pathway == "gts":
        return [
            Finding("gts_category", Met.NO, f"Unknown GTS category {category!r}: use A or B.", "G2")
        ]
    if pathway == "cusma":
        return cusma.findings(candidate, position)
    if pathway == "ict" and position.ict_capacity is not None:
        return ict.findings(candidate, position, category, position.ict_capacity, today)
    return [Finding("pathway", Met.NO, f"Unknown pathway {pathway!r}.", "G1, I4")]


def screen_all(candidate: Candidate, position: Position, today: date) -> list[Verdict]:
    """Every pathway and category a hire could use."""
    verdicts = [
        screen("gts", CATEGORY_A, candidate, position, today),
        screen("gts", CATEGORY_B, candidate, position, today),
        screen("cusma", "T36", candidate, position, today),
    ]
    if position.ict_capacity is not None:
        code = ict_code(position.ict_capacity, candidate.citizenships)
        verdicts.append(screen("ict", code, candidate, position, today))
    else:
        for capacity in (Capacity.STARTUP, Capacity.MANAGER, Capacity.SPECIALIZED_KNOWLEDGE):
            code = ict_code(capacity, candidate.citizenships)
            verdicts.append(
                screen("ict", code, candidate, replace_capacity(position, capacity), today)
            )
    return verdicts


def replace_capacity(position: Position, capacity: Capacity) -> Position:
    return replace(position, ict_capacity=capacity)
