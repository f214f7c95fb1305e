"""The whole stack killed at random points between an email's claim and its send (20 hires,
in 4 power cuts of 5 hires each): every email still due is sent exactly once after the
restart, and none is sent for a step that closed meanwhile."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from pathways.calendar import eastern_date
from testkit.samples import hire_body
from tests.e2e.stack import Stack
from tests.helpers import Mailbox, eventually, unique_name

pytestmark = pytest.mark.slow

CUTS, HIRES = 4, 5
PREPARE, SUBMIT, ESDC = (
    "Prepare the LMIA application",
    "Submit the LMIA and pay the fee",
    "ESDC assesses the LMIA",
)


async def settle(api: httpx.AsyncClient, hire: dict, step: int) -> None:
    """Waive every required item of the hire's step (by position), recording its decision."""
    base = f"/api/v1/hires/{hire['id']}"
    detail = (await api.get(base)).json()
    current = detail["steps"][step]
    for item in current["items"]:
        if item["required"] and item["status"] not in ("accepted", "waived"):
            waived = await api.post(f"{base}/items/{item['key']}/waive", json={"reason": "on file"})
            assert waived.status_code == 200, waived.text
    if current["decision"]:
        today = eastern_date(datetime.now(UTC)).isoformat()
        decided = await api.post(
            f"{base}/steps/{current['key']}/decision",
            json={"outcome": "submitted", "fields": {"submitted_on": today}},
        )
        assert decided.status_code == 200, decided.text


def expected(closes_first: bool) -> Counter[str]:
    """The emails a hire must have received, each once: the first step's opening; then either
    the second step's opening (still open when the stack died), or, when HR closed the second
    step while its email was held, nothing for it and ESDC's waiting notice instead."""
    if closes_first:
        return Counter({f"step_opened:{PREPARE}": 1, f"authority_waiting:{ESDC}": 1})
    return Counter({f"step_opened:{PREPARE}": 1, f"step_opened:{SUBMIT}": 1})


def received(mailbox: Mailbox, name: str) -> Counter[str]:
    steps = (PREPARE, SUBMIT, ESDC)
    return Counter(
        f"{m.kind}:{next(s for s in steps if s in m.subject)}"
        for m in mailbox.about(name)
        if any(s in m.subject for s in steps)
    )


async def test_a_power_cut_between_claim_and_send_loses_and_repeats_nothing(
    mailbox: Mailbox, tmp_path: Path
) -> None:
    rng = random.Random(20261203)
    stack = Stack(tmp_path / "data")
    stack.env.update(HIREPATH_MAIL_BACKEND="smtp", HIREPATH_SMTP_PORT=str(mailbox.port))
    key = stack.start()
    hires: list[tuple[str, dict, bool]] = []
    try:
        for _ in range(CUTS):
            async with httpx.AsyncClient(
                base_url=stack.url, headers={"Authorization": f"Bearer {key}"}, timeout=120
            ) as api:
                batch = []
                for n in range(HIRES):
                    name = unique_name("Cut")
                    created = await api.post("/api/v1/hires", json=hire_body(name=name))
                    assert created.status_code == 201, created.text
                    batch.append((name, created.json(), n % 2 == 1))
                for name, _, _ in batch:  # the first step's email, before any cut
                    await eventually(lambda name=name: received(mailbox, name), timeout=60)
                mailbox.holding = True  # every email from now on is claimed, then held
                for _, hire, closes_first in batch:
                    await settle(api, hire, 0)  # the second step opens: its email is held
                    if closes_first:
                        await settle(api, hire, 1)  # ...and closes before that email goes
                held = HIRES + sum(1 for b in batch if b[2])
                await eventually(lambda held=held: mailbox.held >= held, timeout=60)
            await asyncio.sleep(rng.uniform(0, 0.5))  # a random moment inside the window
            stack.kill()
            mailbox.holding = False
            hires.extend(batch)
            key = stack.start()

        for name, _, closes_first in hires:  # the held emails' attempts time out and retry
            want = expected(closes_first)
            await eventually(lambda n=name, w=want: received(mailbox, n) == w, timeout=180)
        await asyncio.sleep(3)  # and nothing more arrives
        for name, _, closes_first in hires:
            assert received(mailbox, name) == expected(closes_first), name
        engine = sa.create_engine(f"sqlite:///{stack.data_dir / 'hirepath.db'}")
        with engine.connect() as connection:
            statuses = Counter(
                row[0]
                for row in connection.execute(
                    sa.text("SELECT status FROM notification WHERE kind = 'step_opened'")
                )
            )
        engine.dispose()
        assert statuses["skipped"] == sum(1 for h in hires if h[2])
    finally:
        mailbox.holding = False
        if stack.process is not None and stack.process.poll() is None:
            stack.stop()
