"""The sources through the API: the table, each pathway's sources resolved, and every finding,
step and fee of a screening or a hire carrying the sources a client can follow."""

from __future__ import annotations

import json
from typing import Any

import httpx

from pathways.sources import SOURCES
from testkit.samples import hire_body
from tests.conftest import TeamKey
from tests.helpers import unique_name

SCREENING = {
    "candidate": {"citizenships": ["US"], "education": "bachelor", "spouse_accompanying": True},
    "position": {
        "noc": "21231",
        "wage": {"amount": 150000, "per": "year"},
        "province": "ON",
        "cusma_profession": "computer_systems_analyst",
        "ict_capacity": "specialized_knowledge",
    },
}


def assert_followable(sources: list[dict[str, Any]], where: str) -> None:
    assert sources, f"{where} has no source"
    for source in sources:
        assert source["url"].startswith(("https://", "http://")), where
        assert source["title"] and source["publisher"], where


async def test_the_table_lists_every_source_with_its_address_and_dates(
    api: httpx.AsyncClient,
) -> None:
    response = await api.get("/api/v1/sources")
    assert response.status_code == 200
    items = {s["key"]: s for s in response.json()["items"]}
    assert set(items) == set(SOURCES)
    g2 = items["G2"]
    assert g2["url"] == (
        "https://www.canada.ca/en/employment-social-development/services/foreign-workers/"
        "global-talent/requirements.html"
    )
    assert g2["page_date"] == "2025-11-20" and g2["publisher"].startswith("Employment and Social")
    assert items["SP1"]["effective"] == "2025-01-21"  # the policy's date, not the page's
    assert items["I5"]["page_date"] is None  # no date on the page


async def test_one_source_by_key_and_an_unknown_key_is_a_404_that_says_where_to_look(
    api: httpx.AsyncClient,
) -> None:
    irpa = (await api.get("/api/v1/sources/IRPA")).json()
    assert irpa["url"] == "https://laws-lois.justice.gc.ca/eng/acts/i-2.5/"
    assert "s. 30(1)" in irpa["title"]
    missing = await api.get("/api/v1/sources/PATHWAYS")
    assert missing.status_code == 404 and "/api/v1/sources" in missing.text
    assert (await api.get("/api/v1/sources/ESDC-REQ")).json()["key"] == "G2"  # the review's name
    too_long = await api.get("/api/v1/sources/" + "G" * 41)
    assert too_long.status_code == 422
    assert too_long.json()["fields"] == {"source_key": "Use at most 40 characters"}
    assert too_long.json()["detail"].startswith("Source:")


async def test_each_pathway_carries_its_sources_resolved_and_no_internal_notes(
    api: httpx.AsyncClient,
) -> None:
    items = (await api.get("/api/v1/pathways")).json()["items"]
    for pathway in items:
        assert_followable(pathway["sources"], pathway["key"])
        for step in pathway["steps"]:
            assert_followable(step["sources"], f"{pathway['key']}.{step['key']}")
        for fee in pathway["fees"]:
            assert_followable(fee["sources"], f"{pathway['key']} fee {fee['key']}")
        assert "PATHWAYS.md" not in json.dumps(pathway), pathway["key"]


async def test_every_finding_of_a_screening_names_sources_to_follow(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    response = await api.post("/api/v1/screenings", headers=team.headers, json=SCREENING)
    assert response.status_code == 200, response.text
    body = response.json()
    assert {v["pathway"] for v in body["verdicts"]} == {"gts", "cusma", "ict"}
    for verdict in body["verdicts"]:
        for finding in verdict["findings"]:
            assert_followable(finding["sources"], finding["rule"])
            assert finding["source"] == ", ".join(s["key"] for s in finding["sources"])
    assert_followable(body["spouse"]["sources"], "spouse")
    assert "PATHWAYS.md" not in response.text


async def test_a_canadian_is_told_why_with_the_act(api: httpx.AsyncClient, team: TeamKey) -> None:
    canadian = {**SCREENING, "candidate": {"citizenships": ["CA"]}}
    body = (await api.post("/api/v1/screenings", headers=team.headers, json=canadian)).json()
    for verdict in body["verdicts"]:
        (finding,) = verdict["findings"]
        assert finding["rule"] == "canadian"
        assert [s["key"] for s in finding["sources"]] == ["IRPA"]


async def test_a_hire_shows_the_sources_of_its_findings_steps_and_fees(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    created = await api.post(
        "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Sourced"))
    )
    assert created.status_code == 201, created.text
    hire = created.json()
    for finding in hire["screening"]["findings"]:
        assert_followable(finding["sources"], finding["rule"])
        assert "PATHWAYS" not in finding["source"]  # kept by key alone
    for step in hire["steps"]:
        assert_followable(step["sources"], step["key"])
        assert "PATHWAYS" not in step["deadline_note"]
    for fee in hire["fees"]["items"]:
        assert_followable(fee["sources"], fee["key"])
    lmia_fee = next(f for f in hire["fees"]["items"] if f["amount_cents"] == 100000)
    assert [s["key"] for s in lmia_fee["sources"]] == ["G2"]
