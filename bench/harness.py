"""What every benchmark stands on: real processes (Temporal's dev server, a worker, the API
under uvicorn), a load generator, and statistics over repetitions."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from core.settings import Settings
from store.db import make_engine, session_factory, session_scope
from store.migrate import upgrade
from store.teams import create_key, create_team

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
REPEATS = 3
# make bench full=1: every size with three repetitions (whole hires N=200, 10,000 open
# hires), about 35 minutes here; the default run stays under 15 (docs/performance.md).
FULL = os.environ.get("BENCH_FULL", "") not in ("", "0")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


@dataclass
class Stack:
    """Temporal (in memory), a worker (product and bare) and the API (product and bare routes)."""

    database_url: str = ""
    worker_env: dict[str, str] = field(default_factory=dict)
    api_workers: int = 1
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hirepath-bench-")))
    temporal_port: int = field(default_factory=free_port)
    api_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    key: str = ""

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "HIREPATH_DATA_DIR": str(self.data_dir),
            "HIREPATH_DATABASE_URL": self.database_url or f"sqlite:///{self.data_dir / 'store.db'}",
            "HIREPATH_TEMPORAL_ADDRESS": f"127.0.0.1:{self.temporal_port}",
            "HIREPATH_PORT": str(self.api_port),
            "HIREPATH_MAIL_BACKEND": "outbox",
            "HIREPATH_MAX_UPLOAD_BYTES": str(1024 * 1024),
        }

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def settings(self) -> Settings:
        return Settings(data_dir=self.data_dir, database_url=self.env["HIREPATH_DATABASE_URL"])

    def _spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        log = (self.data_dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            command, env=env or self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )

    def start(self) -> Stack:
        settings = self.settings()
        upgrade(settings.database)
        engine = make_engine(settings.database, pool_size=1)
        with session_scope(session_factory(engine)) as session:
            self.key = create_key(session, team_id=create_team(session, name="Bench").id).key
        engine.dispose()
        self._spawn(
            "temporal",
            [
                str(BIN / "temporal"), "server", "start-dev", "--headless", "--ip", "127.0.0.1",
                "--port", str(self.temporal_port), "--log-level", "error",
                "--dynamic-config-value", "frontend.rps=100000",
                "--dynamic-config-value", "frontend.namespaceRPS=100000",
            ],
        )  # fmt: skip
        self._wait(lambda: _connectable(self.temporal_port), 60, "temporal")
        self.start_worker()
        self._spawn(
            "api",
            [
                str(BIN / "uvicorn"), "bench.apps:app", "--factory", "--host", "127.0.0.1",
                "--port", str(self.api_port), "--workers", str(self.api_workers),
                "--log-level", "warning", "--no-access-log",
            ],
        )  # fmt: skip
        self._wait(lambda: _ready(self.url), 60, "api")
        return self

    def start_worker(self) -> None:
        self._spawn(
            "worker", [sys.executable, "-m", "bench.worker"], {**self.env, **self.worker_env}
        )
        time.sleep(2)

    def restart_worker(self, **env: str) -> None:
        self.stop_process("worker")
        self.worker_env = {**self.worker_env, **env}
        self.start_worker()

    def stop_process(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop(self) -> None:
        for name in ("api", "worker", "temporal"):
            self.stop_process(name)

    def _wait(self, check: Callable[[], bool], timeout: float, name: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.2)
        raise SystemExit(f"{name} did not come up; see {self.data_dir}/{name}.log")


def _connectable(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def stack(**options: Any) -> Iterator[Stack]:
    running = Stack(**options).start()
    try:
        yield running
    finally:
        running.stop()


# ---- load and statistics ----


@dataclass
class Run:
    latencies: list[float]  # seconds
    wall: float
    errors: int = 0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
        return ordered[index]


async def load(request: Callable[[int], Awaitable[bool]], total: int, concurrency: int) -> Run:
    """Call ``request(i)`` for i in range(total), ``concurrency`` at a time; time each."""
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)

    async def runner() -> None:
        nonlocal errors
        while not queue.empty():
            i = queue.get_nowait()
            began = time.perf_counter()
            ok = await request(i)
            latencies.append(time.perf_counter() - began)
            errors += 0 if ok else 1

    began = time.perf_counter()
    await asyncio.gather(*(runner() for _ in range(concurrency)))
    return Run(latencies, time.perf_counter() - began, errors)


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def write(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def table(title: str, header: list[str], rows: list[list[Any]]) -> str:
    cells = [header, *[[_cell(c) for c in row] for row in rows]]
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(header))]
    lines = [title, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells[1:]
    ]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)
