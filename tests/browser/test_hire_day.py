"""An HR person's day on one hire, in Chromium at desktop (1280 px) and phone (390 px)
widths: the first screen says what to do next; each action's result shows next to what was
acted on, in view and focused; corrections (details, undo, an amended decision) leave the
old and new values on the timeline; a hire-ending outcome asks first; the plan's projected
permit date moves when a step runs late."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Locator, Page

from pathways.calendar import add_business_days
from store.db import SessionFactory
from testkit.api_client import today
from testkit.samples import PDF, hire_body
from tests.api.test_corrections import settle_open_step
from tests.browser.conftest import signed_in
from tests.conftest import TeamKey, make_team
from tests.helpers import unique_name

WIDTHS = [1280, 390]

IN_VIEW = """el => {
  const box = el.getBoundingClientRect();
  return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}"""


async def start(site: str, team: TeamKey) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=site, timeout=60) as api:
        response = await api.post(
            "/api/v1/hires", headers=team.headers, json=hire_body(name=unique_name("Day"))
        )
        assert response.status_code == 201, response.text
        return response.json()


async def said_here(page: Page, where: str, text: str) -> Locator:
    """The action's message is inside ``where``, in the viewport, and has the focus."""
    message = page.locator(f"{where} .flash")
    assert text in await message.inner_text()
    await page.wait_for_function(f"document.activeElement.matches('{where} .flash')")
    assert await message.evaluate(IN_VIEW), where
    return message


async def submit(page: Page, button: Locator) -> None:
    async with page.expect_navigation():
        await button.click()


@pytest.mark.parametrize("width", WIDTHS)
async def test_the_first_screen_says_what_to_do_and_results_show_where_the_action_was(
    browser: Browser, site: str, sessions: SessionFactory, tmp_path: Any, width: int
) -> None:
    team = make_team(sessions, f"Day team {width}")
    hire = await start(site, team)
    context, page = await signed_in(browser, site, team, width)
    await page.goto(f"{site}/hires/{hire['id']}")
    next_up = page.locator("#next")
    # on the first screen, without scrolling: who must act, on what, by when
    assert await next_up.locator(".next-who").evaluate(IN_VIEW)
    assert await next_up.locator(".next-when").evaluate(IN_VIEW)
    text = await next_up.inner_text()
    assert "The employer must act: Prepare the LMIA application" in text
    assert "Due " in text and "days)" in text and "To upload (8): Employer details" in text
    assert "Work permit expected by" in text

    pdf = tmp_path / "job.pdf"
    pdf.write_bytes(PDF)
    item = page.locator("#item-job_details")
    await item.locator("input[type=file]").set_input_files(str(pdf))
    await submit(page, item.locator("button", has_text="Upload"))
    await said_here(page, "#item-job_details", "Document received.")
    await submit(page, item.locator("button", has_text="Accept"))
    await said_here(page, "#item-job_details", "Accepted.")
    await submit(page, item.locator("button", has_text="Undo accept"))
    await said_here(page, "#item-job_details", "Undone.")
    assert "received" in await item.locator(".item-head").inner_text()

    # a waiver reads apart from a rejection
    await item.locator("details.more summary").click()
    await item.locator("input[placeholder='Why reject it']").fill("Wrong NOC on page 2")
    await submit(page, item.locator("button", has_text="Reject"))
    waived = page.locator("#item-business_legitimacy")
    await waived.locator("details.more summary").click()
    await waived.locator("input[placeholder='Why it does not apply']").fill("On file with ESDC")
    await submit(page, waived.locator("button", has_text="Waive"))
    await said_here(page, "#item-business_legitimacy", "Waived.")
    colour = "el => getComputedStyle(el).color"
    rejected_colour = await page.locator("#item-job_details .reason").evaluate(colour)
    waived_colour = await page.locator("#item-business_legitimacy .reason").evaluate(colour)
    assert rejected_colour != waived_colour

    # a refused action says why, on the item, as an alert
    other = page.locator("#item-wage_and_conditions")
    await other.locator("details.more summary").click()
    await other.locator("input[placeholder='Why it does not apply']").fill("   ")
    await submit(page, other.locator("button", has_text="Waive"))
    refused = await said_here(page, "#item-wage_and_conditions", "Say why it does not apply.")
    assert await refused.get_attribute("role") == "alert"
    assert "requested" in await other.locator(".item-head").inner_text()
    await context.close()


@pytest.mark.parametrize("width", WIDTHS)
async def test_corrected_details_show_old_and_new_values_on_the_timeline(
    browser: Browser, site: str, sessions: SessionFactory, width: int
) -> None:
    team = make_team(sessions, f"Details team {width}")
    hire = await start(site, team)
    context, page = await signed_in(browser, site, team, width)
    await page.goto(f"{site}/hires/{hire['id']}")
    details = page.locator("#details")
    await details.locator("summary", has_text="Correct these details").click()
    await details.locator("#e-candidate-email").fill("priya.s@candidate.example")
    await details.locator("#e-start").fill("2027-04-05")
    await details.locator("#e-reason").fill("Offer letter corrected")
    await submit(page, details.locator("button", has_text="Save the changes"))
    await said_here(page, "#details", "Details saved")
    assert "priya.s@candidate.example" in await details.inner_text()
    events = await page.locator("#events").inner_text()
    assert (
        "Candidate's email changed from worker@candidate.example to priya.s@candidate.example"
        in events
    )
    assert "Planned start date changed from Mar 1, 2027 to Apr 5, 2027" in events
    assert "planned start Apr 5, 2027" in await page.locator(".hire-head").inner_text()
    await context.close()


async def _through_submission(site: str, team: TeamKey) -> dict[str, Any]:
    """A GTS hire whose LMIA was submitted today (ESDC's step open)."""
    hire = await start(site, team)
    async with httpx.AsyncClient(base_url=site, timeout=60) as api:
        await settle_open_step(api, team, hire)
        hire = (await api.get(f"/api/v1/hires/{hire['id']}", headers=team.headers)).json()
        await settle_open_step(api, team, hire)
        response = await api.post(
            f"/api/v1/hires/{hire['id']}/steps/submit_lmia/decision",
            headers=team.headers,
            json={"outcome": "submitted", "fields": {"submitted_on": today()}},
        )
        assert response.status_code == 200, response.text
        return response.json()


@pytest.mark.parametrize("width", WIDTHS)
async def test_an_amended_decision_moves_the_next_due_date_and_ending_outcomes_ask_first(
    browser: Browser, site: str, sessions: SessionFactory, width: int
) -> None:
    team = make_team(sessions, f"Amend team {width}")
    hire = await _through_submission(site, team)
    context, page = await signed_in(browser, site, team, width, confirm=False)
    await page.goto(f"{site}/hires/{hire['id']}")
    esdc = page.locator("#step-lmia_decision")
    due_before = await esdc.locator("p.quiet").first.inner_text()

    # "Negative LMIA" ends the hire: the person is asked, says no, and nothing happens
    negative = esdc.locator("form.decision-form", has_text="Negative LMIA")
    await negative.locator("[name='field.decided_on']").fill(today())
    await negative.locator("button").click()
    await page.wait_for_timeout(300)
    assert page.url.endswith(hire["id"])
    assert "in progress" in await page.locator(".hire-head").inner_text()

    earlier = add_business_days(date.fromisoformat(today()), -3)
    submitted = page.locator("#step-submit_lmia")
    await submitted.locator("summary", has_text="Amend this decision").click()
    await submitted.locator("[name='field.submitted_on']").fill(earlier.isoformat())
    await submitted.locator("[name='reason']").fill("It went in on Monday")
    await submit(page, submitted.locator("button", has_text="Amend"))
    await said_here(page, "#step-submit_lmia", "Decision amended")
    due_after = await esdc.locator("p.quiet").first.inner_text()
    assert due_after != due_before, (due_before, due_after)
    events = await page.locator("#events").inner_text()
    assert "Decision for Submit the LMIA and pay the fee amended" in events
    assert "It went in on Monday" in events and "counted again" in events
    await context.close()


@pytest.mark.parametrize("width", WIDTHS)
async def test_the_projected_permit_date_moves_when_a_step_runs_late(
    browser: Browser, site: str, sessions: SessionFactory, width: int
) -> None:
    team = make_team(sessions, f"Plan team {width}")
    hire = await start(site, team)
    context, page = await signed_in(browser, site, team, width)
    await page.goto(f"{site}/hires/{hire['id']}")
    permit = page.locator("#permit-date strong").first
    before = await permit.inner_text()
    rows = await page.locator("table.plan tbody tr").count()
    assert rows == 7  # every remaining step of a GTS B hire
    # the LMIA's preparation runs a month late: its deadline moves, and the plan with it
    step = page.locator("#step-prepare_lmia")
    await step.locator("details.deadline summary").click()
    late = date.fromisoformat(hire["steps"][0]["due_on"]) + timedelta(days=30)
    await page.locator("#due-prepare_lmia").fill(late.isoformat())
    await page.locator("#why-prepare_lmia").fill("Waiting for the business licence")
    await submit(page, step.locator("button", has_text="Move it"))
    await said_here(page, "#step-prepare_lmia", "Deadline moved.")
    after = await permit.inner_text()
    assert after != before
    assert "days after the planned start date" in await page.locator("#permit-date").inner_text()
    assert await page.locator("#timeline rect.gantt-projected").count() == 7
    await context.close()


async def test_todays_counts_lead_to_the_hires_they_count(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Counts team")
    hire = await start(site, team)
    context, page = await signed_in(browser, site, team)
    count = page.locator(".pipeline a", has_text="Prepare the LMIA application").first
    assert (await count.locator(".pipe-count").inner_text()) == "1"
    await submit(page, count)
    assert "step=prepare_lmia" in page.url and "status=active" in page.url
    rows = page.locator("table.hires tbody tr")
    assert await rows.count() == 1
    assert hire["candidate"]["name"] in await rows.first.inner_text()
    await context.close()
