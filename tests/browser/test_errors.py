"""Mistakes on the new-hire form, as an HR person meets them in Chromium at desktop and phone
widths: every problem in plain words under its field and in a summary that links to it, the
first field at fault focused, help and error text read with the field, and the live screening
saying which field stops it (with and without the page's script)."""

from __future__ import annotations

import re

from playwright.async_api import Browser, Page, expect

from store.db import SessionFactory
from tests.browser.conftest import SCREENSHOTS, signed_in
from tests.browser.test_pages import OVERFLOW, _api_hire, fill_new_hire
from tests.conftest import make_team
from tests.helpers import unique_name
from tests.human_words import leaks

WIDTHS = (1280, 390)
FOCUSED = "() => document.activeElement && document.activeElement.id"


async def described_by(page: Page, field_id: str) -> str:
    """What a screen reader reads after the field's label: the texts its aria-describedby
    names, in order."""
    return str(
        await page.evaluate(
            """(id) => (document.getElementById(id).getAttribute('aria-describedby') || '')
                 .split(' ').filter(Boolean)
                 .map((ref) => document.getElementById(ref).textContent.trim()).join(' | ')""",
            field_id,
        )
    )


async def no_overflow(page: Page, name: str, width: int) -> None:
    layout = await page.evaluate(OVERFLOW)
    assert layout["page"] <= layout["width"] and layout["out"] == [], (name, width, layout)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"errors-{name}-{width}.png"), full_page=True)


async def test_an_empty_submit_lists_each_field_focuses_the_first_and_reads_its_help(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Empty form team")
    for width in WIDTHS:
        context, page = await signed_in(browser, site, team, width)
        await page.goto(f"{site}/hires/new")
        async with page.expect_navigation():
            await page.get_by_role("button", name="Start the hire").click()
        summary = page.locator(".error-summary")
        await expect(summary).to_be_visible()
        assert "10 things to fix before the hire can start" in await summary.inner_text()
        links = summary.locator("a")
        assert await links.count() == 10
        assert await links.first.inner_text() == "Candidate's name: This can't be empty"
        assert await links.first.get_attribute("href") == "#f-candidate.name"
        # the first field at fault has the focus, and says what is wrong with it
        assert await page.evaluate(FOCUSED) == "f-candidate.name"
        name = page.locator("#f-candidate\\.name")
        assert await name.get_attribute("aria-invalid") == "true"
        assert await described_by(page, "f-candidate.name") == "This can't be empty"
        # a field with help reads its help and then its problem
        assert await described_by(page, "f-candidate.citizenships") == (
            "Two-letter country codes, e.g. IN, US, MX | This can't be empty"
        )
        province = page.locator("#f-position\\.province")
        assert await province.get_attribute("aria-invalid") == "true"
        assert await described_by(page, "f-position.province") == "Choose a province"
        # a field that is fine is not marked, and still reads its help
        residence = page.locator("#f-candidate\\.residence")
        assert await residence.get_attribute("aria-invalid") is None
        assert await described_by(page, "f-candidate.residence") == (
            "Two-letter code; CA if already in Canada"
        )
        # a summary link takes the HR person to the field
        await summary.locator("a", has_text="Province").click()
        assert page.url.endswith("#f-position.province")
        await expect(province).to_be_in_viewport()
        assert leaks(await page.locator("main").inner_text()) == []
        await no_overflow(page, "empty-submit", width)
        await context.close()


async def test_a_wrong_field_is_named_in_hr_words_and_focused_and_the_rest_is_kept(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Wrong field team")
    for width in WIDTHS:
        context, page = await signed_in(browser, site, team, width)
        await fill_new_hire(page, site, unique_name("Wrong"))
        await page.fill("[name='candidate.email']", "ana at example")
        await page.fill("[name='position.noc']", "2123")
        async with page.expect_navigation():
            await page.get_by_role("button", name="Start the hire").click()
        summary = await page.locator(".error-summary").inner_text()
        assert "Candidate's email: Enter an email address like name@example.com" in summary
        assert "NOC 2021 code: Use the 5-digit NOC 2021 code, like 21231" in summary
        assert await page.evaluate(FOCUSED) == "f-candidate.email"
        noc = page.locator(".field", has=page.locator("#f-position\\.noc"))
        assert "Use the 5-digit NOC 2021 code, like 21231" in await noc.inner_text()
        assert await described_by(page, "f-position.noc") == (
            "5 digits, e.g. 21231 | Use the 5-digit NOC 2021 code, like 21231"
        )
        # what was typed is still there, so only the mistakes need retyping
        assert await page.input_value("#f-position\\.title") == "Senior software engineer"
        assert await page.input_value("#f-candidate\\.email") == "ana at example"
        text = await page.locator("main").inner_text()
        assert leaks(text) == [] and "String should" not in text
        await no_overflow(page, "wrong-fields", width)
        # fixed, the hire starts
        await page.fill("#f-candidate\\.email", "ana@candidate.example")
        await page.fill("#f-position\\.noc", "21231")
        async with page.expect_navigation():
            await page.get_by_role("button", name="Start the hire").click()
        assert re.search(r"/hires/hire-[0-9a-f-]{36}$", page.url), page.url
        await context.close()


async def test_the_live_screening_says_which_field_is_wrong_and_what_is_missing(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Live screening team")
    for width in WIDTHS:
        context, page = await signed_in(browser, site, team, width)
        await page.goto(f"{site}/hires/new")
        verdicts = page.locator("#verdicts")
        await expect(verdicts).to_contain_text(
            "To see which pathways fit, enter: Country of citizenship, NOC 2021 code, "
            "Wage and Province."
        )
        await page.fill("#f-candidate\\.citizenships", "IN")
        await page.fill("#f-position\\.noc", "2123")
        await expect(verdicts).to_contain_text(
            "Check NOC 2021 code: use the 5-digit NOC 2021 code, like 21231"
        )
        await expect(verdicts).to_contain_text("Also still needed: Wage and Province.")
        await page.fill("#f-candidate\\.residence", "usa")
        await expect(verdicts).to_contain_text(
            "Check Country of residence: use a two-letter country code, like IN or US"
        )
        link = verdicts.get_by_role("link", name="Country of residence")
        assert await link.get_attribute("href") == "#f-candidate.residence"
        assert leaks(await verdicts.inner_text()) == []
        await no_overflow(page, "live-screening", width)
        # fixed (lower case is fine), the verdicts come
        await page.fill("#f-candidate\\.residence", "us")
        await page.fill("#f-position\\.noc", "21231")
        await page.fill("#f-position\\.wage\\.amount", "145000")
        await page.select_option("#f-position\\.province", "ON")
        await expect(verdicts.locator(".verdict").first).to_be_visible()
        await expect(verdicts).not_to_contain_text("Check ")
        await context.close()


async def test_without_the_script_check_eligibility_names_the_wrong_field(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "No script team")
    context, page = await signed_in(browser, site, team)
    cookies = await context.cookies()
    await context.close()
    for width in WIDTHS:
        bare = await browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=False
        )
        await bare.add_cookies(cookies)  # type: ignore[arg-type]
        page = await bare.new_page()
        await page.goto(f"{site}/hires/new")
        await page.fill("#f-candidate\\.citizenships", "India")
        await page.fill("#f-position\\.noc", "21231")
        await page.fill("#f-position\\.wage\\.amount", "145000")
        await page.select_option("#f-position\\.province", "ON")
        async with page.expect_navigation():
            await page.get_by_role("button", name="Check eligibility").click()
        verdicts = page.locator("#verdicts")
        assert "Check Country of citizenship: use a two-letter country code, like IN or US" in (
            await verdicts.inner_text()
        )
        assert (await page.input_value("#f-candidate\\.citizenships")).lower() == "india"
        await no_overflow(page, "check-eligibility-no-script", width)
        await bare.close()


async def test_the_hire_page_forms_flash_hr_words(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    """A decision or deadline the browser's own checks would stop, sent anyway (an old
    browser, a script): the flash says what is wrong in words, with no field's path."""
    team = make_team(sessions, "Hire forms team")
    hire = await _api_hire(site, team, unique_name("Forms"))
    for width in WIDTHS:
        context, page = await signed_in(browser, site, team, width)
        await page.goto(f"{site}/hires/{hire['id']}")
        step = page.locator("#step-prepare_lmia")
        await step.locator("details.deadline summary").click()
        due = page.locator("#due-prepare_lmia")
        await due.evaluate("(input) => { input.type = 'text'; input.value = 'next week'; }")
        await page.fill("#why-prepare_lmia", "Counsel asked")
        async with page.expect_navigation():
            await step.locator("button", has_text="Move it").click()
        flash = page.locator(".flash-error")
        await expect(flash).to_have_text("New due date: Enter a date like 2027-01-06")
        assert leaks(await flash.inner_text()) == []
        await no_overflow(page, "hire-deadline-flash", width)
        await context.close()


async def test_a_hire_screening_refuses_says_how_to_start_it_anyway(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Override team")
    for width in WIDTHS:
        context, page = await signed_in(browser, site, team, width)
        await fill_new_hire(page, site, unique_name("Ineligible"))
        await page.fill("#f-position\\.noc", "11100")
        async with page.expect_navigation():
            await page.get_by_role("button", name="Start the hire").click()
        summary = page.locator(".error-summary")
        await expect(summary).to_contain_text(
            "Screening says this hire is not eligible. To start it anyway, write why in "
            "\u201cStart anyway, because\u201d below."
        )
        await expect(summary).to_contain_text("NOC 2021 code: ")
        assert await page.evaluate(FOCUSED) == "f-position.noc"
        assert leaks(await summary.inner_text()) == []
        await no_overflow(page, "not-eligible", width)
        await page.fill("#f-override\\.justification", "Counsel confirmed the occupation fits.")
        async with page.expect_navigation():
            await page.get_by_role("button", name="Start the hire").click()
        assert re.search(r"/hires/hire-[0-9a-f-]{36}$", page.url), page.url
        await context.close()
