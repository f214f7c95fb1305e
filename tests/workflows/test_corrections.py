"""Corrections on the time-skipping server: an amended outcome that starts the two-week
clock starts it (and a started clock's decision keeps its outcome); a permit's recorded
decision says plainly it cannot be amended once issued."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from contracts.hire import AmendDecisionInput
from store.db import SessionFactory
from testkit.samples import hire_input
from testkit.workflow_driver import Queue, start
from tests.conftest import TeamKey
from tests.helpers import unique_name
from workflows.hire import HireWorkflow


def amend(step: str, outcome: str, **fields: str) -> AmendDecisionInput:
    return AmendDecisionInput(step, outcome, dict(fields), "Recorded the wrong route", "hr")


async def test_amending_the_route_to_online_starts_the_clock_and_keeps_irccs_step(
    ts_env: WorkflowEnvironment, ts_queue: Queue, sessions: SessionFactory, team: TeamKey
) -> None:
    cusma = hire_input(
        team_id=team.team_id, name=unique_name("Route"), pathway="cusma", category="T36",
        citizenships=("US",),
    )  # fmt: skip
    hire = await start(ts_env, ts_queue, cusma, sessions)
    await hire.through("work_permit_application")
    # the border route recorded while the application's documents are still missing
    await hire.decide("work_permit_application", "port_of_entry")
    assert hire.step("work_permit_application").status == "open"
    today = (await hire.today()).isoformat()
    await hire.handle.execute_update(
        HireWorkflow.amend_decision,
        amend("work_permit_application", "online", submitted_on=today),
    )
    [clock] = hire.record().clocks
    assert clock.status == "running" and str(clock.started_on) == today
    # the clock's decision keeps its outcome now
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await hire.handle.execute_update(
            HireWorkflow.amend_decision, amend("work_permit_application", "port_of_entry")
        )
    assert isinstance(err.value.cause, ApplicationError)
    assert "so its outcome can't be amended here" in err.value.cause.message
    await hire.clear_items("work_permit_application")
    assert hire.step("work_permit_decision").status == "open"  # IRCC decides, not skipped


async def test_a_tracked_permits_decision_cannot_be_amended_and_says_so(
    ts_env: WorkflowEnvironment, ts_queue: Queue, sessions: SessionFactory, team: TeamKey
) -> None:
    gts = hire_input(team_id=team.team_id, name=unique_name("Tracked"))
    hire = await start(ts_env, ts_queue, gts, sessions)
    await hire.through("port_of_entry")
    expires = await hire.issue(2)
    version = hire.record().hire.version
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await hire.handle.execute_update(
            HireWorkflow.amend_decision,
            amend("port_of_entry", "issued", expires_on=expires.replace(day=1).isoformat()),
        )
    assert isinstance(err.value.cause, ApplicationError)
    assert "The permit is issued" in err.value.cause.message
    assert hire.record().hire.version == version
