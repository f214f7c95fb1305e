"""Documents on disk: an upload the hire refuses leaves nothing behind, a file's name says
nothing about its content and only its owner may read it, older files still open, and
`hirepath documents collect` deletes what no hire names."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from core.crypto import DocumentSealer, Keyring
from core.settings import Settings
from store.files import DocumentFiles
from testkit.samples import PDF, hire_body
from tests.conftest import TeamKey
from tests.e2e.stack import ROOT
from tests.helpers import unique_name


async def start(api: httpx.AsyncClient, team: TeamKey, name: str) -> dict[str, Any]:
    response = await api.post("/api/v1/hires", headers=team.headers, json=hire_body(name=name))
    assert response.status_code == 201, response.text
    hire: dict[str, Any] = response.json()
    return hire


async def upload(
    api: httpx.AsyncClient, team: TeamKey, hire_id: str, item: str, content: bytes
) -> httpx.Response:
    return await api.post(
        f"/api/v1/hires/{hire_id}/documents",
        headers=team.headers,
        data={"item": item, "accept": "true"},
        files={"file": ("passport.pdf", content)},
    )


def on_disk(settings: Settings) -> set[Path]:
    return {p for p in settings.documents_dir.rglob("*") if p.is_file() and p.name != ".lock"}


def files_of(settings: Settings) -> DocumentFiles:
    """The documents as the API stores them (same directory, same keys)."""
    sealer = DocumentSealer(settings.document_keyring())
    return DocumentFiles(settings.documents_dir, settings.max_upload_bytes, sealer)


async def test_an_upload_the_hire_refuses_leaves_no_file_and_spares_the_shared_one(
    api: httpx.AsyncClient, team: TeamKey, settings: Settings
) -> None:
    hire = await start(api, team, unique_name("Refused"))
    first = await upload(api, team, hire["id"], "job_details", PDF + b"first")
    assert first.status_code == 201, first.text
    before = on_disk(settings)

    # The item is accepted now: the store says its step is open, the hire refuses.
    for content in (PDF + b"another passport scan", PDF + b"first"):
        refused = await upload(api, team, hire["id"], "job_details", content)
        assert refused.status_code == 409, refused.text
        assert "already accepted" in refused.json()["detail"]
    assert on_disk(settings) == before
    download = await api.get(first.json()["document"]["url"], headers=team.headers)
    assert download.status_code == 200 and download.content == PDF + b"first"


async def test_a_stored_file_is_named_by_a_keyed_hash_and_readable_by_its_owner_only(
    api: httpx.AsyncClient, team: TeamKey, settings: Settings
) -> None:
    hire = await start(api, team, unique_name("Named"))
    content = PDF + b"passport number X1234567"
    before = on_disk(settings)
    response = await upload(api, team, hire["id"], "job_details", content)
    assert response.status_code == 201, response.text
    [stored] = on_disk(settings) - before
    sha = hashlib.sha256(content).hexdigest()
    assert sha not in str(stored) and response.json()["document"]["sha256"] == sha
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(settings.documents_dir.stat().st_mode) == 0o700

    # A document stored under its plain hash, as before, still opens.
    legacy = settings.documents_dir / sha[:2] / sha
    legacy.parent.mkdir(exist_ok=True)
    stored.rename(legacy)
    download = await api.get(response.json()["document"]["url"], headers=team.headers)
    assert download.status_code == 200 and download.content == content


async def chunks(content: bytes) -> AsyncIterator[bytes]:
    yield content


def age(path: Path, hours: float = 2) -> Path:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))
    return path


async def test_collect_deletes_the_files_no_hire_names_and_only_those(
    api: httpx.AsyncClient, team: TeamKey, settings: Settings, tmp_path: Path
) -> None:
    files = files_of(settings)
    hire = await start(api, team, unique_name("Collected"))
    kept = await upload(api, team, hire["id"], "job_details", PDF + b"kept")
    assert kept.status_code == 201, kept.text
    age(files.path_for(hashlib.sha256(PDF + b"kept").hexdigest()))

    # An accepted upload whose move to its final name was cut short (the API died).
    moved = await upload(api, team, hire["id"], "employer_details", PDF + b"interrupted")
    assert moved.status_code == 201, moved.text
    document = moved.json()["document"]
    age(files.path_for(document["sha256"])).rename(
        settings.documents_dir / f".upload-{document['id']}"
    )

    # Orphans: an upload never accepted, a file no row names (under today's name and under
    # a plain hash, as before), a fresh one (in flight: spared), one these keys cannot open.
    never = await files.save(chunks(PDF + b"never accepted"), str(uuid.uuid4()))
    age(never.stored.path)
    orphan = files.keep(await files.save(chunks(PDF + b"orphan"), str(uuid.uuid4())))
    age(orphan.path)
    old = files.keep(await files.save(chunks(PDF + b"old orphan"), str(uuid.uuid4())))
    legacy = settings.documents_dir / old.sha256[:2] / old.sha256
    legacy.parent.mkdir(exist_ok=True)
    age(old.path.rename(legacy))
    fresh = files.keep(await files.save(chunks(PDF + b"in flight"), str(uuid.uuid4())))
    other = DocumentSealer(Keyring.parse(f"k9:{Keyring.new_key()}", "k9"))
    foreign = DocumentFiles(tmp_path, settings.max_upload_bytes, other)
    sealed = foreign.keep(await foreign.save(chunks(PDF + b"other keys"), str(uuid.uuid4())))
    alien = settings.documents_dir / sealed.path.relative_to(tmp_path)
    alien.parent.mkdir(exist_ok=True)
    age(Path(shutil.move(sealed.path, alien)))

    run = subprocess.run(
        [sys.executable, "-m", "hirepath.cli", "documents", "collect", "--older-than", "1h"],
        env={
            **os.environ,
            "HIREPATH_DATA_DIR": str(settings.data_dir),
            "HIREPATH_DATABASE_URL": settings.database,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "deleted 1 upload(s) never accepted" in run.stdout
    assert "deleted 2 file(s) no document names" in run.stdout
    assert "moved 1 accepted upload(s) into place" in run.stdout
    assert "kept 1 file(s) these document keys cannot open" in run.stdout
    assert not re.search(r"[0-9a-f]{32}|upload-|/", run.stdout), run.stdout  # counts only

    assert not never.stored.path.exists() and not orphan.path.exists() and not legacy.exists()
    assert fresh.path.exists() and alien.exists()
    fresh.path.unlink()
    alien.unlink()
    for response in (kept, moved):
        url = response.json()["document"]["url"]
        download = await api.get(url, headers=team.headers)
        assert download.status_code == 200 and download.content.startswith(PDF)
