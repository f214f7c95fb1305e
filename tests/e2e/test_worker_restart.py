"""Killing the worker (SIGKILL) mid-hire loses nothing and duplicates nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
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
from store.models import HireEvent, Notification
from testkit.api_client import drive_to_end
from testkit.samples import PDF, hire_body
from tests.conftest import TeamKey
from tests.helpers import Mailbox, eventually, unique_name

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


class WorkerProcess:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hirepath.cli", "worker"], env=self.env, cwd=ROOT,
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest_asyncio.fixture(loop_scope="session")
async def own_queue(
    dev_env: WorkflowEnvironment, settings: Settings, mailbox: Mailbox, tmp_path: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, WorkerProcess]]:
    """An API on its own task queue, served by a worker in a separate process."""
    queue = f"restart-{uuid.uuid4().hex[:8]}"
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
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://hirepath.test", timeout=120
        ) as client:
            yield client, worker
    worker.stop()


async def test_a_killed_worker_mid_hire_loses_and_duplicates_nothing(
    own_queue: tuple[httpx.AsyncClient, WorkerProcess],
    team: TeamKey,
    mailbox: Mailbox,
    sessions: SessionFactory,
) -> None:
    api, worker = own_queue
    name = unique_name("Restart")
    hire = (await api.post("/api/v1/hires", headers=team.headers, json=hire_body(name=name))).json()
    base = f"/api/v1/hires/{hire['id']}"
    required = [i["key"] for i in hire["steps"][0]["items"] if i["required"]]
    for item in required[:-1]:
        response = await api.post(
            f"{base}/items/{item}/waive", headers=team.headers, json={"reason": "on file"}
        )
        assert response.status_code == 200

    # The last item completes the step: kill the worker while that update is in flight,
    # with the next step's email half sent (held by the SMTP server before its data). A
    # worker killed after the server accepted a message and before the commit that records
    # it would send it again on the retry: SMTP allows at-least-once, no better, and the
    # notifier keeps that gap to one small commit (the same Message-ID lets mail clients fold
    # a repeat). So the kills here land where an email is not yet accepted, or none is out.
    mailbox.holding = True
    upload = asyncio.create_task(
        api.post(f"{base}/documents", headers=team.headers, data={"item": required[-1], "accept": "true"},
                 files={"file": ("lmbp.pdf", PDF)})
    )  # fmt: skip
    try:
        await eventually(lambda: mailbox.held > 0, timeout=30)
        worker.kill()
    finally:
        mailbox.holding = False
    await asyncio.sleep(1)
    worker.start()
    response = await upload
    assert response.status_code == 201, response.text
    assert response.json()["hire"]["current_step"] == "submit_lmia"

    # once more, between two actions, once the emails the last one set off have gone out
    def emails_settled() -> bool:
        with sessions() as session:
            rows = session.exec(select(Notification).where(Notification.hire_id == hire["id"]))
            statuses = [n.status for n in rows]
        return bool(statuses) and set(statuses) == {"sent"}

    await eventually(emails_settled, timeout=60)
    worker.kill()
    worker.start()
    final = await drive_to_end(api, team.headers, hire["id"])
    assert final["status"] == "permit_issued"

    # every email exactly once (one whose worker died mid-send is retried when its
    # activity times out, 30 s later)
    expected = {"step_opened": 4, "authority_waiting": 3, "permit_issued": 1}
    await eventually(lambda: Counter(m.kind for m in mailbox.about(name)) == expected, timeout=90)
    await asyncio.sleep(2)
    assert Counter(m.kind for m in mailbox.about(name)) == expected
    # no duplicated rows: one document per upload, one notification per notice, each step opened once
    documents = [d for s in final["steps"] for i in s["items"] for d in i["documents"]]
    assert len(documents) == len({d["id"] for d in documents}) == 1 + 10
    with sessions() as session:
        events = session.exec(select(HireEvent).where(HireEvent.hire_id == hire["id"])).all()
        notifications = session.exec(
            select(Notification).where(Notification.hire_id == hire["id"])
        ).all()
    opened = Counter(e.step for e in events if e.kind == "step_opened")
    assert set(opened.values()) == {1} and len(opened) == 7
    assert len(notifications) == 8 and {n.status for n in notifications} == {"sent"}
