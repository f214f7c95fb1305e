"""Eligibility screening: which pathways fit a candidate and a job. No side effects."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from api.deps import CallerDep
from api.eligibility_io import candidate_of, finding_out, position_of, verdict_out
from api.schemas import ScreeningIn, ScreeningOut
from pathways import registry
from pathways.calendar import eastern_date
from pathways.eligibility import permit_months, screen_all, spouse_finding

router = APIRouter(prefix="/api/v1/screenings", tags=["screenings"])


@router.post("", response_model=ScreeningOut)
async def screen(body: ScreeningIn, caller: CallerDep) -> ScreeningOut:
    """A verdict per pathway and category (eligible, not eligible, or needs evidence), each
    with the rules that decided it and what is missing; where the worker may apply and whether
    the two-week processing applies; and whether a spouse may get an open work permit (not
    said for a Canadian citizen or permanent resident, who needs no permit)."""
    candidate, position = candidate_of(body.candidate), position_of(body.position)
    today = body.screened_on or eastern_date(datetime.now(UTC))
    verdicts = screen_all(candidate, position, today)
    out = []
    for verdict in verdicts:
        category = registry.current(verdict.pathway).category(verdict.category)
        months = permit_months(
            position.duration_months, category.max_permit_years if category else None
        )
        out.append(verdict_out(verdict, spouse_finding(candidate, position, months, today)))
    spouse = spouse_finding(candidate, position, position.duration_months, today)
    return ScreeningOut(verdicts=out, spouse=finding_out(spouse) if spouse else None)
