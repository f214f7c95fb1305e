"""An HR person in a real browser (Debian's Chromium): a whole GTS hire, a rejected document
and a waived item, markup in a name, forms without their token, screenshots, the calendar."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import httpx
from icalendar import Calendar
from playwright.async_api import Browser, Page

from pathways.calendar import add_business_days
from store.db import SessionFactory
from testkit.samples import PDF, hire_body
from tests.browser.conftest import SCREENSHOTS, signed_in
from tests.conftest import TeamKey, make_team
from tests.helpers import unique_name

XSS = "<script>alert(1)</script> O'Brien"


async def fill_new_hire(page: Page, site: str, name: str) -> None:
    await page.goto(f"{site}/hires/new")
    await page.fill("[name='candidate.name']", name)
    await page.fill("[name='candidate.email']", "worker@candidate.example")
    await page.fill("[name='candidate.citizenships']", "IN")
    await page.fill("[name='position.title']", "Senior software engineer")
    await page.fill("[name='position.noc']", "21231")
    await page.fill("[name='position.wage.amount']", "145000")
    await page.select_option("[name='position.province']", "ON")
    await page.select_option("[name='pathway']", "gts")
    await page.fill("[name='category']", "B")
    await page.fill("[name='hr_owner.name']", "Dana Reyes")
    await page.fill("[name='hr_owner.email']", "hr@employer.example")
    await page.fill("[name='manager.name']", "Sam Okafor")
    await page.fill("[name='manager.email']", "manager@employer.example")


async def open_step(page: Page) -> Any:
    return page.locator("section.step-open").first


async def upload_everything_open(page: Page, pdf_path: str) -> None:
    """Upload and accept a document for every required, outstanding item of the open step."""
    while True:
        step = await open_step(page)
        pending = step.locator("li.item:not(.item-accepted):not(.item-waived)").filter(
            has_not_text="(optional)"
        )
        if await pending.count() == 0:
            return
        item = pending.first
        await item.locator("input[type=file]").set_input_files(pdf_path)
        await item.locator("input[name=accept]").check()
        async with page.expect_navigation():
            await item.locator("button", has_text="Upload").click()


async def record(page: Page, outcome_title: str, fields: dict[str, str]) -> None:
    form = page.locator("form.decision-form", has_text=f"Record: {outcome_title}").first
    for key, value in fields.items():
        await form.locator(f"[name='field.{key}']").fill(value)
    async with page.expect_navigation():
        await form.locator("button[type=submit]").click()


async def test_a_whole_gts_hire_from_screening_to_an_issued_permit(
    browser: Browser, site: str, sessions: SessionFactory, tmp_path: Any
) -> None:
    team = make_team(sessions, "Browser team")
    context, page = await signed_in(browser, site, team)
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(PDF)
    name = unique_name("Browser")
    await fill_new_hire(page, site, name)
    # screened as the HR person typed
    verdicts = page.locator("#verdicts")
    await verdicts.locator("text=Global Talent Stream · B").wait_for()
    assert "needs evidence" in await verdicts.inner_text()
    async with page.expect_navigation():
        await page.click("button:text('Start the hire')")
    assert re.search(r"/hires/hire-[0-9a-f-]{36}$", page.url)
    assert await page.locator("h1").inner_text() == name

    await upload_everything_open(page, str(pdf))  # prepare the LMIA
    await upload_everything_open(page, str(pdf))  # submit it
    date_today = await page.evaluate(
        "new Date().toLocaleDateString('en-CA', {timeZone: 'America/Toronto'})"
    )
    await record(page, "Submitted to ESDC", {"submitted_on": date_today})
    await record(page, "Positive LMIA", {"lmia_number": "LMIA-8841202", "decided_on": date_today})
    await upload_everything_open(page, str(pdf))  # send the LMIA to the worker
    await upload_everything_open(page, str(pdf))  # the worker's application
    await record(page, "Submitted online from outside Canada", {"submitted_on": date_today})
    await record(page, "Approved", {"decided_on": date_today})
    year, month, day = date_today.split("-")
    expires = f"{int(year) + 2}-{month}-{'28' if month == '02' and day == '29' else day}"
    await record(
        page,
        "Work permit issued",
        {"permit_number": "U123456789", "issued_on": date_today, "expires_on": expires},
    )

    assert "permit issued" in await page.locator(".hire-head").inner_text()
    assert await page.locator("section.step-done").count() == 7
    assert "U123456789" in await page.locator("#step-port_of_entry").inner_text()
    await page.goto(f"{site}/hires?status=permit_issued")
    row = page.locator("table.hires tr", has_text=name)
    assert "permit issued" in await row.inner_text() and "7/7" in await row.inner_text()
    await context.close()


async def test_a_rejected_document_and_a_waived_item(
    browser: Browser, site: str, sessions: SessionFactory, tmp_path: Any
) -> None:
    team = make_team(sessions, "Reject team")
    context, page = await signed_in(browser, site, team)
    pdf = tmp_path / "wrong.pdf"
    pdf.write_bytes(PDF)
    name = unique_name("Rejects")
    await fill_new_hire(page, site, name)
    async with page.expect_navigation():
        await page.click("button:text('Start the hire')")
    item = page.locator("#item-job_details")
    await item.locator("input[type=file]").set_input_files(str(pdf))
    async with page.expect_navigation():
        await item.locator("button", has_text="Upload").click()
    assert "received" in await page.locator("#item-job_details .item-head").inner_text()
    await page.locator("#item-job_details details.more summary").click()
    await page.locator("#item-job_details input[name=reason][placeholder='Why reject it']").fill(
        "Wrong NOC on page 2"
    )
    async with page.expect_navigation():
        await page.locator("#item-job_details button", has_text="Reject").click()
    job = await page.locator("#item-job_details").inner_text()
    assert "rejected" in job and "Rejected: Wrong NOC on page 2" in job and "wrong.pdf" in job
    # the result shows on the item acted on, in view, with focus on it
    flash = page.locator("#item-job_details .flash")
    assert "Rejected; the owner was asked again." in await flash.inner_text()
    await page.wait_for_function("document.activeElement.matches('#item-job_details .flash')")

    await page.locator("#item-business_legitimacy details.more summary").click()
    await page.locator("#item-business_legitimacy input[placeholder='Why it does not apply']").fill(
        "On file with ESDC"
    )
    async with page.expect_navigation():
        await page.locator("#item-business_legitimacy button", has_text="Waive").click()
    waived = await page.locator("#item-business_legitimacy").inner_text()
    assert "waived" in waived and "Waived: On file with ESDC" in waived
    events = await page.locator("#events").inner_text()
    assert (
        "Rejected: Job details (Wrong NOC on page 2)" in events
        and "Waived: Latest business licence" in events
    )
    await context.close()


async def _api_hire(site: str, team: TeamKey, name: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=site, timeout=60) as client:
        response = await client.post(
            "/api/v1/hires", headers=team.headers, json=hire_body(name=name)
        )
        assert response.status_code == 201, response.text
        return response.json()


async def test_markup_in_a_name_is_text_on_every_page(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Markup team")
    hire = await _api_hire(site, team, XSS)
    context, page = await signed_in(browser, site, team)
    alerts: list[str] = []
    page.on("dialog", lambda dialog: alerts.append(dialog.type))
    # move the deadline close, so the hire shows on Today too
    await page.goto(f"{site}/hires/{hire['id']}")
    await page.locator("#step-prepare_lmia details.deadline summary").click()
    soon = add_business_days(date.fromisoformat(hire["steps"][0]["opened_at"][:10]), 2)
    await page.fill("#due-prepare_lmia", soon.isoformat())
    await page.fill("#why-prepare_lmia", "Counsel asked for it early")
    async with page.expect_navigation():
        await page.locator("#step-prepare_lmia button", has_text="Move it").click()
    for path in ("/", "/hires", f"/hires/{hire['id']}"):
        await page.goto(site + path)
        text = await page.locator("main").inner_text()
        assert XSS in text, path
        html = await page.content()
        assert "<script>alert(1)</script>" not in html, path
        assert await page.locator("script").count() == 1, path  # only /static/app.js
    assert alerts == []
    await context.close()


async def test_a_form_post_without_its_token_is_refused_and_changes_nothing(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Csrf team")
    hire = await _api_hire(site, team, unique_name("Csrf"))
    context, page = await signed_in(browser, site, team)
    response = await page.request.post(
        f"{site}/hires/{hire['id']}/withdraw", form={"reason": "forged"}
    )
    assert response.status == 403
    assert "not sent from hirepath" in await response.text()
    forged = await page.request.post(
        f"{site}/hires/{hire['id']}/withdraw", form={"reason": "forged", "csrf_token": "guess"}
    )
    assert forged.status == 403
    await page.goto(f"{site}/hires/{hire['id']}")
    assert "in progress" in await page.locator(".hire-head").inner_text()
    cookie = next(c for c in await context.cookies() if c["name"] == "hirepath_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    await context.close()


OVERFLOW = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll('main *, header *')) {
    if (el.closest('.table-wrap') || el.closest('.visually-hidden')) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 1 || box.left < -1)) out.push(el.tagName + '.' + el.className);
  }
  return {page: document.documentElement.scrollWidth, width: width, out: out.slice(0, 5)};
}"""


async def test_screenshots_at_desktop_and_phone_widths_with_nothing_overflowing(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Screenshot team")
    hire = await _api_hire(site, team, "Priya Sharma-Venkataraman")
    await _api_hire(site, team, "Jonas Müller")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        context, page = await signed_in(browser, site, team, width)
        for name, path in (("today", "/"), ("hires", "/hires"), ("hire", f"/hires/{hire['id']}")):
            await page.goto(site + path)
            layout = await page.evaluate(OVERFLOW)
            assert layout["page"] <= layout["width"], (name, width, layout)
            assert layout["out"] == [], (name, width, layout)
            await page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        await context.close()
    assert len(list(SCREENSHOTS.glob("*.png"))) >= 6


async def test_the_calendar_feed_holds_each_open_deadline_once_and_follows_it(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Calendar team")
    first = await _api_hire(site, team, unique_name("Cal"))
    await _api_hire(site, team, unique_name("Cal"))
    context, page = await signed_in(browser, site, team)
    await page.goto(f"{site}/calendar")
    async with page.expect_navigation():
        await page.click("button:text('Create a calendar link')")
    url = await page.locator("#cal-url").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/calendar/[\w-]{40,}\.ics", url) or url.endswith(
        ".ics"
    )
    feed_path = "/calendar/" + url.rsplit("/calendar/", 1)[1]

    async def events() -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=site) as client:
            response = await client.get(feed_path)
        assert response.status_code == 200 and response.headers["content-type"].startswith(
            "text/calendar"
        )
        parsed = Calendar.from_ical(response.content)
        found = [e for e in parsed.walk("VEVENT")]
        uids = [str(e["UID"]) for e in found]
        assert len(uids) == len(set(uids))
        return {str(e["UID"]): e.decoded("DTSTART") for e in found}

    before = await events()
    assert len(before) == 2
    uid = f"{first['id']}.prepare_lmia@hirepath"
    moved_to = before[uid] + timedelta(days=7)
    async with httpx.AsyncClient(base_url=site, timeout=60) as client:
        response = await client.post(
            f"/api/v1/hires/{first['id']}/steps/prepare_lmia/deadline",
            headers=team.headers,
            json={"due_on": moved_to.isoformat(), "reason": "Later start"},
        )
        assert response.status_code == 200
    after = await events()
    assert set(after) == set(before) and after[uid] == moved_to

    async with page.expect_navigation():
        await page.click("button:text('Revoke all links')")
    async with httpx.AsyncClient(base_url=site) as client:
        assert (await client.get(feed_path)).status_code == 404
    await context.close()


async def test_signing_out_and_a_revoked_key_end_the_session(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Signout team")
    context, page = await signed_in(browser, site, team)
    async with page.expect_navigation():
        await page.click("button:text('Sign out')")
    await page.goto(f"{site}/hires")
    assert "/signin" in page.url
    bad = await browser.new_context()
    wrong = await bad.new_page()
    await wrong.goto(f"{site}/signin")
    await wrong.fill("#api-key", "hp_00000000_wrong")
    await wrong.click("form[action='/signin'] button[type=submit]")
    assert "That key is unknown or revoked." in await wrong.locator("main").inner_text()
    await bad.close()
    await context.close()
