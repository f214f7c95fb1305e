"""Schemathesis against the OpenAPI of a running stack: generated inputs for every operation,
no 5xx, and every documented response matching its schema."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from testkit.samples import PDF, hire_body
from tests.e2e.stack import ROOT, Stack

pytestmark = pytest.mark.slow
REPORT = ROOT / "tests" / "artifacts" / "schemathesis.txt"
EXAMPLES_PER_OPERATION = 15


HOOKS = Path(__file__).with_name("control_chars.py")
POSTGRES = os.environ.get("HIREPATH_TEST_DATABASE_URL", "")


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Stack, str]]:
    """`hirepath run` on SQLite, or on a fresh database of the PostgreSQL server the tests
    were given (.ci/run runs this file on both)."""
    stack = Stack(tmp_path / "data")
    admin, name = None, f"hirepath_fuzz_{uuid.uuid4().hex[:10]}"
    if POSTGRES:
        admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        stack.env["HIREPATH_DATABASE_URL"] = POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    key = stack.start()
    yield stack, key
    stack.stop()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_generated_requests_get_no_5xx_and_match_the_schema(
    running: tuple[Stack, str], tmp_path: Path
) -> None:
    _fuzz(*running, tmp_path, hooks=None, examples=EXAMPLES_PER_OPERATION)


def test_control_characters_in_every_string_get_no_5xx_and_no_hang(
    running: tuple[Stack, str], tmp_path: Path
) -> None:
    """NUL and other control characters in every string of every body and query: refused
    at the edge (422 naming the field), never a 5xx, never a hang; the stack then still
    serves the hire it was fuzzing."""
    stack, key = running
    hire_id = _fuzz(stack, key, tmp_path, hooks=HOOKS, examples=10)
    after = httpx.get(
        f"{stack.url}/api/v1/hires/{hire_id}",
        headers={"Authorization": f"Bearer {key}"},
        timeout=10,
    )
    assert after.status_code == 200 and "\u0000" not in after.text


def _fuzz(stack: Stack, key: str, tmp_path: Path, *, hooks: Path | None, examples: int) -> str:
    headers = {"Authorization": f"Bearer {key}"}
    hire = httpx.post(
        f"{stack.url}/api/v1/hires",
        headers=headers,
        json=hire_body(name="Fuzzed Candidate"),
        timeout=60,
    )
    assert hire.status_code == 201, hire.text
    hire_id = hire.json()["id"]
    upload = httpx.post(
        f"{stack.url}/api/v1/hires/{hire_id}/documents",
        headers=headers,
        data={"item": "employer_details"},
        files={"file": ("a.pdf", PDF)},
        timeout=60,
    )
    assert upload.status_code == 201, upload.text
    # Real identifiers, so the generated requests reach past the 404s.
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "[parameters]\n"
        f'"path.hire_id" = "{hire_id}"\n'
        f'"path.document_id" = "{upload.json()["document"]["id"]}"\n'
        '"path.item" = "job_details"\n'
        '"path.step" = "prepare_lmia"\n'
        '"path.key" = "gts"\n'
    )
    run = subprocess.run(
        [
            str(Path(sys.executable).parent / "st"), "--config-file", str(config), "run",
            f"{stack.url}/openapi.json",
            "--header", f"Authorization: Bearer {key}",
            "--checks", "not_a_server_error,response_schema_conformance",
            "--max-examples", str(examples),
            "--request-timeout", "30",
            "--seed", "20261129",
            "--no-color",
        ],
        cwd=tmp_path, capture_output=True, text=True, timeout=900,
        env={**os.environ, **({"SCHEMATHESIS_HOOKS": str(hooks)} if hooks else {})},
    )  # fmt: skip
    output = run.stdout + run.stderr
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    (REPORT.with_name("schemathesis-control-chars.txt") if hooks else REPORT).write_text(output)
    assert run.returncode == 0, output[-4000:]
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert cases is not None, output[-2000:]
    generated, passed = int(cases.group(1)), int(cases.group(2))
    assert generated == passed and generated > 300, output[-2000:]
    assert (
        re.search(r"Tested: (\d+)", output) and "failed" not in output.split("SUMMARY")[-1].lower()
    )
    return hire_id
