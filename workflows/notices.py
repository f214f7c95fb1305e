"""What a hire tells people, and when: a step's reminders, escalations and authority notices
(``pathways.deadlines``), and every email, sent by the notifier activity.

Emails are spawned as tasks, so the step runner never waits on SMTP; ``finish`` waits for
them all before the hire ends."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from workflows import patches
from workflows.projection import Projection
from workflows.state import HireState

with workflow.unsafe.imports_passed_through():
    from contracts.activities import ActivityName, MailContext, NotifyInput
    from contracts.hire import ClockStatus, HireStatus, StepState
    from pathways.deadlines import Notice, NoticeKind, step_notices
    from pathways.model import Owner

NOTIFY_TIMEOUT = timedelta(seconds=30)  # above the SMTP timeout (20 s)
NOTIFY_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=5),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=10),
)


class Notices:
    def __init__(self, state: HireState, projection: Projection) -> None:
        self._state = state
        self._projection = projection
        self.tasks: list[asyncio.Task[None]] = []

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        # Tasks that ended well are forgotten (a hire may send thousands of emails); one that
        # failed is kept, so ``finish`` raises its error.
        self.tasks = [t for t in self.tasks if not _ended_well(t)]
        task = asyncio.create_task(coro)
        self.tasks.append(task)
        return task

    def next_for(self, step: StepState) -> Notice | None:
        """The step's next reminder, escalation or authority notice not yet sent."""
        if step.due_on is None or step.schedule_since is None:
            return None
        plan = self._state.pathway.step(step.key).reminders
        # An authority's step is never nagged, whether or not its deadline is a published
        # standard (the CBSA step's is a travel window). Hires started before this rule keep
        # the notices they were promised.
        authority = step.service_standard or (
            Owner(step.owner).is_authority and workflow.patched(patches.AUTHORITY_BY_OWNER)
        )
        covered = any(
            c.stops_after_step == step.key and c.status != ClockStatus.NOT_STARTED
            for c in self._state.clocks
        )
        for notice in step_notices(
            step.due_on, plan, service_standard=authority, clock_covers=covered
        ):
            if notice.key not in step.sent and notice.at >= step.schedule_since:
                return notice
        return None

    def send(self, step: StepState, notice: Notice) -> None:
        """Send a step's notice (once: its key is remembered on the step)."""
        step.sent.append(notice.key)
        open_items = [i.title for i in step.items if i.required and not i.status.settled]
        if notice.kind == NoticeKind.REMINDER:
            to = [self._state.email_of(step.owner)]
        elif notice.kind in (NoticeKind.ESCALATION, NoticeKind.STANDARD_PASSED):
            to = self._state.hr_and_manager()
        else:
            to = [self._state.input.hr_owner.email]
        self.spawn(
            self.email(
                notice.kind.value,
                f"{step.key}:{notice.key}",
                to,
                step=step,
                days=notice.days,
                items=open_items,
                due_at=notice.at,
            )
        )

    def announce_end(self, kind: str, status: HireStatus) -> None:
        """Tell HR and the manager how the hire ended, with the deciding step's details."""
        state = self._state
        facts = state.decided_fields()
        decided = [s for s in state.steps if s.outcome]
        ending = (
            decided[-1]
            if decided and status not in (HireStatus.PERMIT_ISSUED, HireStatus.WITHDRAWN)
            else None
        )
        if ending is not None:
            facts.update(ending.fields)
        facts["status"] = status.value
        reason = (
            state.withdraw_reason if status == HireStatus.WITHDRAWN else facts.get("reason", "")
        )
        self.spawn(
            self.email(
                kind,
                occurrence(f"hire:{kind}"),
                state.hr_and_manager(),
                step=ending,
                reason=reason,
                facts=facts,
            )
        )

    async def email(
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
        seq = self._projection.reserve_seq()
        input = self._state.input
        context = MailContext(
            hire_id=input.hire_id,
            pathway_title=self._state.pathway.title,
            candidate_name=input.candidate.name,
            position_title=input.position.title,
            hr_owner_name=input.hr_owner.name,
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
                    hire_id=input.hire_id,
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
            if _recorded_by_notifier(err) and workflow.patched(patches.ONE_EMAIL_FAILED_LINE):
                return  # the notifier wrote the refusal's line itself
            self._projection.event(
                "email_failed", data={"kind": kind, "error": str(err.cause or err)}
            )
            self._projection.changed()


def occurrence(key: str) -> str:
    """A notice's key for this occurrence of it (the moment it was set off): one occurrence
    is one email, and a hire reset to an earlier point sends what it sets off again."""
    return f"{key}:{workflow.now():%Y%m%dT%H%M%S%f}"


def _recorded_by_notifier(err: ActivityError) -> bool:
    """A permanent refusal: the notifier put it on the timeline before it gave up."""
    cause = err.cause
    return isinstance(cause, ApplicationError) and cause.type == "PermanentMailError"


def _ended_well(task: asyncio.Task[None]) -> bool:
    return task.done() and not task.cancelled() and task.exception() is None
