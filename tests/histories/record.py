"""Record workflow histories for the replay test (tests/workflows/test_replay.py).

    .venv/bin/python -m tests.histories.record [scenario ...]

Runs each scenario on a time-skipping server with the real activities (a temporary
SQLite store, the outbox mailer) and writes tests/histories/<scenario>.json. Record with
the code that is about to change, before changing it, so that the replay test proves the
new code still replays hires started under the old one (docs/workflows.md).
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment

from contracts.hire import WithdrawInput
from core.settings import Settings
from core.temporal import DATA_CONVERTER
from hirepath.worker import build_parts, build_worker
from pathways.calendar import end_of
from store.db import make_engine, session_factory, session_scope
from store.migrate import upgrade
from store.teams import create_team
from testkit.samples import hire_input
from testkit.workflow_driver import Hire, Queue, start
from workflows.hire import HireWorkflow

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent


async def permit_issued(hire: Hire) -> None:
    """Category B to an issued permit, waiting past the CBSA step's deadline first."""
    await hire.through("port_of_entry")
    await hire.env.sleep(timedelta(days=60))
    await hire.issue(3)


async def lmia_refused(hire: Hire) -> None:
    await hire.through("lmia_decision")
    await hire.env.sleep(timedelta(days=20))  # the ESDC standard passes first
    await hire.decide(
        "lmia_decision", "refused", decided_on=(await hire.today()).isoformat(), reason="Wage"
    )


async def withdrawn_during_clock(hire: Hire) -> None:
    await hire.through("work_permit_application")
    await hire.clear_items("work_permit_application")
    submitted = (await hire.today()).isoformat()
    outcome = "submitted" if hire.old_rules else "online"
    await hire.decide("work_permit_application", outcome, submitted_on=submitted)
    await hire.env.sleep(timedelta(days=11))  # past the at-risk notice
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Role cancelled", "hr"))


async def reminders_then_withdrawn(hire: Hire) -> None:
    await hire.env.sleep(timedelta(days=40))  # reminders and escalations of the first step
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Offer declined", "hr"))


async def border_then_expired(hire: Hire) -> None:
    """A US citizen applies at the border; the permit is tracked until it expires."""
    await hire.through("port_of_entry", route="port_of_entry")
    expires = await hire.issue(1)
    await hire.env.sleep(end_of(expires) - await hire.now() + timedelta(days=1))


async def online_then_tracking_stopped(hire: Hire) -> None:
    """Online with the two-week clock; the permit is tracked past a reminder, then stopped."""
    await hire.through("port_of_entry")
    expires = await hire.issue(1)
    await hire.env.sleep(expires - timedelta(days=100) - await hire.today())
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Worker left", "hr"))


# name: (hire_input arguments, scenario); the name starts with the pathway's key
SCENARIOS: dict[str, tuple[dict[str, Any], Callable[[Hire], Awaitable[None]]]] = {
    "gts_b_permit_issued": ({"category": "B"}, permit_issued),
    "gts_b_lmia_refused": ({"category": "B"}, lmia_refused),
    "gts_b_withdrawn_during_clock": ({"category": "B"}, withdrawn_during_clock),
    "gts_a_reminders_then_withdrawn": ({"category": "A"}, reminders_then_withdrawn),
    "gts_b_r2_tracking_stopped": ({"category": "B"}, online_then_tracking_stopped),
    "cusma_us_border_expired": (
        {"pathway": "cusma", "category": "T36", "citizenships": ("US",)},
        border_then_expired,
    ),
    "ict_c63_tracking_stopped": (
        {"pathway": "ict", "category": "C63"},
        online_then_tracking_stopped,
    ),
    # recorded after the merged-step-projection and record-changes patches (their markers,
    # one projection per settled step, partial snapshots)
    "gts_b_r2_record_changes": ({"category": "B"}, online_then_tracking_stopped),
}


async def record(names: list[str]) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="hirepath-record-"))
    settings = Settings(data_dir=data_dir)
    upgrade(settings.database)
    engine = make_engine(settings.database)
    sessions = session_factory(engine)
    with session_scope(sessions) as session:
        team_id = create_team(session, name="Recording").id
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(BIN / "temporal-test-server"), data_converter=DATA_CONVERTER
    )
    try:
        with ThreadPoolExecutor(max_workers=50) as executor:
            queue = Queue(f"record-{uuid.uuid4().hex[:8]}", [])
            parts = build_parts(settings, sessions)
            async with build_worker(env.client, settings, parts, executor, task_queue=queue.name):
                for name in names:
                    arguments, scenario = SCENARIOS[name]
                    recorded = hire_input(team_id=team_id, name="Recorded", **arguments)
                    hire = await start(env, queue, recorded, sessions)
                    await scenario(hire)
                    await env.sleep(timedelta(seconds=5))
                    await hire.handle.result()
                    history = await hire.handle.fetch_history()
                    compact = json.dumps(history.to_json_dict(), separators=(",", ":"))
                    (HERE / f"{name}.json").write_text(compact)
                    print(f"recorded {name}: {len(history.events)} events")
    finally:
        await env.shutdown()
        engine.dispose()


if __name__ == "__main__":
    asyncio.run(record(sys.argv[1:] or list(SCENARIOS)))
