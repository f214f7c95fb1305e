"""The product app with the bare baselines mounted beside it: one process serves both, so
every ratio compares like with like (uvicorn bench.apps:app --factory)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, HTTPException, Request
from temporalio.client import WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy

from api.app import create_app
from bench.bare import BARE_QUEUE, BareAction, BareHire, BareInput, BareOpen, new_id
from core.settings import Settings
from store.models import Hire

router = APIRouter(prefix="/bench/bare")


@router.post("/hires", status_code=201)
async def bare_start(request: Request) -> dict[str, str]:
    """The same call as POST /api/v1/hires (update-with-start, answered after one activity)."""
    body = await request.json() if request.headers.get("content-length", "0") != "0" else {}
    client = await request.app.state.temporal.get()
    hire_id = new_id()
    start = WithStartWorkflowOperation(
        BareHire.run,
        BareInput(
            hire_id, [int(n) for n in body.get("plan", [])], float(body.get("timer_seconds", 0))
        ),
        id=hire_id,
        task_queue=BARE_QUEUE,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    await client.execute_update_with_start_workflow(
        BareHire.open, BareOpen("r"), start_workflow_operation=start
    )
    return {"id": hire_id}


@router.post("/hires/{hire_id}/act")
async def bare_act(hire_id: str, request: Request) -> dict[str, int]:
    """The same call as an HR action (one update that runs one activity before answering)."""
    client = await request.app.state.temporal.get()
    result = await client.get_workflow_handle(hire_id).execute_update(
        BareHire.act, BareAction("act")
    )
    return {"version": result.version}


@router.get("/read/{hire_id}")
async def bare_read(hire_id: str, request: Request) -> dict[str, str]:
    """A primary-key read of one row, for the reads' baseline."""
    with request.app.state.sessions() as session:
        hire = session.get(Hire, hire_id)
    if hire is None:
        raise HTTPException(404, "no such hire")
    return {"id": hire.id, "status": hire.status}


def app() -> FastAPI:
    application = create_app(Settings())
    application.include_router(router)
    return application
