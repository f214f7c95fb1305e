"""The store unreachable (a real PostgreSQL server behind a proxy the test cuts): nothing
hangs. The API answers 503 and changes nothing while it cannot read; an action the worker
cannot record answers 202 (accepted) in seconds, and the hire shows it once the store is
back."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest
import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from hirepath.worker import build_parts, build_worker
from store.db import make_engine, session_factory, session_scope
from store.migrate import upgrade
from store.teams import create_key, create_team
from testkit import postgres
from testkit.proxy import Proxy
from testkit.samples import hire_body
from tests.helpers import eventually, serving, unique_name


@dataclass
class Outage:
    api: httpx.AsyncClient
    headers: dict[str, str]
    api_store: Proxy  # the API's way to the store
    worker_store: Proxy  # the worker's


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with postgres.server() as url:
        upgrade(url)
        yield url


def _through(url: str, proxy: Proxy) -> str:
    parts = urlsplit(url)
    return url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}")


@pytest_asyncio.fixture(loop_scope="session")
async def outage(
    server: str, dev_env: WorkflowEnvironment, settings: Settings, executor: ThreadPoolExecutor
) -> AsyncIterator[Outage]:
    target = urlsplit(server)
    api_store, worker_store = (Proxy(target.hostname or "", target.port or 0) for _ in "ab")
    engine = make_engine(server)
    with session_scope(session_factory(engine)) as session:
        key = create_key(session, team_id=create_team(session, name="Outage").id, name="k").key
    queue = f"outage-{uuid.uuid4().hex[:8]}"
    shared = {"task_queue": queue, "action_wait_seconds": 3}
    api_settings = settings.model_copy(
        update={**shared, "database_url": _through(server, api_store)}
    )
    worker_settings = settings.model_copy(
        update={**shared, "database_url": _through(server, worker_store)}
    )
    worker_engine = make_engine(worker_settings.database)
    parts = build_parts(worker_settings, session_factory(worker_engine))
    async with build_worker(dev_env.client, worker_settings, parts, executor, task_queue=queue):
        app = create_app(api_settings, client=dev_env.client)
        async with serving(app) as api:
            yield Outage(api, {"Authorization": f"Bearer {key}"}, api_store, worker_store)
    for proxy in (api_store, worker_store):
        proxy.close()
    worker_engine.dispose()
    engine.dispose()


async def test_an_action_the_worker_cannot_record_answers_202_and_lands_later(
    outage: Outage,
) -> None:
    api, headers = outage.api, outage.headers
    created = await api.post(
        "/api/v1/hires", headers=headers, json=hire_body(name=unique_name("Slow"))
    )
    assert created.status_code == 201, created.text
    hire = created.json()
    item = hire["steps"][0]["items"][0]["key"]
    outage.worker_store.cut()
    try:
        waived = await api.post(
            f"/api/v1/hires/{hire['id']}/items/{item}/waive",
            headers=headers,
            json={"reason": "on file"},
        )
        assert waived.status_code == 202, waived.text
        assert "being recorded" in waived.json()["detail"]
        assert waived.headers["location"] == f"/api/v1/hires/{hire['id']}"
    finally:
        outage.worker_store.restore()

    async def recorded() -> bool:
        now = (await api.get(f"/api/v1/hires/{hire['id']}", headers=headers)).json()
        return now["steps"][0]["items"][0]["status"] == "waived"

    assert await eventually(recorded, timeout=90, interval=0.5)


async def test_with_the_store_unreachable_the_api_answers_503_and_changes_nothing(
    outage: Outage,
) -> None:
    api, headers = outage.api, outage.headers
    created = await api.post(
        "/api/v1/hires", headers=headers, json=hire_body(name=unique_name("Down"))
    )
    assert created.status_code == 201, created.text
    hire = created.json()
    base = f"/api/v1/hires/{hire['id']}"
    item = hire["steps"][0]["items"][0]["key"]
    outage.api_store.cut()
    try:
        read = await api.get(base, headers=headers)
        assert read.status_code == 503 and "try again" in read.json()["detail"]
        assert read.headers["retry-after"]
        acted = await api.post(f"{base}/items/{item}/waive", headers=headers, json={"reason": "x1"})
        assert acted.status_code == 503
        ready = await api.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["store"] != "ok"
    finally:
        outage.api_store.restore()
    after = await api.get(base, headers=headers)
    assert after.status_code == 200
    assert after.json()["version"] == hire["version"]
    assert after.json()["steps"][0]["items"][0]["status"] == "requested"
