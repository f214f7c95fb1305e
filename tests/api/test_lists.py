"""The hires list: filters, sorting and keyset pagination.

The hires here are written by the real recorder (what a workflow's projection does), so the
list can be shown overdue deadlines without waiting for one to pass.
"""

from __future__ import annotations

import csv
import html
import io
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session

from activities.recorder import Recorder
from api.web.hire_list import CSV_COLUMNS
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
from store.db import SessionFactory, make_engine
from store.migrate import alembic_config, upgrade
from store.models import Hire
from store.queries import HireFilter, PermitWindow, list_hires
from testkit.samples import hire_input
from tests.conftest import POSTGRES, TeamKey, sign_in


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


# ---- the page and its CSV ----

ROW = re.compile(r'<th scope="row"><a href="/hires/([^"]+)">([^<]*)</a>')


def shown(page: str) -> list[str]:
    return [html.unescape(name) for _, name in ROW.findall(page)]


def csv_rows(response: httpx.Response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_the_page_pages_with_every_filter_and_its_csv_holds_every_page(
    web: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(30):
        project(sessions, team, created=start + timedelta(hours=n), due=None, name=f"Bulk {n:02}")
    project(sessions, team, created=start, due=None, name="Someone Else")
    await sign_in(web, team)

    first = (await web.get("/hires", params={"q": "bulk", "sort": "created"})).text
    assert shown(first) == [f"Bulk {n:02}" for n in range(29, 4, -1)]
    assert "30 hires match." in first
    assert 'href="/hires.csv?q=bulk&amp;sort=created"' in first
    more = re.search(r'href="(/hires\?[^"]+)" rel="next"', first)
    assert more is not None and "q=bulk&amp;sort=created&amp;cursor=" in more[1]
    second = (await web.get(html.unescape(more[1]))).text
    assert shown(second) == [f"Bulk {n:02}" for n in range(4, -1, -1)]
    assert 'href="/hires?q=bulk&amp;sort=created">First page' in second
    assert 'rel="next"' not in second

    exported = await web.get("/hires.csv", params={"q": "bulk", "sort": "created"})
    assert exported.status_code == 200
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = exported.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="hires-\d{4}-\d{2}-\d{2}\.csv"', disposition)
    rows = csv_rows(exported)
    assert rows[0] == list(CSV_COLUMNS)
    assert [r[0] for r in rows[1:]] == shown(first) + shown(second)
    ids = [hire_id for hire_id, _ in ROW.findall(first)]
    assert rows[1][-1] == f"http://hirepath.test/hires/{ids[0]}"


async def test_the_csv_says_what_an_hr_person_needs_and_no_cell_is_a_formula(
    web: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    today = eastern_today()
    created = datetime.now(UTC) - timedelta(days=30)
    due = end_of(add_business_days(today, 3))
    formulas = ['=HYPERLINK("http://x.example")', "+1 555 0100", "-2+3", "@SUM(A1)", "\tTab"]
    for n, name in enumerate(formulas):
        project(sessions, team, created=created + timedelta(minutes=n), due=None, name=name)
    project(
        sessions, team, created=created, due=due, name="Priya Sharma", owner="dana@employer.example",
        owner_name="Dana Reyes", step="submit_lmia",
    )  # fmt: skip
    expires = today + timedelta(days=60)
    issued = project(
        sessions, team, created=created, due=None, name="Jonas Müller", owner_name="=Kim",
        status=HireStatus.PERMIT_ISSUED, expires=expires,
    )  # fmt: skip
    await sign_in(web, team)
    rows = {r[0]: r for r in csv_rows(await web.get("/hires.csv"))[1:]}
    assert sorted(rows) == sorted(["'" + f for f in formulas] + ["Priya Sharma", "Jonas Müller"])
    assert rows["Priya Sharma"][1:11] == [
        "Software engineer", "Global Talent Stream", "B", "in progress",
        "Submit the LMIA and pay the fee", add_business_days(today, 3).isoformat(),
        "Submit the LMIA and pay the fee", "Dana Reyes", "dana@employer.example", "",
    ]  # fmt: skip
    assert rows["Jonas Müller"][4:11] == [
        "permit issued", "", "", "", "'=Kim", "hr@employer.example", expires.isoformat(),
    ]  # fmt: skip
    assert rows["Jonas Müller"][11].endswith(f"/hires/{issued}")
    only = csv_rows(await web.get("/hires.csv", params={"permit": "within_90_days"}))
    assert [r[0] for r in only[1:]] == ["Jonas Müller"]
    page = (await web.get("/hires", params={"permit": "within_90_days"})).text
    assert shown(page) == ["Jonas Müller"] and "1 hire matches." in page


async def test_odd_values_on_the_page_and_in_the_csv_are_ignored_never_an_error(
    web: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    project(sessions, team, created=datetime.now(UTC), due=None, name="Only One")
    await sign_in(web, team)
    for name in [*PARAMS, "overdue"]:
        for value in ODD:
            for path in ("/hires", "/hires.csv"):
                response = await web.get(path, params={name: value})
                assert response.status_code in (200, 400, 422), (path, name, value, response.text)
                if response.status_code == 200 and name != "q":
                    assert "Only One" in response.text, (path, name, value)


# ---- hires recorded before the list could search (migration 0007) ----


@pytest.fixture
def old_store(tmp_path: Path) -> Iterator[str]:
    """An empty store at the schema before 0007: SQLite, or a database of its own on
    HIREPATH_TEST_DATABASE_URL's server."""
    if not POSTGRES:
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    name = f"hirepath_old_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_hires_recorded_before_the_upgrade_are_found_by_name_and_permit_after_it(
    old_store: str,
) -> None:
    command.upgrade(alembic_config(old_store), "0006")
    engine = make_engine(old_store, pool_size=1)
    tables = sa.MetaData()
    tables.reflect(engine, only=["team", "hire", "hire_step"])
    now = datetime.now(UTC)
    stamp = now.replace(tzinfo=None) if engine.dialect.name == "sqlite" else now
    expires = eastern_date(now) + timedelta(days=20)
    rows = {"hire-old-1": "José Álvarez", "hire-old-2": "Mary O'Brien"}
    with engine.begin() as connection:
        connection.execute(
            tables.tables["team"].insert(), {"id": "t-old", "name": "Old", "created_at": stamp}
        )
        for n, (hire_id, name) in enumerate(rows.items()):
            hire = Hire(
                id=hire_id, team_id="t-old", pathway="gts", rules_version="r", status="active",
                candidate_name=name, candidate_email="w@x.example", position_title="Dev",
                created_at=now, updated_at=now,
            ).model_dump(exclude={"search_name", "permit_expires_on"})  # fmt: skip
            connection.execute(
                tables.tables["hire"].insert(), {**hire, "created_at": stamp, "updated_at": stamp}
            )
            for ordinal, fields in enumerate(
                [{"decided_on": "2026-01-01"}, {"expires_on": expires.isoformat()} if n else {}]
            ):
                connection.execute(
                    tables.tables["hire_step"].insert(),
                    {"hire_id": hire_id, "key": f"s{ordinal}", "ordinal": ordinal, "title": "T",
                     "owner": "cbsa", "status": "done", "fields": fields,
                     "decision_outcomes": [], "deadline_note": "", "service_standard": False,
                     "deadline_changed": False, "outcome": "", "decided_by": ""},
                )  # fmt: skip
    upgrade(old_store)
    with Session(engine) as session:

        def found(**filters: Any) -> list[str]:
            page = list_hires(
                session, team_id="t-old", filters=HireFilter(**filters), now=now, limit=10
            )
            return sorted(h.id for h in page.hires)

        assert found(name="jose alvarez") == ["hire-old-1"]
        assert found(name="obrien") == ["hire-old-2"]
        assert found(permit=PermitWindow.WITHIN_30_DAYS) == ["hire-old-2"]
        assert found(permit=PermitWindow.ANY) == ["hire-old-2"]
    engine.dispose()


async def test_the_openapi_describes_every_filter_of_the_list(api: httpx.AsyncClient) -> None:
    spec = (await api.get("/openapi.json")).json()
    described = {
        p["name"]: p.get("description", "")
        for p in spec["paths"]["/api/v1/hires"]["get"]["parameters"]
    }
    assert set(described) >= {"q", "pathway", "status", "step", "due", "permit", "owner",
                              "owner_name", "sort", "limit", "cursor"}  # fmt: skip
    assert all(described.values()), described
    assert "`lmia_decision`" in described["step"] and "Eastern" in described["due"]
    windows = spec["components"]["schemas"]
    assert windows["DueWindow"]["enum"] == [
        "overdue",
        "today",
        "next_5_business_days",
        "next_30_days",
    ]
    assert "within_120_days" in windows["PermitWindow"]["enum"]
