"""A hire's state inside its workflow: what it is (input, rules, facts) and where it stands
(steps, clocks, status), with the lookups every part of the workflow uses.

One dataclass, so the step runner's helpers share one object instead of the workflow's
attributes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.hire import (
        ClockState,
        HireCarry,
        HireInput,
        HireStatus,
        ItemState,
        StepState,
        StepStatus,
    )
    from pathways import registry
    from pathways.calendar import eastern_date
    from pathways.eligibility import facts_of
    from pathways.model import HireFacts, Owner, Pathway


@dataclass
class HireState:
    input: HireInput
    pathway: Pathway
    facts: HireFacts
    steps: list[StepState]
    clocks: list[ClockState]
    created_at: datetime
    updated_at: datetime
    status: HireStatus = HireStatus.ACTIVE
    ended: HireStatus | None = None  # set by a withdrawal or a decision that ends the hire
    closed_at: datetime | None = None
    origin_request: str = ""  # the request that created the hire (update-with-start)
    withdraw_reason: str = ""
    permit_announced: bool = False
    recent_actions: list[datetime] = field(default_factory=list)  # HR's, within the last hour
    actions_this_run: int = 0
    run: int = 1  # continued as new run - 1 times

    @classmethod
    def start(cls, input: HireInput, now: datetime) -> HireState:
        """The hire as it starts: every step and clock of its rules version, pending."""
        pathway = registry.version(input.pathway, input.rules_version)
        facts = facts_of(input.candidate, input.position, input.category)
        steps = [
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
                    for item in pathway.items_for(step, facts)
                ],
                decision_outcomes=[o.key for o in step.decision.outcomes_for(facts)]
                if step.decision
                else [],
                service_standard=step.deadline_for(facts).service_standard,
                deadline_note=step.deadline_for(facts).note,
            )
            for step in pathway.steps_for(facts)
        ]
        clocks = [
            ClockState(c.key, c.title, c.stops_after_step, c.at_risk_day, c.target_day)
            for c in pathway.clocks_for(facts)
        ]
        return cls(input, pathway, facts, steps, clocks, created_at=now, updated_at=now)

    @classmethod
    def resume(cls, input: HireInput, carry: HireCarry) -> HireState:
        """The hire as its previous run left it (continue-as-new)."""
        started = cls.start(input, carry.created_at)
        started.steps, started.clocks = carry.steps, carry.clocks
        started.status, started.closed_at = carry.status, carry.closed_at
        started.origin_request, started.withdraw_reason = (
            carry.origin_request,
            carry.withdraw_reason,
        )
        started.permit_announced = carry.permit_announced
        started.recent_actions, started.run = list(carry.recent_actions), carry.run + 1
        return started

    def carry(self, version: int, seq: int) -> HireCarry:
        """What the next run needs: the state's own fields, with the projection's numbering."""
        names = [f.name for f in fields(HireCarry) if f.name not in ("version", "seq")]
        return HireCarry(version=version, seq=seq, **{name: getattr(self, name) for name in names})

    def actions_within(self, window: timedelta, now: datetime) -> int:
        """HR's actions on this hire since ``now - window``."""
        return sum(1 for at in self.recent_actions if at > now - window)

    def note_action(self, now: datetime, window: timedelta) -> None:
        self.recent_actions = [at for at in self.recent_actions if at > now - window] + [now]
        self.actions_this_run += 1

    @property
    def active(self) -> bool:
        return self.status == HireStatus.ACTIVE and self.ended is None

    def close_open_steps(self, now: datetime, *, unsettled_done: Callable[[], bool]) -> None:
        """The hire ended: an open step with its outcome recorded is done if it settled (or
        ``unsettled_done()`` says so: its own outcome ended the hire); every other open or
        pending step is skipped."""
        for step in self.steps:
            if (
                step.status == StepStatus.OPEN
                and step.outcome
                and (step.settled or unsettled_done())
            ):
                step.status, step.completed_at = StepStatus.DONE, now
            elif step.status in (StepStatus.OPEN, StepStatus.PENDING):
                step.status = StepStatus.SKIPPED

    def has_step(self, key: str) -> bool:
        return any(s.key == key for s in self.steps)

    def step(self, key: str) -> StepState:
        return next(s for s in self.steps if s.key == key)

    def find_step(self, key: str) -> StepState | None:
        return next((s for s in self.steps if s.key == key), None)

    def find_item(self, key: str) -> tuple[StepState, ItemState] | None:
        for step in self.steps:
            for item in step.items:
                if item.key == key:
                    return step, item
        return None

    def item(self, key: str) -> tuple[StepState, ItemState]:
        found = self.find_item(key)
        if found is None:
            raise KeyError(key)
        return found

    def email_of(self, owner: str) -> str:
        """Who a step or item's owner is by email: the worker, or HR for everyone else."""
        return self.input.candidate.email if owner == Owner.WORKER else self.input.hr_owner.email

    def hr_and_manager(self) -> list[str]:
        return [self.input.hr_owner.email, self.input.manager.email]

    def decided_fields(self) -> dict[str, str]:
        """Every field recorded by a decision so far (later steps win)."""
        fields: dict[str, str] = {}
        for step in self.steps:
            fields.update(step.fields)
        return fields

    def permit_facts(self) -> dict[str, str]:
        """What the permit's emails say: the recorded fields, the renewal route and any cap."""
        category = self.pathway.category(self.input.category)
        facts = self.decided_fields()
        facts.update(
            renewal=self.pathway.renewal,
            category=self.input.category,
            cap_years=str(category.cap_years or "") if category else "",
        )
        return facts

    def category_max_years(self) -> int | None:
        """A category's legal limit on a first permit (ICT C61: 1 year); a pathway's usual
        length (GTS: 3 years, "longer only exceptionally") is not enforced."""
        category = self.pathway.category(self.input.category)
        return category.max_permit_years if category else None


def today() -> date:
    """The workflow's today, in Eastern time (deadlines are Canadian business days)."""
    return eastern_date(workflow.now())
