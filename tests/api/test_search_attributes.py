"""Operators find hires in Temporal's UI by pathway, status, current step and next due date,
and nothing personal is searchable (search attributes are not encrypted)."""

from __future__ import annotations

import httpx
from temporalio.client import Client

from testkit.samples import hire_body
from tests.conftest import TeamKey
from tests.helpers import eventually, unique_name
from workflows import search


async def test_a_hire_is_found_by_its_pathway_status_step_and_due_date(
    api: httpx.AsyncClient, dev_worker: Client, team: TeamKey
) -> None:
    name = unique_name("Searchable")
    created = await api.post("/api/v1/hires", headers=team.headers, json=hire_body(name=name))
    hire_id = created.json()["id"]
    query = (
        f"WorkflowId = '{hire_id}' AND HirePathway = 'gts' AND HireStatus = 'active' "
        "AND HireStep = 'prepare_lmia' AND HireNextDue > '2020-01-01T00:00:00Z'"
    )

    async def found() -> list[str]:
        return [e.id async for e in dev_worker.list_workflows(query)]

    assert await eventually(found, timeout=30) == [hire_id]

    attributes = (await dev_worker.get_workflow_handle(hire_id).describe()).typed_search_attributes
    ours = {pair.key.name: pair.value for pair in attributes if pair.key in search.ALL}
    assert set(ours) == {key.name for key in search.ALL}
    assert ours["HireStep"] == "prepare_lmia"
    searchable = " ".join(str(pair.value) for pair in attributes)
    assert name not in searchable and "@" not in searchable
