"""A hire's projected plan: each remaining step's earliest and expected dates, and the
work permit's, against the planned start date (pathways.plan)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api import presenters
from api.deps import CallerDep, HireId, SessionDep
from api.hire_commands import require_hire
from api.routes.hires import ERRORS
from pathways.plan import Plan

router = APIRouter(prefix="/api/v1/hires", tags=["hires"])


class PlannedStepOut(BaseModel):
    key: str
    owner: str
    open: bool = Field(description="The step is open now (else: not yet)")
    late: bool = Field(description="Open and past its due date: counted as done today at best")
    opens_earliest: date
    opens_expected: date
    earliest: date = Field(
        description="Done at the soonest: the employer and the worker act the day the step "
        "opens, each authority takes its published standard"
    )
    expected: date = Field(description="Done by, if every step takes the time it is given")


class PlanOut(BaseModel):
    steps: list[PlannedStepOut] = Field(description="The remaining steps, in order")
    permit_earliest: date | None
    permit_expected: date | None
    start_date: date | None = Field(description="The position's planned start date")
    days_late_for_start: int = Field(
        description="Days the expected permit comes after the planned start (0: in time)"
    )


@router.get("/{hire_id}/plan", response_model=PlanOut, responses=ERRORS)
async def get_plan(hire_id: HireId, session: SessionDep, caller: CallerDep) -> PlanOut:
    """When each remaining step and the work permit should come, counted from today with each
    step's standard and the holiday calendar; recomputed on every read. A finished hire has
    no remaining steps."""
    record = require_hire(session, caller, hire_id)
    planned = presenters.plan(record, datetime.now(UTC))
    if record.hire.status != "active":
        planned = Plan([], None, None, planned.start_date)
    return PlanOut(
        steps=[PlannedStepOut(**vars(s)) for s in planned.steps],
        permit_earliest=planned.permit_earliest,
        permit_expected=planned.permit_expected,
        start_date=planned.start_date,
        days_late_for_start=planned.days_late_for_start,
    )
