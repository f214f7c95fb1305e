"""The worker's own figures, exported beside the SDK's (HIREPATH_WORKER_METRICS_ADDRESS):

- ``hirepath_activity_retries_past_threshold_total{activity_type}``: attempts numbered
  HIREPATH_METRICS_ATTEMPTS_ALERT or more began. Above zero, something keeps failing (the mail
  server refuses, the store does not answer): alert on its rate.
- ``hirepath_projection_lag_seconds{activity_type}``: from the moment a workflow asked for the
  store to be written (its record activity first scheduled) to the write's commit, retries
  included: how far the pages HR reads are behind the workflow.

Labels are activity names only. Measured through the SDK's metric meter, so they exist only
where the Runtime serves metrics."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from temporalio import activity
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

from contracts.activities import ActivityName

PROJECTIONS = frozenset({ActivityName.RECORD, ActivityName.RECORD_CHANGES})


class ActivityMetrics(Interceptor):
    def __init__(self, attempts_alert: int) -> None:
        self.attempts_alert = attempts_alert

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Measured(next, self.attempts_alert)


class _Measured(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, attempts_alert: int) -> None:
        super().__init__(next)
        self._attempts_alert = attempts_alert

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        meter = activity.metric_meter()
        if info.attempt >= self._attempts_alert:
            meter.create_counter(
                "hirepath_activity_retries_past_threshold",
                "Activity attempts numbered HIREPATH_METRICS_ATTEMPTS_ALERT or more",
            ).add(1, {"activity_type": info.activity_type})
        result = await self.next.execute_activity(input)  # committed (or raised: no lag)
        if info.activity_type in PROJECTIONS:
            lag = (datetime.now(UTC) - info.scheduled_time).total_seconds()
            meter.create_histogram_float(
                "hirepath_projection_lag",
                "From the workflow asking for a store write to its commit, retries included",
                "seconds",
            ).record(max(lag, 0.0), {"activity_type": info.activity_type})
        return result
