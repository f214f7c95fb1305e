"""Driving a hire on the time-skipping server, the way HR would through the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from temporalio.client import WithStartWorkflowOperation, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.testing import WorkflowEnvironment

from contracts.hire import (
    ActionResult,
    DecisionInput,
    HireInput,
    HireResult,
    ItemActionInput,
    OpenHireInput,
    Update,
)
from pathways.calendar import eastern_date
from store.db import SessionFactory
from store.models import HireStep
from store.queries import HireRecord, get_hire_record
from workflows.registry import workflow_for


@dataclass
class Queue:
    """A task queue with its own worker, and the hires started on it (the tests' fixture
    closes them when the test ends)."""

    name: str
    hire_ids: list[str]


@dataclass
class Hire:
    env: WorkflowEnvironment
    input: HireInput
    handle: WorkflowHandle[Any, HireResult]
    sessions: SessionFactory

    @property
    def name(self) -> str:
        return self.input.candidate.name

    @property
    def old_rules(self) -> bool:
        """GTS rules version 1, where the application's outcome was just "submitted"."""
        return self.input.rules_version == "gts-2025-11-20"

    async def now(self) -> datetime:
        return await self.env.get_current_time()

    async def today(self) -> date:
        return eastern_date(await self.now())

    def record(self) -> HireRecord:
        with self.sessions() as session:
            record = get_hire_record(
                session, team_id=self.input.team_id, hire_id=self.input.hire_id
            )
        assert record is not None
        return record

    def step(self, key: str) -> HireStep:
        return next(s for s in self.record().steps if s.key == key)

    async def waive(self, item: str, reason: str = "covered elsewhere") -> ActionResult:
        return await self.handle.execute_update(
            Update.WAIVE_ITEM, ItemActionInput(item, reason, "test"), result_type=ActionResult
        )

    async def decide(self, step: str, outcome: str, **fields: str) -> ActionResult:
        return await self.handle.execute_update(
            Update.RECORD_DECISION,
            DecisionInput(step, outcome, dict(fields), "test"),
            result_type=ActionResult,
        )

    async def issue(self, years: int) -> date:
        """Record the permit issued at the border today, valid ``years``; its expiry."""
        today = await self.today()
        expires = today.replace(year=today.year + years)
        await self.decide(
            "port_of_entry",
            "issued",
            permit_number="U123456789",
            issued_on=today.isoformat(),
            expires_on=expires.isoformat(),
        )
        return expires

    async def clear_items(self, step: str) -> None:
        """Waive every required item of ``step`` (which must be open) still outstanding."""
        for item in self.record().items:
            if (
                item.step_key == step
                and item.required
                and item.status not in ("accepted", "waived")
            ):
                await self.waive(item.key)

    async def through(self, step: str, *, route: str = "online") -> None:
        """Settle every step before ``step``, which is then open; the worker applies by
        ``route`` ("online" or "port_of_entry")."""
        today = (await self.today()).isoformat()
        for key in [s.key for s in self.record().steps]:
            if key == step:
                return
            if self.step(key).status == "skipped":
                continue
            await self.clear_items(key)
            if key == "submit_lmia" or (key == "work_permit_application" and self.old_rules):
                await self.decide(key, "submitted", submitted_on=today)
            elif key == "employer_portal_offer":
                await self.decide(key, "submitted", offer_number="A1234567", submitted_on=today)
            elif key == "work_permit_application" and route == "port_of_entry":
                await self.decide(key, "port_of_entry")
            elif key == "work_permit_application":
                await self.decide(key, "online", submitted_on=today)
            elif key == "lmia_decision":
                await self.decide(key, "approved", lmia_number="LMIA-1001", decided_on=today)
            elif key == "work_permit_decision":
                await self.decide(key, "approved", decided_on=today)
        raise AssertionError(f"no step {step}")


async def start(
    env: WorkflowEnvironment, queue: Queue, input: HireInput, sessions: SessionFactory
) -> Hire:
    queue.hire_ids.append(input.hire_id)
    workflow = workflow_for(input.pathway)
    operation = WithStartWorkflowOperation(
        workflow.run,  # type: ignore[attr-defined]
        input,
        id=input.hire_id,
        task_queue=queue.name,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    await env.client.execute_update_with_start_workflow(
        Update.AWAIT_READABLE, OpenHireInput("test"), start_workflow_operation=operation
    )
    return Hire(
        env, input, env.client.get_workflow_handle(input.hire_id, result_type=HireResult), sessions
    )
