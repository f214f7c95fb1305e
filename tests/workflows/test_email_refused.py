"""An email refused for good has one line on the hire's timeline, not two."""

from __future__ import annotations

import asyncio

from temporalio.testing import WorkflowEnvironment

from store.db import SessionFactory
from store.queries import list_events
from testkit.samples import hire_input
from testkit.workflow_driver import Queue, start
from tests.conftest import TeamKey
from tests.helpers import Mailbox, eventually, unique_name


async def test_a_permanently_refused_email_is_on_the_timeline_once(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    mailbox.refuse_recipients = {"hr@employer.example": 550}
    try:
        input = hire_input(team_id=team.team_id, name=unique_name("Refused"))
        await start(ts_env, ts_queue, input, sessions)

        def failed_lines() -> list[str]:
            with sessions() as session:
                events = list_events(session, hire_id=input.hire_id)
            return [e.kind for e in events if e.kind == "email_failed"]

        await eventually(failed_lines, timeout=30)
        await asyncio.sleep(2)  # the workflow has heard of the refusal by now
        assert failed_lines() == ["email_failed"]
    finally:
        mailbox.refuse_recipients = {}
