"""The outbox page lists every email about the team's own hires, from the store, a page at a
time: another team's mail, however much newer, neither hides nor joins it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.async_api import Browser
from sqlmodel import select

from store.db import SessionFactory, session_scope
from store.models import Notification
from tests.browser.conftest import signed_in
from tests.browser.test_pages import _api_hire
from tests.conftest import make_team
from tests.helpers import eventually, unique_name

BUSY_EMAILS = 120  # another team's, all newer than ours


def _emails_of(sessions: SessionFactory, hire_id: str) -> list[Notification]:
    with sessions() as session:
        return list(session.exec(select(Notification).where(Notification.hire_id == hire_id)))


async def test_a_team_sees_its_own_emails_however_many_newer_ones_another_team_sent(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    quiet, busy = make_team(sessions, "Quiet team"), make_team(sessions, "Busy team")
    ours = await _api_hire(site, quiet, unique_name("Quiet"))
    theirs = await _api_hire(site, busy, unique_name("Busy"))
    sent = await eventually(lambda: [n for n in _emails_of(sessions, ours["id"]) if n.subject])
    later = datetime.now(UTC) + timedelta(minutes=5)
    with session_scope(sessions) as session:
        for n in range(BUSY_EMAILS):
            session.add(
                Notification(
                    id=f"busy-{theirs['id']}-{n}",
                    hire_id=theirs["id"],
                    key=f"busy:{n}",
                    kind="reminder",
                    recipients=["hr@busy.example"],
                    subject=f"Busy team reminder {n}",
                    status="sent",
                    created_at=later + timedelta(seconds=n),
                    sent_at=later + timedelta(seconds=n),
                )
            )

    context, page = await signed_in(browser, site, quiet)
    await page.goto(f"{site}/outbox")
    listed = await page.locator("ul.outbox li summary strong").all_inner_texts()
    assert sorted(listed) == sorted(n.subject for n in sent)
    assert not any("Busy team" in subject for subject in listed)
    await context.close()

    context, page = await signed_in(browser, site, busy)
    await page.goto(f"{site}/outbox")
    first = await page.locator("ul.outbox li summary strong").all_inner_texts()
    assert len(first) == 50 and first[0] == f"Busy team reminder {BUSY_EMAILS - 1}"
    await page.click("text=Older emails")
    second = await page.locator("ul.outbox li summary strong").all_inner_texts()
    assert len(second) == 50 and not set(first) & set(second)
    assert second[0] == f"Busy team reminder {BUSY_EMAILS - 51}"
    await context.close()


def _eastern(moment: datetime) -> str:
    """How a moment reads on the pages: its Toronto date and time of day."""
    local = moment.astimezone(ZoneInfo("America/Toronto"))
    half = "a.m." if local.hour < 12 else "p.m."
    return f"{local:%b} {local.day}, {local.year}, {local.hour % 12 or 12}:{local:%M} {half} ET"


async def test_each_email_shows_when_it_was_sent_in_eastern_time_with_the_time_of_day(
    browser: Browser, site: str, sessions: SessionFactory
) -> None:
    team = make_team(sessions, "Eastern team")
    hire = await _api_hire(site, team, unique_name("Eastern"))
    sent = (
        await eventually(
            lambda: [n for n in _emails_of(sessions, hire["id"]) if n.sent_at and n.subject]
        )
    )[0]
    assert sent.sent_at is not None
    late = datetime(2027, 1, 7, 4, 30, tzinfo=UTC)  # 11:30 p.m. in Toronto, the 6th
    with session_scope(sessions) as session:
        session.add(
            Notification(
                id=f"late-{hire['id']}",
                hire_id=hire["id"],
                key="late:1",
                kind="reminder",
                recipients=["hr@eastern.example"],
                subject="Sent late in the evening",
                status="sent",
                created_at=late,
                sent_at=late,
            )
        )

    context, page = await signed_in(browser, site, team)
    await page.goto(f"{site}/outbox")
    lines = await page.locator("ul.outbox li summary").all_inner_texts()
    [evening] = [line for line in lines if "Sent late in the evening" in line]
    assert "Jan 6, 2027, 11:30 p.m. ET" in evening
    [real] = [line for line in lines if sent.subject and sent.subject in line]
    assert _eastern(sent.sent_at) in real
    stamp = page.locator("ul.outbox li summary time").first
    assert await stamp.get_attribute("datetime") == late.isoformat()
    await context.close()
