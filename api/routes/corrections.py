"""Corrections to a hire: its details edited, an accept, reject or waive undone, a recorded
decision amended. Each is a workflow update; the timeline keeps the old and new values."""

from __future__ import annotations

from fastapi import APIRouter

from api.corrections import AmendIn, DetailsEdit
from api.deps import HireId, Key
from api.routes.hires import ERRORS, ActingDep
from api.schemas import HireDetail, OptionalReasonIn
from contracts.hire import ItemActionInput
from workflows.hire import HireWorkflow

router = APIRouter(prefix="/api/v1/hires", tags=["hires"])


@router.patch("/{hire_id}/details", response_model=HireDetail, responses=ERRORS)
async def edit_details(hire_id: HireId, body: DetailsEdit, acting: ActingDep) -> HireDetail:
    """Correct the candidate's name, email, phone or preferred language, the HR owner, the
    manager or the planned start date. Only the fields sent change; emails go to the new
    addresses from now on; deadlines counted from the start date follow it."""
    edit = body.as_input(acting.caller.actor)
    return await acting.act(hire_id, HireWorkflow.edit_details, edit)


@router.post("/{hire_id}/items/{item}/undo", response_model=HireDetail, responses=ERRORS)
async def undo_item(
    hire_id: HireId, item: Key, acting: ActingDep, body: OptionalReasonIn | None = None
) -> HireDetail:
    """Take back an accept, reject or waive while the item's step is open: the item is
    received again (or requested, if it has no document)."""
    undo = ItemActionInput(item, body.reason if body else "", acting.caller.actor)
    return await acting.act(hire_id, HireWorkflow.undo_item, undo)


@router.post("/{hire_id}/steps/{step}/decision/amend", response_model=HireDetail, responses=ERRORS)
async def amend_decision(
    hire_id: HireId, step: Key, body: AmendIn, acting: ActingDep
) -> HireDetail:
    """Correct a recorded decision, with a reason: its fields (its outcome too while the step
    is open). Deadlines counted from a changed date are counted again; refused once a later
    step has moved on."""
    return await acting.act(
        hire_id, HireWorkflow.amend_decision, body.as_input(step, acting.caller.actor)
    )
