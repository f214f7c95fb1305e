"""A throwaway PostgreSQL server for the test suites (.ci/run) and the benchmarks.

    python -m testkit.postgres run -- pytest tests/api tests/workflows

starts a server with initdb and pg_ctl in a temporary directory, on a free port, runs the
command with HIREPATH_TEST_DATABASE_URL pointing at it, then stops it and exits with the
command's code. As root, the server runs as the `postgres` user (PostgreSQL refuses root).
"""

# ruff: noqa: S603  (it runs PostgreSQL's own binaries, and the command it was given)

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if not found:
        raise SystemExit(f"{name} not found: install PostgreSQL (apt-get install postgresql)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def server() -> Iterator[str]:
    """A running server; yields its SQLAlchemy URL (database `postgres`, user `postgres`)."""
    root = Path(tempfile.mkdtemp(prefix="hirepath-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres([_binary("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    )
    subprocess.run(
        _as_postgres([_binary("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([_binary("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "run" or "--" not in argv:
        print(__doc__)
        return 2
    command = argv[argv.index("--") + 1 :]
    with server() as url:
        print(f"PostgreSQL for the tests at {url}", flush=True)
        return subprocess.run(
            command, env={**os.environ, "HIREPATH_TEST_DATABASE_URL": url}
        ).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
