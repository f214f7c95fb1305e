"""The payload codec (/codec) decrypts every team's Temporal payloads, so only the operators'
own token opens it: no team's API key or page session does, and without a token configured
it is not there at all."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from google.protobuf import json_format
from pydantic import SecretStr, ValidationError
from temporalio.api.common.v1 import Payloads
from temporalio.client import Client

from api.app import create_app
from core.settings import Settings
from testkit.samples import hire_body
from tests.conftest import TeamKey, make_team
from tests.helpers import serving, unique_name

TOKEN = secrets.token_urlsafe(32)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def operated(dev_worker: Client, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The API with an operators' codec token configured."""
    app = create_app(
        settings.model_copy(update={"codec_token": SecretStr(TOKEN)}), client=dev_worker
    )
    async with serving(app) as client:
        yield client


async def started_input(
    api: httpx.AsyncClient, team: TeamKey, dev_worker: Client, name: str
) -> dict[str, Any]:
    """Team A's hire's workflow input, as it sits in Temporal (encrypted), in codec JSON."""
    response = await api.post("/api/v1/hires", headers=team.headers, json=hire_body(name=name))
    assert response.status_code == 201, response.text
    history = await dev_worker.get_workflow_handle(response.json()["id"]).fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    return json_format.MessageToDict(Payloads(payloads=list(started.input.payloads)))


async def sign_in(client: httpx.AsyncClient, key: str) -> None:
    page = await client.get("/signin")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    response = await client.post(
        "/signin", data={"csrf_token": csrf.group(1), "api_key": key, "next": "/"}
    )
    assert response.status_code == 303, response.text


async def test_another_team_gets_nothing_from_the_codec(
    api: httpx.AsyncClient,
    operated: httpx.AsyncClient,
    team: TeamKey,
    dev_worker: Client,
    sessions: Any,
) -> None:
    name = f"Qwerty Codecson {unique_name('')[1:]}"
    body = await started_input(api, team, dev_worker, name)
    other = make_team(sessions, "Curious team")
    for client in (api, operated):  # without a codec token configured, and with one
        for path in ("/codec/decode", "/codec/encode"):
            for headers in (other.headers, team.headers, {}):
                response = await client.post(path, json=body, headers=headers)
                assert response.status_code in (401, 403, 404), (path, response.status_code)
                assert name not in response.text and "candidate.example" not in response.text
    # a signed-in page session of the other team opens nothing either
    await sign_in(operated, other.key)
    response = await operated.post("/codec/decode", json=body)
    assert response.status_code == 401 and name not in response.text
    operated.cookies.clear()
    # without a token configured the codec is not there at all
    assert (await api.post("/codec/decode", json=body, headers=other.headers)).status_code == 404


async def test_the_operators_token_decodes_and_a_wrong_one_is_refused(
    api: httpx.AsyncClient, operated: httpx.AsyncClient, team: TeamKey, dev_worker: Client
) -> None:
    name = f"Asdfg Operatorova {unique_name('')[1:]}"
    body = await started_input(api, team, dev_worker, name)
    for wrong in (TOKEN[:-1], TOKEN + "x", "", "ünïcode-token"):
        response = await operated.post(
            "/codec/decode", json=body, headers={"Authorization": f"Bearer {wrong}".encode()}
        )
        assert response.status_code in (401, 403), response.status_code
        assert name not in response.text
    operator = {"Authorization": f"Bearer {TOKEN}"}
    decoded = await operated.post("/codec/decode", json=body, headers=operator)
    assert decoded.status_code == 200
    plain = json_format.ParseDict(decoded.json(), Payloads()).payloads[0].data.decode()
    assert name in plain and "worker@candidate.example" in plain
    # and what it encodes, it decodes back
    encoded = await operated.post("/codec/encode", json=decoded.json(), headers=operator)
    assert encoded.status_code == 200 and name not in encoded.text
    again = await operated.post("/codec/decode", json=encoded.json(), headers=operator)
    assert again.json() == decoded.json()
    bad = await operated.post("/codec/decode", json={"payloads": "x"}, headers=operator)
    assert bad.status_code == 422


def test_the_codec_token_is_never_defaulted_and_must_be_long_in_production() -> None:
    production = {
        "environment": "production",
        "database_url": "postgresql+psycopg://u:p@db/h",
        "temporal_address": "temporal:7233",
        "base_url": "https://hirepath.example",
        "session_secret": "s" * 48,
        "payload_keys": "k1:" + "A" * 43 + "=",
        "payload_key_id": "k1",
        "document_keys": "k1:" + "A" * 43 + "=",
        "document_key_id": "k1",
    }
    assert Settings().codec_token.get_secret_value() == ""
    assert Settings(**production).codec_token.get_secret_value() == ""  # off unless given
    with pytest.raises(ValidationError, match="HIREPATH_CODEC_TOKEN"):
        Settings(**production, codec_token="short")
    assert Settings(**production, codec_token=TOKEN).codec_token.get_secret_value() == TOKEN
