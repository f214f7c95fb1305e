"""`hirepath run` (what `make run` runs) as a process on free ports, for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


class Stack:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.env = {
            **os.environ,
            "HIREPATH_DATA_DIR": str(data_dir),
            "HIREPATH_PORT": str(self.port),
            "HIREPATH_TEMPORAL_PORT": str(free_port()),
            "HIREPATH_TEMPORAL_UI_PORT": str(free_port()),
            "PYTHONUNBUFFERED": "1",
        }
        self.process: subprocess.Popen[str] | None = None
        self.output: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        """Start `hirepath run` (what `make run` runs after setup); return the printed key."""
        self.output = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hirepath.cli", "run"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert self.process.stdout is not None
        key = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                raise AssertionError("hirepath run exited:\n" + "".join(self.output))
            self.output.append(line)
            if match := re.search(r"demo team API key:\s+(\S+)", line):
                key = match.group(1)
            if key and "Ctrl-C stops everything" in line:
                break
        assert key, "no key printed:\n" + "".join(self.output)
        # Keep reading its output, or a full pipe would stall the stack (the API logs every request).
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        for _ in range(200):
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return key
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError("the API never became ready:\n" + "".join(self.output))

    def _drain(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        code = self.process.wait(timeout=60)
        self._reader.join(timeout=10)
        return code

    def kill(self) -> None:
        """SIGKILL the whole stack at once: the runner and everything under it, the Temporal
        dev server (in its own session) included, as a power cut would."""
        assert self.process is not None
        doomed = [self.process.pid, *descendants(self.process.pid)]
        for pid in doomed:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reader.join(timeout=10)


def descendants(root: int) -> list[int]:
    """Every process under ``root`` (from /proc: each one's parent)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, queue = [], [root]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found
