"""`make run`'s stack as processes, and the README's tour pasted into a shell against it."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.crypto import Keyring
from store.migrate import upgrade
from tests.e2e.stack import ROOT, Stack

pytestmark = pytest.mark.slow


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    stack = Stack(tmp_path / "data")
    yield stack
    if stack.process and stack.process.poll() is None:
        stack.process.kill()


def readme_tour() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## A five-minute tour with curl", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_make_run_serves_the_api_and_the_readme_tour_issues_a_permit(
    stack: Stack, tmp_path: Path
) -> None:
    key = stack.start()
    assert httpx.get(f"{stack.url}/healthz").json()["status"] == "ok"
    assert (stack.data_dir / "demo-api-key").read_text().strip() == key

    # The tour as written, pointed at this stack's port and data directory.
    script = (
        readme_tour()
        .replace("http://127.0.0.1:8000", stack.url)
        .replace(".data/", f"{stack.data_dir}/")
    )
    tour = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tour.returncode == 0, tour.stdout + tour.stderr
    assert "failed" not in tour.stdout, tour.stdout
    hire_id = re.search(r"hire: (hire-[0-9a-f-]{36})", tour.stdout).group(1)  # type: ignore[union-attr]

    headers = {"Authorization": f"Bearer {key}"}
    hire = httpx.get(f"{stack.url}/api/v1/hires/{hire_id}", headers=headers).json()
    assert hire["status"] == "permit_issued"
    assert all(
        s["status"] == "done" and s["opened_at"] and s["completed_at"] for s in hire["steps"]
    )
    steps = {s["key"]: s for s in hire["steps"]}
    assert steps["lmia_decision"]["decision"]["fields"]["lmia_number"] == "LMIA-8841202"
    assert steps["port_of_entry"]["decision"]["fields"]["permit_number"] == "U123456789"
    documents = [d for s in hire["steps"] for i in s["items"] for d in i["documents"]]
    assert len(documents) == 18
    assert "Work permit issued" in tour.stdout  # the timeline the tour prints
    assert list((stack.data_dir / "outbox").glob("*.eml"))

    # Ctrl-C stops everything; a second run keeps the hire and the key.
    assert stack.stop() == 0
    assert "hirepath stopped." in "".join(stack.output)
    assert stack.start() == key
    again = httpx.get(f"{stack.url}/api/v1/hires/{hire_id}", headers=headers).json()
    assert again["status"] == "permit_issued" and again["version"] == hire["version"]
    assert stack.stop() == 0


def test_an_outbox_email_is_a_readable_message(stack: Stack) -> None:
    key = stack.start()
    body = json.loads((ROOT / "tests" / "e2e" / "hire.json").read_text())
    response = httpx.post(
        f"{stack.url}/api/v1/hires",
        headers={"Authorization": f"Bearer {key}"},
        json=body,
        timeout=30,
    )
    assert response.status_code == 201, response.text
    deadline = time.monotonic() + 30
    while not list((stack.data_dir / "outbox").glob("*.eml")) and time.monotonic() < deadline:
        time.sleep(0.2)
    [eml] = list((stack.data_dir / "outbox").glob("*.eml"))
    text = eml.read_text()
    assert "Subject: Action needed: Prepare the LMIA application (Ana <b>O'Brien</b>)" in text
    assert "To: hr@employer.example" in text

    # the Outbox page shows it, as text, to the signed-in team
    with httpx.Client(base_url=stack.url, follow_redirects=True) as browser:
        form = browser.get("/signin").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        signed = browser.post(
            "/signin", data={"csrf_token": token, "api_key": key, "next": "/outbox"}
        )
        assert signed.status_code == 200 and "<h1>Outbox</h1>" in signed.text
        assert (
            "Action needed: Prepare the LMIA application (Ana &lt;b&gt;O&#39;Brien&lt;/b&gt;)"
            in signed.text
        )
        assert "<b>O'Brien</b>" not in signed.text
    assert stack.stop() == 0


def test_the_data_directory_and_what_it_holds_are_private_to_this_user(stack: Stack) -> None:
    # What an earlier version left world-readable: the directory, the store, keys, documents.
    data = stack.data_dir
    data.mkdir(mode=0o755)
    upgrade(f"sqlite:///{data / 'hirepath.db'}")
    (data / "secrets").mkdir(mode=0o755)
    (data / "secrets" / "document-keys").write_text(f"dev1:{Keyring.new_key()}\n")
    (data / "documents" / "ab").mkdir(mode=0o755, parents=True)
    (data / "documents" / "ab" / ("ab" + "0" * 62)).write_bytes(b"HPD1")
    for path in [data, *data.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)

    key = stack.start()
    hire = httpx.post(
        f"{stack.url}/api/v1/hires",
        headers={"Authorization": f"Bearer {key}"},
        json=json.loads((ROOT / "tests" / "e2e" / "hire.json").read_text()),
        timeout=30,
    ).json()
    upload = httpx.post(
        f"{stack.url}/api/v1/hires/{hire['id']}/documents",
        headers={"Authorization": f"Bearer {key}"},
        data={"item": "job_details"},
        files={"file": ("passport.pdf", b"%PDF-1.4 passport")},
        timeout=30,
    )
    assert upload.status_code == 201, upload.text
    deadline = time.monotonic() + 30
    while not list((data / "outbox").glob("*.eml")) and time.monotonic() < deadline:
        time.sleep(0.2)

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    open_to_others = sorted(str(p.relative_to(data)) for p in data.rglob("*") if mode(p) & 0o077)
    assert mode(data) == 0o700 and open_to_others == []
    for name in ("hirepath.db", "temporal.db", "demo-api-key", "secrets/document-keys"):
        assert mode(data / name) == 0o600, name
    assert len([p for p in (data / "documents").rglob("*") if p.is_file()]) >= 2
    assert list((data / "outbox").glob("*.eml"))
    assert stack.stop() == 0
