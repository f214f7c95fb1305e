"""The pages served over real HTTP (uvicorn, in the test loop) and Debian's Chromium, headless."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
import uvicorn
from playwright.async_api import Browser, BrowserContext, Page, async_playwright
from temporalio.client import Client

from api.app import create_app
from core.settings import Settings
from tests.conftest import TeamKey, free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As the probe found: without these, Chromium tries Google's hosts on this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def site(dev_worker: Client, settings: Settings) -> AsyncIterator[str]:
    """The whole app (API and pages) on a real port, with the dev server's worker behind it."""
    app = create_app(settings, client=dev_worker)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    await task


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    assert Path(CHROMIUM).exists(), (
        "Debian's chromium is missing: apt-get install chromium (.ci/run does)"
    )
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


async def signed_in(
    browser: Browser, site: str, team: TeamKey, width: int = 1280, *, confirm: bool = True
) -> tuple[BrowserContext, Page]:
    """A page signed in as ``team``; ``confirm``: the person says yes to every "are you sure"
    (no, when False)."""
    height = 844 if width < 600 else 900
    context = await browser.new_context(viewport={"width": width, "height": height})
    page = await context.new_page()
    answer = (lambda d: d.accept()) if confirm else (lambda d: d.dismiss())
    page.on("dialog", lambda dialog: asyncio.ensure_future(answer(dialog)))
    await page.goto(f"{site}/signin")
    await page.fill("#api-key", team.key)
    await page.click("form[action='/signin'] button[type=submit]")
    await page.wait_for_url(f"{site}/")
    return context, page
