"""CUSMA and ICT hires on the time-skipping server: to an issued permit, then its expiry.

The expiry reminders (120, 90 and 30 days before) are asserted by the emails a real SMTP
server received, on the workflow clock; and the history does not grow with the wait.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from contracts.hire import HireStatus
from pathways.calendar import end_of, morning_of
from store.db import SessionFactory
from testkit.samples import hire_input
from testkit.workflow_driver import Hire, Queue, start
from tests.conftest import TeamKey
from tests.helpers import Mailbox, eventually, unique_name

HR = "hr@employer.example"
MANAGER = "manager@employer.example"


async def history_length(hire: Hire) -> int:
    return len((await hire.handle.fetch_history()).events)


async def test_a_us_citizen_applies_at_the_border_and_the_permit_is_tracked_to_expiry(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Cusma")
    cusma = hire_input(
        team_id=team.team_id, name=name, pathway="cusma", category="T36", citizenships=("US",)
    )
    hire = await start(ts_env, ts_queue, cusma, sessions)
    await hire.through("port_of_entry", route="port_of_entry")
    assert hire.step("work_permit_decision").status == "skipped"  # CBSA decides at the border
    assert not hire.record().clocks or hire.record().clocks[0].status == "not_started"
    expires = await hire.issue(2)
    after_issue = await history_length(hire)

    await ts_env.sleep(end_of(expires) - await hire.now() + timedelta(days=1))
    result = await hire.handle.result()
    assert result.status == HireStatus.PERMIT_EXPIRED

    reminders = mailbox.of_kind(name, "permit_expiry")
    assert [(m.to, m.due) for m in reminders] == [
        ([HR, MANAGER], morning_of(expires - timedelta(days=days))) for days in (120, 90, 30)
    ]
    assert reminders[0].subject == f"Work permit expires in 120 days: {name}"
    assert "no cap on renewals" in reminders[2].text and "U123456789" in reminders[2].text
    [expired] = await eventually(lambda: mailbox.of_kind(name, "permit_expired"))
    assert expired.to == [HR, MANAGER]
    assert hire.record().hire.status == "permit_expired"
    # two years of waiting cost a fixed handful of events: three reminders, the expiry, the end
    assert await history_length(hire) - after_issue < 80


async def test_the_history_of_a_tracked_permit_does_not_grow_with_its_length(
    ts_env: WorkflowEnvironment, ts_queue: Queue, sessions: SessionFactory, team: TeamKey
) -> None:
    lengths = []
    for years in (1, 3):
        cusma = hire_input(
            team_id=team.team_id,
            name=unique_name("Length"),
            pathway="cusma",
            category="T36",
            citizenships=("US",),
        )
        hire = await start(ts_env, ts_queue, cusma, sessions)
        await hire.through("port_of_entry", route="port_of_entry")
        expires = await hire.issue(years)
        await ts_env.sleep(end_of(expires) - await hire.now() + timedelta(days=1))
        assert (await hire.handle.result()).status == HireStatus.PERMIT_EXPIRED
        lengths.append(await history_length(hire))
    # Two more years of waiting add no events (a few either way: how workflow tasks batch
    # the emails' completions varies); a history that grew per day would add hundreds.
    assert abs(lengths[1] - lengths[0]) <= 10, lengths


async def test_a_mexican_citizen_applies_online(
    ts_env: WorkflowEnvironment, ts_queue: Queue, sessions: SessionFactory, team: TeamKey
) -> None:
    cusma = hire_input(
        team_id=team.team_id,
        name=unique_name("Mx"),
        pathway="cusma",
        category="T36",
        citizenships=("MX",),
    )
    hire = await start(ts_env, ts_queue, cusma, sessions)
    await hire.through("work_permit_application")
    await hire.clear_items("work_permit_application")
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await hire.decide("work_permit_application", "port_of_entry")
    assert isinstance(err.value.cause, ApplicationError)
    assert "That outcome is not available for this hire." in err.value.cause.message
    await hire.decide(
        "work_permit_application", "online", submitted_on=(await hire.today()).isoformat()
    )
    assert hire.step("work_permit_decision").status == "open"
    assert hire.record().clocks[0].status == "running"  # TEER 1 online: the two-week target


async def test_an_ict_transfer_to_a_permit_with_its_cap_in_the_reminders(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Ict")
    ict = hire_input(
        team_id=team.team_id, name=name, pathway="ict", category="C63", citizenships=("IN",)
    )
    hire = await start(ts_env, ts_queue, ict, sessions)
    assert "specialized_knowledge" in {i.key for i in hire.record().items}
    assert "startup_plan" not in {i.key for i in hire.record().items}
    await hire.through("port_of_entry")
    clock = hire.record().clocks[0]
    assert (clock.status, clock.elapsed_days) == ("met", 0)
    with pytest.raises(WorkflowUpdateFailedError) as err:  # C63's first permit: 3 years at most
        await hire.issue(4)
    assert isinstance(err.value.cause, ApplicationError)
    assert "runs at most 3 years" in err.value.cause.message
    expires = await hire.issue(3)
    await ts_env.sleep(end_of(expires) - await hire.now() + timedelta(days=1))
    assert (await hire.handle.result()).status == HireStatus.PERMIT_EXPIRED
    reminders = mailbox.of_kind(name, "permit_expiry")
    assert [m.due for m in reminders] == [
        morning_of(expires - timedelta(days=d)) for d in (120, 90, 30)
    ]
    assert "capped at 5 years in all" in reminders[0].text


@pytest.mark.parametrize("code", ["C61", "C62"])
async def test_each_ict_category_runs_to_a_permit(
    code: str,
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name(code)
    noc = "20012" if code == "C62" else "21231"
    ict = hire_input(team_id=team.team_id, name=name, pathway="ict", category=code, noc=noc)
    hire = await start(ts_env, ts_queue, ict, sessions)
    items = {i.key for i in hire.record().items}
    assert ("startup_plan" in items) == (code == "C61") and "specialized_knowledge" not in items
    await hire.through("port_of_entry")
    years = 1 if code == "C61" else 3
    await hire.issue(years)
    assert hire.record().hire.status == "permit_issued"
    [issued] = await eventually(lambda: mailbox.of_kind(name, "permit_issued"))
    assert "U123456789" in issued.text


async def test_a_permit_recorded_close_to_its_expiry_gets_a_reminder_at_once(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Soon")
    cusma = hire_input(
        team_id=team.team_id, name=name, pathway="cusma", category="T36", citizenships=("US",)
    )
    hire = await start(ts_env, ts_queue, cusma, sessions)
    await hire.through("port_of_entry", route="port_of_entry")
    today = await hire.today()
    expires = today + timedelta(days=20)
    await hire.decide(
        "port_of_entry", "issued", permit_number="U123456789",
        issued_on=today.isoformat(), expires_on=expires.isoformat(),
    )  # fmt: skip
    [first] = await eventually(lambda: mailbox.of_kind(name, "permit_expiry"))
    assert first.subject == f"Work permit expires in 20 days: {name}"
    await ts_env.sleep(end_of(expires) - await hire.now() + timedelta(days=1))
    assert (await hire.handle.result()).status == HireStatus.PERMIT_EXPIRED
    assert len(mailbox.of_kind(name, "permit_expiry")) == 1  # the 120/90/30-day ones were past
