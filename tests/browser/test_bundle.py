"""The inspection bundle from the hire's page, in Chromium: the link downloads one ZIP whose
manifest verifies, with the document uploaded."""

from __future__ import annotations

import hashlib
import json
import zipfile

import httpx
from playwright.async_api import Browser

from store.db import SessionFactory
from tests.browser.conftest import SCREENSHOTS, signed_in
from tests.browser.test_pages import _api_hire
from tests.conftest import make_team
from tests.helpers import unique_name

OFFER = b"%PDF-1.4\n% the signed offer\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_hr_downloads_a_hires_inspection_bundle_from_its_page(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Bundle team")
    hire = await _api_hire(site, team, unique_name("Inspected"))
    async with httpx.AsyncClient(base_url=site, timeout=60) as client:
        uploaded = await client.post(
            f"/api/v1/hires/{hire['id']}/documents",
            headers=team.headers,
            data={"item": "job_details", "accept": "true"},
            files={"file": ("offer.pdf", OFFER, "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text
    context, page = await signed_in(browser, site, team)
    await page.goto(f"{site}/hires/{hire['id']}")
    link = page.get_by_role("link", name="Download inspection bundle (ZIP)")
    await link.wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / "hire-bundle-link.png"))
    async with page.expect_download() as downloading:
        await link.click()
    download = await downloading.value
    assert download.suggested_filename.startswith(f"{hire['id']}-bundle-")
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(await download.path()) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert set(archive.namelist()) == {f["path"] for f in manifest["files"]} | {"manifest.json"}
        for entry in manifest["files"]:
            assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
        assert archive.read("documents/job_details/offer.pdf") == OFFER
    assert manifest["hire_id"] == hire["id"] and manifest["team"]["id"] == team.team_id
    await context.close()
