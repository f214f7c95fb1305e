"""Corrections through the JSON API, on the dev server with a real worker: the hire's details
edited (old and new values on the timeline), an accept, reject or waive undone, a recorded
decision amended (the next step's deadline follows; refused once a later step moved on)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from pathways.calendar import add_business_days, service_standard_due
from testkit.api_client import today
from testkit.samples import PDF, hire_body
from tests.conftest import TeamKey
from tests.helpers import unique_name


async def start(api: httpx.AsyncClient, team: TeamKey) -> dict[str, Any]:
    response = await api.post(
        "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Fix"))
    )
    assert response.status_code == 201, response.text
    return response.json()


async def upload(
    api: httpx.AsyncClient, team: TeamKey, hire_id: str, item: str, *, accept: bool = False
) -> dict[str, Any]:
    response = await api.post(
        f"/api/v1/hires/{hire_id}/documents",
        headers=team.headers,
        data={"item": item, "accept": "true" if accept else "false"},
        files={"file": (f"{item}.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 201, response.text
    return response.json()["hire"]


async def settle_open_step(api: httpx.AsyncClient, team: TeamKey, hire: dict[str, Any]) -> None:
    step = next(s for s in hire["steps"] if s["status"] == "open")
    for item in step["items"]:
        if item["required"] and item["status"] not in ("accepted", "waived"):
            await upload(api, team, hire["id"], item["key"], accept=True)


async def read(api: httpx.AsyncClient, team: TeamKey, hire_id: str) -> dict[str, Any]:
    return (await api.get(f"/api/v1/hires/{hire_id}", headers=team.headers)).json()


async def events(api: httpx.AsyncClient, team: TeamKey, hire_id: str) -> list[dict[str, Any]]:
    response = await api.get(f"/api/v1/hires/{hire_id}/events", headers=team.headers)
    return list(response.json()["items"])


def step_of(hire: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in hire["steps"] if s["key"] == key)


async def test_editing_the_details_keeps_the_old_and_new_values_on_the_timeline(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    hire = await start(api, team)
    url = f"/api/v1/hires/{hire['id']}/details"
    edit = {
        "candidate": {"email": "priya@new.example", "phone": "+1 416 555 0100"},
        "hr_owner": {"name": "Alex Martin"},
        "start_date": "2027-04-05",
        "reason": "Typo in the offer letter",
    }
    response = await api.patch(url, headers=team.headers, json=edit)
    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["candidate"]["email"] == "priya@new.example"
    assert edited["hr_owner"] == {"name": "Alex Martin", "email": "hr@employer.example"}
    assert edited["position"]["start_date"] == "2027-04-05"
    lines = [e["summary"] for e in await events(api, team, hire["id"])]
    assert any("worker@candidate.example" in s and "priya@new.example" in s for s in lines), lines
    assert any("Dana Reyes" in s and "Alex Martin" in s for s in lines), lines
    assert any("Mar 1, 2027" in s and "Apr 5, 2027" in s for s in lines), lines

    # the same values again change nothing, and say so; a bad email names its field
    again = await api.patch(url, headers=team.headers, json=edit)
    assert again.status_code == 409 and "Nothing changed" in again.json()["detail"]
    bad = await api.patch(url, headers=team.headers, json={"manager": {"email": "not an email"}})
    assert bad.status_code == 422 and list(bad.json()["fields"]) == ["manager.email"]
    assert (await read(api, team, hire["id"]))["version"] == edited["version"]


async def test_an_accept_a_reject_and_a_waive_can_each_be_undone_while_the_step_is_open(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    hire = await start(api, team)
    base = f"/api/v1/hires/{hire['id']}/items"

    def status(h: dict[str, Any], key: str) -> tuple[str, str]:
        item = next(i for s in h["steps"] for i in s["items"] if i["key"] == key)
        return item["status"], item["reason"]

    await upload(api, team, hire["id"], "job_details", accept=True)
    undone = await api.post(f"{base}/job_details/undo", headers=team.headers)
    assert undone.status_code == 200, undone.text
    assert status(undone.json(), "job_details") == ("received", "")

    reason = {"reason": "Wrong page"}
    rejected = await api.post(f"{base}/job_details/reject", headers=team.headers, json=reason)
    assert status(rejected.json(), "job_details") == ("rejected", "Wrong page")
    undone = await api.post(f"{base}/job_details/undo", headers=team.headers)
    assert status(undone.json(), "job_details") == ("received", "")

    why = {"reason": "On file with ESDC"}
    await api.post(f"{base}/business_legitimacy/waive", headers=team.headers, json=why)
    undone = await api.post(f"{base}/business_legitimacy/undo", headers=team.headers)
    assert status(undone.json(), "business_legitimacy") == ("requested", "")

    nothing = await api.post(f"{base}/business_legitimacy/undo", headers=team.headers)
    assert nothing.status_code == 409
    assert "no accept, reject or waive to undo" in nothing.json()["detail"]
    lines = [e["summary"] for e in await events(api, team, hire["id"])]
    assert sum("Undone" in s for s in lines) == 3, lines


async def test_an_amended_decision_moves_the_next_deadline_until_a_later_step_moves_on(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    hire = await start(api, team)
    await settle_open_step(api, team, hire)  # prepare the LMIA
    hire = await read(api, team, hire["id"])
    await settle_open_step(api, team, hire)  # submit it
    url = f"/api/v1/hires/{hire['id']}/steps/submit_lmia/decision"
    recorded = await api.post(
        url,
        headers=team.headers,
        json={"outcome": "submitted", "fields": {"submitted_on": today()}},
    )
    assert recorded.status_code == 200, recorded.text
    due_before = step_of(recorded.json(), "lmia_decision")["due_on"]
    assert due_before == service_standard_due(date.fromisoformat(today()), 10).isoformat()

    earlier = add_business_days(date.fromisoformat(today()), -3)
    amend = {"outcome": "submitted", "fields": {"submitted_on": earlier.isoformat()}}
    no_reason = await api.post(f"{url}/amend", headers=team.headers, json=amend)
    assert no_reason.status_code == 422 and list(no_reason.json()["fields"]) == ["reason"]
    other = {**amend, "outcome": "refused", "reason": "x"}
    changed_outcome = await api.post(f"{url}/amend", headers=team.headers, json=other)
    assert changed_outcome.status_code in (409, 422)

    amended = await api.post(
        f"{url}/amend", headers=team.headers, json={**amend, "reason": "Sent on Monday"}
    )
    assert amended.status_code == 200, amended.text
    body = amended.json()
    assert step_of(body, "submit_lmia")["decision"]["fields"]["submitted_on"] == earlier.isoformat()
    due_after = step_of(body, "lmia_decision")["due_on"]
    assert due_after == service_standard_due(earlier, 10).isoformat() and due_after < due_before
    lines = [e["summary"] for e in await events(api, team, hire["id"])]
    assert any("amended" in s and "Sent on Monday" in s for s in lines), lines

    # ESDC's decision recorded: the submission date can no longer be amended
    decided = await api.post(
        f"/api/v1/hires/{hire['id']}/steps/lmia_decision/decision",
        headers=team.headers,
        json={
            "outcome": "approved",
            "fields": {"lmia_number": "LMIA-8841202", "decided_on": today()},
        },
    )
    assert decided.status_code == 200, decided.text
    version = decided.json()["version"]
    later = (date.fromisoformat(today()) - timedelta(days=1)).isoformat()
    refused = await api.post(
        f"{url}/amend",
        headers=team.headers,
        json={"outcome": "submitted", "fields": {"submitted_on": later}, "reason": "again"},
    )
    assert refused.status_code == 409
    assert "has moved on" in refused.json()["detail"]
    assert (await read(api, team, hire["id"]))["version"] == version


async def test_the_plan_dates_every_remaining_step_and_follows_a_moved_deadline(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    hire = await start(api, team)
    url = f"/api/v1/hires/{hire['id']}/plan"
    before = (await api.get(url, headers=team.headers)).json()
    assert [s["key"] for s in before["steps"]] == [s["key"] for s in hire["steps"]]
    assert (
        before["steps"][0]["open"] and before["steps"][0]["expected"] == hire["steps"][0]["due_on"]
    )
    assert before["start_date"] == "2027-03-01"
    later = date.fromisoformat(hire["steps"][0]["due_on"]) + timedelta(days=21)
    moved = await api.post(
        f"/api/v1/hires/{hire['id']}/steps/prepare_lmia/deadline",
        headers=team.headers,
        json={"due_on": later.isoformat(), "reason": "Licence renewal"},
    )
    assert moved.status_code == 200, moved.text
    after = (await api.get(url, headers=team.headers)).json()
    assert after["permit_expected"] > before["permit_expected"]
    assert after["days_late_for_start"] > before["days_late_for_start"]
    withdrawn = await api.post(
        f"/api/v1/hires/{hire['id']}/withdraw", headers=team.headers, json={"reason": "Gone"}
    )
    assert withdrawn.status_code == 200
    ended = (await api.get(url, headers=team.headers)).json()
    assert ended["steps"] == [] and ended["permit_expected"] is None
    other = await api.get(
        "/api/v1/hires/hire-00000000-0000-0000-0000-000000000000/plan", headers=team.headers
    )
    assert other.status_code == 404


async def test_a_hire_keeps_the_candidates_phone_and_language_and_lists_owner_and_permit(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    body = hire_body(name=unique_name("Phone"))
    body["candidate"] |= {"phone": "+1 (416) 555-0199", "preferred_language": "fr"}
    created = await api.post("/api/v1/hires", headers=team.headers, json=body)
    assert created.status_code == 201, created.text
    candidate = created.json()["candidate"]
    assert (candidate["phone"], candidate["preferred_language"]) == ("+1 (416) 555-0199", "fr")
    listed = (await api.get("/api/v1/hires", headers=team.headers)).json()["items"]
    row = next(h for h in listed if h["id"] == created.json()["id"])
    assert row["hr_owner_name"] == "Dana Reyes" and row["permit_expires_on"] is None
    bad = hire_body(name=unique_name("Phone"))
    bad["candidate"] |= {"phone": "call me maybe", "preferred_language": "de"}
    refused = await api.post("/api/v1/hires", headers=team.headers, json=bad)
    assert refused.status_code == 422
    assert set(refused.json()["fields"]) == {"candidate.phone", "candidate.preferred_language"}
    assert "Candidate's phone" in refused.json()["detail"]
