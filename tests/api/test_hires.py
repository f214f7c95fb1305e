"""The JSON API on the dev server with a real worker and SMTP server."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from temporalio.client import Client

from store.db import SessionFactory
from testkit.api_client import drive_to_end
from testkit.samples import PDF, PNG, hire_body
from tests.conftest import TeamKey, make_team
from tests.helpers import Mailbox, eventually, unique_name


async def create(
    api: httpx.AsyncClient, team: TeamKey, name: str, key: str | None = None, **overrides: Any
) -> httpx.Response:
    headers = dict(team.headers)
    if key:
        headers["Idempotency-Key"] = key
    return await api.post("/api/v1/hires", headers=headers, json=hire_body(name=name, **overrides))


async def test_health_and_readiness(api: httpx.AsyncClient) -> None:
    assert (await api.get("/healthz")).json()["status"] == "ok"
    ready = await api.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"store": "ok", "temporal": "ok", "mail": "ok"}


async def test_pathways_describe_every_step_with_its_checklist_deadline_and_decision(
    api: httpx.AsyncClient,
) -> None:
    body = (await api.get("/api/v1/pathways")).json()
    gts = next(p for p in body["items"] if p["key"] == "gts")
    assert [c["key"] for c in gts["categories"]] == ["A", "B"]
    esdc = next(s for s in gts["steps"] if s["key"] == "lmia_decision")
    assert esdc["owner"] == "esdc" and esdc["authority"] is True
    assert esdc["deadline"]["amount"] == 10 and esdc["deadline"]["from_next_business_day"] is True
    assert [o["key"] for o in esdc["decision"]["outcomes"]] == ["approved", "refused"]
    assert "lmia_number" in [f["key"] for f in esdc["decision"]["outcomes"][0]["fields"]]
    assert {f["key"] for f in gts["fees"]} >= {"lmia_processing", "work_permit", "biometrics"}
    assert (await api.get("/api/v1/pathways/nope")).status_code == 404


async def test_start_a_hire_and_read_it_straight_away(
    api: httpx.AsyncClient, team: TeamKey, dev_worker: Client
) -> None:
    name = unique_name("Start")
    response = await create(api, team, name)
    assert response.status_code == 201, response.text
    hire = response.json()
    assert response.headers["location"] == f"/api/v1/hires/{hire['id']}"
    assert hire["id"].startswith("hire-") and name not in hire["id"]
    assert hire["status"] == "active" and hire["current_step"] == "prepare_lmia"
    first = hire["steps"][0]
    assert first["status"] == "open" and first["due_on"]
    assert len([i for i in first["items"] if i["required"]]) == 8
    assert hire["fees"]["totals_cents"] == {"employer": 100_000, "worker": 24_000}
    listed = (await api.get("/api/v1/hires", headers=team.headers)).json()
    assert [h["id"] for h in listed["items"]] == [hire["id"]]
    # a task a dead worker started is handed on after 5 s, well inside an action's 10 s wait
    described = await dev_worker.get_workflow_handle(hire["id"]).describe()
    config = described.raw_description.execution_config
    assert config.default_workflow_task_timeout.ToTimedelta() == timedelta(seconds=5)


async def test_a_repeated_post_with_the_same_idempotency_key_returns_the_first_hire(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    name = unique_name("Idem")
    first = await create(api, team, name, key="req-1")
    again = await create(api, team, name, key="req-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    different = await create(api, team, name + " other", key="req-1")
    assert different.status_code == 422
    assert different.json()["fields"] == {"Idempotency-Key": "already used with a different body"}
    listed = (await api.get("/api/v1/hires", headers=team.headers)).json()["items"]
    assert len(listed) == 1
    # the same key in another team is that team's own hire
    other = make_team(sessions, "Other team")
    theirs = await create(api, other, name, key="req-1")
    assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]


async def test_a_generic_client_drives_a_category_b_hire_to_an_issued_permit(
    api: httpx.AsyncClient, team: TeamKey, mailbox: Mailbox
) -> None:
    name = unique_name("Tour")
    hire = (await create(api, team, name)).json()
    final = await drive_to_end(api, team.headers, hire["id"])

    assert final["status"] == "permit_issued" and final["closed_at"]
    assert final["progress"] == {"done": 7, "total": 7, "percent": 100}
    for step in final["steps"]:
        assert step["status"] == "done" and step["opened_at"] and step["completed_at"], step["key"]
        for item in step["items"]:
            if item["required"]:
                assert item["status"] == "accepted" and len(item["documents"]) == 1, item["key"]
    steps = {s["key"]: s for s in final["steps"]}
    assert steps["lmia_decision"]["decision"]["fields"]["lmia_number"] == "LMIA-8841202"
    assert steps["lmia_decision"]["due_on"]  # the ESDC standard, from the recorded receipt date
    assert steps["port_of_entry"]["decision"]["fields"]["permit_number"] == "U123456789"
    clock = final["clocks"][0]
    assert (clock["status"], clock["elapsed_days"]) == ("met", 0)

    [issued] = await eventually(lambda: mailbox.of_kind(name, "permit_issued"))
    assert "U123456789" in issued.text
    events = (await api.get(f"/api/v1/hires/{hire['id']}/events", headers=team.headers)).json()[
        "items"
    ]
    summaries = [e["summary"] for e in events]
    assert "Work permit issued" in summaries
    assert any(
        s.startswith("Recorded for ESDC assesses the LMIA: Positive LMIA") for s in summaries
    )
    assert {e["actor"] for e in events if e["kind"] == "item_accepted"} == {"api key HR team key"}


async def test_an_ineligible_position_is_refused_with_the_rule(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    response = await create(api, team, unique_name("Ineligible"), noc="11100")
    assert response.status_code == 422
    assert "not on the Global Talent Occupations List" in response.json()["fields"]["position.noc"]
    response = await create(api, team, unique_name("Unknown"), category="Z")
    assert response.status_code == 422 and "category" in response.json()["fields"]


async def test_documents_are_checked_by_content_and_downloaded_by_their_team_only(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    hire = (await create(api, team, unique_name("Docs"))).json()
    url = f"/api/v1/hires/{hire['id']}/documents"
    upload = await api.post(
        url,
        headers=team.headers,
        data={"item": "job_details"},
        files={"file": ("../../etc/passwd.png", PNG, "text/plain")},
    )
    assert upload.status_code == 201, upload.text
    document = upload.json()["document"]
    assert document["content_type"] == "image/png" and document["filename"] == "passwd.png"
    item = next(i for i in upload.json()["hire"]["steps"][0]["items"] if i["key"] == "job_details")
    assert item["status"] == "received"

    download = await api.get(document["url"], headers=team.headers)
    assert download.status_code == 200 and download.content == PNG
    assert download.headers["content-type"] == "image/png"
    assert download.headers["content-disposition"].startswith("attachment")
    other = make_team(sessions, "Other team")
    assert (await api.get(document["url"], headers=other.headers)).status_code == 404


async def test_hr_actions_through_the_api(
    api: httpx.AsyncClient, team: TeamKey, mailbox: Mailbox
) -> None:
    name = unique_name("Actions")
    hire = (await create(api, team, name)).json()
    base = f"/api/v1/hires/{hire['id']}"
    await api.post(
        f"{base}/documents",
        headers=team.headers,
        data={"item": "job_details"},
        files={"file": ("j.pdf", PDF)},
    )
    rejected = await api.post(
        f"{base}/items/job_details/reject", headers=team.headers, json={"reason": "Wrong NOC"}
    )
    assert rejected.status_code == 200
    item = next(i for i in rejected.json()["steps"][0]["items"] if i["key"] == "job_details")
    assert (item["status"], item["reason"]) == ("rejected", "Wrong NOC")
    [mail] = await eventually(lambda: mailbox.of_kind(name, "item_rejected"))
    assert mail.to == ["hr@employer.example"] and "Wrong NOC" in mail.text

    waived = await api.post(
        f"{base}/items/business_legitimacy/waive", headers=team.headers, json={"reason": "On file"}
    )
    assert (
        next(i for i in waived.json()["steps"][0]["items"] if i["key"] == "business_legitimacy")[
            "status"
        ]
        == "waived"
    )

    far = await api.post(
        f"{base}/steps/prepare_lmia/deadline",
        headers=team.headers,
        json={"due_on": "2099-01-05", "reason": "x"},
    )
    assert far.status_code == 422 and far.json()["fields"] == {
        "due_on": "more than two years ahead"
    }
    new_due = (date.fromisoformat(hire["steps"][0]["due_on"]) + timedelta(days=7)).isoformat()
    moved = await api.post(
        f"{base}/steps/prepare_lmia/deadline",
        headers=team.headers,
        json={"due_on": new_due, "reason": "LMBP"},
    )
    assert moved.status_code == 200 and moved.json()["steps"][0]["due_on"] == new_due

    withdrawn = await api.post(
        f"{base}/withdraw", headers=team.headers, json={"reason": "Offer declined"}
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    again = await api.post(f"{base}/withdraw", headers=team.headers, json={"reason": "twice"})
    assert again.status_code == 409

    listed = (await api.get("/api/v1/hires?status=withdrawn", headers=team.headers)).json()["items"]
    assert [h["id"] for h in listed] == [hire["id"]]
