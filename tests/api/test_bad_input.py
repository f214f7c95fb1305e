"""Bad input gets a 4xx naming the problem, and the hire is exactly as it was."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx

from core.settings import Settings
from store.db import SessionFactory
from testkit.samples import PDF, hire_body
from tests.conftest import TeamKey, make_team
from tests.helpers import eventually, unique_name


async def snapshot(api: httpx.AsyncClient, team: TeamKey, hire_id: str) -> tuple[Any, Any]:
    hire = (await api.get(f"/api/v1/hires/{hire_id}", headers=team.headers)).json()
    events = (await api.get(f"/api/v1/hires/{hire_id}/events", headers=team.headers)).json()
    return hire, events


async def test_every_bad_request_is_refused_by_name_and_changes_nothing(
    api: httpx.AsyncClient, team: TeamKey, settings: Settings, sessions: SessionFactory
) -> None:
    hire = (
        await api.post(
            "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Bad"))
        )
    ).json()
    base = f"/api/v1/hires/{hire['id']}"
    # settle prepare_lmia, so submit_lmia is open and prepare_lmia is a closed step
    for item in [i["key"] for i in hire["steps"][0]["items"] if i["required"]]:
        await api.post(f"{base}/items/{item}/waive", headers=team.headers, json={"reason": "test"})

    async def quiet() -> bool:  # both opening emails are on the timeline
        events = (await api.get(f"{base}/events", headers=team.headers)).json()["items"]
        return len([e for e in events if e["kind"] == "email_sent"]) == 2

    await eventually(quiet)
    before = await snapshot(api, team, hire["id"])
    documents_before = sorted(p.name for p in settings.documents_dir.rglob("*") if p.is_file())

    big = PDF + b"0" * settings.max_upload_bytes
    cases: list[tuple[str, str, dict[str, Any], int, str]] = [
        # (method, path, request kwargs, status, text the message must contain)
        ("POST", "/documents", {"data": {"item": "nope"}, "files": {"file": ("a.pdf", PDF)}}, 404, "no such document or item"),
        ("POST", "/documents", {"data": {"item": "job_details"}, "files": {"file": ("a.pdf", PDF)}}, 409, "belongs to “Prepare the LMIA application”, which is done"),
        ("POST", "/documents", {"data": {"item": "passport"}, "files": {"file": ("a.pdf", PDF)}}, 409, "which is not open yet"),
        ("POST", "/documents", {"data": {"item": "lmia_fee_receipt"}, "files": {"file": ("a.pdf", big)}}, 413, "larger than"),
        ("POST", "/documents", {"data": {"item": "lmia_fee_receipt"}, "files": {"file": ("a.pdf", b"<html>")}}, 415, "not a PDF, PNG or JPEG"),
        ("POST", "/documents", {"data": {"item": "lmia_fee_receipt"}, "files": {"file": ("a.pdf", b"")}}, 422, "empty"),
        ("POST", "/documents", {"data": {"item": "lmia_fee_receipt"}}, 422, "File: Choose a file to upload"),
        ("POST", "/documents", {"data": {"item": "../x"}, "files": {"file": ("a.pdf", PDF)}}, 422, "Checklist item: This is not a checklist item of this hire"),
        ("POST", "/items/nope/accept", {}, 404, "no such document or item"),
        ("POST", "/items/lmia_fee_receipt/accept", {}, 409, "only a received document can be accepted"),
        ("POST", "/items/job_details/waive", {"json": {"reason": "x"}}, 409, "which is done"),
        ("POST", "/items/lmia_fee_receipt/reject", {"json": {"reason": "x"}}, 409, "only a received or accepted"),
        ("POST", "/items/lmia_fee_receipt/waive", {"json": {}}, 422, "Reason: This can't be empty"),
        ("POST", "/items/lmia_fee_receipt/waive", {"json": {"reason": "x", "extra": 1}}, 422, "Unknown field: Remove the field hirepath does not take"),
        ("POST", "/items/lmia_fee_receipt/waive", {"content": b"{not json", "headers": {"content-type": "application/json"}}, 422, "The request: This is not valid JSON"),
        ("POST", "/steps/submit_lmia/decision", {"json": {"outcome": "approved"}}, 422, "not an outcome this step takes"),
        ("POST", "/steps/submit_lmia/decision", {"json": {"outcome": "submitted"}}, 422, "Date ESDC received the application is required"),
        ("POST", "/steps/submit_lmia/decision", {"json": {"outcome": "submitted", "fields": {"submitted_on": "2999-01-01"}}}, 422, "cannot be in the future"),
        ("POST", "/steps/submit_lmia/decision", {"json": {"outcome": "submitted", "fields": {"submitted_on": "yesterday"}}}, 422, "must be a date"),
        ("POST", "/steps/lmia_decision/decision", {"json": {"outcome": "approved"}}, 409, "is not open yet"),
        ("POST", "/steps/nope/decision", {"json": {"outcome": "x"}}, 404, "no such step"),
        ("POST", "/steps/submit_lmia/deadline", {"json": {"due_on": "2001-01-01", "reason": "x"}}, 422, "can't be in the past"),
        ("POST", "/steps/submit_lmia/deadline", {"json": {"due_on": "soon", "reason": "x"}}, 422, "New due date: Enter a date like 2027-01-06"),
        ("POST", "/withdraw", {"json": {}}, 422, "Reason: This can't be empty"),
        ("GET", "/documents/nope", {}, 404, "This hire has no such document."),
    ]  # fmt: skip
    for method, path, kwargs, status, text in cases:
        headers = {**team.headers, **kwargs.pop("headers", {})}
        response = await api.request(method, base + path, headers=headers, **kwargs)
        assert response.status_code == status, (path, response.text)
        assert text in response.json()["detail"], (path, response.json())

    assert await snapshot(api, team, hire["id"]) == before
    assert (
        sorted(p.name for p in settings.documents_dir.rglob("*") if p.is_file()) == documents_before
    )


async def test_another_teams_hire_is_a_404_on_every_route_and_stays_untouched(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    hire = (
        await api.post(
            "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Mine"))
        )
    ).json()
    base = f"/api/v1/hires/{hire['id']}"
    before = await snapshot(api, team, hire["id"])
    other = make_team(sessions, "Another team")
    routes: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "", {}),
        ("GET", "/events", {}),
        (
            "POST",
            "/documents",
            {"data": {"item": "job_details"}, "files": {"file": ("a.pdf", PDF)}},
        ),
        ("POST", "/items/job_details/accept", {}),
        ("POST", "/items/job_details/reject", {"json": {"reason": "x"}}),
        ("POST", "/items/job_details/waive", {"json": {"reason": "x"}}),
        ("POST", "/steps/prepare_lmia/deadline", {"json": {"due_on": "2027-06-01", "reason": "x"}}),
        ("POST", "/steps/submit_lmia/decision", {"json": {"outcome": "submitted"}}),
        ("POST", "/withdraw", {"json": {"reason": "x"}}),
    ]
    for method, path, kwargs in routes:
        response = await api.request(method, base + path, headers=other.headers, **kwargs)
        assert response.status_code == 404, (path, response.text)
        assert response.json()["detail"] == f"no hire {hire['id']!r}"
    assert (await api.get("/api/v1/hires", headers=other.headers)).json()["items"] == []
    after = await snapshot(api, team, hire["id"])
    assert after[0] == before[0]


async def test_requests_without_a_valid_key_get_401(api: httpx.AsyncClient) -> None:
    assert (await api.get("/api/v1/hires")).status_code == 401
    response = await api.get("/api/v1/hires", headers={"Authorization": "Bearer hp_00000000_nope"})
    assert response.status_code == 401 and response.json()["detail"] == "unknown or revoked API key"
    assert (
        await api.get("/api/v1/hires", headers={"Authorization": "Basic abc"})
    ).status_code == 401


async def test_bad_hire_requests_name_their_fields(api: httpx.AsyncClient, team: TeamKey) -> None:
    body = hire_body(name=unique_name("Fields"))
    body["candidate"]["email"] = "not-an-email"
    body["position"]["noc"] = "2123"
    body["position"]["wage"]["amount"] = -5
    del body["hr_owner"]
    response = await api.post("/api/v1/hires", headers=team.headers, json=body)
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {
        "candidate.email",
        "position.noc",
        "position.wage.amount",
        "hr_owner",
    }
    bad_cursor = await api.get("/api/v1/hires?cursor=zzz", headers=team.headers)
    assert bad_cursor.status_code == 422 and "cursor" in bad_cursor.json()["fields"]
    assert (await api.get("/api/v1/hires/not-a-hire", headers=team.headers)).status_code == 422
    assert (await api.get("/api/v1/hires?limit=0", headers=team.headers)).status_code == 422
    naive = base64.urlsafe_b64encode(json.dumps(["2024-01-01", "x"]).encode()).decode()
    assert (await api.get(f"/api/v1/hires?cursor={naive}", headers=team.headers)).status_code == 422
    hire = (
        await api.post(
            "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Odd"))
        )
    ).json()
    huge = await api.get(f"/api/v1/hires/{hire['id']}/events?after={10**20}", headers=team.headers)
    assert huge.status_code == 422 and "after" in huge.json()["fields"]
    body = hire_body(name=unique_name("Tiny"))
    body["position"]["hours_per_week"] = "1e-25"
    tiny = await api.post("/api/v1/hires", headers=team.headers, json=body)
    assert tiny.status_code == 422 and "position.hours_per_week" in tiny.json()["fields"]
