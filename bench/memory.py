"""5. Worker memory with 1,000 (and, in a full run, 10,000) open hires waiting on their
deadlines: resident memory per hire at the default workflow cache (1,000) and a reduced one
(100). Open hires outside the cache cost the worker nothing until they next wake."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from temporalio.client import WorkflowUpdateFailedError

from bench.harness import FULL, Stack, rss_mb, table
from contracts.hire import ItemActionInput, workflow_id
from core.settings import Settings
from core.temporal import connect
from store.db import make_engine, session_factory
from store.models import Hire, Team
from testkit.samples import hire_input
from workflows.gts import GtsHire
from workflows.hire import HireWorkflow

COUNTS = (1_000, 10_000) if FULL else (1_000,)
DEFAULT_CACHE, REDUCED_CACHE = 1000, 100
SAMPLES = 3  # RSS read three times, a second apart: the median


async def run(stack: Stack) -> dict[str, Any]:
    settings = Settings(
        data_dir=stack.data_dir, temporal_address=f"127.0.0.1:{stack.temporal_port}"
    )
    client = await connect(settings)
    engine = make_engine(stack.settings().database, pool_size=1)
    sessions = session_factory(engine)
    with sessions() as session:
        team_id = session.exec(select(Team.id)).first()
    assert team_id
    semaphore = asyncio.Semaphore(64)
    ids: list[str] = []

    def waiting() -> int:
        """Hires of this benchmark whose first step is open (projected once, waiting)."""
        with sessions() as session:
            return int(
                session.exec(
                    select(sa.func.count())
                    .select_from(Hire)
                    .where(col(Hire.candidate_name).startswith("Open "))
                    .where(Hire.current_step == "prepare_lmia")
                ).one()
            )

    async def start(i: int) -> None:
        hire_id = workflow_id(str(uuid.uuid4()))
        async with semaphore:
            await client.start_workflow(
                GtsHire.run, hire_input(team_id=team_id, name=f"Open {i}", hire_id=hire_id),
                id=hire_id, task_queue=settings.task_queue,
            )  # fmt: skip
        ids.append(hire_id)

    async def touch(hire_id: str) -> None:
        """A refused action: brings the hire into the worker's cache, changes nothing."""
        async with semaphore:
            try:
                _ = await client.get_workflow_handle(hire_id).execute_update(
                    HireWorkflow.accept_item, ItemActionInput("no_such_item", "", "bench")
                )
            except WorkflowUpdateFailedError:
                pass

    async def rss(pid: int) -> float:
        samples = []
        for _ in range(SAMPLES):
            await asyncio.sleep(1)
            samples.append(rss_mb(pid))
        return sorted(samples)[SAMPLES // 2]

    results: dict[str, Any] = {}
    stack.restart_worker(HIREPATH_MAX_CACHED_WORKFLOWS=str(DEFAULT_CACHE))
    pid = stack.processes["worker"].pid
    idle = await rss(pid)
    began, started = time.monotonic(), 0
    for count in COUNTS:
        await asyncio.gather(*(start(i) for i in range(started, count)))
        started = count
        while waiting() < count:
            await asyncio.sleep(1)
        held = min(count, DEFAULT_CACHE)
        now = await rss(pid)
        results[f"cache {DEFAULT_CACHE}, {count:,} open"] = {
            "rss_mb": now, "idle_mb": idle, "cached": held, "kb_per_cached_hire": (now - idle) * 1024 / held,
        }  # fmt: skip
    results["starts_per_s"] = started / (time.monotonic() - began)
    # the reduced cache: a fresh worker, then the newest hires woken until the cache is full
    # several times over (each wake replays the hire from its history)
    stack.restart_worker(HIREPATH_MAX_CACHED_WORKFLOWS=str(REDUCED_CACHE))
    pid = stack.processes["worker"].pid
    idle_reduced = await rss(pid)
    woken = ids[-1000:]
    began = time.monotonic()
    await asyncio.gather(*(touch(h) for h in woken))
    results["wakes_per_s"] = len(woken) / (time.monotonic() - began)
    now = await rss(pid)
    results[f"cache {REDUCED_CACHE}, {started:,} open ({len(woken):,} woken)"] = {
        "rss_mb": now, "idle_mb": idle_reduced, "cached": REDUCED_CACHE,
        "kb_per_cached_hire": (now - idle_reduced) * 1024 / REDUCED_CACHE,
    }  # fmt: skip
    stack.restart_worker(HIREPATH_MAX_CACHED_WORKFLOWS=str(DEFAULT_CACHE))
    engine.dispose()
    return results


def report(results: dict[str, Any]) -> str:
    rows = [[key, f"{r['rss_mb']:.0f}", f"{r['idle_mb']:.0f}", r["cached"], f"{r['kb_per_cached_hire']:.0f}"]
            for key, r in results.items() if isinstance(r, dict)]  # fmt: skip
    title = (
        f"5. Worker memory (hires started at {results['starts_per_s']:.1f}/s; "
        f"evicted hires woken at {results['wakes_per_s']:.1f}/s)"
    )
    return table(
        title,
        ["workflow cache, open hires", "RSS MB", "idle MB", "in cache", "KB per cached hire"],
        rows,
    )
