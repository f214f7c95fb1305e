"""Page sessions live in the store: the cookie carries only a random id, signing out ends the
session wherever a copy of the cookie is, and so do idling, the absolute limit and revoking the
key. The calendar link's secret is shown once and never put in the cookie. Wrong keys from one
address are answered 429 past a limit; valid keys never are."""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest_asyncio
from pydantic import SecretStr
from sqlmodel import select
from temporalio.client import Client

from api.app import create_app
from api.deps import WrongCredentials
from core.settings import Settings
from store.db import SessionFactory, session_scope
from store.models import ApiKey, CalendarToken, PageSession
from store.teams import hash_key, revoke_key
from tests.conftest import make_team

COOKIE = "hirepath_session"
Browser = Callable[..., httpx.AsyncClient]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser(dev_worker: Client, settings: Settings) -> AsyncIterator[Browser]:
    """New cookie jars (each a browser of its own) on one app, from the address given."""
    app = create_app(settings, client=dev_worker)
    opened: list[httpx.AsyncClient] = []

    def new(ip: str = "127.0.0.1", cookies: dict[str, str] | None = None) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(ip, 50000)),
            base_url="http://hirepath.test",
            cookies=cookies,
            timeout=60,
        )
        opened.append(client)
        return client

    async with app.router.lifespan_context(app):
        yield new
        for client in opened:
            await client.aclose()


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, html[:500]
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, key: str) -> None:
    token = form_token((await client.get("/signin")).text)
    response = await client.post("/signin", data={"csrf_token": token, "api_key": key})
    assert response.status_code == 303, response.text


def cookie_content(client: httpx.AsyncClient) -> dict[str, Any]:
    """What the session cookie says: it is signed, not encrypted, so anyone holding it can
    read this part."""
    data = client.cookies[COOKIE].split(".", 1)[0]
    content: dict[str, Any] = json.loads(base64.b64decode(data + "=" * (-len(data) % 4)))
    return content


async def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(
    browser: Browser, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Signout team")
    mine, elsewhere = browser(), browser()
    await sign_in(mine, team.key)
    await sign_in(elsewhere, team.key)  # the same key signed in on another machine
    page = await mine.get("/hires")
    assert page.status_code == 200
    token = form_token(page.text)
    copy = browser(cookies={COOKIE: mine.cookies[COOKIE]})
    assert (await copy.get("/hires")).status_code == 200  # a copy works while signed in

    signed_out = await mine.post("/signout", data={"csrf_token": token})
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/signin"

    for client in (mine, copy):
        refused = await client.get("/hires")
        assert refused.status_code == 303
        assert refused.headers["location"].startswith("/signin?next=")
    # the copy cannot act with the form token it saw either
    acted = await copy.post("/calendar", data={"csrf_token": token})
    assert acted.status_code == 303 and acted.headers["location"].startswith("/signin")
    with session_scope(sessions) as session:
        links = session.exec(select(CalendarToken).where(CalendarToken.team_id == team.team_id))
        assert list(links) == []
    # a script's request gets a 401, not a sign-in page
    fetched = await copy.post("/hires/new/screen", headers={"X-Requested-With": "fetch"})
    assert fetched.status_code == 401
    as_json = await copy.get("/api/v1/hires", headers={"Accept": "application/json"})
    assert as_json.status_code == 401
    # signing out here leaves the other machine's session alone
    assert (await elsewhere.get("/hires")).status_code == 200


async def test_the_cookie_holds_only_an_opaque_id_and_the_calendar_link_is_shown_once(
    browser: Browser, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Cookie team")
    client = browser()
    await client.get("/signin")
    before = cookie_content(client)
    await sign_in(client, team.key)
    after = cookie_content(client)
    assert set(after) == {"sid"} and after["sid"] != before["sid"]  # a new id at sign-in
    with session_scope(sessions) as session:
        key = session.exec(select(ApiKey).where(ApiKey.team_id == team.team_id)).one()
    for secret in (team.key, key.id, key.key_hash, team.team_id):
        assert secret not in json.dumps(after)

    page = await client.get("/calendar")
    created = await client.post("/calendar", data={"csrf_token": form_token(page.text)})
    assert created.status_code == 200 and created.headers["cache-control"] == "no-store"
    found = re.search(r"/calendar/([\w-]{40,})\.ics", created.text)
    assert found is not None
    secret = found.group(1)
    assert set(cookie_content(client)) == {"sid"}
    assert secret not in json.dumps(cookie_content(client))
    assert secret not in (await client.get("/calendar")).text  # shown once
    assert (await client.get(f"/calendar/{secret}.ics")).status_code == 200

    revoked = await client.post(
        "/calendar/revoke", data={"csrf_token": form_token(created.text)}, follow_redirects=True
    )
    assert "Revoked 1 calendar link." in revoked.text  # messages still show, once
    assert "Revoked 1 calendar link." not in (await client.get("/calendar")).text
    assert set(cookie_content(client)) == {"sid"}


async def test_a_session_ends_when_idle_past_its_lifetime_or_when_its_key_is_revoked(
    browser: Browser, sessions: SessionFactory, settings: Settings
) -> None:
    team = make_team(sessions, "Expiry team")

    async def signed_in() -> tuple[httpx.AsyncClient, str]:
        client = browser()
        await sign_in(client, team.key)
        assert (await client.get("/")).status_code == 200
        return client, hash_key(cookie_content(client)["sid"])

    def change(id_hash: str, **values: Any) -> None:
        with session_scope(sessions) as session:
            row = session.get(PageSession, id_hash)
            assert row is not None
            for name, value in values.items():
                setattr(row, name, value)
            session.add(row)

    now = datetime.now(UTC)
    idle, id_hash = await signed_in()
    change(id_hash, last_seen_at=now - timedelta(minutes=settings.session_idle_minutes + 1))
    assert (await idle.get("/")).status_code == 303

    old, id_hash = await signed_in()
    change(id_hash, expires_at=now - timedelta(seconds=1))  # in use, but past its hours
    assert (await old.get("/")).status_code == 303

    first, first_hash = await signed_in()
    second, _ = await signed_in()
    with session_scope(sessions) as session:
        key = session.exec(select(ApiKey).where(ApiKey.team_id == team.team_id)).one()
        assert revoke_key(session, key_id=key.id)
    for client in (first, second):
        assert (await client.get("/")).status_code == 303
    with session_scope(sessions) as session:
        ended = session.get(PageSession, first_hash)
        assert ended is not None and ended.revoked_at is not None


# ---- wrong keys ----


async def test_wrong_keys_are_throttled_per_address_and_a_valid_key_never_is(
    dev_worker: Client, settings: Settings, sessions: SessionFactory
) -> None:
    token = "t" * 40
    app = create_app(
        settings.model_copy(update={"codec_token": SecretStr(token)}), client=dev_worker
    )
    now = [1000.0]  # the throttle's clock, moved by hand
    app.state.wrong_credentials = WrongCredentials(
        settings.auth_failure_limit, settings.auth_failure_window_seconds, clock=lambda: now[0]
    )
    team = make_team(sessions, "Throttle team")
    codec_body = {"payloads": []}

    def at(ip: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, client=(ip, 40000)),
            base_url="http://hirepath.test",
        )

    async def wrong_key(client: httpx.AsyncClient) -> httpx.Response:
        headers = {"Authorization": f"Bearer hp_{secrets.token_hex(4)}_guess"}
        return await client.get("/api/v1/hires", headers=headers)

    async def wrong_sign_in(client: httpx.AsyncClient) -> httpx.Response:
        csrf = form_token((await client.get("/signin")).text)
        return await client.post("/signin", data={"csrf_token": csrf, "api_key": "hp_1_guess"})

    async def wrong_token(client: httpx.AsyncClient) -> httpx.Response:
        headers = {"Authorization": "Bearer " + "g" * 40}
        return await client.post("/codec/decode", json=codec_body, headers=headers)

    assert settings.auth_failure_limit == 20 and settings.auth_failure_window_seconds == 60
    async with app.router.lifespan_context(app), at("203.0.113.7") as attacker:
        answers = [await wrong_key(attacker) for _ in range(14)]
        answers += [await wrong_sign_in(attacker) for _ in range(3)]
        answers += [await wrong_token(attacker) for _ in range(3)]
        assert [a.status_code for a in answers] == [401] * 20
        now[0] += 30
        for attempt in (wrong_key, wrong_sign_in, wrong_token):
            refused = await attempt(attacker)
            assert refused.status_code == 429, attempt.__name__
            assert refused.headers["retry-after"] == "30"
        assert "Too many wrong keys" in (await wrong_sign_in(attacker)).text
        more = [(await wrong_key(attacker)).status_code for _ in range(200)]
        assert set(more) == {429}

        # the same address with a valid key or token is not held back
        assert (await attacker.get("/api/v1/hires", headers=team.headers)).status_code == 200
        codec = await attacker.post(
            "/codec/decode", json=codec_body, headers={"Authorization": f"Bearer {token}"}
        )
        assert codec.status_code == 200
        await sign_in(attacker, team.key)
        assert (await attacker.get("/hires")).status_code == 200
        # another address is another count
        async with at("198.51.100.9") as neighbour:
            assert (await wrong_key(neighbour)).status_code == 401
        # once the window has passed, the address may try again
        now[0] += 30
        assert (await wrong_key(attacker)).status_code == 401
