"""Defect 19 (REVIEW-2026-12.md): the spouse's open-work-permit fees are listed only when that
permit is possible (the spouse finding met or needing evidence), from the rules versions that
say so; hires on the versions before keep the fees they were shown."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pathways import registry
from pathways.eligibility import Candidate, Position, WagePer, facts_of
from pathways.ict import Capacity

SPOUSE_FEES = {"spouse_open_work_permit", "spouse_work_permit", "spouse_biometrics"}
WITH_SPOUSE = Candidate(citizenships=("IN",), spouse=True)


def position(noc: str, months: int | None = 36, **changes: object) -> Position:
    return Position(
        noc=noc, wage_amount=Decimal(150_000), wage_per=WagePer.YEAR, province="ON",
        duration_months=months, **changes,  # type: ignore[arg-type]
    )  # fmt: skip


# (pathway, category, position, candidate, the spouse fees listed)
CASES = [
    ("gts", "B", position("21231"), WITH_SPOUSE, True),  # TEER 1, 36 months: met
    ("gts", "B", position("52120"), WITH_SPOUSE, False),  # NOC 52120: not met
    ("gts", "B", position("21231", months=12), WITH_SPOUSE, False),  # under 16 months
    ("gts", "B", position("21231", months=None), WITH_SPOUSE, True),  # needs evidence
    ("gts", "B", position("21231"), Candidate(citizenships=("IN",)), False),  # no spouse
    ("cusma", "T36", position("64100"), WITH_SPOUSE, False),  # TEER 4
    ("ict", "C61", position("20012", months=None, ict_capacity=Capacity.STARTUP), WITH_SPOUSE,
     False),  # a start-up permit runs 12 months at most
    ("ict", "C62", position("20012", ict_capacity=Capacity.MANAGER), WITH_SPOUSE, True),
]  # fmt: skip


@pytest.mark.parametrize(("pathway", "category", "job", "candidate", "listed"), CASES)
def test_spouse_fees_only_when_the_spouses_permit_is_possible(
    pathway: str, category: str, job: Position, candidate: Candidate, listed: bool
) -> None:
    fees = registry.current(pathway).fees_for(facts_of(candidate, job, category))
    assert (SPOUSE_FEES <= {f.key for f in fees}) == listed
    assert not listed or len(SPOUSE_FEES & {f.key for f in fees}) == 3


def test_hires_on_the_earlier_versions_keep_the_fees_they_were_shown() -> None:
    facts = facts_of(WITH_SPOUSE, position("52120"), "B")
    before = registry.version("gts", "gts-2025-11-20-r2").fees_for(facts)
    assert SPOUSE_FEES <= {f.key for f in before}
