"""A GTS hire on the time-skipping server: what HR and the worker receive, and when.

Every assertion is on the emails a real SMTP server (aiosmtpd) received: recipients,
subject, a key fact in the body, and the workflow time it was sent at (X-Hirepath-Due).
"""

from __future__ import annotations

from datetime import date, timedelta

from temporalio.testing import WorkflowEnvironment

from pathways.calendar import (
    add_business_days,
    end_of,
    is_business_day,
    morning_of,
    previous_business_day,
)
from pathways.deadlines import due_date
from pathways.gts import GTS_2025_11
from store.db import SessionFactory
from testkit.samples import hire_input
from testkit.workflow_driver import Queue, start
from tests.conftest import TeamKey
from tests.helpers import Mailbox, eventually, unique_name

HR = "hr@employer.example"
MANAGER = "manager@employer.example"
WORKER = "worker@candidate.example"


async def test_a_step_opens_and_asks_its_owner_for_the_checklist(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Opening")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    opened_on = await hire.today()
    due = due_date(GTS_2025_11.step("prepare_lmia").deadline, opened_on)

    # read-your-writes: the hire is in the store when the start returns
    step = hire.step("prepare_lmia")
    assert step.status == "open" and step.due_on == due

    [mail] = await eventually(lambda: mailbox.of_kind(name, "step_opened"))
    assert mail.to == [HR]
    assert mail.subject == f"Action needed: Prepare the LMIA application ({name})"
    assert "Labour Market Benefits Plan" in mail.text
    assert f"Due: {due:%b} {due.day}, {due.year}" in mail.text


async def test_reminders_before_the_deadline_then_bounded_escalations_after_it(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Reminders")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    due = hire.step("prepare_lmia").due_on
    await hire.waive("employer_details")  # one item in; the others still outstanding

    await ts_env.sleep(timedelta(days=40))

    reminders = await eventually(
        lambda: len(mailbox.of_kind(name, "reminder")) == 2 and mailbox.of_kind(name, "reminder")
    )
    assert [(m.to, m.due) for m in reminders] == [
        ([HR], morning_of(add_business_days(due, -3))),
        ([HR], morning_of(add_business_days(due, -1))),
    ]
    assert (
        reminders[0].subject
        == f"Reminder: Prepare the LMIA application is due in 3 business days ({name})"
    )
    assert "Labour Market Benefits Plan" in reminders[1].text  # still outstanding
    assert "Employer details" not in reminders[1].text  # waived, so not nagged

    escalations = await eventually(
        lambda: (
            len(mailbox.of_kind(name, "escalation")) == 3 and mailbox.of_kind(name, "escalation")
        )
    )
    assert [(m.to, m.due) for m in escalations] == [
        ([HR, MANAGER], morning_of(add_business_days(due, 1))),
        ([HR, MANAGER], morning_of(add_business_days(due, 3))),
        ([HR, MANAGER], morning_of(add_business_days(due, 5))),
    ]
    assert escalations[2].subject == f"Overdue: Prepare the LMIA application ({name})"
    assert "5 business days overdue" in escalations[2].text

    # bounded: nothing more however long the step waits
    await ts_env.sleep(timedelta(days=60))
    assert len(mailbox.of_kind(name, "escalation")) == 3
    assert hire.record().hire.next_due_at == end_of(due)


async def test_an_authority_step_tells_hr_when_due_and_when_passed_and_never_before(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Esdc")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    await hire.through("lmia_decision")
    received = await hire.today()
    due = due_date(GTS_2025_11.step("lmia_decision").deadline, received)
    assert hire.step("lmia_decision").due_on == due

    [waiting] = await eventually(lambda: mailbox.of_kind(name, "authority_waiting"))
    assert waiting.to == [HR]
    assert waiting.subject == f"Waiting on ESDC: ESDC assesses the LMIA ({name})"

    await ts_env.sleep(timedelta(days=40))
    esdc = await eventually(
        lambda: (
            len([m for m in mailbox.about(name) if "ESDC" in m.subject]) >= 5
            and [m for m in mailbox.about(name) if "ESDC" in m.subject]
        )
    )
    kinds = [(m.kind, m.to, m.due) for m in esdc[1:]]
    assert kinds == [
        ("decision_due", [HR], morning_of(due)),
        ("standard_passed", [HR, MANAGER], morning_of(add_business_days(due, 1))),
        ("authority_follow_up", [HR], morning_of(add_business_days(due, 6))),
        ("authority_follow_up", [HR], morning_of(add_business_days(due, 11))),
    ]
    assert esdc[1].subject == f"ESDC decision due today: ESDC assesses the LMIA ({name})"
    assert esdc[2].subject == f"ESDC standard passed: ESDC assesses the LMIA ({name})"
    # not nagged before the standard ends: no reminder or escalation for the ESDC step
    assert not [
        m for m in mailbox.about(name) if m.kind in ("reminder", "escalation") and "ESDC" in m.text
    ]


async def test_esdc_deadline_across_christmas_2026(
    ts_env: WorkflowEnvironment, ts_queue: Queue, sessions: SessionFactory, team: TeamKey
) -> None:
    name = unique_name("Christmas")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    # Receipt dates cannot be in the future or more than a year back: use the first of these
    # (counted by hand in tests/pathways/test_deadlines.py) that is recordable today.
    #   2026: Christmas (Fri), Boxing Day observed (Mon Dec 28), New Year's Day (Fri).
    #   2028: Christmas (Mon), Boxing Day (Tue), New Year's Day (Mon).
    cases = [(date(2026, 12, 18), date(2027, 1, 6)), (date(2028, 12, 18), date(2029, 1, 4))]
    today = await hire.today()
    received, due = next((r, d) for r, d in cases if r + timedelta(days=366) >= today)
    if await hire.today() < received:
        await ts_env.sleep(end_of(received) - await hire.now())
    await hire.clear_items("prepare_lmia")
    await hire.clear_items("submit_lmia")
    await hire.decide("submit_lmia", "submitted", submitted_on=received.isoformat())
    assert hire.step("lmia_decision").due_on == due


async def test_two_week_clock_at_risk_on_day_10_and_missed_after_day_14(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Clock")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    await hire.through("work_permit_application")
    await hire.clear_items("work_permit_application")
    submitted = await hire.today()
    await hire.decide("work_permit_application", "online", submitted_on=submitted.isoformat())

    await ts_env.sleep(timedelta(days=16))
    [at_risk] = await eventually(lambda: mailbox.of_kind(name, "clock_at_risk"))
    assert at_risk.to == [HR]
    assert at_risk.due == morning_of(submitted + timedelta(days=10))
    assert at_risk.subject == f"Two-week work-permit target at risk: day 10 of 14 ({name})"
    target = submitted + timedelta(days=14)
    assert (
        f"The target is {target:%b} {target.day}, {target.year}" in at_risk.text
        and "4 days from today" in at_risk.text
    )

    [missed] = await eventually(lambda: mailbox.of_kind(name, "clock_missed"))
    assert missed.to == [HR, MANAGER]
    assert missed.due == end_of(submitted + timedelta(days=14))
    assert (
        missed.subject == f"Two-week work-permit target missed: 14 days without a decision ({name})"
    )
    # the clock's notices replace IRCC's own "due" and "passed" ones: no duplicates
    assert not [
        m
        for m in mailbox.about(name)
        if m.kind in ("decision_due", "standard_passed") and "IRCC" in m.subject
    ]
    clock = hire.record().clocks[0]
    assert clock.status == "missed" and clock.started_on == submitted

    decided = await hire.today()
    await hire.decide("work_permit_decision", "approved", decided_on=decided.isoformat())
    clock = hire.record().clocks[0]
    assert clock.status == "missed_final"
    assert clock.elapsed_days == (decided - submitted).days


async def test_a_decision_within_two_weeks_meets_the_target_without_notices(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("OnTime")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    await hire.through("work_permit_application")
    await hire.clear_items("work_permit_application")
    submitted = await hire.today()
    await hire.decide("work_permit_application", "online", submitted_on=submitted.isoformat())
    await ts_env.sleep(timedelta(days=6))
    decided = await hire.today()
    await hire.decide("work_permit_decision", "approved", decided_on=decided.isoformat())
    await ts_env.sleep(timedelta(days=20))
    clock = hire.record().clocks[0]
    assert (clock.status, clock.elapsed_days) == ("met", (decided - submitted).days)
    assert not mailbox.of_kind(name, "clock_at_risk") and not mailbox.of_kind(name, "clock_missed")


async def test_the_cbsa_step_is_an_authoritys_not_nagged_either(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Border")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    await hire.through("port_of_entry")
    due = hire.step("port_of_entry").due_on
    await ts_env.sleep(timedelta(days=60))
    cbsa = await eventually(
        lambda: (
            len([m for m in mailbox.about(name) if "CBSA" in m.subject]) >= 5
            and [m for m in mailbox.about(name) if "CBSA" in m.subject]
        )
    )
    assert [(m.kind, m.due) for m in cbsa[1:]] == [
        (
            "decision_due",
            morning_of(
                add_business_days(due, 0) if is_business_day(due) else previous_business_day(due)
            ),
        ),
        ("standard_passed", morning_of(add_business_days(due, 1))),
        ("authority_follow_up", morning_of(add_business_days(due, 6))),
        ("authority_follow_up", morning_of(add_business_days(due, 11))),
    ]
    assert not [
        m
        for m in mailbox.about(name)
        if m.kind == "escalation" and "Worker enters Canada" in m.subject
    ]
