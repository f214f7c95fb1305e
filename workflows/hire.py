"""The step runner every pathway's workflow is built on.

A pathway's workflow subclasses :class:`HireWorkflow` and reads as its process:
``await self.run_step("prepare_lmia")``, then the next. This module holds the process
primitives and HR's actions; the parts it owns each live in a module of their own:

- ``state``: the hire (input, rules, steps, clocks, status) and its lookups;
- ``validation``: HR's actions checked before they are accepted (a refusal changes nothing);
- ``notices``: reminders before a step's deadline, escalations after it, and every email;
- ``clocks``: the SLA clocks (the GTS two-week target);
- ``projection``: the store's copy of the hire and the read-your-writes handshake;
- ``continuation``: continue-as-new with the state carried; ``patches``: the patch IDs.

Update handlers change the state before their first ``await`` (Temporal runs a handler up to
it in the activation that delivered it), so two conflicting actions in one workflow task are
serialized by their validators. Keep it so: an ``await`` before a mutation lets both through.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta

from temporalio import workflow

from workflows import patches, validation
from workflows.clocks import Clocks
from workflows.continuation import Continuation
from workflows.corrections import Corrections
from workflows.notices import Notices, occurrence
from workflows.projection import Projection
from workflows.state import HireState, today

with workflow.unsafe.imports_passed_through():
    from contracts.hire import (
        ActionResult,
        DeadlineInput,
        DecisionInput,
        HireInput,
        HireResult,
        HireStatus,
        ItemActionInput,
        ItemStatus,
        OpenHireInput,
        OpenHireResult,
        ReceiveDocumentInput,
        StepState,
        StepStatus,
        Update,
        WithdrawInput,
    )
    from pathways.calendar import eastern_date, end_of, morning_of
    from pathways.deadlines import due_date
    from pathways.model import AnchorKind, Effect, Owner

PERMIT_REMINDER_DAYS = (120, 90, 30)  # before a permit expires


class HireEnded(Exception):
    def __init__(self, status: HireStatus) -> None:
        super().__init__(status.value)
        self.status = status


class HireWorkflow(Corrections):
    """Base of every pathway's workflow: the process primitives and HR's updates."""

    @workflow.init
    def __init__(self, input: HireInput) -> None:
        carry = input.carry
        self._projection = Projection()
        if carry is not None:  # continued as new: go on where the last run stopped
            self._state = HireState.resume(input, carry)
        else:
            self._state = HireState.start(input, workflow.now())
        self._notices = Notices(self._state, self._projection)
        self._clocks = Clocks(self._state, self._projection, self._notices)
        self._continuation = Continuation(
            self._state, self._projection, self._notices, self._clocks
        )
        if carry is not None:
            self._projection.resume(carry.version, carry.seq)
            self._clocks.resume()
            return
        self._projection.event(
            "hire_created", input.actor, data={"pathway": input.pathway, "category": input.category}
        )
        if input.override is not None:
            self._projection.event(
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
        step = self._state.step(key)
        if step.status in (StepStatus.DONE, StepStatus.SKIPPED):  # in an earlier run
            return step
        if self._state.ended is not None:  # withdrawn while the previous step was completing
            raise HireEnded(self._state.ended)
        if step.status == StepStatus.PENDING:
            self._open(step)
        while True:
            if self._state.ended is not None:
                raise HireEnded(self._state.ended)
            if step.settled:
                self._complete(step)
                if not workflow.patched(patches.MERGED_STEP_PROJECTION):
                    await self._project()
                return step
            if self._projection.behind:
                await self._project()
                continue
            notice = self._notices.next_for(step)
            if notice is not None and notice.at <= workflow.now():
                self._notices.send(step, notice)
                continue
            await self._rest((notice.at - workflow.now()) if notice else None)

    def has_step(self, key: str) -> bool:
        return self._state.has_step(key)

    def skip_step(self, key: str, reason: str) -> None:
        """A step this hire does not need after all (say, IRCC's decision for a worker who
        applies at the border)."""
        step = self._state.step(key)
        if step.status == StepStatus.SKIPPED:  # in an earlier run
            return
        step.status = StepStatus.SKIPPED
        self._projection.event("step_skipped", step=key, data={"reason": reason})
        self._projection.changed()

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
        state = self._state
        if state.ended is not None:  # withdrawn while the permit was being recorded
            raise HireEnded(state.ended)
        permit = next(s for s in reversed(state.steps) if s.fields.get("expires_on"))
        expires = date.fromisoformat(permit.fields["expires_on"])
        if not state.permit_announced:
            await self._announce_permit(expires)
        for days in PERMIT_REMINDER_DAYS:
            at = morning_of(expires - timedelta(days=days))
            if at <= workflow.now():
                continue
            if await self._rest_until(at):
                return HireStatus.PERMIT_ISSUED  # tracking stopped
            key = f"permit:expiry:{expires}:{days}"
            facts = state.permit_facts()
            self._notices.spawn(
                self._notices.email(
                    "permit_expiry", key, state.hr_and_manager(), days=days, facts=facts, due_at=at
                )
            )
        if await self._rest_until(end_of(expires)):
            return HireStatus.PERMIT_ISSUED
        return HireStatus.PERMIT_EXPIRED

    async def _announce_permit(self, expires: date) -> None:
        """Tell HR and the manager the permit is issued (and, with less than the first
        reminder's notice left, that it expires soon)."""
        state = self._state
        now = workflow.now()
        state.status, state.closed_at, state.permit_announced = HireStatus.PERMIT_ISSUED, now, True
        self._projection.event("permit_issued", data={"expires_on": expires.isoformat()})
        self._projection.changed()
        await self._project()
        facts = state.permit_facts()
        to = state.hr_and_manager()
        self._notices.spawn(
            self._notices.email("permit_issued", "hire:permit_issued", to, facts=facts)
        )
        first = morning_of(expires - timedelta(days=max(PERMIT_REMINDER_DAYS)))
        left = (expires - eastern_date(workflow.now())).days
        if first <= workflow.now() and left >= 0 and workflow.patched(patches.PERMIT_EXPIRING_SOON):
            # recorded with less than the first reminder's notice left: say so now
            key = f"permit:expiry:{expires}:now"
            self._notices.spawn(
                self._notices.email("permit_expiry", key, to, days=left, facts=facts)
            )

    async def _rest_until(self, at: datetime) -> bool:
        """Wait, answering HR's updates, until ``at``; True if the hire ended meanwhile."""
        while self._state.ended is None and workflow.now() < at:
            if self._projection.behind:
                await self._project()
                continue
            await self._rest(at - workflow.now())
        return self._state.ended is not None

    async def finish(self, status: HireStatus) -> HireResult:
        """End the hire with ``status``: close what is open, tell HR, project, and return."""
        state = self._state
        now = workflow.now()
        state.status, state.closed_at = status, now
        withdrawn, patch = status == HireStatus.WITHDRAWN, patches.WITHDRAWAL_SKIPS_UNSETTLED
        state.close_open_steps(
            now, unsettled_done=lambda: not (withdrawn and workflow.patched(patch))
        )
        self._clocks.stop_running(eastern_date(now))
        kind = {
            HireStatus.PERMIT_ISSUED: "permit_issued",
            HireStatus.PERMIT_EXPIRED: "permit_expired",
        }.get(status, "hire_ended")
        announce = not (status == HireStatus.PERMIT_ISSUED and state.permit_announced)
        if announce:
            self._projection.event(kind, data={"status": status.value})
        self._projection.changed()
        await self._project()
        if announce:
            self._notices.announce_end(kind, status)
        self._projection.idle = True
        await asyncio.gather(*self._notices.tasks)
        if self._projection.behind:  # an email failed after the last projection
            await self._project()
        await workflow.wait_condition(workflow.all_handlers_finished)
        return HireResult(state.input.hire_id, status)

    async def run_pathway(self, process: Callable[[], Awaitable[HireStatus]]) -> HireResult:
        """Run a pathway's process (its steps in order) and end the hire however it ends."""
        try:
            status = await process()
        except HireEnded as ended:
            status = ended.status
        return await self.finish(status)

    # ---- updates: HR's actions (validators in workflows.validation) ----

    @workflow.update(name=Update.AWAIT_READABLE)  # sent with the start: "is it readable yet?"
    async def await_readable(self, input: OpenHireInput) -> OpenHireResult:
        if not self._state.origin_request:
            self._state.origin_request = input.request_id
        await self._projection.caught_up(1)
        hire = self._state.input
        return OpenHireResult(hire.hire_id, hire.request_hash, self._state.origin_request)

    @workflow.update(name=Update.RECEIVE_DOCUMENT)
    async def receive_document(self, input: ReceiveDocumentInput) -> ActionResult:
        step, item = self._state.item(input.item)
        item.documents.append(input.document)
        item.status = ItemStatus.ACCEPTED if input.accept else ItemStatus.RECEIVED
        item.reason, item.updated_at = "", workflow.now()
        self._projection.event(
            "document_received",
            input.actor,
            step.key,
            item.key,
            {"document_id": input.document.id, "filename": input.document.filename},
        )
        if input.accept:
            self._projection.event("item_accepted", input.actor, step.key, item.key)
        return await self._after_action()

    @receive_document.validator
    def _validate_receive_document(self, input: ReceiveDocumentInput) -> None:
        validation.receive_document(self._state, input, workflow.now())

    @workflow.update(name=Update.ACCEPT_ITEM)
    async def accept_item(self, input: ItemActionInput) -> ActionResult:
        step, item = self._state.item(input.item)
        item.status, item.reason, item.updated_at = ItemStatus.ACCEPTED, "", workflow.now()
        self._projection.event("item_accepted", input.actor, step.key, item.key)
        return await self._after_action()

    @accept_item.validator
    def _validate_accept_item(self, input: ItemActionInput) -> None:
        validation.accept_item(self._state, input, workflow.now())

    @workflow.update(name=Update.REJECT_ITEM)
    async def reject_item(self, input: ItemActionInput) -> ActionResult:
        step, item = self._state.item(input.item)
        reason = input.reason.strip()
        item.status, item.reason, item.updated_at = ItemStatus.REJECTED, reason, workflow.now()
        seq = self._projection.event(
            "item_rejected", input.actor, step.key, item.key, {"reason": reason}
        )
        self._notices.spawn(
            self._notices.email(
                "item_rejected",
                occurrence(f"{step.key}:rejected:{item.key}:{seq}"),
                [self._state.email_of(item.owner)],
                step=step,
                item_title=item.title,
                reason=reason,
            )
        )
        return await self._after_action()

    @reject_item.validator
    def _validate_reject_item(self, input: ItemActionInput) -> None:
        validation.reject_item(self._state, input, workflow.now())

    @workflow.update(name=Update.WAIVE_ITEM)
    async def waive_item(self, input: ItemActionInput) -> ActionResult:
        step, item = self._state.item(input.item)
        reason = input.reason.strip()
        item.status, item.reason, item.updated_at = ItemStatus.WAIVED, reason, workflow.now()
        self._projection.event("item_waived", input.actor, step.key, item.key, {"reason": reason})
        return await self._after_action()

    @waive_item.validator
    def _validate_waive_item(self, input: ItemActionInput) -> None:
        validation.waive_item(self._state, input, workflow.now())

    @workflow.update(name=Update.RECORD_DECISION)
    async def record_decision(self, input: DecisionInput) -> ActionResult:
        step = self._state.step(input.step)
        spec = self._state.pathway.step(step.key).decision
        assert spec is not None  # the validator checked it
        fields, _ = validation.decision_fields(self._state, step, input, today())
        step.outcome, step.fields, step.decided_by = input.outcome, fields, input.actor
        self._projection.event(
            "decision_recorded", input.actor, step.key, data={"outcome": input.outcome, **fields}
        )
        self._clocks.start_after(step)
        self._clocks.stop_after(step)
        outcome = spec.outcome(input.outcome)
        if outcome is not None and outcome.effect == Effect.END_HIRE:
            self._state.ended = HireStatus(outcome.end_status)
        return await self._after_action()

    @record_decision.validator
    def _validate_record_decision(self, input: DecisionInput) -> None:
        validation.record_decision(self._state, input, workflow.now())

    @workflow.update(name=Update.CHANGE_DEADLINE)
    async def change_deadline(self, input: DeadlineInput) -> ActionResult:
        step = self._state.step(input.step)
        old = step.due_on
        self._set_due(step, input.due_on)
        step.deadline_changed = True
        self._projection.event(
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
        validation.change_deadline(self._state, input, workflow.now())

    @workflow.update(name=Update.WITHDRAW)
    async def withdraw(self, input: WithdrawInput) -> ActionResult:
        state = self._state
        state.withdraw_reason = input.reason.strip()
        data = {"reason": state.withdraw_reason}
        if state.status == HireStatus.PERMIT_ISSUED:  # the worker left: stop tracking the permit
            state.ended = HireStatus.PERMIT_ISSUED
            self._projection.event("tracking_stopped", input.actor, data=data)
        else:
            state.ended = HireStatus.WITHDRAWN
            self._projection.event("hire_withdrawn", input.actor, data=data)
        return await self._after_action()

    @withdraw.validator
    def _validate_withdraw(self, input: WithdrawInput) -> None:
        validation.withdraw(self._state, input)

    # ---- steps ----

    def _open(self, step: StepState) -> None:
        now = workflow.now()
        step.status, step.opened_at, step.schedule_since = StepStatus.OPEN, now, now
        for item in step.items:
            item.status, item.updated_at = ItemStatus.REQUESTED, now
        rule = self._state.pathway.step(step.key).deadline_for(self._state.facts)
        anchor = self._anchor_date(rule.anchor.kind, rule.anchor.step, rule.anchor.field)
        self._set_due(step, due_date(rule, anchor))
        seq = self._projection.event(
            "step_opened", step=step.key, data={"due_on": str(step.due_on)}
        )
        key = occurrence(f"{step.key}:opened:{seq}")
        if Owner(step.owner).is_authority:
            kind, to = "authority_waiting", [self._state.input.hr_owner.email]
        else:
            kind, to = "step_opened", [self._state.email_of(step.owner)]
        self._notices.spawn(self._notices.email(kind, key, to, step=step))

    def _complete(self, step: StepState) -> None:
        step.status, step.completed_at = StepStatus.DONE, workflow.now()
        self._projection.event("step_completed", step=step.key, data={"outcome": step.outcome})

    def _set_due(self, step: StepState, due_on: date) -> None:
        step.due_on, step.due_at = due_on, end_of(due_on)
        step.schedule_since = workflow.now()
        self._projection.changed()

    def _anchor_date(self, kind: AnchorKind, step_key: str, field: str) -> date:
        if kind == AnchorKind.FIELD:
            recorded = self._state.step(step_key).fields.get(field)
            if recorded:
                return date.fromisoformat(recorded)
        elif kind == AnchorKind.START_DATE and self._state.input.position.start_date:
            return self._state.input.position.start_date
        return today()

    # ---- resting, and continuing as new ----

    async def _rest(self, limit: timedelta | None) -> None:
        """Wait (idle, so updates are answered) for a change or ``limit``; when the history
        has grown long, continue as new as soon as nothing is in flight."""
        wanted = self._continuation.wanted()
        ready = self._continuation.ready
        await self._projection.rest(limit, wake=ready if wanted else None)
        if wanted and ready():
            workflow.continue_as_new(self._continuation.next_input())

    # ---- projection ----

    async def _project(self) -> None:  # only the main loop projects
        await self._projection.project(self._state)

    async def _after_action(self) -> ActionResult:
        """An update's change is counted; answer once it is projected (read-your-writes)."""
        self._state.note_action(workflow.now(), validation.ACTION_WINDOW)
        self._projection.changed()
        await self._projection.caught_up(self._projection.changes)
        state = self._state
        current = next((s.key for s in state.steps if s.status == StepStatus.OPEN), "")
        return ActionResult(state.input.hire_id, self._projection.version, state.status, current)
