"""The Monday digest's Temporal Schedule (workflows/digest.py at 08:00 Eastern on Mondays),
created or brought up to date by `make run` and by `hirepath digest schedule`; and
`hirepath digest send-now` for operators."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.runtime import Runtime

from contracts.digest import (
    DIGEST_HOUR,
    DIGEST_SCHEDULE,
    DIGEST_TIME_ZONE,
    DIGEST_WEEKDAY,
    DigestInput,
    DigestResult,
)
from core.settings import Settings
from core.template_filters import short_date
from core.temporal import connect
from workflows.digest import DigestWorkflow

# A Monday missed while Temporal was down is still sent that day, not days later.
CATCHUP = timedelta(hours=12)
SEND_NOW_TIMEOUT = timedelta(minutes=10)  # a send-now with no worker polling gives up then


@dataclasses.dataclass(frozen=True)
class Scheduled:
    created: bool  # False: it was there, and now has this spec
    next_runs: list[datetime]

    def said(self) -> str:
        coming = ", ".join(short_date(at) for at in self.next_runs[:3]) or "none (paused)"
        return (
            f"the Monday digest's schedule ({DIGEST_SCHEDULE}) was "
            f"{'created' if self.created else 'updated'}: Mondays at {DIGEST_HOUR:02d}:00 "
            f"{DIGEST_TIME_ZONE}; next: {coming}"
        )


def digest_schedule(task_queue: str) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            DigestWorkflow.run, DigestInput(), id=DIGEST_SCHEDULE, task_queue=task_queue
        ),
        spec=ScheduleSpec(
            calendars=[
                ScheduleCalendarSpec(
                    day_of_week=[ScheduleRange(DIGEST_WEEKDAY)],
                    hour=[ScheduleRange(DIGEST_HOUR)],
                    comment="Mondays at 08:00 Eastern",
                )
            ],
            time_zone_name=DIGEST_TIME_ZONE,
        ),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=CATCHUP),
    )


async def ensure_digest_schedule(client: Client, task_queue: str) -> Scheduled:
    """Create the schedule, or give the one there this spec and action (paused stays paused)."""
    schedule = digest_schedule(task_queue)
    created = True
    try:
        await client.create_schedule(DIGEST_SCHEDULE, schedule)
    except ScheduleAlreadyRunningError:
        created = False

        def updated(current: ScheduleUpdateInput) -> ScheduleUpdate:
            state = current.description.schedule.state
            return ScheduleUpdate(schedule=dataclasses.replace(schedule, state=state))

        await client.get_schedule_handle(DIGEST_SCHEDULE).update(updated)
    described = await client.get_schedule_handle(DIGEST_SCHEDULE).describe()
    return Scheduled(created, list(described.info.next_action_times))


async def schedule_digest(settings: Settings, runtime: Runtime | None = None) -> Scheduled:
    client = await connect(settings, runtime=runtime)
    return await ensure_digest_schedule(client, settings.task_queue)


async def send_digest_now(settings: Settings, team_id: str = "") -> DigestResult:
    """This week's digest now, for every team or one; whoever had it this week does not get
    it again. A worker must be running."""
    client = await connect(settings)
    return await client.execute_workflow(
        DigestWorkflow.run,
        DigestInput(team_id=team_id),
        id=f"{DIGEST_SCHEDULE}-now-{uuid.uuid4().hex[:12]}",
        task_queue=settings.task_queue,
        execution_timeout=SEND_NOW_TIMEOUT,
    )
