"""Screening through the API (issue 12): GTS Category A's count of positions this year and the
referral as request fields, and no spouse finding for a worker who needs no permit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio
from temporalio.client import Client

from api.app import create_app
from core.settings import Settings
from testkit.samples import hire_body
from tests.api.test_human_messages import NEW_HIRE, _signed_in
from tests.conftest import TeamKey
from tests.helpers import serving, unique_name

AUDITOR = {"noc": "11100", "wage": {"amount": 100000, "per": "year"}, "province": "ON"}
EXPERT = {"citizenships": ["IN"], "education": "master", "spouse_accompanying": True}


async def screened(api: httpx.AsyncClient, team: TeamKey, **position: Any) -> dict[str, Any]:
    request = {"candidate": EXPERT, "position": {**AUDITOR, **position}}
    response = await api.post("/api/v1/screenings", headers=team.headers, json=request)
    assert response.status_code == 200, response.text
    return response.json()


def category_a(screening: dict[str, Any]) -> dict[str, Any]:
    [verdict] = [v for v in screening["verdicts"] if (v["pathway"], v["category"]) == ("gts", "A")]
    return verdict


def finding(verdict: dict[str, Any], rule: str) -> dict[str, Any]:
    [found] = [f for f in verdict["findings"] if f["rule"] == rule]
    return found


async def test_a_third_category_a_position_at_100k_is_not_eligible(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    third = category_a(await screened(api, team, gts_a_approved_this_year=2, gts_a_referral=True))
    first = category_a(await screened(api, team, gts_a_approved_this_year=0, gts_a_referral=True))
    assert third["status"] == "not_eligible"
    assert "3rd Category A position" in finding(third, "gts_a_wage")["reason"]
    assert "$150,000 and $72.11/h" in finding(third, "gts_a_wage")["reason"]
    assert first["status"] == "eligible"


async def test_the_referral_declared_absent_refuses_and_unknown_asks(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    absent = category_a(await screened(api, team, gts_a_approved_this_year=0, gts_a_referral=False))
    unknown = category_a(await screened(api, team, gts_a_approved_this_year=0))
    assert absent["status"] == "not_eligible"
    assert finding(absent, "gts_a_referral")["met"] == "not_met"
    assert unknown["status"] == "needs_evidence"
    assert "position.gts_a_referral" in finding(unknown, "gts_a_referral")["missing"]


async def test_a_hire_without_a_referral_is_refused_at_the_field(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    body = hire_body(name=unique_name("No referral"))
    body["pathway"], body["category"] = "gts", "A"
    body["candidate"]["education"] = "master"
    body["position"].update({**AUDITOR, "gts_a_referral": False, "gts_a_approved_this_year": 0})
    response = await api.post("/api/v1/hires", headers=team.headers, json=body)
    assert response.status_code == 422, response.text
    assert "position.gts_a_referral" in response.text
    assert "does not process a Category A LMIA" in response.text


async def test_no_spouse_finding_for_a_permanent_resident(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    request = {"candidate": {**EXPERT, "permanent_residences": ["CA"]}, "position": AUDITOR}
    response = await api.post("/api/v1/screenings", headers=team.headers, json=request)
    screening = response.json()
    assert screening["spouse"] is None
    assert all(v["spouse"] is None for v in screening["verdicts"])
    foreign = await screened(api, team)
    assert foreign["spouse"]["rule"] == "spouse_owp"


@pytest_asyncio.fixture(loop_scope="session")
async def web(dev_worker: Client, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A browser's view of the pages (its own app, so its session cookie is its own)."""
    async with serving(create_app(settings, client=dev_worker)) as client:
        yield client


async def test_the_new_hire_form_takes_the_referral_and_the_count(
    web: httpx.AsyncClient, team: TeamKey
) -> None:
    token = await _signed_in(web, team)
    page = (await web.get("/hires/new")).text
    assert 'name="position.gts_a_referral"' in page
    assert 'name="position.gts_a_approved_this_year"' in page
    form = {
        "csrf_token": token,
        **NEW_HIRE,
        "position.noc": "11100",
        "position.wage.amount": "100000",
        "candidate.education": "master",
        "position.gts_a_referral": "yes",
        "position.gts_a_approved_this_year": "2",
    }
    shown = await web.post("/hires/new/screen", data=form, headers={"x-requested-with": "fetch"})
    assert shown.status_code == 200, shown.text[:500]
    assert "employer&#39;s 3rd Category A position in" in shown.text
    assert "at least $150,000 and $72.11/h" in shown.text
    assert "A designated referral partner referred the employer" in shown.text


async def test_screening_for_a_past_date_applies_only_the_rules_then_in_force(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    request = {
        "candidate": EXPERT,
        "position": {**AUDITOR, "noc": "21231"},
        "screened_on": "2022-12-21",
    }
    response = await api.post("/api/v1/screenings", headers=team.headers, json=request)
    assert response.status_code == 200, response.text
    [gts_b] = [v for v in response.json()["verdicts"] if v["category"] == "B"]
    assert gts_b["status"] == "needs_evidence"
    assert finding(gts_b, "gts_b_occupation")["reason"] == (
        "hirepath holds no Global Talent Occupations List in force on 2022-12-21: the list it "
        "holds took effect on 2022-12-22."
    )


async def test_a_canadian_hire_started_anyway_shows_no_spouse_finding(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    """Started with an override, the hire itself still needs no permit: no spouse finding on
    the hire (it used to show the open-work-permit rule)."""
    request = hire_body(name=unique_name("Canadian"))
    request["candidate"] |= {"citizenships": ["CA"], "spouse_accompanying": True}
    request["override"] = {"justification": "Testing the onboarding steps with a Canadian hire"}
    started = await api.post("/api/v1/hires", headers=team.headers, json=request)
    assert started.status_code == 201, started.text
    assert started.json()["spouse"] is None


async def test_a_past_start_date_warns_in_each_pathways_terms(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    request = {
        "candidate": {"citizenships": ["US"], "education": "bachelor"},
        "position": {**AUDITOR, "noc": "21231", "start_date": "2026-01-05"},
    }
    response = await api.post("/api/v1/screenings", headers=team.headers, json=request)
    assert response.status_code == 200, response.text
    warnings = {
        v["pathway"]: f["reason"]
        for v in response.json()["verdicts"]
        for f in v["findings"]
        if f["rule"] == "start_date"
    }
    assert "LMIA" in warnings["gts"] and "already past" in warnings["gts"]
    assert "already past" in warnings["cusma"] and "LMIA" not in warnings["cusma"]
