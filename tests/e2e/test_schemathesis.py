"""Schemathesis against the OpenAPI of a running stack: generated inputs for every operation,
no 5xx, and every documented response matching its schema."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from testkit.samples import PDF, hire_body
from tests.e2e.stack import ROOT, Stack

pytestmark = pytest.mark.slow
REPORT = ROOT / "tests" / "artifacts" / "schemathesis.txt"
EXAMPLES_PER_OPERATION = 15


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Stack, str]]:
    stack = Stack(tmp_path / "data")
    key = stack.start()
    yield stack, key
    stack.stop()


def test_generated_requests_get_no_5xx_and_match_the_schema(
    running: tuple[Stack, str], tmp_path: Path
) -> None:
    stack, key = running
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
            "--max-examples", str(EXAMPLES_PER_OPERATION),
            "--seed", "20261129",
            "--no-color",
        ],
        cwd=tmp_path, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    output = run.stdout + run.stderr
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(output)
    assert run.returncode == 0, output[-4000:]
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert cases is not None, output[-2000:]
    generated, passed = int(cases.group(1)), int(cases.group(2))
    assert generated == passed and generated > 500, output[-2000:]
    assert (
        re.search(r"Tested: (\d+)", output) and "failed" not in output.split("SUMMARY")[-1].lower()
    )
