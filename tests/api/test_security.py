"""Personal data out of plain sight, documents sealed at rest, uploads bounded while read,
security headers, and who may see what."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import AsyncIterator

import httpx
from sqlmodel import select
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DefaultFailureConverterWithEncodedAttributes

from core.crypto import DocumentSealer, EncryptionCodec, Keyring
from core.settings import Settings
from store.db import SessionFactory, session_scope
from store.files import DocumentFiles
from store.models import ApiKey
from store.teams import revoke_key
from testkit.samples import PDF, hire_body
from tests.conftest import TeamKey, make_team
from tests.helpers import unique_name


async def start(api: httpx.AsyncClient, team: TeamKey, name: str) -> dict:  # type: ignore[type-arg]
    response = await api.post("/api/v1/hires", headers=team.headers, json=hire_body(name=name))
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_every_response_carries_the_security_headers(api: httpx.AsyncClient) -> None:
    for path in ("/signin", "/healthz", "/api/v1/pathways", "/docs"):
        response = await api.get(path)
        csp = response.headers["content-security-policy"]
        assert (
            "script-src 'self'" in csp
            and "'unsafe-inline'" not in csp
            and "frame-ancestors 'none'" in csp
        )
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["x-frame-options"] == "DENY"


async def test_the_api_docs_load_from_this_site(api: httpx.AsyncClient) -> None:
    page = (await api.get("/docs")).text
    assert (
        "/docs-assets/swagger-ui-bundle.js" in page
        and "https://" not in page
        and "<script>" not in page
    )
    assert (await api.get("/docs-assets/swagger-ui-bundle.js")).status_code == 200


async def test_documents_are_sealed_at_rest_and_opened_for_their_team(
    api: httpx.AsyncClient, team: TeamKey, settings: Settings
) -> None:
    hire = await start(api, team, unique_name("Sealed"))
    secret = PDF + b"passport number X1234567 " * 100
    upload = await api.post(
        f"/api/v1/hires/{hire['id']}/documents",
        headers=team.headers,
        data={"item": "job_details"},
        files={"file": ("passport.pdf", secret)},
    )
    assert upload.status_code == 201, upload.text
    document = upload.json()["document"]
    sealer = DocumentSealer(settings.document_keyring())
    files = DocumentFiles(settings.documents_dir, settings.max_upload_bytes, sealer)
    stored = files.path_for(document["sha256"]).read_bytes()
    assert (
        stored.startswith(b"HPD1") and b"X1234567" not in stored and b"passport.pdf" not in stored
    )
    download = await api.get(document["url"], headers=team.headers)
    assert download.status_code == 200 and download.content == secret
    assert download.headers["content-disposition"] == "attachment; filename*=UTF-8''passport.pdf"


async def test_a_huge_upload_is_refused_while_it_is_read(
    api: httpx.AsyncClient, team: TeamKey, settings: Settings
) -> None:
    hire = await start(api, team, unique_name("Huge"))
    sent = 0
    gib = 1024**3

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        boundary = (
            b'--x\r\nContent-Disposition: form-data; name="item"\r\n\r\njob_details\r\n--x\r\n'
        )
        yield (
            boundary
            + b'Content-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n'
            + PDF
        )
        chunk = b"0" * (1024 * 1024)
        while sent < gib:
            sent += len(chunk)
            yield chunk

    headers = {**team.headers, "content-type": "multipart/form-data; boundary=x"}
    response = await api.post(
        f"/api/v1/hires/{hire['id']}/documents", headers=headers, content=body()
    )
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
    assert sent < 4 * 1024 * 1024  # it stopped reading a few MiB in, not after 1 GiB
    declared = await api.post(
        f"/api/v1/hires/{hire['id']}/documents",
        headers={**headers, "content-length": str(gib)},
        content=b"",
    )
    assert declared.status_code == 413  # refused on its Content-Length, before any body
    assert settings.max_upload_bytes < 1024 * 1024


async def test_temporal_holds_no_name_or_email_in_plain_text(
    api: httpx.AsyncClient, team: TeamKey, dev_worker: Client, settings: Settings
) -> None:
    name = f"Zyxwv Distinct {unique_name('')[1:]}"
    hire = await start(api, team, name)
    raw = await Client.connect(
        dev_worker.service_client.config.target_host, namespace=dev_worker.namespace
    )
    history = await raw.get_workflow_handle(hire["id"]).fetch_history()
    payload_bytes = b"".join(event.SerializeToString() for event in history.events)
    assert name.encode() not in payload_bytes and b"worker@candidate.example" not in payload_bytes
    assert b"binary/encrypted" in payload_bytes
    assert name not in hire["id"]
    # the API still shows both
    shown = (await api.get(f"/api/v1/hires/{hire['id']}", headers=team.headers)).json()
    assert (
        shown["candidate"]["name"] == name
        and shown["candidate"]["email"] == "worker@candidate.example"
    )


async def test_a_rotated_key_still_reads_what_the_old_one_wrote(
    api: httpx.AsyncClient, team: TeamKey, dev_worker: Client, settings: Settings
) -> None:
    hire = await start(api, team, unique_name("Rotate"))
    old = settings.payload_keyring()
    rotated = Keyring(
        current="next", keys={**old.keys, "next": base64.b64decode(Keyring.new_key())}
    )
    converter = dataclasses.replace(
        pydantic_data_converter,
        payload_codec=EncryptionCodec(rotated),
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )
    client = await Client.connect(
        dev_worker.service_client.config.target_host,
        namespace=dev_worker.namespace,
        data_converter=converter,
    )
    described = await client.get_workflow_handle(hire["id"]).describe()
    history = await client.get_workflow_handle(hire["id"]).fetch_history()
    first = history.events[0].workflow_execution_started_event_attributes.input.payloads
    [decoded] = await converter.decode(first, [dict])  # read with the rotated keyring
    assert decoded["candidate"]["name"] == hire["candidate"]["name"]
    assert described.id == hire["id"]
    without_old = EncryptionCodec(Keyring(current="next", keys={"next": rotated.keys["next"]}))
    try:
        await without_old.decode(list(first))
        raise AssertionError("decrypted without the old key")
    except ValueError as err:
        assert "keep old keys after rotating" in str(err)


async def test_another_teams_documents_are_404_and_a_revoked_key_is_401(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    hire = await start(api, team, unique_name("Mine"))
    upload = await api.post(
        f"/api/v1/hires/{hire['id']}/documents",
        headers=team.headers,
        data={"item": "job_details"},
        files={"file": ("a.pdf", PDF)},
    )
    url = upload.json()["document"]["url"]
    other = make_team(sessions, "Prying team")
    assert (await api.get(url, headers=other.headers)).status_code == 404
    assert (
        await api.get(f"/api/v1/hires/{hire['id']}/events", headers=other.headers)
    ).status_code == 404
    # revoke the other team's key: it gets 401 from then on
    with session_scope(sessions) as session:
        row = session.exec(select(ApiKey).where(ApiKey.team_id == other.team_id)).one()
        assert revoke_key(session, key_id=row.id)
    response = await api.get("/api/v1/hires", headers=other.headers)
    assert response.status_code == 401 and response.json()["detail"] == "unknown or revoked API key"
