"""What reaches the API's edge and must stop there: control characters anywhere a request
carries text, bodies too large to read (before the key is checked), addresses too long,
dates no real event has; and what every response says about caching and HTTPS."""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from temporalio.client import Client

from api.app import create_app
from api.human_errors import label
from core.crypto import Keyring
from core.settings import Settings
from testkit.samples import PDF, hire_body
from tests.api.test_bad_input import snapshot
from tests.conftest import TeamKey, free_port
from tests.helpers import eventually, serving, unique_name

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024


async def start(api: httpx.AsyncClient, team: TeamKey, name: str) -> dict[str, Any]:
    response = await api.post("/api/v1/hires", headers=team.headers, json=hire_body(name=name))
    assert response.status_code == 201, response.text
    hire: dict[str, Any] = response.json()
    return hire


async def test_control_characters_are_refused_by_field_and_change_nothing(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    hire = await start(api, team, unique_name("Plain"))
    base = f"/api/v1/hires/{hire['id']}"
    await eventually(lambda: _quiet(api, team, base))
    before = await snapshot(api, team, hire["id"])

    def named(**changes: Any) -> dict[str, Any]:
        body = hire_body(name=unique_name("Plain"))
        for path, value in changes.items():
            *parents, leaf = path.split("__")
            target = body
            for part in parents:
                target = target[part]
            target[leaf] = value
        return body

    cases: list[tuple[str, str, dict[str, Any], str, str]] = [
        # (method, path, request kwargs, the field named, what it says)
        ("POST", "/api/v1/hires", {"json": named(candidate__name="Ana\x00Lima")}, "candidate.name", "U+0000"),
        ("POST", "/api/v1/hires", {"json": named(candidate__name="Ana\nLima")}, "candidate.name", "U+000A"),
        ("POST", "/api/v1/hires", {"json": named(position__title="Lead\x1b[31m")}, "position.title", "U+001B"),
        ("POST", "/api/v1/hires", {"json": named(hr_owner__name="Dana\x07")}, "hr_owner.name", "U+0007"),
        ("POST", "/api/v1/hires", {"json": named(candidate__designations=["CPA", "J.D.\x00"])}, "candidate.designations.1", "U+0000"),
        ("POST", "/api/v1/hires", {"json": named(override={"justification": "x" * 30 + "\x00"})}, "override.justification", "U+0000"),
        ("POST", "/api/v1/screenings", {"json": {"candidate": {"citizenships": ["IN"], "designations": ["\x0c"]}, "position": named()["position"]}}, "candidate.designations.0", "U+000C"),
        ("POST", f"{base}/items/lmia_fee_receipt/waive", {"json": {"reason": "not needed\x00"}}, "reason", "U+0000"),
        ("POST", f"{base}/items/lmia_fee_receipt/waive", {"json": {"reason": "page\x0cbreak"}}, "reason", "U+000C"),
        ("POST", f"{base}/items/lmia_fee_receipt/waive", {"content": b'{"reason": "broken \\ud800 text"}', "headers": {"content-type": "application/json"}}, "reason", "unpaired surrogate"),
        ("POST", f"{base}/items/lmia_fee_receipt/accept", {"json": {"reason": "fine\x00"}}, "reason", "U+0000"),
        ("POST", f"{base}/items/lmia_fee_receipt/reject", {"json": {"reason": "\x00"}}, "reason", "U+0000"),
        ("POST", f"{base}/withdraw", {"json": {"reason": "gone\x00"}}, "reason", "U+0000"),
        ("POST", f"{base}/steps/submit_lmia/decision", {"json": {"outcome": "submitted\x00"}}, "outcome", "U+0000"),
        ("POST", f"{base}/steps/submit_lmia/decision", {"json": {"outcome": "submitted", "fields": {"submitted_on": "2026-01-05", "file_number": "A1\x00"}}}, "fields.file_number", "U+0000"),
        ("POST", f"{base}/steps/submit_lmia/decision", {"json": {"outcome": "submitted", "fields": {"file\x00number": "A1"}}}, "fields", "U+0000"),
        ("POST", f"{base}/steps/submit_lmia/deadline", {"json": {"due_on": "2027-01-05", "reason": "\x1b"}}, "reason", "U+001B"),
        ("POST", f"{base}/documents", {"data": {"item": "job_details\x00"}, "files": {"file": ("a.pdf", PDF)}}, "item", ""),
        ("GET", "/api/v1/hires", {"params": {"owner": "dana\x00@employer.example"}}, "owner", "U+0000"),
        ("GET", "/api/v1/hires", {"params": {"cursor": "\x7f"}}, "cursor", "U+007F"),
        ("GET", "/api/v1/pathways/gts%00", {}, "key", "U+0000"),
        ("GET", f"{base}/documents/x%01y", {}, "document_id", "U+0001"),
        ("GET", "/hires", {"params": {"owner": "\x00"}}, "owner", "U+0000"),
    ]  # fmt: skip
    for method, path, kwargs, field, text in cases:
        headers = {**team.headers, **kwargs.pop("headers", {})}
        response = await api.request(method, path, headers=headers, **kwargs)
        assert response.status_code == 422, (path, kwargs, response.text)
        body = response.json()
        assert field in body["fields"] and text in body["fields"][field], (path, body)
        assert body["detail"].startswith(label(field) + ": "), body  # the field, in words

    assert await snapshot(api, team, hire["id"]) == before
    listed = (await api.get("/api/v1/hires", headers=team.headers)).json()["items"]
    assert [h["id"] for h in listed] == [hire["id"]]  # no hire started
    # tabs and line breaks are fine in a reason
    first = next(i["key"] for i in hire["steps"][0]["items"] if i["required"])
    waived = await api.post(
        f"{base}/items/{first}/waive",
        headers=team.headers,
        json={"reason": "Paid by the parent company:\r\n\tsee their receipt"},
    )
    assert waived.status_code == 200, waived.text


async def _quiet(api: httpx.AsyncClient, team: TeamKey, base: str) -> bool:
    events = (await api.get(f"{base}/events", headers=team.headers)).json()["items"]
    return len([e for e in events if e["kind"] == "email_sent"]) >= 1


@pytest_asyncio.fixture(loop_scope="session")
async def browser(dev_worker: Client, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A signed-in browser's view of the pages (its own app, so its cookie stays its own)."""
    app = create_app(settings, client=dev_worker)
    async with serving(app) as web:
        yield web


async def sign_in(web: httpx.AsyncClient, team: TeamKey) -> None:
    token = csrf(await web.get("/signin"))
    signed = await web.post("/signin", data={"csrf_token": token, "api_key": team.key})
    assert signed.status_code == 303, signed.text


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


async def test_a_page_form_with_a_control_character_flashes_its_field_and_changes_nothing(
    api: httpx.AsyncClient, browser: httpx.AsyncClient, team: TeamKey
) -> None:
    hire = await start(api, team, unique_name("Form"))
    page = f"/hires/{hire['id']}"
    await eventually(lambda: _quiet(api, team, f"/api/v1/hires/{hire['id']}"))
    await sign_in(browser, team)
    token = csrf(await browser.get(page))
    before = await snapshot(api, team, hire["id"])
    came_from = {"referer": f"http://hirepath.test{page}"}
    posts: list[tuple[str, dict[str, str], str]] = [
        (f"{page}/withdraw", {"reason": "moving on\x00"}, "Reason: It must not contain"),
        (f"{page}/items/lmia_fee_receipt/waive", {"reason": "n/a\x00"}, "Reason: It must not contain"),
        (f"{page}/items/lmia_fee_receipt/accept", {"reason": "ok\x1b"}, "Reason: It must not contain"),
        (f"{page}/steps/submit_lmia/decision", {"outcome": "submitted", "field.submitted_on": "2026-11-30", "field.file_number": "F\x00"}, "Decision details: It must not contain"),
        (f"{page}/steps/submit_lmia/deadline", {"due_on": "2027-01-05", "reason": "later\x07"}, "Reason: It must not contain"),
    ]  # fmt: skip
    for path, data, flashed in posts:
        posted = await browser.post(path, data={"csrf_token": token, **data}, headers=came_from)
        assert posted.status_code == 303 and posted.headers["location"] == page, posted.text
        shown = html.unescape((await browser.get(page)).text)
        assert flashed in shown and "(found U+00" in shown, (path, shown[:2000])
    # a new hire with a NUL in its name is not started; the page says which field
    form = {
        "csrf_token": token,
        "pathway": "gts",
        "category": "B",
        "candidate.name": "Ana\x00Lima",
        "candidate.email": "ana@candidate.example",
        "candidate.citizenships": "IN",
        "position.title": "Engineer",
        "position.noc": "21231",
        "position.wage.amount": "145000",
        "position.wage.per": "year",
        "position.province": "ON",
        "hr_owner.name": "Dana Reyes",
        "hr_owner.email": "hr@employer.example",
        "manager.name": "Sam Okafor",
        "manager.email": "manager@employer.example",
    }
    new = {"referer": "http://hirepath.test/hires/new"}
    posted = await browser.post("/hires/new", data=form, headers=new)
    assert posted.status_code == 303 and posted.headers["location"] == "/hires/new"
    shown = html.unescape((await browser.get("/hires/new")).text)
    assert "Candidate's name: It must not contain" in shown

    assert await snapshot(api, team, hire["id"]) == before
    listed = (await api.get("/api/v1/hires", headers=team.headers)).json()["items"]
    assert [h["id"] for h in listed] == [hire["id"]]


async def test_a_large_body_is_refused_before_it_is_read_even_without_a_key(
    api: httpx.AsyncClient, team: TeamKey, settings: Settings
) -> None:
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"pathway": "gts", "candidate": {"name": "'
        chunk = b"a" * MIB
        while sent < 64 * MIB:
            sent += len(chunk)
            yield chunk

    json_type = {"content-type": "application/json"}
    streamed = await api.post("/api/v1/hires", headers=json_type, content=endless())
    assert streamed.status_code == 413, streamed.text[:200]
    assert streamed.json()["fields"] == {"body": "too large"}
    assert "larger than 1048576 bytes" in streamed.json()["detail"]
    assert sent < 4 * MIB  # it stopped a few MiB in, not after 64
    declared = await api.post(
        "/api/v1/hires", headers={**json_type, "content-length": str(400 * MIB)}, content=b""
    )
    assert declared.status_code == 413  # refused on its Content-Length, before any body
    # with a key, too; and a page's form
    padded = {"reason": "x" * (MIB + 10)}
    too_long = await api.post("/api/v1/hires/hire-x/withdraw", headers=team.headers, json=padded)
    assert too_long.status_code == 413
    form = await api.post("/signin", data={"api_key": "x" * (2 * MIB)})
    assert form.status_code == 413 and "too large" in form.text


def profile(body: dict[str, Any]) -> dict[str, Any]:
    """The position as screening takes it (no title)."""
    return {k: v for k, v in body["position"].items() if k != "title"}


async def test_dates_no_real_event_has_are_refused_by_field(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    today = datetime.now(UTC).date()
    later = (today + timedelta(days=5 * 365 + 10)).isoformat()
    for start_date, text in [
        ("0001-01-01", "between 2000-01-01 and"),
        ("1999-12-31", "between 2000-01-01 and"),
        ("9999-12-31", "5 years from today"),
        (later, "5 years from today"),
    ]:
        body = hire_body(name=unique_name("Dated"))
        body["position"]["start_date"] = start_date
        for path, request in [
            ("/api/v1/hires", body),
            ("/api/v1/screenings", {"candidate": {"citizenships": ["IN"]}, "position": profile(body)}),
        ]:  # fmt: skip
            response = await api.post(path, headers=team.headers, json=request)
            assert response.status_code == 422, (start_date, response.text)
            message = response.json()["fields"]["position.start_date"]
            assert message.startswith("The start date must be between") and text in message
    worked_abroad = {"citizenships": ["US"], "related_employment": {"start": "1900-01-01"}}
    position = profile(hire_body(name="x"))
    response = await api.post(
        "/api/v1/screenings",
        headers=team.headers,
        json={"candidate": worked_abroad, "position": position},
    )
    assert response.status_code == 422
    assert "between 1950-01-01" in response.json()["fields"]["candidate.related_employment.start"]
    assert (await api.get("/api/v1/hires", headers=team.headers)).json()["items"] == []
    # a start date four years ahead is a plan, not a typo
    position["start_date"] = (today + timedelta(days=4 * 365)).isoformat()
    plan = {"candidate": {"citizenships": ["IN"]}, "position": position}
    assert (
        await api.post("/api/v1/screenings", headers=team.headers, json=plan)
    ).status_code == 200


async def test_responses_with_personal_data_are_not_stored_and_production_insists_on_https(
    api: httpx.AsyncClient, team: TeamKey, settings: Settings, dev_worker: Client
) -> None:
    for path, headers in [
        ("/api/v1/hires", team.headers),
        ("/api/v1/hires", {}),  # the 401 too
        ("/api/v1/pathways", {}),
        ("/signin", {}),
        ("/", {}),  # the redirect to /signin
        ("/docs", {}),
        ("/readyz", {}),
    ]:
        response = await api.get(path, headers=headers)
        assert response.headers.get("cache-control") == "no-store", path
        assert "strict-transport-security" not in response.headers, path
    for path in ("/static/app.js", "/healthz"):
        assert "no-store" not in (await api.get(path)).headers.get("cache-control", ""), path

    keys = f"k1:{Keyring.new_key()}"
    production = Settings(
        **{
            **_plain(settings),
            "environment": "production",
            "temporal_address": "127.0.0.1:1",
            "session_secret": "s" * 40,
            "payload_keys": keys,
            "payload_key_id": "k1",
            "document_keys": keys,
            "document_key_id": "k1",
        }
    )
    app = create_app(production, client=dev_worker)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://hirepath.test"
        ) as secure,
    ):
        for path in ("/healthz", "/signin", "/static/app.js"):
            response = await secure.get(path)
            assert (
                response.headers["strict-transport-security"]
                == "max-age=63072000; includeSubDomains"
            ), path


def _plain(settings: Settings) -> dict[str, Any]:
    values = settings.model_dump()
    for name, value in values.items():
        if hasattr(value, "get_secret_value"):
            values[name] = value.get_secret_value()
    return values


# ---- the real server, as `hirepath api` runs it ----


@pytest.fixture
def served(
    settings: Settings, dev_worker: Client, engine: Any, tmp_path: Path
) -> Iterator[tuple[str, Path]]:
    """`hirepath api` on a free port over the tests' store and Temporal; its output in a file."""
    port = free_port()
    log = tmp_path / "api.log"
    env = {
        **os.environ,
        "HIREPATH_HOST": "127.0.0.1",
        "HIREPATH_PORT": str(port),
        "HIREPATH_DATA_DIR": str(settings.data_dir),
        "HIREPATH_DATABASE_URL": settings.database,
        "HIREPATH_TEMPORAL_ADDRESS": dev_worker.service_client.config.target_host,
        "HIREPATH_TASK_QUEUE": settings.task_queue,
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "hirepath.cli", "api"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, log.read_text()
            time.sleep(0.1)
        yield url, log
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def test_a_long_address_is_answered_414_not_a_dropped_connection(
    served: tuple[str, Path], team: TeamKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = served
    # httpx itself refuses to send a URL over 64 KiB; the server must cope with longer ones
    monkeypatch.setattr(httpx._urlparse, "MAX_URL_LENGTH", 4 * MIB)
    with httpx.Client(base_url=url, timeout=30) as client:
        huge = client.get("/api/v1/hires", params={"q": "x" * 1_000_000}, headers=team.headers)
        assert huge.status_code == 414, huge.text[:200]
        assert "longer than 8192 bytes" in huge.json()["detail"]
        page = client.get("/hires", params={"owner": "y" * 9000})
        assert page.status_code == 414 and "too long" in page.text
        fine = client.get("/api/v1/hires", params={"note": "z" * 7000}, headers=team.headers)
        assert fine.status_code == 200  # up to 8 KiB is fine


def test_the_access_log_keeps_no_query_string(served: tuple[str, Path], team: TeamKey) -> None:
    url, log = served
    with httpx.Client(base_url=url, timeout=30) as client:
        owner = client.get(
            "/api/v1/hires", params={"owner": "dana@employer.example"}, headers=team.headers
        )
        assert owner.status_code == 200, owner.text
        assert client.get("/hires", params={"owner": "dana@employer.example"}).status_code == 303
    written = log.read_text()
    assert '"GET /api/v1/hires HTTP/1.1" 200' in written, written[-2000:]
    assert '"GET /hires HTTP/1.1" 303' in written, written[-2000:]
    assert "employer.example" not in written and "owner=" not in written, written[-2000:]


async def test_an_event_number_past_the_stores_integers_is_refused_not_a_500(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    """Found by the PostgreSQL fuzz pass: a seq of 2**31 overflowed the store's integer."""
    created = await api.post(
        "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Seq"))
    )
    events = f"/api/v1/hires/{created.json()['id']}/events"
    too_far = await api.get(events, headers=team.headers, params={"after": 2**31})
    assert too_far.status_code == 422 and "after" in too_far.text
    last = await api.get(events, headers=team.headers, params={"after": 2**31 - 1})
    assert last.status_code == 200 and last.json()["items"] == []
