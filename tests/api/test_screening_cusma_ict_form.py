"""The new-hire form's CUSMA and transfer inputs (issue 12): the degree's field and country,
an earlier job with the multinational, the months already on transfer permits and the
application date reach screening, and the verdicts say what an officer would."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from temporalio.client import Client

from api.app import create_app
from core.settings import Settings
from tests.conftest import TeamKey
from tests.helpers import serving
from tests.human_words import visible_text


@pytest_asyncio.fixture(loop_scope="session")
async def web(dev_worker: Client, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A browser's view of the pages (its own app, so its session cookie is its own)."""
    async with serving(create_app(settings, client=dev_worker)) as client:
        yield client


async def _screened(web: httpx.AsyncClient, team: TeamKey, form: dict[str, str]) -> str:
    page = (await web.get("/signin")).text
    token = re.findall(r'name="csrf_token" value="([^"]+)"', page)[0]
    await web.post("/signin", data={"csrf_token": token, "api_key": team.key})
    token = re.findall(r'name="csrf_token" value="([^"]+)"', (await web.get("/hires/new")).text)[0]
    answer = await web.post("/hires/new/screen", data={"csrf_token": token, **form})
    assert answer.status_code == 200, answer.text[:500]
    return visible_text(answer.text)


async def test_a_programmer_filed_as_analyst_needs_evidence_on_the_form(
    web: httpx.AsyncClient, team: TeamKey
) -> None:
    text = await _screened(
        web,
        team,
        {
            "candidate.citizenships": "US",
            "candidate.education": "bachelor",
            "candidate.degree_field": "Medieval History",
            "candidate.credential_country": "us",
            "position.noc": "21232",
            "position.wage.amount": "40000",
            "position.wage.per": "year",
            "position.province": "ON",
            "position.cusma_profession": "computer_systems_analyst",
        },
    )
    assert "CUSMA Professionals · T36 — needs evidence" in text
    assert "NOC 21232 is a programming occupation" in text
    assert "Roles that are purely programming are scrutinised." in text
    assert "Medieval History is not a program hirepath knows as related" in text


async def test_an_earlier_job_abroad_meets_the_one_in_three_rule_on_the_form(
    web: httpx.AsyncClient, team: TeamKey
) -> None:
    form = {
        "candidate.citizenships": "IN",
        "candidate.related_employment.start": "2026-09-01",
        "candidate.related_employment.country": "IN",
        "candidate.employment.start": "2025-01-01",
        "candidate.employment.end": "2026-02-01",
        "candidate.employment.full_time": "yes",
        "candidate.employment.country": "in",
        "candidate.prior_ict_months": "84",
        "position.noc": "20012",
        "position.wage.amount": "150000",
        "position.wage.per": "year",
        "position.province": "ON",
        "position.ict_capacity": "manager",
        "position.employer_relationship": "subsidiary",
        "position.application_date": "2026-12-15",
    }
    text = await _screened(web, team, form)
    assert "397 continuous days, full time, outside Canada (2025-01-01 to 2026-02-01)" in text
    assert "(2023-12-16 to 2026-12-15)" in text  # counted back from the application date
    assert (
        "The worker already spent 84 months in Canada on ICT permits: the cap is reached." in text
    )
    assert "Intra-Company Transfers · C62 — not eligible" in text
