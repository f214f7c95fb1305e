"""HR's actions checked before they are accepted: pure functions of the hire's state and the
action, run by the updates' validators. A refusal is a non-retryable ``ApplicationError``
whose type (``contracts.errors``) the API maps to 404, 409 or 422, and whose details name
each field at fault; a refused action changes nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError

from workflows.state import HireState

with workflow.unsafe.imports_passed_through():
    from contracts.errors import CONFLICT, INVALID, NOT_FOUND, TOO_MANY
    from contracts.hire import (
        DeadlineInput,
        DecisionInput,
        HireStatus,
        ItemActionInput,
        ItemState,
        ItemStatus,
        ReceiveDocumentInput,
        StepState,
        StepStatus,
        WithdrawInput,
    )
    from pathways.calendar import eastern_date
    from pathways.decisions import FieldProblem, check_decision

MAX_DEADLINE_AHEAD = timedelta(days=730)
MAX_REASON = 2000
ACTION_WINDOW = timedelta(hours=1)


def reject(kind: str, message: str, /, **fields: str) -> ApplicationError:
    """A validator's refusal; ``fields`` maps each field at fault to what is wrong with it
    (positional-only parameters, so a field may be called ``kind`` or ``message``)."""
    return ApplicationError(message, fields, type=kind, non_retryable=True)


ENDED = {  # how a refusal names the way a hire ended
    HireStatus.PERMIT_ISSUED: "its permit was issued",
    HireStatus.PERMIT_EXPIRED: "its permit expired",
    HireStatus.WITHDRAWN: "it was withdrawn",
    HireStatus.LMIA_REFUSED: "the LMIA was refused",
    HireStatus.PERMIT_REFUSED: "the work permit was refused",
    HireStatus.ENTRY_REFUSED: "entry was refused",
    HireStatus.HALTED: "it was stopped outside hirepath",
}
STATUS_WORDS = {  # why a step takes no action: "“Submit the LMIA” is done, not open."
    StepStatus.PENDING: "not open yet",
    StepStatus.OPEN: "open",
    StepStatus.DONE: "done, not open",
    StepStatus.SKIPPED: "skipped, not open",
}


def require_active(state: HireState) -> None:
    if not state.active:
        ended = state.ended or state.status
        how = ENDED.get(ended, "it ended")
        raise reject(CONFLICT, f"This hire has ended ({how}); it takes no more actions.")


def within_bound(state: HireState, now: datetime) -> None:
    """HR's actions on one hire are bounded per hour (``HireInput.max_actions_per_hour``):
    a runaway script cannot flood the hire's history."""
    limit = state.input.max_actions_per_hour
    if limit and state.actions_within(ACTION_WINDOW, now) >= limit:
        raise reject(
            TOO_MANY,
            f"This hire has taken {limit} actions in the last hour, its limit; try again later.",
        )


def require_reason(reason: str) -> None:
    if not reason.strip():
        raise reject(INVALID, "Give a reason.", reason="required")
    if len(reason) > MAX_REASON:
        raise reject(
            INVALID, f"The reason is too long (at most {MAX_REASON} characters).", reason="too long"
        )


def known_step(state: HireState, key: str) -> StepState:
    step = state.find_step(key)
    if step is None:
        raise reject(NOT_FOUND, "This hire has no such step.", step="unknown")
    return step


def open_step(state: HireState, key: str) -> StepState:
    step = known_step(state, key)
    if step.status != StepStatus.OPEN:
        raise reject(CONFLICT, f"“{step.title}” is {STATUS_WORDS[step.status]}.", step=step.key)
    return step


def open_item(state: HireState, key: str) -> ItemState:
    """The item, if the hire is active and the item's step is open."""
    require_active(state)
    found = state.find_item(key)
    if found is None:
        raise reject(NOT_FOUND, "This hire has no such document or item.", item="unknown")
    step, item = found
    if step.status != StepStatus.OPEN:
        raise reject(
            CONFLICT,
            f"“{item.title}” belongs to “{step.title}”, which is {STATUS_WORDS[step.status]}.",
            item=key,
        )
    return item


def receive_document(state: HireState, input: ReceiveDocumentInput, now: datetime) -> None:
    within_bound(state, now)
    item = open_item(state, input.item)
    if item.status.settled:
        raise reject(
            CONFLICT,
            f"“{item.title}” is already {item.status.value}; reject it (or undo) first to "
            "replace its document.",
            item=item.key,
        )


def accept_item(state: HireState, input: ItemActionInput, now: datetime) -> None:
    within_bound(state, now)
    item = open_item(state, input.item)
    if item.status != ItemStatus.RECEIVED:
        raise reject(
            CONFLICT,
            f"“{item.title}” is {item.status.value}: only a received document can be accepted.",
            item=item.key,
        )


def reject_item(state: HireState, input: ItemActionInput, now: datetime) -> None:
    within_bound(state, now)
    item = open_item(state, input.item)
    if item.status not in (ItemStatus.RECEIVED, ItemStatus.ACCEPTED):
        raise reject(
            CONFLICT,
            f"“{item.title}” is {item.status.value}: only a received or accepted document "
            "can be rejected.",
            item=item.key,
        )
    require_reason(input.reason)


def waive_item(state: HireState, input: ItemActionInput, now: datetime) -> None:
    within_bound(state, now)
    item = open_item(state, input.item)
    if item.status.settled:
        raise reject(CONFLICT, f"“{item.title}” is already {item.status.value}.", item=item.key)
    require_reason(input.reason)


def decision_fields(
    state: HireState, step: StepState, input: DecisionInput, today: date
) -> tuple[dict[str, str], list[FieldProblem]]:
    """The decision's fields as recorded, and what is wrong with them."""
    spec = state.pathway.step(step.key).decision
    assert spec is not None
    return check_decision(
        spec,
        input.outcome,
        input.fields,
        today,
        allowed=step.decision_outcomes,
        max_permit_years=state.category_max_years(),
    )


def record_decision(state: HireState, input: DecisionInput, now: datetime) -> None:
    within_bound(state, now)
    today = eastern_date(now)
    require_active(state)
    step = known_step(state, input.step)
    if state.pathway.step(step.key).decision is None:
        raise reject(INVALID, f"“{step.title}” takes no decision.", step=step.key)
    open_step(state, step.key)
    if step.outcome:
        raise reject(
            CONFLICT,
            f"“{step.title}” already has its decision; amend it instead.",
            step=step.key,
        )
    _, problems = decision_fields(state, step, input, today)
    refuse_problems(problems)


def refuse_problems(problems: list[FieldProblem]) -> None:
    """Refuse a decision with problems (each message names its field by its title)."""
    if not problems:
        return
    raise reject(
        INVALID,
        "; ".join(p.message.rstrip(".") for p in problems) + ".",
        **{p.field: p.message for p in problems},
    )


def change_deadline(state: HireState, input: DeadlineInput, now: datetime) -> None:
    within_bound(state, now)
    today = eastern_date(now)
    require_active(state)
    step = open_step(state, input.step)
    if input.due_on < today:
        raise reject(
            INVALID, "The new due date can't be in the past.", due_on="cannot be in the past"
        )
    if input.due_on > today + MAX_DEADLINE_AHEAD:
        raise reject(
            INVALID,
            "The new due date must be within two years.",
            due_on="more than two years ahead",
        )
    if input.due_on == step.due_on:
        raise reject(CONFLICT, f"“{step.title}” is already due that day.", step=step.key)
    require_reason(input.reason)


def withdraw(state: HireState, input: WithdrawInput) -> None:
    """A hire in progress can be withdrawn; a tracked permit's tracking can be stopped."""
    tracking = state.status == HireStatus.PERMIT_ISSUED and state.permit_announced
    if not (tracking and state.ended is None):
        require_active(state)
    require_reason(input.reason)
