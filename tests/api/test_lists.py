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
from contracts.hire import (
    HireSnapshot,
    HireStatus,
    ProjectionSummary,
    StepState,
    StepStatus,
    workflow_id,
)
from pathways.calendar import add_business_days, eastern_date, end_of
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
    owner_name: str = "Dana Reyes",
    name: str = "Listed",
    step: str = "prepare_lmia",
    expires: date | None = None,
) -> str:
    """A hire as its workflow would project it: at ``step``, due at ``due`` (none: no open
    step); with ``expires``, its permit issued and expiring that day."""
    hire = hire_input(team_id=team.team_id, name=name, hire_id=workflow_id(str(uuid.uuid4())))
    hire.hr_owner.email, hire.hr_owner.name = owner, owner_name
    steps = []
    if due:
        open_step = StepState(step, step, "employer", "", [], status=StepStatus.OPEN)
        open_step.due_at, open_step.due_on = due, due.date()
        steps.append(open_step)
    if expires:
        permit = StepState("port_of_entry", "Entry", "cbsa", "", [], status=StepStatus.DONE)
        permit.outcome, permit.fields = "issued", {"expires_on": expires.isoformat()}
        steps.append(permit)
    snapshot = HireSnapshot(
        hire.hire_id, team.team_id, "gts", hire.rules_version, "B", status, hire.candidate, hire.position,
        hire.hr_owner, hire.manager, steps, [], created, created, 1,
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


# ---- finding hires: search, filters, sorts, CSV (issue 14) ----


async def names(api: httpx.AsyncClient, team: TeamKey, params: dict[str, str]) -> list[str]:
    """The candidates' names the API lists for ``params``, over every page."""
    found: list[str] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await api.get("/api/v1/hires", params=query, headers=team.headers)
        assert response.status_code == 200, response.text
        found += [h["candidate_name"] for h in response.json()["items"]]
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return found


def eastern_today() -> date:
    return eastern_date(datetime.now(UTC))


async def test_a_search_finds_part_of_a_name_in_any_case_with_or_without_accents(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    listed = ["José Álvarez", "Priya Sharma", "Mary O'Brien", "Jonas Müller", "Joseph Brown"]
    for n, name in enumerate(listed):
        project(sessions, team, created=start + timedelta(hours=n), due=None, name=name)

    async def search(q: str) -> list[str]:
        return await names(api, team, {"q": q})

    assert await search("jose") == ["Joseph Brown", "José Álvarez"]  # newest first
    assert await search("ÁLVAREZ josé") == ["José Álvarez"]
    assert await search("alvarez") == ["José Álvarez"]
    assert await search("obrien") == await search("O\u2019Brien") == ["Mary O'Brien"]
    assert await search("MULLER") == await search("müll") == ["Jonas Müller"]
    assert await search("sharma priya") == ["Priya Sharma"]  # every word, in any order
    assert await search("100%") == await search("zzz") == []  # % is a character, no wildcard
    assert await search("   ") == list(reversed(listed))


async def test_the_hr_owner_by_email_in_any_case_or_by_name(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    owners = [
        ("Dana's hire", "dana@employer.example", "Dana Reyes"),
        ("Kim's hire", "KIM@Employer.example", "Kim Nguyen"),
        ("Renée's hire", "renee@employer.example", "Renée Tremblay"),
    ]
    for n, (name, email, owner) in enumerate(owners):
        project(
            sessions, team, created=start + timedelta(hours=n), due=None, name=name,
            owner=email, owner_name=owner,
        )  # fmt: skip

    assert await names(api, team, {"owner": "kim@employer.example"}) == ["Kim's hire"]
    assert await names(api, team, {"owner": "DANA@EMPLOYER.EXAMPLE"}) == ["Dana's hire"]
    assert await names(api, team, {"owner_name": "renee"}) == ["Renée's hire"]
    assert await names(api, team, {"owner_name": "nguyen KIM"}) == ["Kim's hire"]
    assert await names(api, team, {"owner_name": "Zed"}) == []


async def test_the_current_step_and_the_deadline_windows_in_eastern_days(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    today = eastern_today()
    created = datetime.now(UTC) - timedelta(days=1)
    due = {
        "Overdue": end_of(today - timedelta(days=1)),
        "Due today": end_of(today),
        "Fifth business day": end_of(add_business_days(today, 5)),
        "Sixth business day": end_of(add_business_days(today, 6)),
        "In 31 days": end_of(today + timedelta(days=31)),
    }
    for name, when in due.items():
        project(sessions, team, created=created, due=when, name=name)
    project(
        sessions, team, created=created, due=end_of(today), name="Submitting", step="submit_lmia"
    )
    project(
        sessions, team, created=created, due=None, name="Withdrawn", status=HireStatus.WITHDRAWN
    )

    async def listed(**params: str) -> list[str]:
        return await names(api, team, {"sort": "next_due", **params})

    assert await listed(due="overdue") == await listed(overdue="true") == ["Overdue"]
    assert sorted(await listed(due="today")) == ["Due today", "Submitting"]
    assert await listed(due="today", step="prepare_lmia") == ["Due today"]
    assert await listed(step="submit_lmia") == ["Submitting"]
    assert set(await listed(due="next_5_business_days")) == {
        "Due today",
        "Submitting",
        "Fifth business day",
    }
    assert (await listed(due="next_30_days", step="prepare_lmia")) == [
        "Due today", "Fifth business day", "Sixth business day",
    ]  # fmt: skip
    assert await listed(status="withdrawn", due="next_30_days") == []


async def test_the_permit_expiry_windows_and_the_sorts_by_date_page_after_page(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    today = eastern_today()
    created = datetime.now(UTC) - timedelta(days=400)
    permits = {"Expired": -1, "In 10 days": 10, "In 30 days": 30, "In 31 days": 31,
               "In 100 days": 100, "In 400 days": 400}  # fmt: skip
    for name, days in permits.items():
        status = HireStatus.PERMIT_EXPIRED if days < 0 else HireStatus.PERMIT_ISSUED
        expires = today + timedelta(days=days)
        project(
            sessions, team, created=created, due=None, name=name, status=status, expires=expires
        )
    soon, later = end_of(today + timedelta(days=2)), end_of(today + timedelta(days=9))
    project(sessions, team, created=created, due=later, name="Due later")
    project(sessions, team, created=created, due=soon, name="Due soon")

    async def listed(**params: str) -> list[str]:
        return await names(api, team, {"sort": "permit_expiry", **params})

    by_expiry = list(permits)
    assert await listed(permit="expired") == ["Expired"]
    assert await listed(permit="within_30_days") == ["In 10 days", "In 30 days"]
    assert await listed(permit="within_90_days") == ["In 10 days", "In 30 days", "In 31 days"]
    assert await listed(permit="within_120_days") == by_expiry[1:5]
    assert await listed(permit="any") == by_expiry
    # every sort, a hire a page, gives what one page gives; hires without the date come last
    for sort, first in (
        ("permit_expiry", by_expiry),
        ("next_due", ["Due soon", "Due later"]),
        ("next_due_desc", ["Due later", "Due soon"]),
    ):
        one_by_one = await names(api, team, {"sort": sort, "limit": "1"})
        assert one_by_one == await names(api, team, {"sort": sort, "limit": "200"})
        assert one_by_one[: len(first)] == first and len(one_by_one) == 8


async def test_a_later_projection_keeps_the_permit_and_follows_a_new_name(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    expires = eastern_today() + timedelta(days=45)
    created = datetime.now(UTC) - timedelta(days=3)
    hire_id = project(
        sessions, team, created=created, due=None, name="Old Name",
        status=HireStatus.PERMIT_ISSUED, expires=expires,
    )  # fmt: skip
    hire = hire_input(team_id=team.team_id, name="Zoë Renamed", hire_id=hire_id)
    later = HireSnapshot(
        hire_id, team.team_id, "gts", hire.rules_version, "B", HireStatus.PERMIT_ISSUED,
        hire.candidate, hire.position, hire.hr_owner, hire.manager, [], [], created,
        created + timedelta(days=1), 2, summary=ProjectionSummary("", 1, 1, None, ""),
    )  # fmt: skip
    assert Recorder(sessions).record_changes(RecordInput(later)).applied
    assert await names(api, team, {"permit": "within_90_days"}) == ["Zoë Renamed"]
    assert await names(api, team, {"q": "zoe"}) == ["Zoë Renamed"]
    assert await names(api, team, {"q": "old"}) == []


ODD = ["", " ", "%", "_", "\\", "'", '"', "' OR 1=1 --", "é" * 60, "😀", "null", "[]",
       "-1", "9" * 40, "a" * 400, "<b>x</b>", "\x00", "\u202e", "%00"]  # fmt: skip
PARAMS = ["q", "owner", "owner_name", "step", "pathway", "status", "due", "permit", "sort",
          "cursor", "overdue", "limit"]  # fmt: skip


async def test_bad_list_queries_are_refused_by_name_and_odd_ones_never_fail(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    project(sessions, team, created=datetime.now(UTC), due=None, name="Only One")
    for params, field, words in (
        ({"due": "soon"}, "due", ""),
        ({"permit": "soon"}, "permit", ""),
        ({"sort": "name"}, "sort", ""),
        ({"q": "x" * 201}, "q", "200"),
        ({"owner_name": "x" * 201}, "owner_name", "200"),
        ({"step": "nope"}, "step", "no step is called 'nope'; expected one of: referral"),
        ({"pathway": "h1b"}, "pathway", "no pathway is called 'h1b'; expected one of: gts"),
    ):
        response = await api.get("/api/v1/hires", params=params, headers=team.headers)
        assert response.status_code == 422, (params, response.text)
        body = response.json()
        assert list(body["fields"]) == [field] and words in body["fields"][field], body
        assert body["detail"], body
    for name in PARAMS:
        for value in ODD:
            response = await api.get("/api/v1/hires", params={name: value}, headers=team.headers)
            assert response.status_code in (200, 400, 422), (name, value, response.text)
            assert response.json()["detail" if response.status_code != 200 else "items"] is not None
