"""`make run` keeps its stack up: a crashed worker, API or Temporal dev server is started
again; closing the terminal (SIGHUP) stops every process; a port already taken is named
before anything starts, and a dev server an earlier run left behind is reused."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.settings import Settings
from hirepath.processes import alive, command_of
from hirepath.run import start_temporal, wait_for_temporal
from tests.e2e.stack import ROOT, Stack

pytestmark = pytest.mark.slow
HIRE = json.loads((ROOT / "tests" / "e2e" / "hire.json").read_text())


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    stack = Stack(tmp_path / "data")
    yield stack
    if stack.process and stack.process.poll() is None:
        stack.process.kill()


def children(pid: int) -> dict[int, tuple[str, ...]]:
    """The processes whose parent is ``pid``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if stat and int(stat.rsplit(")", 1)[1].split()[1]) == pid and alive(int(entry.name)):
            found[int(entry.name)] = command_of(int(entry.name))
    return found


def child(stack: Stack, word: str) -> int:
    assert stack.process is not None
    [pid] = [p for p, cmd in children(stack.process.pid).items() if word in cmd]
    return pid


def start_hire(stack: Stack, key: str, patience: float = 90) -> dict[str, Any]:
    """Start a hire (retrying while the stack comes back) and return it once it is readable
    with its first step open: the worker ran it and the recorder projected it."""
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": str(uuid.uuid4())}
    deadline = time.monotonic() + patience
    while True:
        last: object = None
        try:
            response = httpx.post(
                f"{stack.url}/api/v1/hires", headers=headers, json=HIRE, timeout=60
            )
            if response.status_code in (200, 201):
                hire: dict[str, Any] = response.json()
                assert hire["steps"][0]["status"] == "open", hire["steps"][0]
                return hire
            last = response
        except httpx.HTTPError as err:
            last = err
        if time.monotonic() > deadline:
            raise AssertionError(f"no hire started: {last!r}\n" + "".join(stack.output))
        time.sleep(1)


def test_a_killed_worker_and_a_killed_api_are_started_again(stack: Stack) -> None:
    key = stack.start()
    worker = child(stack, "worker")
    os.kill(worker, signal.SIGKILL)
    hire = start_hire(stack, key)
    assert hire["candidate"]["name"] == HIRE["candidate"]["name"]
    assert child(stack, "worker") != worker
    assert "the worker exited with code -9; starting it again in 1s" in "".join(stack.output)

    api = child(stack, "api")
    os.kill(api, signal.SIGKILL)
    start_hire(stack, key)
    assert child(stack, "api") != api
    assert stack.stop() == 0


def test_a_killed_temporal_dev_server_is_started_again_and_keeps_every_hire(
    stack: Stack,
) -> None:
    key = stack.start()
    first = start_hire(stack, key)
    temporal = child(stack, "start-dev")
    os.kill(temporal, signal.SIGKILL)
    start_hire(stack, key, patience=120)
    assert child(stack, "start-dev") != temporal
    again = httpx.get(
        f"{stack.url}/api/v1/hires/{first['id']}", headers={"Authorization": f"Bearer {key}"}
    )
    assert again.status_code == 200 and again.json()["status"] == first["status"]
    assert stack.stop() == 0


def test_closing_the_terminal_stops_every_process(stack: Stack) -> None:
    stack.start()
    assert stack.process is not None
    processes = children(stack.process.pid)
    assert len(processes) == 3, processes  # the dev server, the worker, the API
    stack.process.send_signal(signal.SIGHUP)  # what closing the terminal sends
    assert stack.process.wait(timeout=60) == 0
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [cmd for pid, cmd in processes.items() if alive(pid)] == []
    assert "hirepath stopped." in "".join(stack.output)


def test_a_killed_runner_leaves_no_process_behind(stack: Stack) -> None:
    stack.start()
    assert stack.process is not None
    processes = children(stack.process.pid)
    stack.process.kill()  # SIGKILL: the runner cannot stop anything itself
    stack.process.wait(timeout=10)
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [cmd for pid, cmd in processes.items() if alive(pid)] == []


@pytest.mark.parametrize(
    "variable", ["HIREPATH_TEMPORAL_PORT", "HIREPATH_TEMPORAL_UI_PORT", "HIREPATH_PORT"]
)
def test_a_port_already_taken_is_named_with_its_process(stack: Stack, variable: str) -> None:
    port = int(stack.env[variable])
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        run = subprocess.run(
            [sys.executable, "-m", "hirepath.cli", "run"],
            env=stack.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    assert f"port {port} (" in output and variable in output, output
    assert f"is already in use by pid {os.getpid()} (" in output, output
    assert str(stack.data_dir / "temporal.log") in output, output
    assert "hirepath is running" not in output


def test_a_dev_server_left_running_on_this_data_directory_is_reused(
    stack: Stack, tmp_path: Path
) -> None:
    stack.data_dir.mkdir()
    settings = Settings(
        data_dir=stack.data_dir,
        port=int(stack.env["HIREPATH_PORT"]),
        temporal_port=int(stack.env["HIREPATH_TEMPORAL_PORT"]),
        temporal_ui_port=int(stack.env["HIREPATH_TEMPORAL_UI_PORT"]),
    )
    leftover = start_temporal(settings, stack.data_dir / "temporal.log")
    try:
        asyncio.run(wait_for_temporal(settings, leftover))
        key = stack.start()
        assert (
            f"reusing the Temporal dev server an earlier run left running (pid {leftover.pid})"
            in "".join(stack.output)
        )
        start_hire(stack, key)
        assert stack.stop() == 0
        assert leftover.wait(timeout=30) is not None  # stopped with the rest
    finally:
        if leftover.poll() is None:
            leftover.kill()
