"""HR's actions on one hire are bounded per hour: past the bound the API answers 429 and the
hire is exactly as it was."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio
from temporalio.client import Client

from api.app import create_app
from core.settings import Settings
from testkit.samples import hire_body
from tests.conftest import TeamKey
from tests.helpers import serving, unique_name

BOUND = 3


@pytest_asyncio.fixture(loop_scope="session")
async def bounded_api(dev_worker: Client, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings.model_copy(update={"max_actions_per_hire_per_hour": BOUND}), client=dev_worker
    )
    async with serving(app) as api:
        yield api


async def test_past_the_hourly_bound_an_action_answers_429_and_changes_nothing(
    bounded_api: httpx.AsyncClient, team: TeamKey
) -> None:
    created = await bounded_api.post(
        "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Bounded"))
    )
    assert created.status_code == 201, created.text
    hire = f"/api/v1/hires/{created.json()['id']}"
    items = [i["key"] for i in created.json()["steps"][0]["items"] if i["required"]]
    for item in items[:BOUND]:
        waived = await bounded_api.post(
            f"{hire}/items/{item}/waive", headers=team.headers, json={"reason": "on file"}
        )
        assert waived.status_code == 200, waived.text
    before = (await bounded_api.get(hire, headers=team.headers)).json()

    refused = await bounded_api.post(
        f"{hire}/items/{items[BOUND]}/waive", headers=team.headers, json={"reason": "on file"}
    )
    assert refused.status_code == 429
    assert "in the last hour" in refused.json()["detail"]
    after = (await bounded_api.get(hire, headers=team.headers)).json()
    assert after["version"] == before["version"]
    assert after["steps"][0]["items"] == before["steps"][0]["items"]
