"""Processes for `make run`: who holds a port, a process we did not start, children that die
with the runner.

Finding a port's process reads Linux's /proc (the same user's processes only); elsewhere, or
for another user's process, the port is only known to be taken.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

PROC = Path("/proc")
_LISTEN = "0A"  # TCP_LISTEN in /proc/net/tcp
_PR_SET_PDEATHSIG = 1


class Proc(Protocol):
    """What the runner needs of a process: subprocess.Popen, or a leftover it adopted."""

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> int | None: ...

    def poll(self) -> int | None: ...

    def send_signal(self, sig: int) -> None: ...

    def wait(self, timeout: float | None = None) -> int: ...

    def kill(self) -> None: ...


@dataclass(frozen=True)
class Holder:
    """The process listening on a port."""

    pid: int
    command: tuple[str, ...]

    def describe(self) -> str:
        shown = " ".join(self.command)
        return f"pid {self.pid} ({shown[:160] + ('…' if len(shown) > 160 else '')})"


def port_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _listening_sockets(port: int) -> set[str]:
    found = set()
    for table in ("tcp", "tcp6"):
        try:
            rows = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 9 and fields[3] == _LISTEN:
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    found.add(f"socket:[{fields[9]}]")
    return found


def port_holder(port: int) -> Holder | None:
    """The process listening on ``port``, if this user can see it."""
    sockets = _listening_sockets(port)
    if not sockets:
        return None
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in sockets for fd in (entry / "fd").iterdir()):
                return Holder(int(entry.name), command_of(int(entry.name)))
        except OSError:  # gone meanwhile, or another user's
            continue
    return None


def command_of(pid: int) -> tuple[str, ...]:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return ()
    return tuple(part.decode(errors="replace") for part in raw.split(b"\0") if part)


def alive(pid: int) -> bool:
    """Running (a zombie, dead but not yet reaped, is not)."""
    if PROC.exists():
        try:
            stat = (PROC / str(pid) / "stat").read_text()
        except OSError:
            return False
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Adopted:
    """A process this runner did not start (a leftover dev server it reuses), stopped like
    a child."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and not alive(self.pid):
            self.returncode = 0
        return self.returncode

    def send_signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.1)
        return self.returncode or 0


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return prctl


# Looked up here, in the parent: a child between fork and exec only calls it (no dlopen
# there, where another thread of the runner may have held the loader's lock).
_PRCTL = _load_prctl()


def die_with_parent() -> None:
    """In a child before it runs (Linux): SIGTERM when the runner dies, even by SIGKILL, so
    no worker, API or dev server is left holding its port."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM)


def sqlite_file(url: str, base: Path | None = None) -> Path | None:
    """The file of a SQLite database URL (a relative one from ``base``); None for any other."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = Path(url.removeprefix(prefix).split("?", 1)[0])
    return path if base is None or path.is_absolute() else base / path


def _is_runner(command: tuple[str, ...]) -> bool:
    """`hirepath run`, or `python -m hirepath.cli run` (what `make run` starts)."""
    for at, part in enumerate(command[:-1]):
        if (Path(part).name == "hirepath" or part == "hirepath.cli") and command[at + 1] == "run":
            return True
    return False


def _environment(pid: int) -> dict[str, str]:
    raw = (PROC / str(pid) / "environ").read_bytes()
    pairs = (entry.decode(errors="replace").partition("=") for entry in raw.split(b"\0"))
    return {name: value for name, _, value in pairs if name}


def runner_stores(default_data_dir: Path) -> dict[int, Path | str]:
    """The store of each `hirepath run` this user has running now, by pid (Linux): the SQLite
    file, or the URL of another database. Read from the environment it started with, relative
    paths from its working directory; one that set neither HIREPATH_DATABASE_URL nor
    HIREPATH_DATA_DIR and runs this interpreter uses ``default_data_dir``; one running another
    interpreter (another checkout) without them is left out, its default being unknown here."""
    found: dict[int, Path | str] = {}
    if not PROC.exists():
        return found
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        pid = int(entry.name)
        command = command_of(pid)
        if not _is_runner(command):
            continue
        try:
            env, cwd = _environment(pid), Path(os.readlink(entry / "cwd"))
        except OSError:  # gone meanwhile, or another user's
            continue
        if url := env.get("HIREPATH_DATABASE_URL"):
            found[pid] = sqlite_file(url, cwd) or url
        elif data_dir := env.get("HIREPATH_DATA_DIR"):
            found[pid] = cwd / data_dir / "hirepath.db"
        elif os.path.abspath(cwd / command[0]) == os.path.abspath(sys.executable):
            found[pid] = default_data_dir / "hirepath.db"
    return found
