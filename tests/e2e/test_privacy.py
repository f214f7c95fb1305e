"""A whole hire on the `make run` stack: Temporal's database and the logs never hold the
candidate's name or email in plain text, the API still shows both, and rotating the payload
key leaves the hire readable and working."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from core.crypto import Keyring
from testkit.api_client import drive_to_end
from testkit.samples import hire_body
from tests.e2e.stack import Stack

pytestmark = pytest.mark.slow
NAME = "Zorblax Quintavius-Merriweather"
EMAIL = "zorblax.quintavius@unusual-domain.example"


def leaks(stack: Stack) -> list[str]:
    """Files of Temporal and the logs (not the store or the outbox, which hold them by design)
    that contain the name or the email."""
    found = []
    suspects = [
        p for p in stack.data_dir.iterdir() if p.name.startswith("temporal") or p.suffix == ".log"
    ]
    for path in suspects:
        data = path.read_bytes()
        for secret in (NAME, EMAIL):
            if secret.encode() in data or secret.encode("utf-16-le") in data:
                found.append(f"{path.name}: {secret}")
    output = "".join(stack.output)
    found += [f"API output: {s}" for s in (NAME, EMAIL) if s in output]
    return found


def test_no_personal_data_in_temporal_or_the_logs_and_a_key_rotation(tmp_path: Path) -> None:
    stack = Stack(tmp_path / "data")
    key = stack.start()
    headers = {"Authorization": f"Bearer {key}"}
    body = hire_body(name=NAME)
    body["candidate"]["email"] = EMAIL
    created = httpx.post(f"{stack.url}/api/v1/hires", headers=headers, json=body, timeout=60)
    assert created.status_code == 201, created.text
    hire_id = created.json()["id"]

    async def drive() -> dict:  # type: ignore[type-arg]
        async with httpx.AsyncClient(base_url=stack.url, timeout=120) as api:
            return await drive_to_end(api, headers, hire_id)

    assert asyncio.run(drive())["status"] == "permit_issued"
    assert stack.stop() == 0  # the files are complete once everything has stopped
    assert (stack.data_dir / "temporal.db").stat().st_size > 0
    assert leaks(stack) == []

    # Rotate: a new current key, the old one kept to read what it wrote.
    old = (stack.data_dir / "secrets" / "payload-keys").read_text().strip()
    stack.env["HIREPATH_PAYLOAD_KEYS"] = f"{old},next:{Keyring.new_key()}"
    stack.env["HIREPATH_PAYLOAD_KEY_ID"] = "next"
    stack.start()
    shown = httpx.get(f"{stack.url}/api/v1/hires/{hire_id}", headers=headers).json()
    assert (shown["candidate"]["name"], shown["candidate"]["email"]) == (NAME, EMAIL)
    # the old hire still takes actions (its history, written with the old key, replays)
    stopped = httpx.post(
        f"{stack.url}/api/v1/hires/{hire_id}/withdraw",
        headers=headers,
        json={"reason": "Worker left"},
        timeout=60,
    )
    assert stopped.status_code == 200, stopped.text
    events = httpx.get(f"{stack.url}/api/v1/hires/{hire_id}/events", headers=headers).json()[
        "items"
    ]
    assert events[-1]["kind"] == "tracking_stopped" or any(
        e["kind"] == "tracking_stopped" for e in events
    )
    assert stack.stop() == 0
    assert leaks(stack) == []
