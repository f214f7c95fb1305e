"""HR's corrections: the hire's details edited, an accept, reject or waive taken back, a
recorded decision amended. Each is an update whose validator refuses what cannot be corrected
(a refusal changes nothing) and whose handler leaves the old and new values on the timeline.

A history recorded before these updates existed never calls them, so adding them needs no
patch (docs/versioning.md); changing what they do for hires in flight would.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import date, datetime

from temporalio import workflow

from workflows import validation
from workflows.clocks import Clocks
from workflows.projection import Projection
from workflows.state import HireState, today
from workflows.validation import reject, require_reason

with workflow.unsafe.imports_passed_through():
    from contracts.errors import CONFLICT, INVALID
    from contracts.hire import (
        ActionResult,
        AmendDecisionInput,
        DecisionInput,
        EditDetailsInput,
        HireStatus,
        ItemActionInput,
        ItemStatus,
        StepState,
        StepStatus,
        Update,
    )
    from pathways.deadlines import due_date
    from pathways.model import AnchorKind, DeadlineRule, Effect

# Each detail HR may correct: the input's field, and where the hire keeps it.
DETAILS = (
    ("candidate_name", "candidate", "name"),
    ("candidate_email", "candidate", "email"),
    ("candidate_phone", "candidate", "phone"),
    ("preferred_language", "candidate", "preferred_language"),
    ("hr_owner_name", "hr_owner", "name"),
    ("hr_owner_email", "hr_owner", "email"),
    ("manager_name", "manager", "name"),
    ("manager_email", "manager", "email"),
    ("start_date", "position", "start_date"),
)
LANGUAGES = ("en", "fr")
MAX_TEXT = {"name": 200, "email": 320, "phone": 40}
UNDOABLE = (ItemStatus.ACCEPTED, ItemStatus.REJECTED, ItemStatus.WAIVED)
MOVED_ON = (ItemStatus.RECEIVED, ItemStatus.ACCEPTED, ItemStatus.REJECTED, ItemStatus.WAIVED)


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def detail_changes(state: HireState, input: EditDetailsInput) -> list[tuple[str, str, str]]:
    """(field, old, new) for each detail the input changes."""
    changes = []
    for name, part, attr in DETAILS:
        new = getattr(input, name)
        if new is None:
            continue
        if isinstance(new, str):
            new = new.strip()
        old = getattr(getattr(state.input, part), attr)
        if _text(old) != _text(new):
            changes.append((name, _text(old), _text(new)))
    return changes


def check_edit(state: HireState, input: EditDetailsInput, now: datetime) -> None:
    validation.within_bound(state, now)
    tracking = state.status == HireStatus.PERMIT_ISSUED and state.ended is None
    if not tracking:
        validation.require_active(state)
    changes = detail_changes(state, input)
    if not changes:
        raise reject(CONFLICT, "Nothing changed: every value is as the hire has it already.")
    problems: dict[str, str] = {}
    for name, _, new in changes:
        kind = name.rsplit("_", 1)[-1]
        if kind in ("name", "email") and not new:
            problems[name] = "can't be empty"
        elif kind in MAX_TEXT and len(new) > MAX_TEXT[kind]:
            problems[name] = f"use at most {MAX_TEXT[kind]} characters"
        elif kind == "email" and ("@" not in new or " " in new):
            problems[name] = "enter an email address, like name@example.com"
        elif name == "preferred_language" and new not in ("", *LANGUAGES):  # "": not said
            problems[name] = "choose English or French"
    if problems:
        raise reject(INVALID, "Some of the new details are not valid.", **problems)
    if len(input.reason) > validation.MAX_REASON:
        raise reject(INVALID, "The reason is too long.", reason="too long")


def later_steps(state: HireState, step: StepState) -> list[StepState]:
    return state.steps[state.steps.index(step) + 1 :]


def check_amend(state: HireState, input: AmendDecisionInput, now: datetime) -> None:
    """A recorded decision may be amended while nothing after it has moved on."""
    validation.within_bound(state, now)
    if state.status == HireStatus.PERMIT_ISSUED and state.ended is None:
        raise reject(
            CONFLICT,
            "The permit is issued, so its recorded decisions can't be amended here yet; its "
            "expiry reminders follow the dates as recorded.",
            step=input.step,
        )
    validation.require_active(state)
    step = validation.known_step(state, input.step)
    if state.pathway.step(step.key).decision is None:
        raise reject(INVALID, f"“{step.title}” takes no decision.", step=step.key)
    if not step.outcome or step.status not in (StepStatus.OPEN, StepStatus.DONE):
        raise reject(
            CONFLICT,
            f"Nothing is recorded for “{step.title}” yet: record the decision instead.",
            step=step.key,
        )
    require_reason(input.reason)
    if step.status == StepStatus.DONE and input.outcome != step.outcome:
        raise reject(
            CONFLICT,
            f"“{step.title}” is done, so its outcome stays as recorded; only its details "
            "can be amended.",
            outcome="can't change once the step is done",
        )
    decided = DecisionInput(step.key, input.outcome, input.fields, input.actor)
    fields, problems = validation.decision_fields(state, step, decided, today())
    validation.refuse_problems(problems)
    changed = _changed_fields(step.fields, fields)
    if input.outcome == step.outcome and not changed:
        raise reject(CONFLICT, "Nothing changed: the decision is recorded with these values.")
    for later in later_steps(state, step):
        moved = later.status == StepStatus.DONE or later.outcome
        if moved or any(i.status in MOVED_ON for i in later.items):
            raise reject(
                CONFLICT,
                f"“{later.title}” has moved on since (a document or a decision is recorded "
                f"there), so the decision for “{step.title}” can no longer be amended.",
                step=step.key,
            )
    _refuse_clock_dates(state, step, changed, input.outcome != step.outcome)


def _changed_fields(old: dict[str, str], new: dict[str, str]) -> list[str]:
    return sorted(k for k in set(old) | set(new) if old.get(k, "") != new.get(k, ""))


def _refuse_clock_dates(
    state: HireState, step: StepState, changed: list[str], new_outcome: bool
) -> None:
    """A decision that started or stopped a clock keeps its date and outcome: the clock's
    notices were timed on them. (One that had not started a clock may start it now.)"""
    for clock in state.clocks:
        if clock.started_on is None:
            continue
        defn = next(c for c in state.pathway.clocks if c.key == clock.key)
        starts = defn.starts.step == step.key and (defn.starts.field in changed or new_outcome)
        stops = clock.stops_after_step == step.key and "decided_on" in changed
        if starts or stops:
            what = "its outcome" if starts and new_outcome else "that date"
            field = (
                "outcome"
                if starts and new_outcome
                else defn.starts.field
                if starts
                else "decided_on"
            )
            raise reject(
                CONFLICT,
                f"This decision {'started' if starts else 'stopped'} the {clock.title}, whose "
                f"notices were timed on it, so {what} can't be amended here.",
                **{field: "timed the clock"},
            )


class Corrections:
    """The correction updates, mixed into the step runner (workflows.hire.HireWorkflow)."""

    # What the step runner provides (declared here, defined there).
    _state: HireState
    _projection: Projection
    _clocks: Clocks
    _set_due: Callable[[StepState, date], None]
    _after_action: Callable[[], Awaitable[ActionResult]]

    @workflow.update(name=Update.EDIT_DETAILS)
    async def edit_details(self, input: EditDetailsInput) -> ActionResult:
        state = self._state
        changes = detail_changes(state, input)
        parts: dict[str, dict[str, object]] = {}
        for name, part, attr in DETAILS:
            if any(c[0] == name for c in changes):
                value = getattr(input, name)
                parts.setdefault(part, {})[attr] = (
                    value.strip() if isinstance(value, str) else value
                )
        for part, values in parts.items():
            setattr(state.input, part, dataclasses.replace(getattr(state.input, part), **values))
        for name, old, new in changes:
            data = {"field": name, "from": old, "to": new, "reason": input.reason.strip()}
            self._projection.event("detail_changed", input.actor, data=data)
        if "start_date" in parts:
            self._recompute(lambda rule: rule.anchor.kind == AnchorKind.START_DATE)
        return await self._after_action()

    @edit_details.validator
    def _validate_edit_details(self, input: EditDetailsInput) -> None:
        check_edit(self._state, input, workflow.now())

    @workflow.update(name=Update.UNDO_ITEM)
    async def undo_item(self, input: ItemActionInput) -> ActionResult:
        step, item = self._state.item(input.item)
        was = item.status
        item.status = ItemStatus.RECEIVED if item.documents else ItemStatus.REQUESTED
        item.reason, item.updated_at = "", workflow.now()
        data = {"was": was.value, "now": item.status.value, "reason": input.reason.strip()}
        self._projection.event("item_undone", input.actor, step.key, item.key, data)
        return await self._after_action()

    @undo_item.validator
    def _validate_undo_item(self, input: ItemActionInput) -> None:
        validation.within_bound(self._state, workflow.now())
        item = validation.open_item(self._state, input.item)
        if item.status not in UNDOABLE:
            raise reject(
                CONFLICT,
                f"“{item.title}” has no accept, reject or waive to undo.",
                item=item.key,
            )
        if len(input.reason) > validation.MAX_REASON:
            raise reject(INVALID, "The reason is too long.", reason="too long")

    @workflow.update(name=Update.AMEND_DECISION)
    async def amend_decision(self, input: AmendDecisionInput) -> ActionResult:
        state = self._state
        step = state.step(input.step)
        decided = DecisionInput(step.key, input.outcome, input.fields, input.actor)
        fields, _ = validation.decision_fields(state, step, decided, today())
        changed = _changed_fields(step.fields, fields)
        data = {"outcome": input.outcome, "was": step.outcome, "reason": input.reason.strip()}
        data["fields"] = ",".join(changed)
        for key in changed:
            data[f"from.{key}"], data[f"to.{key}"] = step.fields.get(key, ""), fields.get(key, "")
        step.outcome, step.fields, step.decided_by = input.outcome, fields, input.actor
        self._projection.event("decision_amended", input.actor, step.key, data=data)
        self._clocks.start_after(step)  # an outcome that starts a clock, newly recorded
        self._recompute(
            lambda rule: (
                rule.anchor.kind == AnchorKind.FIELD
                and rule.anchor.step == step.key
                and rule.anchor.field in changed
            )
        )
        spec = state.pathway.step(step.key).decision
        outcome = spec.outcome(input.outcome) if spec else None
        if outcome is not None and outcome.effect == Effect.END_HIRE:
            state.ended = HireStatus(outcome.end_status)
        return await self._after_action()

    @amend_decision.validator
    def _validate_amend_decision(self, input: AmendDecisionInput) -> None:
        check_amend(self._state, input, workflow.now())

    def _recompute(self, anchored: Callable[[DeadlineRule], bool]) -> None:
        """Open steps whose deadline hangs on what changed (and was not moved by hand) get it
        counted again from the new date."""
        state = self._state
        for step in state.steps:
            if step.status != StepStatus.OPEN or step.deadline_changed:
                continue
            rule = state.pathway.step(step.key).deadline_for(state.facts)
            if not anchored(rule):
                continue
            anchor = self._anchor_of(rule.anchor.kind, rule.anchor.step, rule.anchor.field)
            if anchor is None:
                continue
            new = due_date(rule, anchor)
            if new != step.due_on:
                old = _text(step.due_on)
                self._set_due(step, new)
                data = {"from": old, "to": new.isoformat()}
                self._projection.event("deadline_recomputed", step=step.key, data=data)

    def _anchor_of(self, kind: AnchorKind, step_key: str, field: str) -> date | None:
        if kind == AnchorKind.FIELD:
            recorded = self._state.step(step_key).fields.get(field)
            return date.fromisoformat(recorded) if recorded else None
        if kind == AnchorKind.START_DATE:
            return self._state.input.position.start_date
        return None
