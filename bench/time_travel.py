"""6. Time travel: wall time for a whole GTS hire with its two-week clock and two years of
permit-expiry reminders, on the time-skipping server."""

from __future__ import annotations

import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment

from bench.harness import REPEATS, summary, table
from core.settings import Settings
from core.temporal import data_converter
from hirepath.worker import build_parts, build_worker
from pathways.calendar import end_of
from store.db import make_engine, session_factory, session_scope
from store.migrate import upgrade
from store.teams import create_team
from testkit.samples import hire_input
from testkit.workflow_driver import Queue, start

OWN_STACK = True


async def run(_: Any) -> dict[str, Any]:
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="hirepath-tt-")))
    upgrade(settings.database)
    engine = make_engine(settings.database)
    sessions = session_factory(engine)
    with session_scope(sessions) as session:
        team_id = create_team(session, name="Time").id
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(Path(sys.executable).parent / "temporal-test-server"),
        data_converter=data_converter(settings),
    )
    walls: list[float] = []
    try:
        with ThreadPoolExecutor(20) as executor:
            queue = Queue("time-travel", [])
            async with build_worker(
                env.client,
                settings,
                build_parts(settings, sessions),
                executor,
                task_queue=queue.name,
            ):
                for i in range(REPEATS):
                    began = time.perf_counter()
                    hire = await start(
                        env, queue, hire_input(team_id=team_id, name=f"Traveller {i}"), sessions
                    )
                    await hire.through("work_permit_decision")
                    await env.sleep(timedelta(days=15))  # past the two-week target
                    today = await hire.today()
                    await hire.decide(
                        "work_permit_decision", "approved", decided_on=today.isoformat()
                    )
                    expires = await hire.issue(2)
                    await env.sleep(end_of(expires) - await hire.now() + timedelta(days=1))
                    result = await hire.handle.result()
                    assert result.status == "permit_expired"
                    walls.append(time.perf_counter() - began)
    finally:
        await env.shutdown()
        engine.dispose()
    return {"wall_s": summary(walls), "raw": walls}


def report(results: dict[str, Any]) -> str:
    w = results["wall_s"]
    return table("6. Time travel: a whole GTS hire, its two-week clock and two years of expiry reminders",
                 ["", "wall s median (min-max)"], [["time-skipping server", f"{w['median']:.2f} ({w['min']:.2f}-{w['max']:.2f})"]])  # fmt: skip
