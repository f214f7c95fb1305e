"""Faults, with real processes: the SMTP server down for a stretch, the Temporal dev server
restarted, the API restarted (the worker killed mid-update is tests/e2e/test_worker_restart.py).
Each time every hire comes through intact, every due email arrives exactly once, and no row
is duplicated."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from core.settings import Settings
from store.db import make_engine, session_factory, session_scope
from store.migrate import upgrade
from store.models import HireEvent, Notification
from store.teams import create_key, create_team
from testkit.api_client import drive_to_end
from testkit.samples import hire_body
from tests.conftest import free_port
from tests.e2e.stack import ROOT
from tests.helpers import Mailbox, eventually, unique_name

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


@dataclass
class Parts:
    """Temporal, a worker and the API as separate processes; SMTP in this process."""

    data_dir: Path
    mailbox: Mailbox
    temporal_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    smtp: Controller | None = None
    key: str = ""

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "HIREPATH_DATA_DIR": str(self.data_dir),
            "HIREPATH_TEMPORAL_ADDRESS": f"127.0.0.1:{self.temporal_port}",
            "HIREPATH_PORT": str(self.api_port),
            "HIREPATH_MAIL_BACKEND": "smtp",
            "HIREPATH_SMTP_PORT": str(self.mailbox.port),
            "HIREPATH_SMTP_TIMEOUT_SECONDS": "3",
        }

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def start_temporal(self) -> None:
        self.processes["temporal"] = subprocess.Popen(
            [
                str(BIN / "temporal"), "server", "start-dev", "--headless", "--ip", "127.0.0.1",
                "--port", str(self.temporal_port), "--db-filename", str(self.data_dir / "temporal.db"),
                "--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=1", "--log-level", "error",
            ],
            stdout=(self.data_dir / "temporal.log").open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def start(self, name: str) -> None:
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "hirepath.cli", name],
            env=self.env, cwd=ROOT,
            stdout=(self.data_dir / f"{name}.log").open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        process.send_signal(sig)
        process.wait(timeout=30)

    def start_smtp(self) -> None:
        self.smtp = Controller(self.mailbox, hostname="127.0.0.1", port=self.mailbox.port)
        self.smtp.start()

    def stop_smtp(self) -> None:
        assert self.smtp is not None
        self.smtp.stop()
        self.smtp = None

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/readyz", timeout=3).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"not ready in {timeout}s; see {self.data_dir}/*.log")


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Parts]:
    data_dir = tmp_path_factory.mktemp("faults")
    mailbox = Mailbox()
    mailbox.port = free_port()
    stack = Parts(data_dir, mailbox)
    settings = Settings(data_dir=data_dir)
    upgrade(settings.database)
    engine = make_engine(settings.database, pool_size=1)
    with session_scope(session_factory(engine)) as session:
        stack.key = create_key(session, team_id=create_team(session, name="Faults").id).key
    engine.dispose()
    stack.start_smtp()
    stack.start_temporal()
    stack.start("worker")
    stack.start("api")
    stack.wait_ready()
    yield stack
    for name in list(stack.processes):
        stack.kill(name, signal.SIGTERM)
    if stack.smtp:
        stack.stop_smtp()


def headers(parts: Parts) -> dict[str, str]:
    return {"Authorization": f"Bearer {parts.key}"}


def store_counts(parts: Parts, hire_id: str) -> tuple[Counter[str], list[Notification]]:
    engine = make_engine(Settings(data_dir=parts.data_dir).database, pool_size=1)
    with session_factory(engine)() as session:
        events = session.exec(select(HireEvent).where(HireEvent.hire_id == hire_id)).all()
        notifications = list(
            session.exec(select(Notification).where(Notification.hire_id == hire_id)).all()
        )
    engine.dispose()
    return Counter(
        f"{e.kind}:{e.step}" for e in events if e.kind in ("step_opened", "step_completed")
    ), notifications


EXPECTED_EMAILS = {"step_opened": 4, "authority_waiting": 3, "permit_issued": 1}


async def finish(parts: Parts, hire_id: str, name: str) -> None:
    async with httpx.AsyncClient(base_url=parts.url, timeout=120) as api:
        final = await drive_to_end(api, headers(parts), hire_id)
    assert final["status"] == "permit_issued"
    await eventually(
        lambda: Counter(m.kind for m in parts.mailbox.about(name)) == EXPECTED_EMAILS, timeout=120
    )
    await asyncio.sleep(3)
    assert Counter(m.kind for m in parts.mailbox.about(name)) == EXPECTED_EMAILS  # and no more
    steps, notifications = store_counts(parts, hire_id)
    assert set(steps.values()) == {1}  # each step opened and completed once
    assert len(notifications) == 8 and {n.status for n in notifications} == {"sent"}


async def test_smtp_down_for_a_stretch_then_back(parts: Parts) -> None:
    name = unique_name("Smtp")
    parts.stop_smtp()
    response = httpx.post(
        f"{parts.url}/api/v1/hires", headers=headers(parts), json=hire_body(name=name), timeout=60
    )
    assert response.status_code == 201
    hire_id = response.json()["id"]

    def delayed() -> bool:
        events = httpx.get(
            f"{parts.url}/api/v1/hires/{hire_id}/events", headers=headers(parts)
        ).json()["items"]
        return any(e["kind"] == "email_delayed" for e in events)

    await eventually(delayed, timeout=30)
    ready = httpx.get(f"{parts.url}/readyz").json()
    assert ready["checks"]["mail"].startswith("delayed: ")
    await asyncio.sleep(5)  # a stretch: more retries fail
    parts.start_smtp()
    await eventually(lambda: parts.mailbox.of_kind(name, "step_opened"), timeout=60)
    events = httpx.get(f"{parts.url}/api/v1/hires/{hire_id}/events", headers=headers(parts)).json()[
        "items"
    ]
    assert not any(e["kind"] == "email_delayed" for e in events)  # the line became "sent"
    await finish(parts, hire_id, name)


async def test_the_temporal_server_restarted_mid_hire(parts: Parts) -> None:
    name = unique_name("Temporal")
    response = httpx.post(
        f"{parts.url}/api/v1/hires", headers=headers(parts), json=hire_body(name=name), timeout=60
    )
    hire_id = response.json()["id"]
    await eventually(lambda: parts.mailbox.of_kind(name, "step_opened"), timeout=30)
    parts.kill("temporal")
    down = httpx.post(
        f"{parts.url}/api/v1/hires/{hire_id}/items/job_details/waive",
        headers=headers(parts), json={"reason": "on file"}, timeout=60,
    )  # fmt: skip
    assert down.status_code == 503, down.text  # says so, changes nothing
    ready = httpx.get(f"{parts.url}/readyz", timeout=30)
    assert ready.status_code == 503 and ready.json()["checks"]["temporal"].startswith("unreachable")
    parts.start_temporal()
    parts.wait_ready(120)
    detail = httpx.get(f"{parts.url}/api/v1/hires/{hire_id}", headers=headers(parts)).json()
    assert (
        next(i for i in detail["steps"][0]["items"] if i["key"] == "job_details")["status"]
        == "requested"
    )
    await finish(parts, hire_id, name)


async def test_the_api_restarted_and_a_retried_request_finds_its_hire(parts: Parts) -> None:
    name = unique_name("Api")
    body = hire_body(name=name)
    first = httpx.post(
        f"{parts.url}/api/v1/hires",
        headers={**headers(parts), "Idempotency-Key": name},
        json=body,
        timeout=60,
    )
    assert first.status_code == 201
    parts.kill("api")
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{parts.url}/healthz", timeout=2)
    parts.start("api")
    parts.wait_ready()
    again = httpx.post(
        f"{parts.url}/api/v1/hires",
        headers={**headers(parts), "Idempotency-Key": name},
        json=body,
        timeout=60,
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    await finish(parts, first.json()["id"], name)
