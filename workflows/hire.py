"""The step runner every pathway's workflow is built on.

A pathway's workflow subclasses :class:`HireWorkflow` and reads as its process:
``await self.run_step("prepare_lmia")``, then the next. This module holds the
shared mechanics:

- a step opens, requests its checklist items and emails its owner;
- it waits for its items (and decision, if it takes one) racing its deadline,
  with reminders before the deadline and escalations after it
  (``pathways.deadlines``); an authority's step only tells HR when its standard
  is due and when it has passed;
- HR's actions arrive as updates with validators, so a rejected action changes
  nothing and says why;
- SLA clocks (the GTS two-week target) start and stop on recorded dates;
- every change is projected to the store by the recorder activity, and every
  email is sent by the notifier activity, both idempotent.

Only the main loop projects. An update changes the state, then waits until the
main loop has reacted (opened the next step, say) and projected, so its caller
reads what it wrote.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from contracts.activities import (
        ActivityName,
        MailContext,
        NotifyInput,
        RecordInput,
        RecordResult,
    )
    from contracts.errors import CONFLICT, INVALID, NOT_FOUND
    from contracts.hire import (
        ActionResult,
        ClockState,
        ClockStatus,
        DeadlineInput,
        DecisionInput,
        Event,
        HireInput,
        HireResult,
        HireSnapshot,
        HireStatus,
        ItemActionInput,
        ItemState,
        ItemStatus,
        OpenHireInput,
        OpenHireResult,
        ReceiveDocumentInput,
        StepState,
        StepStatus,
        WithdrawInput,
        summary_of,
    )
    from pathways import registry
    from pathways.calendar import eastern_date, end_of, morning_of
    from pathways.deadlines import Notice, NoticeKind, clock_notices, due_date, step_notices
    from pathways.decisions import FieldProblem, check_decision
    from pathways.model import AnchorKind, Effect, HireFacts, Owner, Pathway, SlaClock
    from pathways.occupations import teer_of

# A worker that dies mid-activity is noticed when the activity's start-to-close timeout
# passes; then the activity is retried elsewhere (idempotently).
RECORD_TIMEOUT = timedelta(seconds=15)
RECORD_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30)
)
NOTIFY_TIMEOUT = timedelta(seconds=30)  # above the SMTP timeout (20 s)
NOTIFY_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=5),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=10),
)

MAX_DEADLINE_AHEAD = timedelta(days=730)
PERMIT_REMINDER_DAYS = (120, 90, 30)  # before a permit expires

# workflow.patched IDs: each marks a change to running hires' behaviour (docs/workflows.md).
AUTHORITY_BY_OWNER = "authority-steps-by-owner"
PERMIT_TRACKING = "permit-expiry-tracking"
PERMIT_EXPIRING_SOON = "permit-expiring-soon-reminder"
# A settled step is projected with the next step's opening (one recorder call, not two);
# whatever runs next projects before it waits.
MERGED_STEP_PROJECTION = "merged-step-projection"
# Projections carry only the steps and clocks that changed (record_changes), not all of them.
RECORD_CHANGES = "record-changes"


class HireEnded(Exception):
    def __init__(self, status: HireStatus) -> None:
        super().__init__(status.value)
        self.status = status


def _reject(kind: str, message: str, /, **fields: str) -> ApplicationError:
    """A validator's refusal; ``fields`` maps each field at fault to what is wrong with it
    (positional-only parameters, so a field may be called ``kind`` or ``message``)."""
    return ApplicationError(message, fields, type=kind, non_retryable=True)


class HireWorkflow:
    """Base of every pathway's workflow: state, HR's updates, steps, clocks, projection."""

    @workflow.init
    def __init__(self, input: HireInput) -> None:
        self._input = input
        self._pathway: Pathway = registry.version(input.pathway, input.rules_version)
        facts = self._facts = HireFacts(
            category=input.category,
            province=input.position.province,
            citizenships=tuple(input.candidate.citizenships),
            teer=teer_of(input.position.noc),
            visa_exempt=input.candidate.visa_exempt,
            spouse=input.candidate.spouse,
            residence=input.candidate.residence,
        )
        self._steps: list[StepState] = [
            StepState(
                key=step.key,
                title=step.title,
                owner=step.owner.value,
                description=step.description,
                items=[
                    ItemState(
                        key=item.key,
                        step=step.key,
                        title=item.title,
                        description=item.description,
                        owner=(item.owner or step.owner).value,
                        required=item.required,
                    )
                    for item in self._pathway.items_for(step, facts)
                ],
                decision_outcomes=[o.key for o in step.decision.outcomes_for(facts)]
                if step.decision
                else [],
                service_standard=step.deadline_for(facts).service_standard,
                deadline_note=step.deadline_for(facts).note,
            )
            for step in self._pathway.steps_for(facts)
        ]
        self._clocks = [
            ClockState(c.key, c.title, c.stops_after_step, c.at_risk_day, c.target_day)
            for c in self._pathway.clocks_for(facts)
        ]
        self._status = HireStatus.ACTIVE
        self._ended: HireStatus | None = None
        self._created_at = workflow.now()
        self._updated_at = self._created_at
        self._closed_at: datetime | None = None
        self._origin_request = ""
        self._withdraw_reason = ""
        self._permit_announced = False
        self._seq = 0
        self._pending_events: list[Event] = []
        self._changes = 0
        self._projected = 0
        # the steps and clocks as the store holds them (copies), for partial projections
        self._recorded_steps: dict[str, StepState] = {}
        self._recorded_clocks: dict[str, ClockState] = {}
        self._version = 0
        self._idle = False
        self._tasks: list[asyncio.Task[None]] = []
        self._event(
            "hire_created", input.actor, data={"pathway": input.pathway, "category": input.category}
        )
        if input.override is not None:
            self._event(
                "eligibility_overridden",
                input.actor,
                data={
                    "justification": input.override.justification,
                    "reasons": " | ".join(input.override.reasons),
                },
            )

    # ---- what a pathway's workflow calls ----

    async def run_step(self, key: str) -> StepState:
        """Open the step, then wait for it to settle while sending its notices.

        Returns the settled step; raises :class:`HireEnded` when the hire is
        withdrawn or an outcome ends it.
        """
        step = self._step(key)
        if self._ended is not None:  # withdrawn while the previous step was completing
            raise HireEnded(self._ended)
        if step.status == StepStatus.PENDING:
            self._open(step)
        while True:
            if self._ended is not None:
                raise HireEnded(self._ended)
            if step.settled:
                self._complete(step)
                if not workflow.patched(MERGED_STEP_PROJECTION):
                    await self._project()
                return step
            if self._projected < self._changes:
                await self._project()
                continue
            notice = self._next_notice(step)
            if notice is not None and notice.at <= workflow.now():
                self._send_notice(step, notice)
                continue
            seen = self._changes
            timeout = (notice.at - workflow.now()) if notice else None
            self._idle = True
            try:
                await workflow.wait_condition(partial(self._changed_since, seen), timeout=timeout)
            except TimeoutError:
                pass
            finally:
                self._idle = False

    def has_step(self, key: str) -> bool:
        return any(s.key == key for s in self._steps)

    def skip_step(self, key: str, reason: str) -> None:
        """A step this hire does not need after all (say, IRCC's decision for a worker who
        applies at the border)."""
        step = self._step(key)
        step.status = StepStatus.SKIPPED
        self._event("step_skipped", step=key, data={"reason": reason})
        self._changed()

    async def work_permit(self) -> None:
        """The worker applies, online from outside Canada or (if they may) at the port of
        entry; IRCC decides an online application; CBSA issues the permit at the border."""
        application = await self.run_step("work_permit_application")
        if application.outcome == "port_of_entry":
            self.skip_step("work_permit_decision", "the worker applies at the port of entry")
        else:
            await self.run_step("work_permit_decision")
        await self.run_step("port_of_entry")

    async def track_permit(self) -> HireStatus:
        """The permit is issued: tell HR and the manager, then remind HR 120, 90 and 30 days
        before it expires, naming the renewal route and any cap. A few timers, however long
        the permit: the history does not grow with the wait. Ends when the permit expires, or
        when HR stops the tracking (withdraw)."""
        if self._ended is not None:  # withdrawn while the permit was being recorded
            raise HireEnded(self._ended)
        now = workflow.now()
        permit = next(s for s in reversed(self._steps) if s.fields.get("expires_on"))
        expires = date.fromisoformat(permit.fields["expires_on"])
        self._status, self._closed_at, self._permit_announced = HireStatus.PERMIT_ISSUED, now, True
        self._event("permit_issued", data={"expires_on": expires.isoformat()})
        self._changed()
        await self._project()
        facts = self._permit_facts()
        self._spawn(
            self._notify("permit_issued", "hire:permit_issued", self._hr_and_manager(), facts=facts)
        )
        first = morning_of(expires - timedelta(days=max(PERMIT_REMINDER_DAYS)))
        left = (expires - eastern_date(workflow.now())).days
        if first <= workflow.now() and left >= 0 and workflow.patched(PERMIT_EXPIRING_SOON):
            # recorded with less than the first reminder's notice left: say so now
            self._spawn(
                self._notify(
                    "permit_expiry",
                    f"permit:expiry:{expires}:now",
                    self._hr_and_manager(),
                    days=left,
                    facts=facts,
                )
            )
        for days in PERMIT_REMINDER_DAYS:
            at = morning_of(expires - timedelta(days=days))
            if at <= workflow.now():
                continue
            if await self._rest_until(at):
                return HireStatus.PERMIT_ISSUED  # tracking stopped
            self._spawn(
                self._notify(
                    "permit_expiry",
                    f"permit:expiry:{expires}:{days}",
                    self._hr_and_manager(),
                    days=days,
                    facts=facts,
                    due_at=at,
                )
            )
        if await self._rest_until(end_of(expires)):
            return HireStatus.PERMIT_ISSUED
        return HireStatus.PERMIT_EXPIRED

    def _permit_facts(self) -> dict[str, str]:
        category = self._pathway.category(self._input.category)
        facts: dict[str, str] = {}
        for step in self._steps:
            facts.update(step.fields)
        facts.update(
            renewal=self._pathway.renewal,
            category=self._input.category,
            cap_years=str(category.cap_years or "") if category else "",
        )
        return facts

    async def _rest_until(self, at: datetime) -> bool:
        """Wait, answering HR's updates, until ``at``; True if the hire ended meanwhile."""
        while self._ended is None and workflow.now() < at:
            if self._projected < self._changes:
                await self._project()
                continue
            seen = self._changes
            self._idle = True
            try:
                await workflow.wait_condition(
                    partial(self._changed_since, seen), timeout=at - workflow.now()
                )
            except TimeoutError:
                pass
            finally:
                self._idle = False
        return self._ended is not None

    async def finish(self, status: HireStatus) -> HireResult:
        """End the hire with ``status``: close what is open, tell HR, project, and return."""
        now = workflow.now()
        self._status = status
        self._closed_at = now
        for step in self._steps:
            if step.status == StepStatus.OPEN and step.outcome:
                step.status, step.completed_at = StepStatus.DONE, now
            elif step.status in (StepStatus.OPEN, StepStatus.PENDING):
                step.status = StepStatus.SKIPPED
        for clock in self._clocks:
            if clock.status in (ClockStatus.RUNNING, ClockStatus.AT_RISK, ClockStatus.MISSED):
                self._stop_clock(clock, eastern_date(now), decided=False)
        kind = {
            HireStatus.PERMIT_ISSUED: "permit_issued",
            HireStatus.PERMIT_EXPIRED: "permit_expired",
        }.get(status, "hire_ended")
        announce = not (status == HireStatus.PERMIT_ISSUED and self._permit_announced)
        if announce:
            self._event(kind, data={"status": status.value})
        self._changed()
        await self._project()
        facts: dict[str, str] = {}
        for step in self._steps:
            facts.update(step.fields)
        decided = [s for s in self._steps if s.outcome]
        ending = (
            decided[-1]
            if decided and status not in (HireStatus.PERMIT_ISSUED, HireStatus.WITHDRAWN)
            else None
        )
        if ending is not None:
            facts.update(ending.fields)
        facts["status"] = status.value
        reason = (
            self._withdraw_reason if status == HireStatus.WITHDRAWN else facts.get("reason", "")
        )
        if announce:
            self._spawn(
                self._notify(
                    kind,
                    f"hire:{kind}",
                    self._hr_and_manager(),
                    step=ending,
                    reason=reason,
                    facts=facts,
                )
            )
        self._idle = True
        await asyncio.gather(*self._tasks)
        if self._projected < self._changes:  # an email failed after the last projection
            await self._project()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return HireResult(self._input.hire_id, status)

    async def run_pathway(self, process: Callable[[], Awaitable[HireStatus]]) -> HireResult:
        """Run a pathway's process (its steps in order) and end the hire however it ends."""
        try:
            status = await process()
        except HireEnded as ended:
            status = ended.status
        return await self.finish(status)

    # ---- updates: HR's actions ----

    @workflow.update
    async def open(self, input: OpenHireInput) -> OpenHireResult:
        if not self._origin_request:
            self._origin_request = input.request_id
        await self._settled(1)
        return OpenHireResult(self._input.hire_id, self._input.request_hash, self._origin_request)

    @workflow.update
    async def receive_document(self, input: ReceiveDocumentInput) -> ActionResult:
        step, item = self._item(input.item)
        item.documents.append(input.document)
        item.status = ItemStatus.ACCEPTED if input.accept else ItemStatus.RECEIVED
        item.reason, item.updated_at = "", workflow.now()
        self._event(
            "document_received",
            input.actor,
            step.key,
            item.key,
            {"document_id": input.document.id, "filename": input.document.filename},
        )
        if input.accept:
            self._event("item_accepted", input.actor, step.key, item.key)
        return await self._after_action()

    @receive_document.validator
    def _validate_receive_document(self, input: ReceiveDocumentInput) -> None:
        _, item = self._open_item(input.item)
        if item.status.settled:
            raise _reject(
                CONFLICT,
                f"item {item.key!r} is already {item.status.value}; reject it first to replace "
                "its document",
                item=item.key,
            )

    @workflow.update
    async def accept_item(self, input: ItemActionInput) -> ActionResult:
        step, item = self._item(input.item)
        item.status, item.reason, item.updated_at = ItemStatus.ACCEPTED, "", workflow.now()
        self._event("item_accepted", input.actor, step.key, item.key)
        return await self._after_action()

    @accept_item.validator
    def _validate_accept_item(self, input: ItemActionInput) -> None:
        _, item = self._open_item(input.item)
        if item.status != ItemStatus.RECEIVED:
            raise _reject(
                CONFLICT,
                f"item {item.key!r} is {item.status.value}: only a received document can be "
                "accepted",
                item=item.key,
            )

    @workflow.update
    async def reject_item(self, input: ItemActionInput) -> ActionResult:
        step, item = self._item(input.item)
        item.status, item.reason, item.updated_at = (
            ItemStatus.REJECTED,
            input.reason.strip(),
            workflow.now(),
        )
        seq = self._event("item_rejected", input.actor, step.key, item.key, {"reason": item.reason})
        self._spawn(
            self._notify(
                "item_rejected",
                f"{step.key}:rejected:{item.key}:{seq}",
                [self._email_of(item.owner)],
                step=step,
                item_title=item.title,
                reason=item.reason,
            )
        )
        return await self._after_action()

    @reject_item.validator
    def _validate_reject_item(self, input: ItemActionInput) -> None:
        _, item = self._open_item(input.item)
        if item.status not in (ItemStatus.RECEIVED, ItemStatus.ACCEPTED):
            raise _reject(
                CONFLICT,
                f"item {item.key!r} is {item.status.value}: only a received or accepted document "
                "can be rejected",
                item=item.key,
            )
        _require_reason(input.reason)

    @workflow.update
    async def waive_item(self, input: ItemActionInput) -> ActionResult:
        step, item = self._item(input.item)
        item.status, item.reason, item.updated_at = (
            ItemStatus.WAIVED,
            input.reason.strip(),
            workflow.now(),
        )
        self._event("item_waived", input.actor, step.key, item.key, {"reason": item.reason})
        return await self._after_action()

    @waive_item.validator
    def _validate_waive_item(self, input: ItemActionInput) -> None:
        _, item = self._open_item(input.item)
        if item.status.settled:
            raise _reject(
                CONFLICT, f"item {item.key!r} is already {item.status.value}", item=item.key
            )
        _require_reason(input.reason)

    @workflow.update
    async def record_decision(self, input: DecisionInput) -> ActionResult:
        step = self._step(input.step)
        spec = self._pathway.step(step.key).decision
        assert spec is not None  # the validator checked it
        fields, _ = self._check_decision(step, input)
        step.outcome, step.fields, step.decided_by = input.outcome, fields, input.actor
        self._event(
            "decision_recorded", input.actor, step.key, data={"outcome": input.outcome, **fields}
        )
        self._start_clocks(step)
        self._stop_clocks(step)
        outcome = spec.outcome(input.outcome)
        if outcome is not None and outcome.effect == Effect.END_HIRE:
            self._ended = HireStatus(outcome.end_status)
        return await self._after_action()

    @record_decision.validator
    def _validate_record_decision(self, input: DecisionInput) -> None:
        self._require_active()
        step = self._find_step(input.step)
        spec = self._pathway.step(step.key).decision
        if spec is None:
            raise _reject(INVALID, f"step {step.key!r} takes no decision", step=step.key)
        if step.status != StepStatus.OPEN:
            raise _reject(
                CONFLICT, f"step {step.key!r} is {step.status.value}, not open", step=step.key
            )
        if step.outcome:
            raise _reject(
                CONFLICT,
                f"step {step.key!r} already has its decision: {step.outcome}",
                step=step.key,
            )
        _, problems = self._check_decision(step, input)
        if problems:
            raise _reject(
                INVALID,
                "; ".join(f"{p.field}: {p.message}" for p in problems),
                **{p.field: p.message for p in problems},
            )

    def _check_decision(
        self, step: StepState, input: DecisionInput
    ) -> tuple[dict[str, str], list[FieldProblem]]:
        spec = self._pathway.step(step.key).decision
        assert spec is not None
        return check_decision(
            spec,
            input.outcome,
            input.fields,
            self._today(),
            allowed=step.decision_outcomes,
            max_permit_years=self._category_max_years(),
        )

    def _category_max_years(self) -> int | None:
        """A category's legal limit on a first permit (ICT C61: 1 year); a pathway's usual
        length (GTS: 3 years, "longer only exceptionally") is not enforced."""
        category = self._pathway.category(self._input.category)
        return category.max_permit_years if category else None

    @workflow.update
    async def change_deadline(self, input: DeadlineInput) -> ActionResult:
        step = self._step(input.step)
        old = step.due_on
        self._set_due(step, input.due_on)
        step.deadline_changed = True
        self._event(
            "deadline_changed",
            input.actor,
            step.key,
            data={
                "from": old.isoformat() if old else "",
                "to": input.due_on.isoformat(),
                "reason": input.reason,
            },
        )
        return await self._after_action()

    @change_deadline.validator
    def _validate_change_deadline(self, input: DeadlineInput) -> None:
        self._require_active()
        step = self._find_step(input.step)
        if step.status != StepStatus.OPEN:
            raise _reject(
                CONFLICT, f"step {step.key!r} is {step.status.value}, not open", step=step.key
            )
        if input.due_on < self._today():
            raise _reject(INVALID, "due_on cannot be in the past", due_on="cannot be in the past")
        if input.due_on > self._today() + MAX_DEADLINE_AHEAD:
            raise _reject(
                INVALID, "due_on must be within two years", due_on="more than two years ahead"
            )
        if input.due_on == step.due_on:
            raise _reject(
                CONFLICT, f"step {step.key!r} is already due on {input.due_on}", step=step.key
            )
        _require_reason(input.reason)

    @workflow.update
    async def withdraw(self, input: WithdrawInput) -> ActionResult:
        self._withdraw_reason = input.reason.strip()
        if self._status == HireStatus.PERMIT_ISSUED:  # the worker left: stop tracking the permit
            self._ended = HireStatus.PERMIT_ISSUED
            self._event("tracking_stopped", input.actor, data={"reason": self._withdraw_reason})
        else:
            self._ended = HireStatus.WITHDRAWN
            self._event("hire_withdrawn", input.actor, data={"reason": self._withdraw_reason})
        return await self._after_action()

    @withdraw.validator
    def _validate_withdraw(self, input: WithdrawInput) -> None:
        tracking = self._status == HireStatus.PERMIT_ISSUED and self._permit_announced
        if not (tracking and self._ended is None):
            self._require_active()
        _require_reason(input.reason)

    # ---- steps ----

    def _open(self, step: StepState) -> None:
        now = workflow.now()
        step.status, step.opened_at, step.schedule_since = StepStatus.OPEN, now, now
        for item in step.items:
            item.status, item.updated_at = ItemStatus.REQUESTED, now
        rule = self._pathway.step(step.key).deadline_for(self._facts)
        self._set_due(
            step,
            due_date(
                rule, self._anchor_date(rule.anchor.kind, rule.anchor.step, rule.anchor.field)
            ),
        )
        seq = self._event("step_opened", step=step.key, data={"due_on": str(step.due_on)})
        if Owner(step.owner).is_authority:
            kind, to = "authority_waiting", [self._input.hr_owner.email]
        else:
            kind, to = "step_opened", [self._email_of(step.owner)]
        self._spawn(self._notify(kind, f"{step.key}:opened:{seq}", to, step=step))

    def _complete(self, step: StepState) -> None:
        step.status, step.completed_at = StepStatus.DONE, workflow.now()
        self._event("step_completed", step=step.key, data={"outcome": step.outcome})

    def _set_due(self, step: StepState, due_on: date) -> None:
        step.due_on, step.due_at = due_on, end_of(due_on)
        step.schedule_since = workflow.now()
        self._changed()

    def _anchor_date(self, kind: AnchorKind, step_key: str, field: str) -> date:
        if kind == AnchorKind.FIELD:
            recorded = self._step(step_key).fields.get(field)
            if recorded:
                return date.fromisoformat(recorded)
        elif kind == AnchorKind.START_DATE and self._input.position.start_date:
            return self._input.position.start_date
        return self._today()

    def _next_notice(self, step: StepState) -> Notice | None:
        if step.due_on is None or step.schedule_since is None:
            return None
        plan = self._pathway.step(step.key).reminders
        # An authority's step is never nagged, whether or not its deadline is a published
        # standard (the CBSA step's is a travel window). Hires started before this rule keep
        # the notices they were promised.
        authority = step.service_standard or (
            Owner(step.owner).is_authority and workflow.patched(AUTHORITY_BY_OWNER)
        )
        covered = any(
            c.stops_after_step == step.key and c.status != ClockStatus.NOT_STARTED
            for c in self._clocks
        )
        for notice in step_notices(
            step.due_on, plan, service_standard=authority, clock_covers=covered
        ):
            if notice.key not in step.sent and notice.at >= step.schedule_since:
                return notice
        return None

    def _send_notice(self, step: StepState, notice: Notice) -> None:
        step.sent.append(notice.key)
        open_items = [i.title for i in step.items if i.required and not i.status.settled]
        if notice.kind == NoticeKind.REMINDER:
            to = [self._email_of(step.owner)]
        elif notice.kind in (NoticeKind.ESCALATION, NoticeKind.STANDARD_PASSED):
            to = self._hr_and_manager()
        else:
            to = [self._input.hr_owner.email]
        self._spawn(
            self._notify(
                notice.kind.value,
                f"{step.key}:{notice.key}",
                to,
                step=step,
                days=notice.days,
                items=open_items,
                due_at=notice.at,
            )
        )

    # ---- SLA clocks ----

    def _clock_defn(self, key: str) -> SlaClock:
        return next(c for c in self._pathway.clocks if c.key == key)

    def _start_clocks(self, step: StepState) -> None:
        for clock in self._clocks:
            defn = self._clock_defn(clock.key)
            started = step.fields.get(defn.starts.field)
            outcome_ok = not defn.starts_on_outcomes or step.outcome in defn.starts_on_outcomes
            if (
                defn.starts.step == step.key
                and started
                and outcome_ok
                and clock.status == ClockStatus.NOT_STARTED
            ):
                clock.started_on, clock.status = date.fromisoformat(started), ClockStatus.RUNNING
                self._event(
                    "clock_started", step=step.key, data={"clock": clock.key, "started_on": started}
                )
                self._spawn(self._run_clock(clock))

    def _stop_clocks(self, step: StepState) -> None:
        for clock in self._clocks:
            if clock.stops_after_step == step.key and clock.started_on is not None:
                decided = step.fields.get("decided_on")
                self._stop_clock(clock, date.fromisoformat(decided) if decided else self._today())

    def _stop_clock(self, clock: ClockState, on: date, *, decided: bool = True) -> None:
        """Stop a clock: met or missed when its decision came, just stopped when the hire
        ended without one."""
        assert clock.started_on is not None
        clock.stopped_on = on
        clock.elapsed_days = (on - clock.started_on).days
        if not decided:
            clock.status = ClockStatus.STOPPED
        elif clock.elapsed_days <= clock.target_day:
            clock.status = ClockStatus.MET
        else:
            clock.status = ClockStatus.MISSED_FINAL
        self._event(
            "clock_stopped",
            data={
                "clock": clock.key,
                "elapsed_days": str(clock.elapsed_days),
                "result": clock.status.value,
            },
        )
        self._changed()

    async def _run_clock(self, clock: ClockState) -> None:
        assert clock.started_on is not None
        defn = self._clock_defn(clock.key)
        for notice in clock_notices(defn, clock.started_on):
            delay = notice.at - workflow.now()
            if delay > timedelta(0):
                try:
                    await workflow.wait_condition(partial(_stopped, clock), timeout=delay)
                except TimeoutError:
                    pass
            if _stopped(clock):
                return
            at_risk = notice.kind == NoticeKind.CLOCK_AT_RISK
            clock.status = ClockStatus.AT_RISK if at_risk else ClockStatus.MISSED
            clock.elapsed_days = notice.days
            self._event(notice.kind.value, data={"clock": clock.key, "day": str(notice.days)})
            self._changed()
            await self._notify(
                notice.kind.value,
                notice.key,
                [self._input.hr_owner.email] if at_risk else self._hr_and_manager(),
                step=self._step(clock.stops_after_step),
                days=notice.days,
                facts={
                    "clock": clock.title,
                    "started_on": clock.started_on.isoformat(),
                    "target_on": (clock.started_on + timedelta(days=clock.target_day)).isoformat(),
                    "days_left": str(max(clock.target_day - notice.days, 0)),
                },
                due_at=notice.at,
            )

    # ---- projection and email ----

    async def _project(self, *, whole: bool = False) -> None:
        """Write the hire's current state to the store (only the main loop calls this)."""
        target = self._changes
        self._version += 1
        self._updated_at = workflow.now()
        events, self._pending_events = self._pending_events, []
        changes_only = not whole and workflow.patched(RECORD_CHANGES)
        if changes_only:  # copies: what is sent is what the store will hold
            steps = [copy.deepcopy(s) for s in self._steps if self._recorded_steps.get(s.key) != s]
            clocks = [
                copy.deepcopy(c) for c in self._clocks if self._recorded_clocks.get(c.key) != c
            ]
        else:
            steps, clocks = self._steps, self._clocks
        snapshot = HireSnapshot(
            hire_id=self._input.hire_id,
            team_id=self._input.team_id,
            pathway=self._input.pathway,
            rules_version=self._input.rules_version,
            category=self._input.category,
            status=self._status,
            candidate=self._input.candidate,
            position=self._input.position,
            hr_owner=self._input.hr_owner,
            manager=self._input.manager,
            steps=steps,
            clocks=clocks,
            created_at=self._created_at,
            updated_at=self._updated_at,
            version=self._version,
            request_hash=self._input.request_hash,
            closed_at=self._closed_at,
            new_events=events,
            screening=self._input.screening,
            summary=summary_of(self._steps) if changes_only else None,
        )
        try:
            recorded = await workflow.execute_activity(
                ActivityName.RECORD_CHANGES if changes_only else ActivityName.RECORD,
                RecordInput(snapshot),
                result_type=RecordResult,
                start_to_close_timeout=RECORD_TIMEOUT,
                retry_policy=RECORD_RETRY,
            )
        except BaseException:
            self._pending_events = events + self._pending_events
            raise
        if changes_only and not recorded.applied:
            # The store does not hold the version before this one (restored from a backup,
            # say), so the changes alone would leave it wrong: send everything, once.
            self._recorded_steps.clear()
            self._recorded_clocks.clear()
            self._pending_events = events + self._pending_events
            await self._project(whole=True)
            return
        if changes_only:
            self._recorded_steps.update((s.key, s) for s in steps)
            self._recorded_clocks.update((c.key, c) for c in clocks)
        self._projected = max(self._projected, target)

    async def _notify(
        self,
        kind: str,
        key: str,
        to: list[str],
        *,
        step: StepState | None = None,
        days: int = 0,
        items: list[str] | None = None,
        item_title: str = "",
        reason: str = "",
        facts: dict[str, str] | None = None,
        due_at: datetime | None = None,
    ) -> None:
        """Email ``to`` about the hire; ``due_at`` is when a scheduled notice was due."""
        seq = self._reserve_seq()
        context = MailContext(
            hire_id=self._input.hire_id,
            pathway_title=self._pathway.title,
            candidate_name=self._input.candidate.name,
            position_title=self._input.position.title,
            hr_owner_name=self._input.hr_owner.name,
            step_title=step.title if step else "",
            step_owner=step.owner if step else "",
            due_on=step.due_on if step else None,
            days=days,
            items=items
            if items is not None
            else ([i.title for i in step.items if i.required] if step else []),
            item_title=item_title,
            reason=reason,
            facts=facts or {},
        )
        recipients = list(dict.fromkeys(a for a in to if a))
        try:
            await workflow.execute_activity(
                ActivityName.NOTIFY,
                NotifyInput(
                    key=key,
                    hire_id=self._input.hire_id,
                    kind=kind,
                    to=recipients,
                    context=context,
                    event_seq=seq,
                    step=step.key if step else "",
                    due_at=due_at or workflow.now(),
                ),
                start_to_close_timeout=NOTIFY_TIMEOUT,
                retry_policy=NOTIFY_RETRY,
            )
        except ActivityError as err:
            self._event("email_failed", data={"kind": kind, "error": str(err.cause or err)})
            self._changed()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        self._tasks.append(asyncio.create_task(coro))

    # ---- small helpers ----

    def _changed(self) -> None:
        self._changes += 1

    def _changed_since(self, seen: int) -> bool:
        return self._changes != seen

    async def _after_action(self) -> ActionResult:
        self._changed()
        await self._settled(self._changes)
        current = next((s.key for s in self._steps if s.status == StepStatus.OPEN), "")
        return ActionResult(self._input.hire_id, self._version, self._status, current)

    async def _settled(self, change: int) -> None:
        """Wait until the main loop has reacted to ``change`` and projected it."""
        await workflow.wait_condition(lambda: self._idle and self._projected >= max(change, 1))

    def _event(
        self,
        kind: str,
        actor: str = "",
        step: str = "",
        item: str = "",
        data: dict[str, str] | None = None,
    ) -> int:
        seq = self._reserve_seq()
        self._pending_events.append(
            Event(seq, workflow.now(), kind, actor or "system", step, item, data or {})
        )
        return seq

    def _reserve_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _today(self) -> date:
        return eastern_date(workflow.now())

    def _email_of(self, owner: str) -> str:
        return self._input.candidate.email if owner == Owner.WORKER else self._input.hr_owner.email

    def _hr_and_manager(self) -> list[str]:
        return [self._input.hr_owner.email, self._input.manager.email]

    def _step(self, key: str) -> StepState:
        return next(s for s in self._steps if s.key == key)

    def _find_step(self, key: str) -> StepState:
        step = next((s for s in self._steps if s.key == key), None)
        if step is None:
            raise _reject(NOT_FOUND, f"unknown step {key!r} in this hire", step=key)
        return step

    def _item(self, key: str) -> tuple[StepState, ItemState]:
        for step in self._steps:
            for item in step.items:
                if item.key == key:
                    return step, item
        raise KeyError(key)

    def _open_item(self, key: str) -> tuple[StepState, ItemState]:
        self._require_active()
        try:
            step, item = self._item(key)
        except KeyError:
            raise _reject(NOT_FOUND, f"unknown item {key!r} in this hire", item=key) from None
        if step.status != StepStatus.OPEN:
            raise _reject(
                CONFLICT,
                f"item {key!r} belongs to step {step.key!r}, which is {step.status.value}, not open",
                item=key,
            )
        return step, item

    def _require_active(self) -> None:
        if self._status != HireStatus.ACTIVE or self._ended is not None:
            ended = self._ended or self._status
            raise _reject(CONFLICT, f"the hire has ended ({ended.value}); it takes no more actions")


def _stopped(clock: ClockState) -> bool:
    return clock.status not in (ClockStatus.RUNNING, ClockStatus.AT_RISK)


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise _reject(INVALID, "reason is required", reason="required")
    if len(reason) > 2000:
        raise _reject(INVALID, "reason is too long (at most 2000 characters)", reason="too long")
