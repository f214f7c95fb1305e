"""A hire outlives its own history: HR's actions are bounded per hour, and a run that grows
long continues as new with its state carried, so no number of actions gets it terminated.

An outside probe killed a hire with 830 upload-and-reject actions (52.5 MB of history);
here 2,000 go through, the hire is alive, every run's history is far below Temporal's
warning (10,240 events, 10 MB), and the store says what the workflow says."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from contracts.hire import HireStatus, ItemActionInput, ReceiveDocumentInput
from core.settings import Settings
from store.db import SessionFactory
from store.queries import list_events
from testkit.samples import hire_input
from testkit.workflow_driver import Hire, Queue, start
from tests.conftest import TeamKey, close_hire
from tests.helpers import unique_name
from tests.workflows.test_gts_actions import document
from workflows.hire import HireWorkflow

ACTIONS = 2_000
WARNING_EVENTS, WARNING_BYTES = 10_240, 10 * 1024 * 1024


async def upload(hire: Hire, item: str) -> int:
    result = await hire.handle.execute_update(
        HireWorkflow.receive_document, ReceiveDocumentInput(item, document(), False, "test")
    )
    return result.version


async def reject(hire: Hire, item: str) -> int:
    result = await hire.handle.execute_update(
        HireWorkflow.reject_item, ItemActionInput(item, "blurred scan", "test")
    )
    return result.version


async def runs_of(hire: Hire) -> list[tuple[int, int]]:
    """(events, JSON bytes) of every run of the hire, newest first (each run's start names
    the run it continued)."""
    sizes = []
    run_id: str | None = (await hire.handle.describe()).run_id
    while run_id:
        handle = hire.env.client.get_workflow_handle(hire.input.hire_id, run_id=run_id)
        history = await handle.fetch_history()
        sizes.append((len(history.events), len(json.dumps(history.to_json_dict()))))
        started = history.events[0].workflow_execution_started_event_attributes
        run_id = started.continued_execution_run_id
    return sizes


async def test_actions_are_bounded_per_hour_and_a_refused_one_changes_nothing(
    ts_env: WorkflowEnvironment, ts_queue: Queue, sessions: SessionFactory, team: TeamKey
) -> None:
    input = dataclasses.replace(
        hire_input(team_id=team.team_id, name=unique_name("Bounded")), max_actions_per_hour=10
    )
    hire = await start(ts_env, ts_queue, input, sessions)
    item = "employer_details"
    for _ in range(5):
        await upload(hire, item)
        version = await reject(hire, item)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await upload(hire, item)
    assert isinstance(refused.value.cause, ApplicationError)
    assert refused.value.cause.type == "TooMany"
    assert "10 actions in the last hour" in refused.value.cause.message
    record = hire.record()
    assert record.hire.version == version
    assert next(i for i in record.items if i.key == item).status == "rejected"

    await ts_env.sleep(timedelta(minutes=61))  # an hour later, HR may act again
    assert await upload(hire, item) > version


@pytest.mark.timeout(900)
async def test_two_thousand_actions_leave_the_hire_alive_and_its_history_short(
    dev_worker: Client,
    dev_env: WorkflowEnvironment,
    settings: Settings,
    sessions: SessionFactory,
    team: TeamKey,
) -> None:
    queue = Queue(settings.task_queue, [])  # the dev server's worker (tests/conftest.py)
    hire = await start(
        dev_env, queue, hire_input(team_id=team.team_id, name=unique_name("Busy")), sessions
    )
    item = "employer_details"
    version = 0
    for _ in range(ACTIONS // 2):  # upload, then reject: the probe's loop
        await upload(hire, item)
        version = await reject(hire, item)

    # alive: the next action works and the step moves on
    await upload(hire, item)
    accepted = await hire.handle.execute_update(
        HireWorkflow.accept_item, ItemActionInput(item, "", "test")
    )
    assert accepted.status == HireStatus.ACTIVE
    description = await hire.handle.describe()
    assert description.status is not None and description.status.name == "RUNNING"

    runs = await runs_of(hire)
    print(f"runs (events, bytes), newest first: {runs}")
    assert len(runs) > 1, "the hire continued as new"
    for events, size in runs:
        assert events < WARNING_EVENTS // 2, runs
        assert size < WARNING_BYTES // 4, runs

    # the store in step with the workflow
    record = hire.record()
    assert record.hire.version == accepted.version > version
    assert record.hire.status == "active"
    assert next(i for i in record.items if i.key == item).status == "accepted"
    with sessions() as session:
        kinds = [e.kind for e in list_events(session, hire_id=hire.input.hire_id, limit=100_000)]
    assert kinds.count("document_received") == ACTIONS // 2 + 1
    assert kinds.count("item_rejected") == ACTIONS // 2
    await close_hire(hire.handle)
