"""A hire whose workflow stops outside hirepath (an operator's terminate, a failure) is not
left "in progress" forever: the scheduled sweep marks it halted, with a line on its timeline,
and it says so to whoever acts on it."""

from __future__ import annotations

import httpx
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from activities.reconciler import Reconciler
from contracts.activities import SweepInput
from hirepath.worker import ensure_sweep_schedule
from store.db import SessionFactory
from testkit.samples import hire_body
from tests.conftest import TeamKey
from tests.helpers import eventually, unique_name
from workflows.sweep import SWEEP_SCHEDULE


async def test_a_terminated_workflow_leaves_its_hire_halted_not_in_progress(
    api: httpx.AsyncClient, dev_worker: Client, sessions: SessionFactory, team: TeamKey
) -> None:
    created = await api.post(
        "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Halted"))
    )
    hire_id = created.json()["id"]
    await dev_worker.get_workflow_handle(hire_id).terminate(reason="operator")
    reconciler = Reconciler(dev_worker, sessions)

    async def swept() -> list[str]:
        result = await ActivityEnvironment().run(reconciler.sweep, SweepInput(lookback_minutes=5))
        return [h for h in result.halted if h == hire_id]

    assert await eventually(swept) == [hire_id]  # visibility catches up within moments
    hire = (await api.get(f"/api/v1/hires/{hire_id}", headers=team.headers)).json()
    assert hire["status"] == "halted"
    events = (await api.get(f"/api/v1/hires/{hire_id}/events", headers=team.headers)).json()
    assert "its workflow was terminated outside hirepath" in events["items"][-1]["summary"]
    # once is enough: a second sweep changes nothing
    again = await ActivityEnvironment().run(reconciler.sweep, SweepInput(lookback_minutes=5))
    assert hire_id not in again.halted
    assert (await api.get(f"/api/v1/hires/{hire_id}", headers=team.headers)).json()[
        "version"
    ] == hire["version"]
    item = hire["steps"][0]["items"][0]["key"]
    refused = await api.post(
        f"/api/v1/hires/{hire_id}/items/{item}/waive",
        headers=team.headers,
        json={"reason": "on file"},
    )
    assert refused.status_code == 409


async def test_every_worker_start_keeps_one_sweep_schedule(dev_worker: Client) -> None:
    await ensure_sweep_schedule(dev_worker, "api-tests")
    await ensure_sweep_schedule(dev_worker, "api-tests")  # a second worker: no error, no copy
    described = await dev_worker.get_schedule_handle(SWEEP_SCHEDULE).describe()
    assert described.schedule.spec.intervals[0].every.total_seconds() == 600
    await dev_worker.get_schedule_handle(SWEEP_SCHEDULE).delete()
