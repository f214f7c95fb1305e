"""The reports in Chromium at a desktop's and a phone's width: each chart drawn and named,
its numbers a click away, its CSV downloaded, nothing wider than the screen."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from playwright.async_api import Browser

from store.db import SessionFactory
from tests.api.test_reports import seed
from tests.browser.conftest import SCREENSHOTS, signed_in
from tests.browser.test_pages import OVERFLOW
from tests.conftest import make_team

CHARTS = (
    "Hires started per month by pathway",
    "Permits issued per month by pathway",
    "Decisions on time per month by authority, in percent",
    "Permits expiring per month",
)


async def test_the_reports_at_desktop_and_phone_widths(
    browser: Browser, site: str, sessions: SessionFactory, tmp_path: Path
) -> None:
    team = make_team(sessions, "Reports in a browser")
    at = seed(sessions, team.team_id)
    seed(sessions, make_team(sessions, "Reports, other team").team_id, scale=2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        context, page = await signed_in(browser, site, team, width)
        await page.get_by_role("link", name="Reports").click()
        await page.wait_for_url(f"{site}/reports")
        for name in CHARTS:
            chart = page.get_by_role("img", name=name)
            box = await chart.bounding_box()
            assert box is not None and 0 < box["width"] <= width, (name, box)
        # ESDC's bar for last month: three quarters of the axis, as tall as drawn
        esdc = page.locator("rect.chart-bar-esdc", has_text="ESDC: 75%")
        bar = await esdc.bounding_box()
        assert bar is not None and bar["height"] > 20
        on_time = page.locator("#on-time")
        await on_time.locator("summary", has_text="The numbers").click()
        row = on_time.get_by_role("row", name=at.last.strftime("%b %Y"))
        assert "75% (3 of 4)" in await row.inner_text()
        layout = await page.evaluate(OVERFLOW)
        assert layout["page"] <= layout["width"], (width, layout)
        assert layout["out"] == [], (width, layout)
        await page.screenshot(path=str(SCREENSHOTS / f"reports-{width}.png"), full_page=True)
        await context.close()
    context, page = await signed_in(browser, site, team)
    await page.goto(f"{site}/reports")
    async with page.expect_download() as downloading:
        await page.locator("#expiries").get_by_role("link", name="Download as CSV").click()
    download = await downloading.value
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    rows = dict(list(csv.reader(io.StringIO(saved.read_text("utf-8-sig"))))[1:])
    assert rows[at.expiring.strftime("%Y-%m")] == "2"
    await context.close()
