"""The reconciler: the store notices a hire whose workflow stopped without saying so.

A workflow terminated by an operator, failed for good or timed out projects nothing more,
so its hire would read "in progress" forever while every action answers 409. A scheduled
sweep (workflows/sweep.py, every few minutes) lists the workflows that closed that way
lately and marks their hires halted in the store, with a line on the timeline and an error in
the worker's log (an operator's alert)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col
from temporalio import activity
from temporalio.client import Client, WorkflowExecutionStatus

from activities.errors import store_errors
from contracts.activities import ActivityName, SweepInput, SweepResult
from contracts.hire import WORKFLOW_ID_PREFIX, HireStatus
from store.db import SessionFactory, session_scope
from store.models import Hire, HireEvent

log = logging.getLogger("hirepath.reconciler")

# How a workflow can stop outside hirepath (a hire's own ending completes it).
STOPPED = ("Terminated", "Failed", "TimedOut", "Canceled")
HALTED_SEQ = 2_000_000_000  # the timeline numbers of the sweep's own lines (last on the timeline)
STILL_GOING = (
    WorkflowExecutionStatus.RUNNING,
    WorkflowExecutionStatus.COMPLETED,
    WorkflowExecutionStatus.CONTINUED_AS_NEW,
)


class Reconciler:
    def __init__(self, client: Client, sessions: SessionFactory) -> None:
        self._client = client
        self._sessions = sessions

    @activity.defn(name=ActivityName.SWEEP)
    async def sweep(self, input: SweepInput) -> SweepResult:
        since = datetime.now(UTC) - timedelta(minutes=input.lookback_minutes)
        statuses = ", ".join(f"'{s}'" for s in STOPPED)
        query = f"ExecutionStatus IN ({statuses}) AND CloseTime > '{since:%Y-%m-%dT%H:%M:%SZ}'"
        closed = {
            execution.id
            async for execution in self._client.list_workflows(query)
            if execution.id.startswith(WORKFLOW_ID_PREFIX)
        }
        halted = []
        for hire_id in sorted(closed):
            latest = await self._client.get_workflow_handle(hire_id).describe()
            if latest.status is None or latest.status in STILL_GOING:
                continue  # reset, or continued: the hire goes on
            how = latest.status.name.lower()
            if await asyncio.to_thread(self._halt, hire_id, how):
                log.error("hire %s: its workflow was %s outside hirepath", hire_id, how)
                halted.append(hire_id)
        return SweepResult(checked=len(closed), halted=halted)

    def _halt(self, hire_id: str, how: str) -> bool:
        """Mark the hire halted (once), with a timeline line; False if it had ended already."""
        now = datetime.now(UTC)
        with store_errors(), session_scope(self._sessions) as session:
            hire = session.get(Hire, hire_id, with_for_update=True)
            if hire is None or hire.status not in (HireStatus.ACTIVE, HireStatus.PERMIT_ISSUED):
                return False
            # Its own numbers, past any the workflow could have reserved: an email the dead
            # workflow sent may still write its line at a number reserved before it stopped.
            last = session.execute(
                sa.select(sa.func.max(col(HireEvent.seq))).where(
                    col(HireEvent.hire_id) == hire_id, col(HireEvent.seq) >= HALTED_SEQ
                )
            ).scalar()
            hire.status, hire.version, hire.updated_at = HireStatus.HALTED, hire.version + 1, now
            hire.closed_at = hire.closed_at or now
            session.add(
                HireEvent(
                    hire_id=hire_id,
                    seq=(last or HALTED_SEQ - 1) + 1,
                    at=now,
                    kind="workflow_halted",
                    actor="system",
                    data={"how": how},
                )
            )
            return True
