"""An HR person follows the sources: on a pathway's page and on a hire's page, every step, fee
and finding links the official page it rests on (asserted by its address: no network needed)."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser, Page

from pathways.sources import SOURCES
from store.db import SessionFactory
from testkit.samples import hire_body
from tests.browser.conftest import signed_in
from tests.conftest import make_team
from tests.helpers import unique_name

G2 = SOURCES["G2"]
IRPA = SOURCES["IRPA"]


async def assert_links_go_out(page: Page, selector: str) -> None:
    """Every source link in ``selector`` opens an official page in a new tab, safely."""
    links = page.locator(f"{selector} a.source")
    assert await links.count() > 0, selector
    for link in await links.all():
        href = await link.get_attribute("href") or ""
        assert href.startswith(("https://", "http://")), href
        assert await link.get_attribute("rel") == "noopener"
        assert await link.get_attribute("target") == "_blank"


async def test_the_pathway_page_links_every_step_fee_and_the_sources_list(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Sources team")
    context, page = await signed_in(browser, site, team)
    for key in ("gts", "cusma", "ict"):
        await page.goto(f"{site}/pathways/{key}")
        text = await page.locator("main").inner_text()
        assert "PATHWAYS.md" not in text and "domain notes" not in text, key
        steps = page.locator("ol.pathway-steps > li")
        for index in range(await steps.count()):
            await assert_links_go_out(page, f"ol.pathway-steps > li:nth-child({index + 1})")
        await assert_links_go_out(page, "table tbody")
        assert await page.locator("ul.source-list li a[rel=noopener]").count() >= 3, key

    await page.goto(f"{site}/pathways/gts")
    # the LMIA fee's source is ESDC's requirements page; the list at the bottom says its date
    lmia_fee = page.locator("table tbody tr", has_text="LMIA processing")
    link = lmia_fee.get_by_role("link", name=G2.title)
    assert await link.get_attribute("href") == G2.url
    listed = page.locator("#source-G2")
    said = await listed.inner_text()
    assert G2.publisher in said and "page dated Nov 20, 2025" in said, said
    assert "in effect from Dec 22, 2022" in said, said  # the list's date, not the page's
    assert await listed.get_by_role("link").get_attribute("href") == G2.url
    await context.close()


async def test_the_hire_page_links_the_sources_of_its_findings_steps_and_fees(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Sourced hire team")
    async with httpx.AsyncClient(base_url=site, timeout=60) as client:
        response = await client.post(
            "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Sourced"))
        )
    assert response.status_code == 201, response.text
    hire = response.json()
    context, page = await signed_in(browser, site, team)
    await page.goto(f"{site}/hires/{hire['id']}")
    for step in hire["steps"]:
        await assert_links_go_out(page, f"#step-{step['key']} > p.quiet")
    await assert_links_go_out(page, "p.clock")  # the two-week target: IRCC's instructions
    i5 = page.locator("p.clock").get_by_role("link", name=SOURCES["I5"].title)
    assert await i5.get_attribute("href") == SOURCES["I5"].url
    await page.locator("details.more-fees summary").click()
    await assert_links_go_out(page, "#money tbody")
    await page.locator("details.findings summary").click()
    await assert_links_go_out(page, "details.findings li")
    occupation = page.locator("details.findings li").first
    assert await occupation.get_by_role("link").first.get_attribute("href") == G2.url
    assert "PATHWAYS.md" not in await page.locator("main").inner_text()
    await context.close()


async def test_screening_a_canadian_links_the_act(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Canadian team")
    context, page = await signed_in(browser, site, team)
    await page.goto(f"{site}/hires/new")
    await page.fill("[name='candidate.citizenships']", "CA")
    await page.fill("[name='position.noc']", "21231")
    await page.fill("[name='position.wage.amount']", "145000")
    await page.select_option("[name='position.province']", "ON")
    act = page.locator("#verdicts li", has_text="needs no work permit").first
    link = act.get_by_role("link", name=IRPA.title)
    await link.wait_for()
    assert await link.get_attribute("href") == IRPA.url
    assert await link.get_attribute("rel") == "noopener"
    await context.close()
