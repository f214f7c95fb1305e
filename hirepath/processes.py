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
