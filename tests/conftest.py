"""Shared test environment: real Temporal servers (time-skipping and dev), a real SMTP
server, a migrated SQLite store. One of each per session; a fresh task queue, team and
candidate name per test."""

from __future__ import annotations

import os
import re
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
import sqlalchemy as sa
from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from contracts.hire import WithdrawInput
from core.settings import Settings
from core.temporal import data_converter
from hirepath.worker import build_parts, build_worker
from store.db import SessionFactory, make_engine, session_factory, session_scope
from store.migrate import upgrade
from store.teams import create_key, create_team
from testkit.workflow_driver import Queue
from tests.helpers import Mailbox, serving, start_smtp
from workflows import search
from workflows.hire import HireWorkflow

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = start_smtp(box)
    yield box
    controller.stop()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


POSTGRES = os.environ.get("HIREPATH_TEST_DATABASE_URL", "")


def pytest_report_header() -> str:
    if POSTGRES:
        return f"store: PostgreSQL ({POSTGRES.rsplit('@', 1)[-1]})"
    return "store: SQLite (set HIREPATH_TEST_DATABASE_URL for PostgreSQL; .ci/run runs the suites on both)"


@pytest.fixture(scope="session")
def database_url(data_dir: Path) -> Iterator[str]:
    """SQLite in the test's data dir, or a fresh database on HIREPATH_TEST_DATABASE_URL's server."""
    if not POSTGRES:
        yield f"sqlite:///{data_dir / 'store.db'}"
        return
    name = f"hirepath_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def settings(data_dir: Path, mailbox: Mailbox, database_url: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        mail_backend="smtp",
        smtp_host="127.0.0.1",
        smtp_port=mailbox.port,
        base_url="http://hirepath.test",
        task_queue="api-tests",
        max_upload_bytes=64 * 1024,
        search_attributes=True,  # the dev server registers them (dev_env)
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[sa.Engine]:
    upgrade(settings.database)
    engine = make_engine(settings.database)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sessions(engine: sa.Engine) -> SessionFactory:
    return session_factory(engine)


@pytest.fixture(scope="session")
def executor() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=50) as pool:
        yield pool


@dataclass
class TeamKey:
    team_id: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}


def make_team(sessions: SessionFactory, name: str = "HR team") -> TeamKey:
    with session_scope(sessions) as session:
        team = create_team(session, name=name)
        new = create_key(session, team_id=team.id, name=f"{name} key")
    return TeamKey(team.id, new.key)


@pytest.fixture
def team(sessions: SessionFactory) -> TeamKey:
    return make_team(sessions)


# ---- time-skipping server: workflows ----


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def ts_env(settings: Settings) -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(BIN / "temporal-test-server"),
        data_converter=data_converter(settings),
    )
    yield env
    await env.shutdown()


@pytest_asyncio.fixture(loop_scope="session")
async def ts_queue(
    ts_env: WorkflowEnvironment,
    settings: Settings,
    sessions: SessionFactory,
    executor: ThreadPoolExecutor,
) -> AsyncIterator[Queue]:
    """A worker on a fresh task queue of the time-skipping server.

    Its hires are closed afterwards: a hire left waiting on a queue with no worker would
    hold the server's clock still for every later test."""
    queue = Queue(f"ts-{uuid.uuid4().hex[:8]}", [])
    parts = build_parts(settings, sessions)
    async with build_worker(ts_env.client, settings, parts, executor, task_queue=queue.name):
        yield queue
        for hire_id in queue.hire_ids:
            await close_hire(ts_env.client.get_workflow_handle(hire_id))


async def close_hire(handle: WorkflowHandle) -> None:  # type: ignore[type-arg]
    """End a hire the way HR would (withdraw) and wait for it to finish on its own.

    Terminating instead can leave the time-skipping server's clock locked for good when a
    task of that workflow is in flight, stalling every later test."""
    if (await handle.describe()).status != WorkflowExecutionStatus.RUNNING:
        return
    try:
        await handle.execute_update(HireWorkflow.withdraw, WithdrawInput("test over", "test"))
    except WorkflowUpdateFailedError:
        pass  # it was already ending
    await handle.result()


# ---- dev server: the API ----


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def dev_env(settings: Settings) -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(BIN / "temporal"),
        data_converter=data_converter(settings),
        ui=False,
        dev_server_log_level="error",
        search_attributes=search.ALL,
    )
    yield env
    await env.shutdown()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def dev_worker(
    dev_env: WorkflowEnvironment,
    settings: Settings,
    sessions: SessionFactory,
    executor: ThreadPoolExecutor,
) -> AsyncIterator[Client]:
    parts = build_parts(settings, sessions)
    async with build_worker(dev_env.client, settings, parts, executor):
        yield dev_env.client


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def api(
    dev_worker: Client, settings: Settings, engine: sa.Engine
) -> AsyncIterator[httpx.AsyncClient]:
    """The API app over ASGI, talking to the dev server where a real worker runs."""
    async with serving(create_app(settings, client=dev_worker)) as client:
        yield client


@pytest_asyncio.fixture(loop_scope="session")
async def web(dev_worker: Client, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A browser's view of the pages (its own app, so its session cookie is its own)."""
    async with serving(create_app(settings, client=dev_worker)) as client:
        yield client


def csrf_of(page: str) -> str:
    """The form token a page carries."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


async def sign_in(web: httpx.AsyncClient, team: TeamKey) -> None:
    """Sign ``web`` in to the pages with the team's key, as the sign-in form does."""
    token = csrf_of((await web.get("/signin")).text)
    signed = await web.post("/signin", data={"csrf_token": token, "api_key": team.key})
    assert signed.status_code == 303, signed.text
