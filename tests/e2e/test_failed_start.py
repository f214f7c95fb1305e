"""A `make run` that cannot start says why and exits with code 1, cleanly: no pyo3 panic, no
"Fatal Python error: PyGILState_Release" abort, no hang, whatever call to Temporal it gave
up on while it tried."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import ROOT, Stack

pytestmark = pytest.mark.slow

CRASHES = ("Fatal Python error", "PyGILState_Release", "panicked", "Segmentation fault")

# Listens on the port it is given, accepts every connection and never answers: a Temporal
# dev server stuck at start, as the runner sees it.
SILENT_SERVER = """
import socket, sys
port = int(sys.argv[sys.argv.index("--port") + 1])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(16)
print("listening", flush=True)
held = []
while True:
    held.append(server.accept()[0])
"""


@pytest.fixture
def stack(tmp_path: Path) -> Stack:
    return Stack(tmp_path / "data")


@pytest.fixture
def silent_leftover(stack: Stack, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A process that looks like a dev server an earlier run left on this data directory (a
    `temporal server start-dev` on its database) and does not answer."""
    stack.data_dir.mkdir()
    temporal = tmp_path / "bin" / "temporal"
    temporal.parent.mkdir()
    temporal.symlink_to(os.path.realpath(sys.executable))
    (tmp_path / "silent.py").write_text(SILENT_SERVER)
    port = stack.env["HIREPATH_TEMPORAL_PORT"]
    database = str(stack.data_dir / "temporal.db")
    process = subprocess.Popen(
        [str(temporal), str(tmp_path / "silent.py"), "server", "start-dev", "--port", port,
         "--db-filename", database],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stdout.readline().strip() == "listening"
    yield process
    process.kill()
    process.wait()


def run_to_exit(stack: Stack) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-m", "hirepath.cli", "run"],
            env=stack.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired as hung:
        raise AssertionError(f"hirepath run did not exit after a failed start: {hung}") from None


@pytest.mark.parametrize("attempt", range(3))  # before the fix, one run in two crashed or hung
def test_a_leftover_dev_server_that_does_not_answer_ends_the_run_cleanly(
    stack: Stack, silent_leftover: subprocess.Popen[str], attempt: int
) -> None:
    run = run_to_exit(stack)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "does not answer" in output and f"kill {silent_leftover.pid}" in output, output
    assert not any(crash in output for crash in CRASHES), output
    assert "hirepath is running" not in output


def test_a_dev_server_that_cannot_start_ends_the_run_cleanly(stack: Stack) -> None:
    (stack.data_dir / "temporal.db").mkdir(parents=True)  # its database cannot be opened
    run = run_to_exit(stack)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "the Temporal dev server exited" in output, output
    assert str(stack.data_dir / "temporal.log") in output, output
    assert not any(crash in output for crash in CRASHES), output
