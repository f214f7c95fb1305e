"""A deploy stops the worker with SIGTERM: an email it is sending finishes and is not sent again."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from store.db import SessionFactory
from store.models import Notification
from testkit.samples import hire_body
from tests.conftest import TeamKey
from tests.helpers import Mailbox, eventually, unique_name

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow

DELAY = 6.0  # seconds the SMTP server holds its 250 reply to DATA


class WorkerProcess:
    """`hirepath worker` as its own process, as a deploy runs it."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hirepath.cli", "worker"], env=self.env, cwd=ROOT,
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def sigterm(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)

    def wait(self, timeout: float) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest_asyncio.fixture(loop_scope="session")
async def own_queue(
    dev_env: WorkflowEnvironment, settings: Settings, mailbox: Mailbox, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, WorkerProcess]]:
    """An API on its own task queue, served by a worker in a separate process."""
    queue = f"shutdown-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "HIREPATH_TEMPORAL_ADDRESS": dev_env.client.service_client.config.target_host,
        "HIREPATH_TASK_QUEUE": queue,
        "HIREPATH_DATABASE_URL": settings.database,
        "HIREPATH_DATA_DIR": str(settings.data_dir),
        "HIREPATH_MAIL_BACKEND": "smtp",
        "HIREPATH_SMTP_PORT": str(mailbox.port),
        "HIREPATH_BASE_URL": "http://hirepath.test",
    }
    worker = WorkerProcess(env, tmp_path / "worker.log")
    worker.start()
    app = create_app(settings.model_copy(update={"task_queue": queue}), client=dev_env.client)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://hirepath.test", timeout=120
            ) as client:
                yield client, worker
    finally:
        worker.stop()


async def test_sigterm_while_the_smtp_server_confirms_sends_the_email_once(
    own_queue: tuple[httpx.AsyncClient, WorkerProcess],
    team: TeamKey,
    mailbox: Mailbox,
    sessions: SessionFactory,
    tmp_path: Path,
) -> None:
    api, worker = own_queue
    name = unique_name("Shutdown")
    # Starting the hire opens its first step, which emails HR. The server stores the message,
    # then takes DELAY seconds to say so; the deploy's SIGTERM lands in that window.
    mailbox.delay_data = DELAY
    try:
        start = asyncio.create_task(
            api.post("/api/v1/hires", headers=team.headers, json=hire_body(name=name))
        )
        await eventually(lambda: mailbox.delaying > 0 and mailbox.about(name), timeout=60)
        signalled = time.monotonic()
        worker.sigterm()
        code = await asyncio.to_thread(worker.wait, 60)
        stopped_after = time.monotonic() - signalled
    finally:
        mailbox.delay_data = 0
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert code == 0, log[-3000:]
    # it waited for the send to be confirmed (and recorded), not for the whole grace period
    assert stopped_after < DELAY + 15, stopped_after

    # The next worker (the deploy's new version) picks up whatever is left.
    worker.start()
    response = await start
    assert response.status_code == 201, response.text
    hire_id = response.json()["id"]

    def settled() -> bool:
        with sessions() as session:
            rows = session.exec(select(Notification).where(Notification.hire_id == hire_id))
            statuses = [n.status for n in rows]
        return bool(statuses) and set(statuses) == {"sent"}

    # a send cut short is retried after the activity's backoff (or its 30 s timeout)
    await eventually(settled, timeout=90)
    await asyncio.sleep(3)
    deliveries = Counter(str(m.message["Message-ID"]) for m in mailbox.about(name))
    assert deliveries, "no email arrived"
    assert set(deliveries.values()) == {1}, deliveries
