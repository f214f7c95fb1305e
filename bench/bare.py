"""The bare baselines: the same Temporal calls hirepath makes, and nothing else.

`BareHire` is started the way a hire is (update-with-start), answers its start once one
activity has run (hirepath: the first projection), runs one more in the background (the
first email), then takes updates that each run one activity before answering (hirepath: the
projection after an action). The activities do nothing. The app below serves the same
routes' shapes with no validation, store, screening or templates.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from temporalio import activity, workflow

BARE_QUEUE = "bench-bare"


@dataclass
class BareInput:
    hire_id: str
    plan: list[int] = field(default_factory=list)  # updates each step waits for
    timer_seconds: float = 0.0  # one timer per step (its deadline), raced by its updates


@dataclass
class BareOpen:
    request_id: str


@dataclass
class BareAction:
    name: str


@dataclass
class BareResult:
    hire_id: str
    version: int


@activity.defn(name="bare_record")
async def bare_record(input: BareAction) -> BareResult:
    return BareResult(input.name, 0)


@activity.defn(name="bare_notify")
async def bare_notify(input: BareAction) -> BareResult:
    return BareResult(input.name, 0)


TIMEOUT = timedelta(seconds=30)


@workflow.defn
class BareHire:
    @workflow.init
    def __init__(self, input: BareInput) -> None:
        self._input = input
        self._version = 0
        self._actions = 0
        self._opened = False
        self._done = False

    @workflow.run
    async def run(self, input: BareInput) -> BareResult:
        await workflow.execute_activity(
            bare_record, BareAction("open"), start_to_close_timeout=TIMEOUT
        )
        self._version += 1
        self._opened = True
        notify = asyncio.create_task(
            workflow.execute_activity(
                bare_notify, BareAction("opened"), start_to_close_timeout=TIMEOUT
            )
        )
        target = 0
        for step, updates in enumerate(input.plan):
            target += updates
            try:
                await workflow.wait_condition(
                    lambda target=target: self._actions >= target,  # type: ignore[misc]
                    timeout=timedelta(seconds=input.timer_seconds) if input.timer_seconds else None,
                )
            except TimeoutError:
                pass
            await workflow.execute_activity(
                bare_notify, BareAction(f"step {step}"), start_to_close_timeout=TIMEOUT
            )
        await notify
        if not input.plan:
            await workflow.wait_condition(lambda: self._done)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return BareResult(input.hire_id, self._version)

    @workflow.update
    async def open(self, input: BareOpen) -> BareResult:
        await workflow.wait_condition(lambda: self._opened)
        return BareResult(self._input.hire_id, self._version)

    @workflow.update
    async def act(self, input: BareAction) -> BareResult:
        await workflow.execute_activity(bare_record, input, start_to_close_timeout=TIMEOUT)
        self._version += 1
        self._actions += 1
        return BareResult(self._input.hire_id, self._version)

    @act.validator
    def _validate_act(self, input: BareAction) -> None:
        if not input.name:
            raise ValueError("name is required")

    @workflow.update
    async def finish(self, input: BareAction) -> BareResult:
        self._done = True
        return BareResult(self._input.hire_id, self._version)


def new_id() -> str:
    return f"bare-{uuid.uuid4()}"
