"""The inspection bundle, on the dev server with a real worker: one ZIP per hire whose
manifest verifies (every hash recomputed here), with the documents as uploaded, the decisions,
the timeline, the rules and their sources; never another team's hire or documents."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from typing import Any

import httpx

from core.crypto import DocumentSealer
from core.settings import Settings
from store.db import SessionFactory
from store.files import DocumentFiles
from testkit.api_client import today
from testkit.samples import hire_body
from tests.conftest import TeamKey, make_team, sign_in
from tests.helpers import unique_name

PREPARE = [
    "employer_details",
    "business_legitimacy",
    "job_details",
    "wage_and_conditions",
    "recruitment_and_labour_effects",
    "labour_market_benefits_plan",
    "worker_details",
    "signing_authority",
]


def pdf(label: str) -> bytes:
    """A small PDF whose bytes are this document's own."""
    return f"%PDF-1.4\n% {label}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()


async def start(api: httpx.AsyncClient, team: TeamKey, name: str) -> dict[str, Any]:
    response = await api.post("/api/v1/hires", headers=team.headers, json=hire_body(name=name))
    assert response.status_code == 201, response.text
    return response.json()


async def upload(
    api: httpx.AsyncClient,
    team: TeamKey,
    hire_id: str,
    item: str,
    content: bytes,
    filename: str,
    *,
    accept: bool = True,
) -> str:
    response = await api.post(
        f"/api/v1/hires/{hire_id}/documents",
        headers=team.headers,
        data={"item": item, "accept": "true" if accept else "false"},
        files={"file": (filename, content, "application/pdf")},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["document"]["id"])


def opened(response: httpx.Response) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    """The ZIP, checked against its manifest: every file listed with its size and a SHA-256
    recomputed here, and nothing in the ZIP that the manifest does not list."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["path"] for f in manifest["files"]}
    assert set(archive.namelist()) == listed | {"manifest.json"}
    for entry in manifest["files"]:
        data = archive.read(entry["path"])
        assert len(data) == entry["size"], entry["path"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    return archive, manifest


async def test_a_bundle_holds_every_document_decision_event_and_rule_and_its_manifest_verifies(
    api: httpx.AsyncClient, team: TeamKey
) -> None:
    name = unique_name("Bundle")
    hire = await start(api, team, name)
    hire_id = hire["id"]
    uploaded: dict[str, bytes] = {}
    for item in PREPARE:
        content = pdf(f"{item} {hire_id}")
        uploaded[await upload(api, team, hire_id, item, content, f"{item}.pdf")] = content
    # two files of the same name for one item, one name that tries to leave its folder
    first = pdf(f"first receipt {hire_id}")
    uploaded[
        await upload(api, team, hire_id, "lmia_fee_receipt", first, "receipt.pdf", accept=False)
    ] = first
    second = pdf(f"second receipt {hire_id}")
    uploaded[await upload(api, team, hire_id, "lmia_fee_receipt", second, "receipt.pdf")] = second
    sneaky = pdf(f"confirmation {hire_id}")
    sneaky_name = "../../etc/con:firm?ation*.pdf"
    key = "lmia_submission_confirmation"
    uploaded[await upload(api, team, hire_id, key, sneaky, sneaky_name)] = sneaky
    decided = await api.post(
        f"/api/v1/hires/{hire_id}/steps/submit_lmia/decision",
        headers=team.headers,
        json={"outcome": "submitted", "fields": {"submitted_on": today()}},
    )
    assert decided.status_code == 200, decided.text

    response = await api.get(f"/api/v1/hires/{hire_id}/bundle", headers=team.headers)
    archive, manifest = opened(response)
    disposition = response.headers["content-disposition"]
    assert disposition == f'attachment; filename="{hire_id}-bundle-{today()}.zip"'
    assert name not in disposition

    # every document, byte for byte as uploaded, in its item's folder, under a safe unique name
    documents = {f["document_id"]: f for f in manifest["files"] if "document_id" in f}
    assert set(documents) == set(uploaded)
    for document_id, content in uploaded.items():
        entry = documents[document_id]
        assert archive.read(entry["path"]) == content
        assert entry["path"].startswith(f"documents/{entry['item']}/")
        assert entry["as_uploaded"] is True
    receipts = sorted(f["path"] for f in documents.values() if f["item"] == "lmia_fee_receipt")
    assert receipts == [
        "documents/lmia_fee_receipt/receipt-2.pdf",
        "documents/lmia_fee_receipt/receipt.pdf",
    ]
    confirmation = next(f["path"] for f in documents.values() if f["item"] == key)
    assert confirmation == f"documents/{key}/con_firm_ation_.pdf"
    assert all(".." not in p and not p.startswith("/") for p in archive.namelist())

    # the hire as the API shows it: decisions, deadlines, fees, screening
    shown = json.loads(archive.read("hire.json"))
    now = (await api.get(f"/api/v1/hires/{hire_id}", headers=team.headers)).json()
    for part in ("id", "steps", "fees", "screening", "clocks", "candidate", "status"):
        assert shown[part] == now[part], part
    submit = next(s for s in shown["steps"] if s["key"] == "submit_lmia")
    assert submit["decision"]["outcome"] == "submitted"
    assert submit["decision"]["fields"]["submitted_on"] == today()
    assert shown["screening"]["pathway"] == "gts" and shown["screening"]["findings"]

    # the timeline, every event, with Eastern time
    timeline = json.loads(archive.read("timeline.json"))
    events = (await api.get(f"/api/v1/hires/{hire_id}/events", headers=team.headers)).json()
    # (emails sent since the bundle was made may follow)
    since = events["items"][: len(timeline)]
    assert [(e["seq"], e["summary"]) for e in timeline] == [(e["seq"], e["summary"]) for e in since]
    assert any(e["kind"] == "decision_recorded" for e in timeline), [e["kind"] for e in timeline]
    assert all(re.search(r"[-+]0[45]:00$", e["at_eastern"]) for e in timeline)
    assert all(e["when"].endswith(" ET") for e in timeline)
    rows = list(csv.reader(io.StringIO(archive.read("timeline.csv").decode("utf-8-sig"))))
    assert rows[0][:2] == ["seq", "when (Eastern)"]
    assert [r[3] for r in rows[1:]] == [e["summary"] for e in timeline]

    # the rules the hire runs under: each deadline's rule and its sources, with their addresses
    rules = json.loads(archive.read("rules.json"))
    assert (rules["pathway"], rules["version"]) == ("gts", hire["rules_version"])
    esdc = next(s for s in rules["steps"] if s["key"] == "lmia_decision")
    assert esdc["deadline_rule"]["amount"] == 10 and esdc["deadline_rule"]["service_standard"]
    assert esdc["sources"] and all(s["url"].startswith("https://") for s in esdc["sources"])
    assert any("canada.ca" in s["url"] for s in esdc["sources"])
    assert [s["key"] for s in rules["steps"]] == [s["key"] for s in shown["steps"]]

    # who, for whom, when; and the README says what is inside
    assert manifest["hire_id"] == hire_id and manifest["team"]["id"] == team.team_id
    assert manifest["made_by"].startswith("api key ")
    assert manifest["missing_documents"] == []
    readme = archive.read("README.txt").decode()
    for part in ("documents/", "hire.json", "timeline.csv", "rules.json", "manifest.json"):
        assert part in readme, part
    assert name in readme and "SHA-256" in readme


async def test_a_bundle_never_holds_another_teams_hire_and_another_team_gets_404(
    api: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    other = make_team(sessions, "Other team")
    ours_name, theirs_name = unique_name("Ours"), unique_name("Theirs")
    ours = (await start(api, team, ours_name))["id"]
    theirs = (await start(api, other, theirs_name))["id"]
    our_pdf, their_pdf = pdf(f"ours {ours}"), pdf(f"theirs {theirs}")
    await upload(api, team, ours, "job_details", our_pdf, "offer.pdf")
    await upload(api, other, theirs, "job_details", their_pdf, "offer.pdf")

    refused = await api.get(f"/api/v1/hires/{ours}/bundle", headers=other.headers)
    assert refused.status_code == 404
    assert refused.headers["content-type"].startswith("application/json")
    assert (await api.get(f"/api/v1/hires/{ours}/bundle")).status_code == 401

    for key, hire_id, mine, name, not_mine, not_name, not_id in (
        (team, ours, our_pdf, ours_name, their_pdf, theirs_name, theirs),
        (other, theirs, their_pdf, theirs_name, our_pdf, ours_name, ours),
    ):
        archive, manifest = opened(
            await api.get(f"/api/v1/hires/{hire_id}/bundle", headers=key.headers)
        )
        assert manifest["team"]["id"] == key.team_id
        assert archive.read("documents/job_details/offer.pdf") == mine
        everything = b"".join(archive.read(n) for n in archive.namelist())
        assert name.encode() in everything
        assert not_mine not in everything
        assert not_name.encode() not in everything and not_id.encode() not in everything


async def test_the_hire_page_links_to_its_bundle_which_downloads_for_the_signed_in_team(
    api: httpx.AsyncClient, web: httpx.AsyncClient, team: TeamKey, sessions: SessionFactory
) -> None:
    name = unique_name("Page")
    hire_id = (await start(api, team, name))["id"]
    content = pdf(f"page {hire_id}")
    await upload(api, team, hire_id, "employer_details", content, "Détails employeur.pdf")

    signed_out = await web.get(f"/hires/{hire_id}/bundle")
    assert signed_out.status_code in (303, 307) and "/signin" in signed_out.headers["location"]

    await sign_in(web, team)
    page = (await web.get(f"/hires/{hire_id}")).text
    link = re.search(r'<a [^>]*href="(/hires/[^"]+/bundle)"[^>]*>([^<]+)</a>', page)
    assert link, "no bundle link on the hire page"
    assert link.group(2) == "Download inspection bundle (ZIP)"
    response = await web.get(link.group(1))
    archive, manifest = opened(response)
    assert f'filename="{hire_id}-bundle-' in response.headers["content-disposition"]
    assert archive.read("documents/employer_details/Détails employeur.pdf") == content
    assert manifest["team"]["id"] == team.team_id and manifest["made_by"]

    other = make_team(sessions, "Page other team")
    theirs = (await start(api, other, unique_name("Elsewhere")))["id"]
    assert (await web.get(f"/hires/{theirs}/bundle")).status_code == 404


async def test_a_document_gone_from_storage_is_named_missing_and_the_rest_still_verifies(
    api: httpx.AsyncClient, team: TeamKey, settings: Settings
) -> None:
    hire_id = (await start(api, team, unique_name("Gone")))["id"]
    kept, lost = pdf(f"kept {hire_id}"), pdf(f"lost {hire_id}")
    await upload(api, team, hire_id, "job_details", kept, "offer.pdf")
    lost_id = await upload(api, team, hire_id, "employer_details", lost, "details.pdf")
    files = DocumentFiles(
        settings.documents_dir,
        settings.max_upload_bytes,
        DocumentSealer(settings.document_keyring()),
    )
    stored = files.locate(hashlib.sha256(lost).hexdigest())
    assert stored is not None
    stored.unlink()

    archive, manifest = opened(
        await api.get(f"/api/v1/hires/{hire_id}/bundle", headers=team.headers)
    )
    assert manifest["missing_documents"] == [lost_id]
    assert archive.read("documents/job_details/offer.pdf") == kept
    assert not any(n.startswith("documents/employer_details/") for n in archive.namelist())
    readme = archive.read("README.txt").decode()
    assert "not found in storage (1)" in readme and lost_id in readme
