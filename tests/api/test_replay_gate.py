"""`hirepath replay`: the deploy's gate replays the running hires against this code, with the
production codec, and names any hire the code would break."""

from __future__ import annotations

import httpx
from temporalio import workflow
from temporalio.client import Client

from contracts.hire import HireInput
from core.settings import Settings
from hirepath.replay import replay_running
from testkit.samples import hire_body
from tests.conftest import TeamKey
from tests.helpers import unique_name


@workflow.defn(name="GtsHire")
class ChangedGtsHire:
    """A GTS workflow changed without a patch: it no longer opens the first step."""

    @workflow.run
    async def run(self, input: HireInput) -> None:
        await workflow.wait_condition(lambda: False)


async def test_the_running_hires_replay_and_a_breaking_change_is_named(
    api: httpx.AsyncClient, dev_worker: Client, settings: Settings, team: TeamKey
) -> None:
    started = []
    for _ in range(2):
        created = await api.post(
            "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Gate"))
        )
        started.append(created.json()["id"])

    report = await replay_running(dev_worker, settings)
    assert report.failed == {}
    assert report.replayed >= 2

    unsandboxed = settings.model_copy(update={"workflow_sandbox": "off"})
    broken = await replay_running(dev_worker, unsandboxed, workflows=[ChangedGtsHire])
    assert set(started) <= set(broken.failed)
    assert all("ondeterminism" in broken.failed[hire_id] for hire_id in started)
