"""5. Worker memory with 1,000 and 10,000 open hires waiting on their deadlines, per hire,
at the default workflow cache (1,000) and a reduced one (100)."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import select
from temporalio.client import WorkflowUpdateFailedError

from bench.harness import Stack, rss_mb, table
from hirepath.settings import Settings
from hirepath.temporal import connect
from store.db import make_engine, session_factory
from store.models import Hire, Team
from tests.helpers import hire_input
from workflows.contracts import ItemActionInput, workflow_id
from workflows.gts import GtsHire
from workflows.steps import HireWorkflow

COUNTS = (1_000, 10_000)
CACHES = (1000, 100)


async def run(stack: Stack) -> dict[str, Any]:
    settings = Settings(
        data_dir=stack.data_dir, temporal_address=f"127.0.0.1:{stack.temporal_port}"
    )
    client = await connect(settings)
    engine = make_engine(stack.settings().database, pool_size=1)
    with session_factory(engine)() as session:
        team_id = session.exec(select(Team.id)).first()
    assert team_id
    # open hires, started as the API would (each waits on its first step's deadline)
    ids: list[str] = []
    semaphore = asyncio.Semaphore(64)

    async def start(i: int) -> None:
        hire_id = workflow_id(str(uuid.uuid4()))
        async with semaphore:
            await client.start_workflow(
                GtsHire.run, hire_input(team_id=team_id, name=f"Open {i}", hire_id=hire_id),
                id=hire_id, task_queue=settings.task_queue,
            )  # fmt: skip
        ids.append(hire_id)

    began = time.monotonic()
    await asyncio.gather(*(start(i) for i in range(max(COUNTS))))
    while True:  # every hire projected once: its first step is open and waiting
        with session_factory(engine)() as session:
            done = session.exec(
                select(sa.func.count()).select_from(Hire).where(Hire.current_step == "prepare_lmia")
            ).one()
        if done >= max(COUNTS):
            break
        await asyncio.sleep(1)
    started_in = time.monotonic() - began

    async def touch(hire_id: str) -> None:
        """A refused action: loads the hire into the worker's cache, changes nothing."""
        async with semaphore:
            try:
                await client.get_workflow_handle(hire_id).execute_update(
                    HireWorkflow.accept_item, ItemActionInput("no_such_item", "", "bench")
                )
            except WorkflowUpdateFailedError:
                pass

    results: dict[str, Any] = {"started_per_s": max(COUNTS) / started_in}
    for cache in CACHES:
        stack.restart_worker(HIREPATH_MAX_CACHED_WORKFLOWS=str(cache))
        await asyncio.sleep(3)
        pid = stack.processes["worker"].pid
        idle = rss_mb(pid)
        touched = 0
        for count in COUNTS:
            await asyncio.gather(*(touch(h) for h in ids[touched:count]))
            touched = count
            await asyncio.sleep(2)
            rss = rss_mb(pid)
            results[f"cache{cache}/open{count}"] = {
                "rss_mb": rss, "idle_mb": idle, "per_hire_kb": (rss - idle) * 1024 / count,
            }  # fmt: skip
    stack.restart_worker(HIREPATH_MAX_CACHED_WORKFLOWS="1000")
    engine.dispose()
    return results


def report(results: dict[str, Any]) -> str:
    rows = [[key, f"{r['rss_mb']:.0f}", f"{r['idle_mb']:.0f}", f"{r['per_hire_kb']:.1f}"]
            for key, r in results.items() if isinstance(r, dict)]  # fmt: skip
    title = f"5. Worker memory (hires started at {results['started_per_s']:.0f}/s)"
    return table(title, ["cache / open hires", "RSS MB", "idle RSS MB", "KB per open hire"], rows)
