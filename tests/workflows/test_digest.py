"""The Monday digest: each HR person gets one email on Monday morning with what is overdue,
due this week, awaiting an authority and expiring within 120 days; once a week however often
it runs; none in a quiet week.

The time-skipping server has no Schedules (CreateSchedule is unimplemented there), so the
workflow is started the way the Schedule starts it, at 08:00 Eastern on consecutive Mondays
reached with env.sleep; the Schedule itself (Mondays 08:00 America/Toronto) is checked on the
dev server. The hires are rows in the store, as the recorder leaves them: the digest reads
only the store."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleIntervalSpec,
    ScheduleSpec,
    ScheduleState,
)
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment
from typer.testing import CliRunner

from contracts.digest import (
    DIGEST_SCHEDULE,
    DigestInput,
    DigestPerson,
    DigestResult,
    SendDigestInput,
)
from core.settings import Settings
from hirepath.cli import app
from hirepath.digest import ensure_digest_schedule
from hirepath.worker import build_parts
from pathways.calendar import eastern_date, eastern_instant, end_of
from store.db import SessionFactory, session_scope
from store.models import Hire, HireStep, Notification
from testkit.workflow_driver import Queue
from tests.conftest import TeamKey
from tests.helpers import Mail, Mailbox, unique_name
from workflows.digest import DigestWorkflow

TORONTO = ZoneInfo("America/Toronto")


def add_hire(
    sessions: SessionFactory,
    team: TeamKey,
    hr: tuple[str, str],
    candidate: str,
    *,
    step: tuple[str, str, date, bool] | None = None,  # title, owner, due on, service standard
    permit_expires_on: date | None = None,
) -> str:
    """A hire as the recorder projects it: active with one open step, or its permit issued."""
    hire_id = f"hire-{uuid.uuid4()}"
    now = datetime.now(UTC)
    with session_scope(sessions) as session:
        session.add(
            Hire(
                id=hire_id, team_id=team.team_id, pathway="gts", category="B",
                rules_version="gts-2025-11", status="permit_issued" if permit_expires_on else "active",
                candidate_name=candidate, candidate_email="worker@candidate.example",
                position_title="Software engineer", hr_owner_name=hr[0], hr_owner_email=hr[1],
                permit_expires_on=permit_expires_on, created_at=now, updated_at=now,
            )
        )  # fmt: skip
        session.flush()
        if step is not None:
            title, owner, due_on, standard = step
            session.add(
                HireStep(
                    hire_id=hire_id, key="step", ordinal=1, title=title, owner=owner, status="open",
                    service_standard=standard, due_on=due_on, due_at=end_of(due_on),
                )
            )  # fmt: skip
    return hire_id


def settle(sessions: SessionFactory, hire_id: str, *, permit_expires_on: date) -> None:
    """The hire moves on, as its workflow would record it: its step done, the permit issued."""
    with session_scope(sessions) as session:
        hire = session.get(Hire, hire_id)
        assert hire is not None
        hire.status, hire.permit_expires_on = "permit_issued", permit_expires_on
        step = session.get(HireStep, (hire_id, "step"))
        if step is not None:
            step.status = "done"


async def monday_morning(env: WorkflowEnvironment) -> date:
    """Sleep the time-skipping server to the next Monday, 08:00 Eastern (when the Schedule
    starts the digest); that Monday."""
    now = await env.get_current_time()
    today = eastern_date(now)
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    await env.sleep(eastern_instant(monday, time(8)) - now)
    return monday


async def digest(env: WorkflowEnvironment, queue: Queue, team: TeamKey) -> DigestResult:
    """One digest run at the server's current time. Time does not skip while it runs: other
    tests' hires on the same server have timers, and skipping to them would move the clock
    past this Monday."""
    with env.auto_time_skipping_disabled():
        return await env.client.execute_workflow(
            DigestWorkflow.run,
            DigestInput(team_id=team.team_id),
            id=f"{DIGEST_SCHEDULE}-test-{uuid.uuid4().hex[:8]}",
            task_queue=queue.name,
        )


def to(mailbox: Mailbox, address: str) -> list[Mail]:
    return [m for m in mailbox.messages if m.kind == "digest" and m.to == [address]]


def short(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


async def test_each_hr_person_gets_one_digest_each_monday_and_none_in_a_quiet_week(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    tag = uuid.uuid4().hex[:8]
    dana = ("Dana Reyes", f"dana-{tag}@employer.example")
    lee = ("Lee Chen", f"lee-{tag}@employer.example")
    kim = ("Kim Park", f"kim-{tag}@employer.example")
    late, waiting, due, expiring, quiet = (unique_name(n) for n in ("Late", "Waiting", "Due", "Expiring", "Quiet"))  # fmt: skip

    monday = await monday_morning(ts_env)
    late_hire = add_hire(sessions, team, dana, late, step=("Prepare the LMIA application", "employer", monday - timedelta(days=3), False))  # fmt: skip
    # Dana's other hire gives her email in another case: still one digest for her
    waiting_hire = add_hire(sessions, team, (dana[0], dana[1].upper()), waiting, step=("ESDC assesses the LMIA", "esdc", monday + timedelta(days=9), True))  # fmt: skip
    due_hire = add_hire(sessions, team, lee, due, step=("Submit the LMIA and pay the fee", "employer", monday + timedelta(days=2), False))  # fmt: skip
    expiring_hire = add_hire(sessions, team, lee, expiring, permit_expires_on=monday + timedelta(days=60))  # fmt: skip
    # Kim's hire is due in three weeks and its permit far off: nothing for her this week
    add_hire(sessions, team, kim, quiet, step=("Prepare the LMIA application", "employer", monday + timedelta(days=21), False))  # fmt: skip
    add_hire(sessions, team, kim, unique_name("Far"), permit_expires_on=monday + timedelta(days=200))  # fmt: skip

    first = await digest(ts_env, ts_queue, team)
    assert (first.people, first.sent) == (2, 2)
    [to_dana] = to(mailbox, dana[1])
    [to_lee] = to(mailbox, lee[1])
    assert to(mailbox, kim[1]) == []
    assert to_dana.subject == "Your hires this week: 1 overdue, 1 awaiting an authority"
    assert "Good morning Dana Reyes" in to_dana.text
    assert f"{late} (Software engineer): Prepare the LMIA application, was due {short(monday - timedelta(days=3))} (3 days ago)" in to_dana.text  # fmt: skip
    assert f"{waiting} (Software engineer): ESDC assesses the LMIA, expected by {short(monday + timedelta(days=9))}" in to_dana.text  # fmt: skip
    assert f"http://hirepath.test/hires/{late_hire}" in to_dana.text
    assert due not in to_dana.text and expiring not in to_dana.text
    assert to_lee.subject == "Your hires this week: 1 due this week, 1 permit expiring"
    assert f"{due} (Software engineer): Submit the LMIA and pay the fee, due {short(monday + timedelta(days=2))}" in to_lee.text  # fmt: skip
    assert f"{expiring} (Software engineer): the permit expires {short(monday + timedelta(days=60))}, in 60 days" in to_lee.text  # fmt: skip
    assert late not in to_lee.text and quiet not in to_lee.text
    assert f'href="http://hirepath.test/hires/{expiring_hire}"' in to_lee.html
    assert {eastern_date(m.due) for m in (to_dana, to_lee) if m.due} == {monday}

    # Run again the same week (an operator's send-now, a retried schedule): nothing new.
    again = await digest(ts_env, ts_queue, team)
    assert (again.people, again.sent) == (2, 0)
    assert (len(to(mailbox, dana[1])), len(to(mailbox, lee[1]))) == (1, 1)

    # The next Monday: one more each. Lee's step, due last Wednesday, is overdue now.
    next_monday = await monday_morning(ts_env)
    assert next_monday == monday + timedelta(days=7)
    second = await digest(ts_env, ts_queue, team)
    assert (second.people, second.sent) == (2, 2)
    assert [len(to(mailbox, p[1])) for p in (dana, lee, kim)] == [2, 2, 0]
    lee_again = to(mailbox, lee[1])[-1]
    assert lee_again.subject == "Your hires this week: 1 overdue, 1 permit expiring"
    assert f"{due} (Software engineer): Submit the LMIA and pay the fee, was due {short(monday + timedelta(days=2))} (5 days ago)" in lee_again.text  # fmt: skip
    assert "in 53 days" in lee_again.text

    # Everything moves on: steps done, permits issued far from expiry. A quiet week: no email.
    far = next_monday + timedelta(days=3 * 365)
    for hire_id in (late_hire, waiting_hire, due_hire, expiring_hire):
        settle(sessions, hire_id, permit_expires_on=far)
    await monday_morning(ts_env)
    quiet_week = await digest(ts_env, ts_queue, team)
    assert (quiet_week.people, quiet_week.sent) == (0, 0)
    assert [len(to(mailbox, p[1])) for p in (dana, lee, kim)] == [2, 2, 0]


async def test_the_schedule_runs_the_digest_on_mondays_at_8_eastern_and_is_set_up_idempotently(
    dev_env: WorkflowEnvironment,
) -> None:
    client: Client = dev_env.client
    queue = f"digest-{uuid.uuid4().hex[:8]}"
    # An older schedule is there, paused by an operator, with another spec: brought up to date.
    await client.create_schedule(
        DIGEST_SCHEDULE,
        Schedule(
            action=ScheduleActionStartWorkflow(
                DigestWorkflow.run, DigestInput(), id=DIGEST_SCHEDULE, task_queue=queue
            ),
            spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(hours=1))]),
            state=ScheduleState(paused=True, note="paused by an operator"),
        ),
    )
    handle = client.get_schedule_handle(DIGEST_SCHEDULE)
    try:
        updated = await ensure_digest_schedule(client, queue)
        assert updated.created is False
        described = await handle.describe()
        assert described.schedule.state.paused is True
        spec = described.schedule.spec
        assert spec.time_zone_name == "America/Toronto" and spec.intervals == []
        [calendar] = spec.calendars
        assert [(r.start, r.end) for r in calendar.day_of_week] in ([(1, 1)], [(1, 0)])
        assert [(r.start, r.end) for r in calendar.hour] in ([(8, 8)], [(8, 0)])
        assert isinstance(described.schedule.action, ScheduleActionStartWorkflow)
        assert described.schedule.action.workflow == "MondayDigest"

        await handle.delete()
        created = await ensure_digest_schedule(client, queue)
        assert created.created is True
        runs = [at.astimezone(TORONTO) for at in created.next_runs]
        assert len(runs) >= 3
        assert all((at.weekday(), at.hour, at.minute) == (0, 8, 0) for at in runs), runs
        assert all((b.date() - a.date()).days == 7 for a, b in itertools.pairwise(runs))
    finally:
        await handle.delete()


async def test_operators_set_up_the_schedule_and_send_this_weeks_digest_from_the_command_line(
    dev_env: WorkflowEnvironment,
    dev_worker: Client,
    settings: Settings,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    """`hirepath digest schedule` and `hirepath digest send-now`, against the dev server and
    the worker running there (the dev server's clock is the real one)."""
    env = {
        "HIREPATH_DATA_DIR": str(settings.data_dir),
        "HIREPATH_TEMPORAL_ADDRESS": dev_env.client.service_client.config.target_host,
        "HIREPATH_TASK_QUEUE": settings.task_queue,
    }

    def hirepath(*args: str) -> str:
        result = CliRunner().invoke(app, list(args), env=env)
        assert result.exit_code == 0, result.output
        return result.output

    try:
        said = await asyncio.to_thread(hirepath, "digest", "schedule")
        assert "was created: Mondays at 08:00 America/Toronto; next: " in said
        assert said.count("8:00 a.m. ET") == 3
        said = await asyncio.to_thread(hirepath, "digest", "schedule")
        assert "was updated: Mondays at 08:00 America/Toronto" in said
    finally:
        await dev_env.client.get_schedule_handle(DIGEST_SCHEDULE).delete()

    hr = ("Dana Reyes", f"dana-{uuid.uuid4().hex[:8]}@employer.example")
    today = eastern_date(datetime.now(UTC))
    name = unique_name("Overdue")
    add_hire(sessions, team, hr, name, step=("Prepare the LMIA application", "employer", today - timedelta(days=2), False))  # fmt: skip
    said = await asyncio.to_thread(hirepath, "digest", "send-now", "--team", team.team_id)
    assert said.strip().endswith(": 1 sent, 0 already sent this week")
    [mail] = to(mailbox, hr[1])
    assert mail.subject == "Your hires this week: 1 overdue" and name in mail.text
    said = await asyncio.to_thread(hirepath, "digest", "send-now", "--team", team.team_id)
    assert said.strip().endswith(": 0 sent, 1 already sent this week")
    assert len(to(mailbox, hr[1])) == 1


async def test_an_address_the_mail_server_refuses_does_not_stop_the_others(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    tag = uuid.uuid4().hex[:8]
    gone = ("Gone Person", f"gone-{tag}@employer.example")
    here = ("Here Person", f"here-{tag}@employer.example")
    monday = await monday_morning(ts_env)
    for hr in (gone, here):
        add_hire(sessions, team, hr, unique_name("Late"), step=("Prepare the LMIA application", "employer", monday - timedelta(days=1), False))  # fmt: skip
    mailbox.refuse_recipients[gone[1]] = 550
    try:
        result = await digest(ts_env, ts_queue, team)
    finally:
        del mailbox.refuse_recipients[gone[1]]
    assert (result.people, result.sent, result.failed) == (2, 1, 1)
    assert len(to(mailbox, here[1])) == 1 and to(mailbox, gone[1]) == []


async def test_a_digest_the_mail_server_kept_refusing_all_day_is_given_up_not_sent_late(
    settings: Settings, sessions: SessionFactory, team: TeamKey, mailbox: Mailbox
) -> None:
    hr = ("Dana Reyes", f"dana-{uuid.uuid4().hex[:8]}@employer.example")
    at = datetime.now(UTC) - timedelta(hours=13)  # its run: this morning, 13 hours ago
    add_hire(sessions, team, hr, unique_name("Late"), step=("Prepare the LMIA application", "employer", eastern_date(at) - timedelta(days=1), False))  # fmt: skip
    digester = build_parts(settings, sessions).digester
    person = DigestPerson(team_id=team.team_id, email=hr[1])
    with pytest.raises(ApplicationError) as refused:
        await ActivityEnvironment().run(digester.send, SendDigestInput(person=person, at=at))
    assert refused.value.non_retryable and "not sent the day it was due" in str(refused.value)
    assert to(mailbox, hr[1]) == []
    with session_scope(sessions) as session:  # what /metrics and /readyz count: failed, not waiting
        [row] = session.exec(
            select(Notification).where(Notification.hire_id == f"team:{team.team_id}")
        ).all()
        assert row.status == "failed"
