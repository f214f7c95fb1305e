"""What the store cannot take never wedges a hire: a NUL reaches it as U+FFFD (PostgreSQL
refuses NUL; .ci/run runs this on both stores), a data error is not retried forever, and a
step's notice that comes after its step closed is not sent."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.errors import store_errors
from activities.recorder import Recorder
from contracts.activities import RecordInput
from contracts.hire import (
    Event,
    HireSnapshot,
    HireStatus,
    ItemState,
    ItemStatus,
    StepState,
    StepStatus,
)
from core.settings import Settings
from store.db import SessionFactory, session_scope
from store.models import Hire, HireEvent, HireItem, HireStep, Notification
from testkit.samples import hire_input
from tests.activities.test_notifier import notice, notifier, seed_hire
from tests.conftest import TeamKey
from tests.helpers import Mailbox, eventually, unique_name


def test_a_nul_in_a_name_a_reason_and_a_decision_is_stored_as_a_replacement_character(
    sessions: SessionFactory, team: TeamKey
) -> None:
    base = hire_input(team_id=team.team_id, name=unique_name("Nul") + "\x00 Doe")
    now = datetime.now(UTC)
    step = StepState(
        "prepare_lmia",
        "Prepare",
        "employer",
        "",
        [ItemState("employer_details", "prepare_lmia", "Details", "", "employer", True,
                   ItemStatus.REJECTED, reason="blurred\x00scan")],
        status=StepStatus.OPEN,
        fields={"lmia_number": "LMIA\x00-1"},
    )  # fmt: skip
    snapshot = HireSnapshot(
        base.hire_id, team.team_id, "gts", base.rules_version, "B", HireStatus.ACTIVE,
        base.candidate, base.position, base.hr_owner, base.manager, [step], [], now, now, 1,
        new_events=[Event(1, now, "item_rejected", "hr", data={"reason": "blurred\x00scan"})],
    )  # fmt: skip
    assert Recorder(sessions).record(RecordInput(snapshot)).applied
    with sessions() as session:
        hire = session.get(Hire, base.hire_id)
        item = session.get(HireItem, (base.hire_id, "employer_details"))
        stored_step = session.get(HireStep, (base.hire_id, "prepare_lmia"))
        event = session.get(HireEvent, (base.hire_id, 1))
    assert hire is not None and item is not None and stored_step is not None and event
    assert hire.candidate_name.endswith("\ufffd Doe")
    assert item.reason == "blurred\ufffdscan" and event.data["reason"] == "blurred\ufffdscan"
    assert stored_step.fields["lmia_number"] == "LMIA\ufffd-1"


class _Orig(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("value with a name in it")
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (DataError("INSERT ...", {"name": "Dana"}, _Orig("22P05")), False),  # NUL in text
        (DataError("INSERT ...", {}, _Orig("22001")), False),  # value too long
        (IntegrityError("INSERT ...", {}, _Orig("23502")), False),  # not null
        (IntegrityError("INSERT ...", {}, _Orig("23505")), True),  # a race another attempt won
        (sa.exc.OperationalError("SELECT 1", {}, _Orig("08006")), True),  # connection lost
    ],
)
def test_a_data_error_is_not_retried_and_a_passing_fault_is(
    error: Exception, retried: bool
) -> None:
    with pytest.raises(ApplicationError) as raised, store_errors():
        raise error
    assert raised.value.non_retryable is not retried
    assert "Dana" not in str(raised.value) and "name in it" not in str(raised.value)


async def test_a_reminder_for_a_step_that_has_closed_is_not_sent(
    settings: Settings, sessions: SessionFactory, mailbox: Mailbox, team: TeamKey
) -> None:
    name = unique_name("Stale")
    hire_id = seed_hire(sessions, team, name)
    with session_scope(sessions) as session:
        session.add(
            HireStep(hire_id=hire_id, key="prepare_lmia", ordinal=0, title="Prepare the LMIA",
                     owner="employer", status=StepStatus.DONE)
        )  # fmt: skip
    late = dataclasses.replace(notice(hire_id, name), step="prepare_lmia")
    result = await ActivityEnvironment().run(notifier(settings, sessions, mailbox).send, late)
    assert result.sent is False
    assert mailbox.about(name) == []
    with sessions() as session:
        [row] = session.exec(select(Notification).where(Notification.hire_id == hire_id)).all()
        event = session.get(HireEvent, (hire_id, late.event_seq))
    assert row.status == "skipped"
    assert event is not None and event.kind == "email_skipped"


async def test_two_live_attempts_of_one_notice_never_both_send(
    settings: Settings, sessions: SessionFactory, mailbox: Mailbox, team: TeamKey
) -> None:
    """An attempt that timed out but is still in its SMTP exchange, and its retry: the retry
    waits (a retryable LeaseHeld) instead of sending the same email again."""
    name = unique_name("Lease")
    hire_id = seed_hire(sessions, team, name)
    activity = notifier(settings, sessions, mailbox)
    first, retry = ActivityEnvironment(), ActivityEnvironment()
    retry.info = dataclasses.replace(first.info, attempt=first.info.attempt + 1)
    mailbox.holding = True
    try:
        sending = asyncio.create_task(first.run(activity.send, notice(hire_id, name)))
        await eventually(lambda: mailbox.held > 0)
        with pytest.raises(ApplicationError) as held:
            await retry.run(activity.send, notice(hire_id, name))
        assert held.value.type == "LeaseHeld" and not held.value.non_retryable
    finally:
        mailbox.holding = False
    assert (await sending).sent
    assert (await retry.run(activity.send, notice(hire_id, name))).sent is False  # done already
    assert len(mailbox.about(name)) == 1
