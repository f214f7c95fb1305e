"""The reports: the numbers an HR lead reads on /reports and in each CSV, from hires written
straight into the store (as their workflows' projections would have), with another team's
hires beside them that must never count."""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import httpx

from pathways.calendar import eastern_date, eastern_instant
from store.db import SessionFactory, session_scope
from store.models import Hire, HireStep
from store.reports import add_months, first_of_month
from tests.conftest import make_team, sign_in


@dataclass(frozen=True)
class Seeded:
    """The months the seeded rows fall in, first days (Eastern)."""

    this: date
    last: date  # last month: most of the activity
    earlier: date  # three months back
    expiring: date  # two months ahead


def noon(day: date) -> datetime:
    return eastern_instant(day, time(12))


def hire_row(team_id: str, pathway: str, created: datetime, **values: object) -> Hire:
    return Hire(
        id=f"hire-{uuid.uuid4()}", team_id=team_id, pathway=pathway, rules_version="seeded",
        status=str(values.pop("status", "active")), candidate_name="Seeded", candidate_email="s@example.com",
        position_title="Engineer", created_at=created, updated_at=created, **values,
    )  # fmt: skip


def step_row(hire_id: str, key: str, owner: str, opened: datetime, done: datetime, **values: object) -> HireStep:  # fmt: skip
    return HireStep(
        hire_id=hire_id, key=key, ordinal=1, title=key, owner=owner, status="done",
        opened_at=opened, completed_at=done, **values,
    )  # fmt: skip


def seed(sessions: SessionFactory, team_id: str, scale: int = 1) -> Seeded:
    """One team's hires. With scale 1, last month: 2 GTS and 1 CUSMA hires started, 1 GTS
    permit issued; 1 GTS hire three months back; GTS "prepare_lmia" took 1, 2, 3, 4 and 10
    days; ESDC decided 3 of 4 LMIAs by their due date and IRCC 1 of 1; 2 permits expire in
    two months (and one in 13, one of a withdrawn hire: neither counts)."""
    today = eastern_date(datetime.now(UTC))
    this = first_of_month(today)
    at = Seeded(this, add_months(this, -1), add_months(this, -3), add_months(this, 2))
    mid = noon(at.last.replace(day=15))
    rows: list[Hire | HireStep] = []
    for _ in range(scale):
        gts = [hire_row(team_id, "gts", mid) for _ in range(2)]
        rows += [*gts, hire_row(team_id, "cusma", mid), hire_row(team_id, "gts", noon(at.earlier))]
        rows.append(hire_row(team_id, "gts", noon(add_months(this, -6)), status="permit_issued",
                             closed_at=mid, permit_expires_on=at.expiring.replace(day=10)))  # fmt: skip
        rows.append(hire_row(team_id, "ict", noon(add_months(this, -7)), status="permit_issued",
                             closed_at=noon(add_months(this, -7)), permit_expires_on=at.expiring))  # fmt: skip
        rows.append(hire_row(team_id, "gts", noon(add_months(this, -8)), status="permit_issued",
                             permit_expires_on=add_months(this, 13)))  # fmt: skip
        rows.append(hire_row(team_id, "gts", noon(add_months(this, -8)), status="withdrawn",
                             permit_expires_on=at.expiring))  # fmt: skip
        first = gts[0].id
        for n, days in enumerate((1, 2, 3, 4, 10)):
            host = hire_row(team_id, "gts", noon(add_months(this, -11)))
            rows += [
                host,
                step_row(host.id, "prepare_lmia", "employer", mid - timedelta(days=days), mid),
            ]
            if n < 4:  # ESDC: the first three on or before the due date, the fourth a day late
                due = eastern_date(mid) + timedelta(days=0 if n < 3 else -1)
                rows.append(step_row(host.id, "lmia_decision", "esdc", mid - timedelta(days=12), mid,
                                     due_on=due, service_standard=True))  # fmt: skip
        rows.append(step_row(first, "work_permit_decision", "ircc", mid - timedelta(days=9), mid,
                             due_on=eastern_date(mid) + timedelta(days=5), service_standard=True))  # fmt: skip
        rows.append(step_row(first, "=HYPERLINK(1)", "employer", mid - timedelta(days=1), mid))
    with session_scope(sessions) as session:
        for row in rows:
            session.add(row)
            session.flush()
    return at


async def csv_rows(web: httpx.AsyncClient, name: str) -> list[list[str]]:
    response = await web.get(f"/reports/{name}.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="{name}-' in response.headers["content-disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_each_csv_holds_the_numbers_of_this_team_only(
    web: httpx.AsyncClient, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Reporting team")
    at = seed(sessions, team.team_id)
    seed(sessions, make_team(sessions, "Busier team").team_id, scale=3)
    await sign_in(web, team)
    month = at.last.strftime("%Y-%m")

    hires = {(r[0], r[1]): r[2:] for r in (await csv_rows(web, "hires"))[1:]}
    assert hires[(month, "Global Talent Stream")] == ["2", "1"]
    assert hires[(month, "CUSMA Professionals")] == ["1", "0"]
    assert hires[(at.earlier.strftime("%Y-%m"), "Global Talent Stream")] == ["1", "0"]
    assert len({m for m, _ in hires}) == 12  # the last 12 months, this one included
    # the 4 above, 4 started 6 to 8 months back and the 5 hosts of the steps, 11 months back
    assert sum(int(r[0]) for r in hires.values()) == 4 + 4 + 5

    steps = {(r[0], r[1]): r[2:] for r in (await csv_rows(web, "step-times"))[1:]}
    assert steps[("Global Talent Stream", "Prepare the LMIA application")] == ["5", "3.0", "10.0"]
    assert steps[("Global Talent Stream", "'=HYPERLINK(1)")] == ["1", "1.0", "1.0"]

    on_time = {(r[0], r[1]): r[2:] for r in (await csv_rows(web, "on-time"))[1:]}
    assert on_time[(month, "ESDC")] == ["4", "3", "75.0"]
    assert on_time[(month, "IRCC")] == ["1", "1", "100.0"]
    assert on_time[(at.this.strftime("%Y-%m"), "ESDC")] == ["0", "0", ""]

    expiries = dict((await csv_rows(web, "expiries"))[1:])
    assert expiries[at.expiring.strftime("%Y-%m")] == "2"
    assert sum(int(n) for n in expiries.values()) == 2
    assert next(iter(expiries)) == at.this.strftime("%Y-%m")


async def test_the_page_draws_each_report_and_says_its_numbers(
    web: httpx.AsyncClient, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Charted team")
    at = seed(sessions, team.team_id)
    seed(sessions, make_team(sessions, "Other charted team").team_id, scale=2)
    await sign_in(web, team)
    page = (await web.get("/reports")).text
    assert '<a href="/reports" aria-current="page">Reports</a>' in page
    for title in ("Hires started per month by pathway", "Permits expiring per month",
                  "Decisions on time per month by authority, in percent"):  # fmt: skip
        assert re.search(rf'role="img"[^>]*>\s*<title id="[^"]+">{title}<', page)
    for name in ("hires", "step-times", "on-time", "expiries"):
        assert f'href="/reports/{name}.csv"' in page
    # ESDC: 3 of 4 on time last month; its bar three quarters of the axis's height
    assert f'<th scope="row">{at.last.strftime("%b %Y")}</th>' in page
    assert "75% (3 of 4)" in page and "100% (1 of 1)" in page
    bar = re.search(
        r'class="chart-bar chart-bar-esdc"[^>]*height="([\d.]+)"><title>[^<]*ESDC: 75%', page
    )
    assert bar is not None and float(bar[1]) == 151.5  # 75% of the 202-unit plot
    assert "<td>3.0 days</td><td>10.0 days</td>" in page  # the median and 90th percentile


async def test_an_unknown_report_is_not_found_and_the_reports_need_signing_in(
    web: httpx.AsyncClient, sessions: SessionFactory
) -> None:
    assert (await web.get("/reports")).status_code in (303, 401)
    await sign_in(web, make_team(sessions, "Curious team"))
    assert (await web.get("/reports/salaries.csv")).status_code == 404
    empty = (await web.get("/reports")).text
    assert "No step was done in the last 12 months." in empty
