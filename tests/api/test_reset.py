"""An operator resets a hire's workflow to an earlier point (the undo for a mis-click): the
store follows the reset run, not the undone branch, and the timeline says what happened."""

from __future__ import annotations

import uuid

import httpx
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.enums.v1 import EventType, ResetReapplyType
from temporalio.api.workflowservice.v1 import ResetWorkflowExecutionRequest
from temporalio.client import Client

from testkit.samples import hire_body
from tests.conftest import TeamKey
from tests.helpers import eventually, unique_name


async def test_after_a_reset_the_store_follows_the_reset_run(
    api: httpx.AsyncClient, dev_worker: Client, team: TeamKey
) -> None:
    created = await api.post(
        "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Reset"))
    )
    hire_id = created.json()["id"]
    base = f"/api/v1/hires/{hire_id}"
    first, *mistakes, later = [i["key"] for i in created.json()["steps"][0]["items"]][:5]

    async def waive(item: str) -> None:
        done = await api.post(
            f"{base}/items/{item}/waive", headers=team.headers, json={"reason": "on file"}
        )
        assert done.status_code == 200, done.text

    await waive(first)
    handle = dev_worker.get_workflow_handle(hire_id)
    for mistake in mistakes:  # mis-clicks, undone by the reset below
        await waive(mistake)
        if mistake == mistakes[0]:
            # the workflow task that took the first mis-click: a reset to it replays up to
            # just before it, so the store holds more versions than the reset run has made
            history = await handle.fetch_history()
            point = max(
                e.event_id
                for e in history.events
                if e.event_type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
            )
    await dev_worker.workflow_service.reset_workflow_execution(
        ResetWorkflowExecutionRequest(
            namespace=dev_worker.namespace,
            workflow_execution=WorkflowExecution(workflow_id=hire_id),
            reason="undo a mis-click",
            workflow_task_finish_event_id=point,
            request_id=str(uuid.uuid4()),
            reset_reapply_type=ResetReapplyType.RESET_REAPPLY_TYPE_NONE,
        )
    )

    async def reset_run_is_up() -> bool:
        return (await handle.describe()).run_id != history.run_id

    await eventually(reset_run_is_up)
    await waive(later)  # the first action after the reset

    hire = (await api.get(base, headers=team.headers)).json()
    status = {i["key"]: i["status"] for i in hire["steps"][0]["items"]}
    assert status[first] == status[later] == "waived"
    assert [status[m] for m in mistakes] == ["requested"] * len(mistakes)
    events = (await api.get(f"{base}/events", headers=team.headers)).json()["items"]
    summaries = [e["summary"] for e in events]
    reset_at = next(i for i, s in enumerate(summaries) if "reset to an earlier point" in s)
    assert any("Waived" in s for s in summaries[reset_at + 1 :])
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
