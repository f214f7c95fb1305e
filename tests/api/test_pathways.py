"""Every pathway through the API: one generic client, driven by GET /api/v1/pathways alone,
takes each kind of hire to an issued permit; screening, categories and overrides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from pathways.calendar import eastern_date
from testkit.api_client import drive_to_end
from testkit.samples import hire_body
from tests.conftest import TeamKey
from tests.helpers import unique_name

TODAY = eastern_date(datetime.now(UTC))
TWO_YEARS_AT_THE_PARENT = {"start": (TODAY - timedelta(days=800)).isoformat(), "full_time": True}


def body(name: str, pathway: str, category: str | None, **changes: Any) -> dict[str, Any]:
    base = hire_body(name=name)
    base["pathway"] = pathway
    base["category"] = category
    for part in ("candidate", "position"):
        base[part].update(changes.pop(part, {}))
    base.update(changes)
    return base


HIRES = {
    "gts-a": body(
        "", "gts", "A",
        candidate={"education": "master"},
        position={"noc": "21320", "wage": {"amount": 150000, "per": "year"}},
    ),
    "gts-b": body("", "gts", "B"),
    "cusma-us": body(
        "", "cusma", "T36",
        candidate={"citizenships": ["US"], "education": "bachelor"},
        position={"cusma_profession": "computer_systems_analyst"},
    ),
    "cusma-mx": body(
        "", "cusma", None,
        candidate={"citizenships": ["MX"], "education": "post_secondary_certificate", "years_experience": 4},
        position={"cusma_profession": "computer_systems_analyst"},
    ),
    "ict-c61": body(
        "", "ict", None,
        candidate={"related_employment": TWO_YEARS_AT_THE_PARENT},
        position={"ict_capacity": "startup", "employer_relationship": "subsidiary"},
    ),
    "ict-c62": body(
        "", "ict", "C62",
        candidate={"related_employment": TWO_YEARS_AT_THE_PARENT},
        position={"noc": "20012", "ict_capacity": "manager", "employer_relationship": "branch"},
    ),
    "ict-c63": body(
        "", "ict", "C12",  # the superseded code, resolved by the capacity
        candidate={"related_employment": TWO_YEARS_AT_THE_PARENT},
        position={"ict_capacity": "specialized_knowledge", "employer_relationship": "affiliate"},
    ),
    "ict-us-c63": body(  # a US citizen may file C63 (R205(a)) instead of T38
        "", "ict", "C63",
        candidate={"citizenships": ["US"], "employment": [{**TWO_YEARS_AT_THE_PARENT, "country": "US"}]},
        position={"ict_capacity": "specialized_knowledge", "employer_relationship": "affiliate"},
    ),
}  # fmt: skip

EXPECTED = {
    "gts-a": (
        "A",
        ["referral", "prepare_lmia", "submit_lmia", "lmia_decision", "send_lmia_to_worker"],
    ),
    "gts-b": ("B", ["prepare_lmia", "submit_lmia", "lmia_decision", "send_lmia_to_worker"]),
    "cusma-us": ("T36", ["employer_portal_offer", "send_offer_to_worker"]),
    "cusma-mx": ("T36", ["employer_portal_offer", "send_offer_to_worker"]),
    "ict-c61": ("C61", ["transfer_evidence", "employer_portal_offer"]),
    "ict-c62": ("C62", ["transfer_evidence", "employer_portal_offer"]),
    "ict-c63": ("C63", ["transfer_evidence", "employer_portal_offer"]),
    "ict-us-c63": ("C63", ["transfer_evidence", "employer_portal_offer"]),
}
PERMIT_STEPS = ["work_permit_application", "work_permit_decision", "port_of_entry"]


async def test_pathways_list_all_three_with_their_sources(api: httpx.AsyncClient) -> None:
    items = {p["key"]: p for p in (await api.get("/api/v1/pathways")).json()["items"]}
    assert set(items) == {"gts", "cusma", "ict"}
    assert [c["key"] for c in items["ict"]["categories"]] == ["C61", "C62", "C63", "T37", "T38"]
    assert items["cusma"]["categories"][0]["aliases"] == ["T23"]
    assert len(items["cusma"]["professions"]) == 63
    for pathway in items.values():
        assert pathway["sources"] and pathway["notes"] and pathway["fees"]
        for step in pathway["steps"]:
            assert step["sources"], (pathway["key"], step["key"])
    border = next(
        o for o in items["cusma"]["steps"][2]["decision"]["outcomes"] if o["key"] == "port_of_entry"
    )
    assert border["when"] == {"may_apply_at_border": True}


@pytest.mark.parametrize("kind", list(HIRES))
async def test_a_generic_client_drives_every_kind_of_hire_to_an_issued_permit(
    kind: str, api: httpx.AsyncClient, team: TeamKey
) -> None:
    request = dict(HIRES[kind])
    request["candidate"] = {**request["candidate"], "name": unique_name(kind)}
    created = await api.post("/api/v1/hires", headers=team.headers, json=request)
    assert created.status_code == 201, created.text
    hire = created.json()
    category, first_steps = EXPECTED[kind]
    assert hire["category"] == category
    assert [s["key"] for s in hire["steps"]] == first_steps + PERMIT_STEPS
    final = await drive_to_end(api, team.headers, hire["id"])
    assert final["status"] == "permit_issued", final["status"]
    assert all(s["status"] == "done" for s in final["steps"])
    permit = next(s for s in final["steps"] if s["key"] == "port_of_entry")["decision"]["fields"]
    assert permit["permit_number"] == "U123456789"


async def test_hire_shows_its_fees_screening_and_spouse(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    request = body(
        unique_name("Fees"), "cusma", "T23",
        candidate={"citizenships": ["MX"], "education": "bachelor", "degree_field": "Software Engineering",
                   "spouse_accompanying": True, "name": unique_name("Fees")},
        position={"cusma_profession": "engineer", "duration_months": 36},
    )  # fmt: skip
    hire = (await api.post("/api/v1/hires", headers=team.headers, json=request)).json()
    assert hire["category"] == "T36"  # T23 is read as T36
    fees = {f["key"]: (f["amount_cents"], f["payer"]) for f in hire["fees"]["items"]}
    assert fees == {
        "employer_compliance": (23_000, "employer"),
        "work_permit": (15_500, "worker"),
        "biometrics": (8_500, "worker"),
        "spouse_open_work_permit": (10_000, "spouse"),
        "spouse_work_permit": (15_500, "spouse"),
        "spouse_biometrics": (8_500, "spouse"),
    }
    assert hire["fees"]["totals_cents"] == {"employer": 23_000, "worker": 24_000, "spouse": 34_000}
    assert hire["screening"]["status"] == "eligible"
    assert hire["screening"]["may_apply_at_border"] is False  # Mexican citizens apply online
    assert hire["screening"]["two_week_processing"]["met"] == "met"
    assert hire["spouse"]["met"] == "met" and "36 months" in hire["spouse"]["reason"]


async def test_screening_gives_a_verdict_per_pathway_without_side_effects(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    request = {
        "candidate": {
            "citizenships": ["US"],
            "education": "bachelor",
            "degree_field": "Computer Engineering",
            "related_employment": TWO_YEARS_AT_THE_PARENT,
        },
        "position": {
            "noc": "21231",
            "wage": {"amount": 130000, "per": "year"},
            "province": "ON",
            "cusma_profession": "engineer",
            "employer_relationship": "subsidiary",
        },
    }
    response = await api.post("/api/v1/screenings", headers=team.headers, json=request)
    assert response.status_code == 200, response.text
    verdicts = {(v["pathway"], v["category"]): v for v in response.json()["verdicts"]}
    assert verdicts[("cusma", "T36")]["status"] == "eligible"
    assert verdicts[("gts", "A")]["status"] == "not_eligible"
    assert verdicts[("gts", "B")]["status"] == "needs_evidence"
    assert verdicts[("gts", "B")]["missing"] == [
        "the Job Bank median wage for the occupation and region"
    ]
    assert {("ict", "C61"), ("ict", "T37"), ("ict", "T38")} <= set(verdicts)
    assert verdicts[("cusma", "T36")]["may_apply_at_border"] is True
    assert (await api.get("/api/v1/hires", headers=team.headers)).json()["items"] == []


async def test_country_and_province_codes_are_taken_in_any_case(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    body = hire_body(name=unique_name("Case"))
    body["candidate"]["citizenships"], body["candidate"]["residence"] = ["in"], " In "
    body["position"]["province"] = "on"
    candidate = {k: v for k, v in body["candidate"].items() if k not in ("name", "email")}
    position = {k: v for k, v in body["position"].items() if k != "title"}
    screening = {"candidate": candidate, "position": position}
    response = await api.post("/api/v1/screenings", headers=team.headers, json=screening)
    assert response.status_code == 200, response.text
    verdicts = {(v["pathway"], v["category"]): v["status"] for v in response.json()["verdicts"]}
    assert verdicts[("gts", "B")] != "not_eligible"
    started = await api.post("/api/v1/hires", headers=team.headers, json=body)
    assert started.status_code == 201, started.text
    hire = (await api.get(started.headers["location"], headers=team.headers)).json()
    assert hire["position"]["province"] == "ON"
    assert hire["candidate"]["citizenships"] == ["IN"]
    screening["position"] = {**position, "province": "zz"}
    refused = await api.post("/api/v1/screenings", headers=team.headers, json=screening)
    assert refused.status_code == 422
    assert list(refused.json()["fields"]) == ["position.province"]


async def test_an_ineligible_hire_is_refused_unless_overridden_with_a_justification(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    request = body(
        unique_name("Override"), "cusma", "T36",
        candidate={"citizenships": ["IN"], "education": "bachelor", "name": unique_name("Override")},
        position={"cusma_profession": "engineer"},
    )  # fmt: skip
    refused = await api.post("/api/v1/hires", headers=team.headers, json=request)
    assert refused.status_code == 422
    assert refused.json()["fields"] == {
        "candidate.citizenships": "CUSMA needs US or Mexican citizenship."
    }
    short = await api.post(
        "/api/v1/hires",
        headers=team.headers,
        json={**request, "override": {"justification": "trust me"}},
    )
    assert short.status_code == 422 and "override.justification" in short.json()["fields"]
    justification = "Dual US citizenship confirmed by counsel; documents arriving next week."
    started = await api.post(
        "/api/v1/hires",
        headers=team.headers,
        json={**request, "override": {"justification": justification}},
    )
    assert started.status_code == 201, started.text
    events = (
        await api.get(f"/api/v1/hires/{started.json()['id']}/events", headers=team.headers)
    ).json()["items"]
    overridden = next(e for e in events if e["kind"] == "eligibility_overridden")
    assert overridden["data"]["justification"] == justification
    assert "CUSMA needs US or Mexican citizenship." in overridden["summary"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"category": "T37", "position": {"ict_capacity": "specialized_knowledge"}}, "category",
         "T37 and T38 are for US and Mexican citizens (CUSMA); this transfer is C63"),
        ({"category": "C62", "position": {"ict_capacity": "specialized_knowledge"}}, "category",
         "Code C62 does not fit a specialized knowledge transfer of this worker: it is C63"),
        ({"category": "X9", "position": {"ict_capacity": "manager"}}, "category", "Use one of the transfer codes"),
        ({"position": {}}, "position.ict_capacity", "an Intra-Company Transfer needs the transfer's capacity"),
    ],
)  # fmt: skip
async def test_ict_codes_must_fit_the_transfer(
    changes: dict[str, Any], field: str, message: str, api: httpx.AsyncClient, team: TeamKey
) -> None:
    request = body(
        unique_name("Code"), "ict", changes.get("category"), position=changes["position"]
    )
    response = await api.post("/api/v1/hires", headers=team.headers, json=request)
    assert response.status_code == 422
    assert message in response.json()["fields"][field]


async def test_screening_says_per_pathway_whether_a_spouse_may_work(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    request = {
        "candidate": {
            "citizenships": ["IN"],
            "related_employment": TWO_YEARS_AT_THE_PARENT,
            "spouse_accompanying": True,
        },
        "position": {
            "noc": "21231",
            "wage": {"amount": 130000, "per": "year"},
            "province": "ON",
            "duration_months": 24,
        },
    }
    verdicts = {
        (v["pathway"], v["category"]): v
        for v in (await api.post("/api/v1/screenings", headers=team.headers, json=request)).json()[
            "verdicts"
        ]
    }
    assert (
        verdicts[("ict", "C61")]["spouse"]["met"] == "not_met"
    )  # a start-up permit runs 12 months at most
    assert "runs 12 months" in verdicts[("ict", "C61")]["spouse"]["reason"]
    assert verdicts[("ict", "C63")]["spouse"]["met"] == "met"


async def test_a_noc_code_names_its_teer(api: httpx.AsyncClient, team: TeamKey) -> None:
    request = {
        "candidate": {"citizenships": ["IN"]},
        "position": {"noc": "29999", "wage": {"amount": 1, "per": "hour"}, "province": "ON"},
    }
    response = await api.post("/api/v1/screenings", headers=team.headers, json=request)
    assert response.status_code == 422 and "position.noc" in response.json()["fields"]
