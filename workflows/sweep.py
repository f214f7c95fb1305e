"""The store's sweep, run by a Temporal Schedule: one activity that marks the hires whose
workflow stopped outside hirepath (activities/reconciler.py)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from contracts.activities import ActivityName, SweepInput, SweepResult

SWEEP_WORKFLOW = "StoreSweep"
SWEEP_SCHEDULE = "hirepath-store-sweep"
SWEEP_EVERY = timedelta(minutes=10)


@workflow.defn(name=SWEEP_WORKFLOW)
class StoreSweep:
    @workflow.run
    async def run(self, input: SweepInput) -> SweepResult:
        return await workflow.execute_activity(
            ActivityName.SWEEP,
            input,
            result_type=SweepResult,
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=RetryPolicy(maximum_attempts=3),
        )
