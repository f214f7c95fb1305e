"""Due dates and the notices around them, as pure functions of dates.

The workflow asks two questions here: when is this step due, and which notices
go out when. Answering them without Temporal keeps the rules testable on their
own (tests/pathways/test_deadlines.py) and the workflow short.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from pathways.calendar import (
    add_business_days,
    end_of,
    is_business_day,
    morning_of,
    previous_business_day,
    service_standard_due,
)
from pathways.model import DayCount, DeadlineRule, ReminderPlan, SlaClock


def due_date(rule: DeadlineRule, anchor: date) -> date:
    """The day a step is due, counted from its anchor date."""
    if rule.unit == DayCount.CALENDAR:
        return anchor + timedelta(days=rule.amount)
    if rule.from_next_business_day:
        return service_standard_due(anchor, rule.amount)
    return add_business_days(anchor, rule.amount)


class NoticeKind(StrEnum):
    REMINDER = "reminder"  # to the owner, before the deadline
    ESCALATION = "escalation"  # to HR and the manager, after it
    DECISION_DUE = "decision_due"  # an authority's standard ends today
    STANDARD_PASSED = "standard_passed"  # an authority's standard has passed
    FOLLOW_UP = "authority_follow_up"  # still no decision, some days later
    CLOCK_AT_RISK = "clock_at_risk"
    CLOCK_MISSED = "clock_missed"


@dataclass(frozen=True)
class Notice:
    key: str  # unique within its step for this due date: a moved deadline gets new keys
    kind: NoticeKind
    at: datetime
    days: int  # business days before (reminder) or after (escalation) the due date


def step_notices(
    due_on: date, plan: ReminderPlan, *, service_standard: bool, clock_covers: bool = False
) -> list[Notice]:
    """Every notice for a step due on ``due_on``, in time order.

    An employer's or worker's step gets reminders ``plan.before`` business days
    before and escalations every ``plan.escalate_every`` business days after,
    at most ``plan.max_escalations``. An authority's step (a service standard)
    gets no reminders: HR hears on the due day, the business day after it
    passes, then follow-ups at the plan's cadence. When an SLA clock covers
    the step, the clock's notices replace the due and passed ones.
    """
    notices: list[Notice] = []
    last_business = due_on if is_business_day(due_on) else previous_business_day(due_on)
    if service_standard:
        passed = add_business_days(due_on, 1)
        if not clock_covers:
            notices.append(
                Notice(f"due:{due_on}", NoticeKind.DECISION_DUE, morning_of(last_business), 0)
            )
            notices.append(
                Notice(f"passed:{due_on}", NoticeKind.STANDARD_PASSED, morning_of(passed), 1)
            )
        for n in range(1, plan.max_escalations + 1):
            days = 1 + n * plan.escalate_every
            day = add_business_days(due_on, days)
            notices.append(
                Notice(f"follow_up:{due_on}:{n}", NoticeKind.FOLLOW_UP, morning_of(day), days)
            )
    else:
        for before in sorted(plan.before, reverse=True):
            day = add_business_days(last_business, -before)
            notices.append(
                Notice(f"reminder:{due_on}:{before}", NoticeKind.REMINDER, morning_of(day), before)
            )
        for n in range(plan.max_escalations):
            days = 1 + n * plan.escalate_every
            day = add_business_days(due_on, days)
            notices.append(
                Notice(f"escalation:{due_on}:{n + 1}", NoticeKind.ESCALATION, morning_of(day), days)
            )
    return sorted(notices, key=lambda n: n.at)


def clock_notices(clock: SlaClock, started_on: date) -> list[Notice]:
    """An SLA clock's notices: at risk on the morning of day ``at_risk_day``, missed
    when day ``target_day`` ends (day 0 is the start date)."""
    at_risk = started_on + timedelta(days=clock.at_risk_day)
    target = started_on + timedelta(days=clock.target_day)
    return [
        Notice(
            f"{clock.key}:at_risk", NoticeKind.CLOCK_AT_RISK, morning_of(at_risk), clock.at_risk_day
        ),
        Notice(f"{clock.key}:missed", NoticeKind.CLOCK_MISSED, end_of(target), clock.target_day),
    ]


def clock_target(clock: SlaClock, started_on: date) -> date:
    return started_on + timedelta(days=clock.target_day)
