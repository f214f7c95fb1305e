"""A hire's projected plan: when each remaining step should be done, and when the permit
should come, counted from today with each step's standard and the holiday calendar.

Two dates per step:

- **earliest**: the employer and the worker act the day a step opens, each authority takes
  its published standard (ESDC's, IRCC's), and a step with no standard (CBSA's entry, the
  worker's travel) is done the day it opens;
- **expected**: every step takes the time it is given (its deadline), one after the other.

An open step past its due date is late: it is counted as done today at the earliest, so
every later date moves. Pure: the hire page and the API call it with the store's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pathways.deadlines import due_date
from pathways.model import Anchor, AnchorKind, HireFacts, Pathway


@dataclass(frozen=True)
class StepNow:
    """Where one of the hire's steps stands."""

    key: str
    status: str  # pending, open, done, skipped
    owner: str
    due_on: date | None = None
    fields: dict[str, str] | None = None  # its recorded decision's fields
    outcome: str = ""  # its recorded outcome


@dataclass(frozen=True)
class PlannedStep:
    key: str
    owner: str
    opens_earliest: date
    opens_expected: date
    earliest: date  # done at the soonest
    expected: date  # done by
    open: bool
    late: bool  # open and past its due date


@dataclass(frozen=True)
class Plan:
    steps: list[PlannedStep]
    permit_earliest: date | None  # when the last step is done: the permit in hand
    permit_expected: date | None
    start_date: date | None  # the position's planned start

    @property
    def days_late_for_start(self) -> int:
        """Days the expected permit comes after the planned start (0: in time or unknown)."""
        if self.permit_expected is None or self.start_date is None:
            return 0
        return max((self.permit_expected - self.start_date).days, 0)


def project(
    pathway: Pathway,
    facts: HireFacts,
    steps: list[StepNow],
    today: date,
    start_date: date | None,
) -> Plan:
    """The remaining steps (open, then pending), each with its earliest and expected dates."""
    recorded: dict[tuple[str, str], str] = {
        (s.key, name): value for s in steps for name, value in (s.fields or {}).items()
    }
    earliest = expected = today
    planned: list[PlannedStep] = []
    for step in _remaining(steps):
        rule = pathway.step(step.key).deadline_for(facts)
        standard = rule.service_standard  # an authority's published time, not a default
        if step.status == "open":
            due = step.due_on or today
            late = due < today
            done_expected = max(due, today)
            done_earliest = done_expected if standard else today
            opens = (today, today)
        else:
            opens = (earliest, expected)
            anchors = [_anchor(rule.anchor, recorded, start_date, o) for o in opens]
            done_earliest = due_date(rule, anchors[0]) if standard else earliest
            done_expected = max(due_date(rule, anchors[1]), expected)
            done_earliest = max(done_earliest, earliest)
            late = False
        planned.append(
            PlannedStep(
                step.key, step.owner, opens[0], opens[1], done_earliest, done_expected,
                step.status == "open", late,
            )
        )  # fmt: skip
        earliest, expected = done_earliest, max(done_expected, done_earliest)
    last = planned[-1] if planned else None
    return Plan(
        planned,
        permit_earliest=last.earliest if last else None,
        permit_expected=last.expected if last else None,
        start_date=start_date,
    )


def _remaining(steps: list[StepNow]) -> list[StepNow]:
    """The open and pending steps, without IRCC's decision once the worker is recorded as
    applying at the port of entry (the workflow skips it then)."""
    border = any(s.key == "work_permit_application" and s.outcome == "port_of_entry" for s in steps)
    return [
        s
        for s in steps
        if s.status in ("open", "pending") and not (border and s.key == "work_permit_decision")
    ]


def _anchor(
    anchor: Anchor, recorded: dict[tuple[str, str], str], start_date: date | None, opens: date
) -> date:
    """The date a pending step's deadline counts from: a date already recorded, the planned
    start, or (a date to be recorded when the step before it is done) the day it opens."""
    if anchor.kind == AnchorKind.FIELD:
        value = recorded.get((anchor.step, anchor.field))
        return date.fromisoformat(value) if value else opens
    if anchor.kind == AnchorKind.START_DATE and start_date is not None:
        return start_date
    return opens
