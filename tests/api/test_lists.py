"""The hires list: filters, sorting and keyset pagination.

The hires here are written by the real recorder (what a workflow's projection does), so the
list can be shown overdue deadlines without waiting for one to pass.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx

from activities.recorder import Recorder
from contracts.activities import RecordInput
from contracts.hire import HireSnapshot, HireStatus, StepState, StepStatus, workflow_id
from store.db import SessionFactory
from testkit.samples import hire_input
from tests.conftest import TeamKey


def project(
    sessions: SessionFactory,
    team: TeamKey,
    *,
    created: datetime,
    due: datetime | None,
    status: HireStatus = HireStatus.ACTIVE,
    owner: str = "hr@employer.example",
) -> str:
    hire = hire_input(team_id=team.team_id, name="Listed", hire_id=workflow_id(str(uuid.uuid4())))
    hire.hr_owner.email = owner
    step = StepState(
        "prepare_lmia", "Prepare the LMIA application", "employer", "", [], status=StepStatus.OPEN
    )
    step.due_at, step.due_on = due, due.date() if due else None
    snapshot = HireSnapshot(
        hire.hire_id, team.team_id, "gts", hire.rules_version, "B", status, hire.candidate, hire.position,
        hire.hr_owner, hire.manager, [step] if due else [], [], created, created, 1,
    )  # fmt: skip
    Recorder(sessions).record(RecordInput(snapshot))
    return hire.hire_id


async def all_pages(api: httpx.AsyncClient, team: TeamKey, query: str) -> list[list[str]]:
    pages: list[list[str]] = []
    cursor = None
    while True:
        url = f"/api/v1/hires?{query}" + (f"&cursor={cursor}" if cursor else "")
        body = (await api.get(url, headers=team.headers)).json()
        pages.append([h["id"] for h in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


async def test_pages_cover_every_hire_once_newest_first(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ids = [project(sessions, team, created=start + timedelta(hours=i), due=None) for i in range(7)]
    same_time = [
        project(sessions, team, created=start, due=None) for _ in range(2)
    ]  # ties break by id
    pages = await all_pages(api, team, "limit=3")
    assert [len(p) for p in pages] == [3, 3, 3]
    flat = [i for p in pages for i in p]
    assert flat[:6] == list(reversed(ids))[:6]
    assert sorted(flat) == sorted(ids + same_time)


async def test_filters_and_soonest_deadline_first(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    now = datetime.now(UTC)
    late = project(sessions, team, created=now - timedelta(days=3), due=now - timedelta(days=1))
    soon = project(sessions, team, created=now - timedelta(days=2), due=now + timedelta(days=1))
    later = project(
        sessions,
        team,
        created=now - timedelta(days=1),
        due=now + timedelta(days=9),
        owner="kim@employer.example",
    )
    ended = project(sessions, team, created=now, due=None, status=HireStatus.WITHDRAWN)

    async def ids(query: str) -> list[str]:
        return [i for p in await all_pages(api, team, query) for i in p]

    assert await ids("overdue=true") == [late]
    assert sorted(await ids("overdue=false")) == sorted([soon, later, ended])
    assert await ids("sort=next_due&limit=1") == [late, soon, later, ended]
    assert await ids("status=withdrawn") == [ended]
    assert await ids("owner=kim@employer.example") == [later]
    assert await ids("pathway=cusma") == []
    listed = (await api.get("/api/v1/hires?overdue=true", headers=team.headers)).json()["items"][0]
    assert listed["overdue"] is True and listed["next_due_step"] == "prepare_lmia"
    assert date.fromisoformat(listed["next_due_at"][:10]) == (now - timedelta(days=1)).date()
