"""A generic client: drives any hire to its end using only GET /api/v1/pathways and the hire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from pathways.calendar import eastern_date
from testkit.samples import PDF

# What a generic client fills in for each field type (dates: today, or later for expiries).
SAMPLE_TEXT = {
    "lmia_number": "LMIA-8841202",
    "permit_number": "U123456789",
    "offer_number": "A1234567",
}


def today() -> str:
    return eastern_date(datetime.now(UTC)).isoformat()


def sample_fields(outcome: dict[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for spec in outcome["fields"]:
        if not spec["required"]:
            continue
        if spec["type"] == "date":
            future = spec["key"] in ("expires_on", "valid_until")
            values[spec["key"]] = (
                (eastern_date(datetime.now(UTC)) + timedelta(days=360)).isoformat()
                if future
                else today()
            )
        elif spec["type"] == "number":
            values[spec["key"]] = "1"
        else:
            values[spec["key"]] = SAMPLE_TEXT.get(spec["key"], "ABC-12345")
    return values


def next_outcome(decision: dict[str, Any], allowed: list[str]) -> dict[str, Any]:
    """The first outcome that moves the hire on among those this hire may record."""
    return next(o for o in decision["outcomes"] if o["effect"] == "advance" and o["key"] in allowed)


async def pathway(api: httpx.AsyncClient, key: str) -> dict[str, Any]:
    response = await api.get(f"/api/v1/pathways/{key}")
    response.raise_for_status()
    return response.json()


async def drive_to_end(
    api: httpx.AsyncClient, headers: dict[str, str], hire_id: str
) -> dict[str, Any]:
    """Upload every open required item, then record the first advancing outcome this hire may
    record, step after step, until the hire is no longer active (its permit issued, or it
    ended). Returns the hire."""
    url = f"/api/v1/hires/{hire_id}"
    hire = (await api.get(url, headers=headers)).json()
    definition = await pathway(api, hire["pathway"])
    steps = {s["key"]: s for s in definition["steps"]}
    for _ in range(40):
        if hire["status"] != "active":
            return hire
        step = next(s for s in hire["steps"] if s["status"] == "open")
        for item in step["items"]:
            if item["required"] and item["status"] not in ("accepted", "waived"):
                response = await api.post(
                    f"{url}/documents",
                    headers=headers,
                    data={"item": item["key"], "accept": "true"},
                    files={"file": (f"{item['key']}.pdf", PDF, "application/pdf")},
                )
                assert response.status_code == 201, response.text
        decision = steps[step["key"]]["decision"]
        if decision is not None:
            outcome = next_outcome(decision, step["decision"]["outcomes"])
            response = await api.post(
                f"{url}/steps/{step['key']}/decision",
                headers=headers,
                json={"outcome": outcome["key"], "fields": sample_fields(outcome)},
            )
            assert response.status_code == 200, response.text
        hire = (await api.get(url, headers=headers)).json()
    raise AssertionError("the hire did not end within 40 rounds")
