"""A `hirepath` command that would create a new store, away from the one `make run` uses, says
so on stderr, naming both, and still does its work; on the store `make run` uses it says
nothing, and its key opens the running API."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.settings import REPO_ROOT
from store.db import make_engine, session_factory
from store.teams import find_key
from tests.e2e.stack import ROOT, Stack

pytestmark = pytest.mark.slow

WARNING = "creates a new, empty one"


def hirepath(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {name: value for name, value in os.environ.items() if not name.startswith("HIREPATH_")}
    return subprocess.run(
        [sys.executable, "-m", "hirepath.cli", *args],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def printed_key(output: str) -> str:
    match = re.search(r"API key: (\S+)", output)
    assert match, output
    return match.group(1)


def knows(database: Path, key: str) -> bool:
    engine = make_engine(f"sqlite:///{database}", pool_size=1)
    try:
        with session_factory(engine)() as session:
            return find_key(session, key=key) is not None
    finally:
        engine.dispose()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    stack = Stack(tmp_path / "data")
    yield stack
    if stack.process and stack.process.poll() is None:
        stack.process.kill()


def test_a_command_creating_a_new_store_warns_names_both_stores_and_still_works(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    made = hirepath("team", "create", "Other team", HIREPATH_DATA_DIR=str(elsewhere))
    assert made.returncode == 0, made.stderr
    assert f"there is no store at {elsewhere / 'hirepath.db'}" in made.stderr
    assert WARNING in made.stderr and "HIREPATH_DATA_DIR" in made.stderr
    # the store `make run` uses: a running one's, or else the default data directory's
    assert (
        "the `hirepath run` now running" in made.stderr
        or f"uses {REPO_ROOT / '.data' / 'hirepath.db'}" in made.stderr
    ), made.stderr
    assert "warning" not in made.stdout
    assert knows(elsewhere / "hirepath.db", printed_key(made.stdout))
    # the store is there now: no warning the second time
    again = hirepath("key", "list", HIREPATH_DATA_DIR=str(elsewhere))
    assert again.returncode == 0 and again.stderr == "", again.stderr


def test_a_command_away_from_a_running_make_run_names_its_store(
    stack: Stack, tmp_path: Path
) -> None:
    key = stack.start()
    runs_on = stack.data_dir / "hirepath.db"
    stray = tmp_path / "stray" / "hirepath.db"
    made = hirepath("team", "create", "Stray team", HIREPATH_DATABASE_URL=f"sqlite:///{stray}")
    assert made.returncode == 0, made.stderr
    assert f"there is no store at {stray}" in made.stderr, made.stderr
    assert stack.process is not None
    assert f"(pid {stack.process.pid}) uses {runs_on}" in made.stderr, made.stderr
    hires = f"{stack.url}/api/v1/hires"
    stray_key = printed_key(made.stdout)
    assert httpx.get(hires, headers={"Authorization": f"Bearer {stray_key}"}).status_code == 401

    # with the variables `make run` was given: no warning, and the key opens the running API
    same = hirepath("team", "create", "Second team", HIREPATH_DATA_DIR=str(stack.data_dir))
    assert same.returncode == 0 and WARNING not in same.stderr, same.stderr
    second_key = printed_key(same.stdout)
    assert httpx.get(hires, headers={"Authorization": f"Bearer {second_key}"}).status_code == 200
    assert httpx.get(hires, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert stack.stop() == 0
