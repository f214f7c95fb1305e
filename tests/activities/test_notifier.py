"""The notifier: renders and sends over real SMTP, once per notice however often it is retried."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlmodel import select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.mailer import OutboxMailer, SmtpMailer
from activities.notifier import Notifier
from activities.recorder import Recorder
from activities.renderer import EmailRenderer
from contracts.activities import MailContext, NotifyInput, RecordInput
from contracts.hire import HireSnapshot, HireStatus
from core.settings import Settings
from store.db import SessionFactory
from store.models import HireEvent, Notification
from testkit.samples import hire_input
from tests.conftest import TeamKey
from tests.helpers import Mailbox, unique_name

XSS = "<script>alert(1)</script> O'Brien"


def notifier(settings: Settings, sessions: SessionFactory, mailbox: Mailbox) -> Notifier:
    renderer = EmailRenderer(settings.templates_dir, "http://hirepath.test")
    return Notifier(
        renderer, SmtpMailer("127.0.0.1", mailbox.port, timeout=5), sessions, "hirepath <h@test>"
    )


def seed_hire(sessions: SessionFactory, team: TeamKey, name: str) -> str:
    """A projected hire (via the real recorder) for the notifier to write its events against."""
    hire = hire_input(team_id=team.team_id, name=name)
    now = datetime.now(UTC)
    snapshot = HireSnapshot(
        hire.hire_id, team.team_id, "gts", hire.rules_version, "B", HireStatus.ACTIVE, hire.candidate,
        hire.position, hire.hr_owner, hire.manager, [], [], now, now, 1,
    )  # fmt: skip
    Recorder(sessions).record(RecordInput(snapshot))
    return hire.hire_id


def notice(hire_id: str, name: str, seq: int = 50) -> NotifyInput:
    return NotifyInput(
        key="prepare_lmia:reminder:2027-01-06:3",
        hire_id=hire_id,
        kind="reminder",
        to=["hr@employer.example"],
        context=MailContext(
            hire_id=hire_id,
            pathway_title="Global Talent Stream",
            candidate_name=name,
            position_title="Software engineer",
            hr_owner_name="Dana",
            step_title="Prepare the LMIA application",
            due_on=date(2027, 1, 6),
            days=3,
            items=["Labour Market Benefits Plan"],
        ),
        event_seq=seq,
    )


async def test_a_retried_notice_is_sent_once_with_one_row_and_one_timeline_entry(
    settings: Settings, sessions: SessionFactory, mailbox: Mailbox, team: TeamKey
) -> None:
    name = unique_name("Once")
    hire_id = seed_hire(sessions, team, name)
    activity = notifier(settings, sessions, mailbox)
    env = ActivityEnvironment()
    first = await env.run(activity.send, notice(hire_id, name))
    again = await env.run(activity.send, notice(hire_id, name))
    assert (first.sent, again.sent) == (True, False) and first.message_id == again.message_id
    [mail] = mailbox.about(name)
    assert (
        mail.subject == f"Reminder: Prepare the LMIA application is due in 3 business days ({name})"
    )
    assert "is due on Jan 6, 2027: 3 business days from today" in mail.text
    assert "is due on Jan 6, 2027: 3 business days from today" in mail.html
    with sessions() as session:
        assert (
            len(session.exec(select(Notification).where(Notification.hire_id == hire_id)).all())
            == 1
        )
        events = session.exec(
            select(HireEvent).where(HireEvent.hire_id == hire_id, HireEvent.kind == "email_sent")
        ).all()
        assert len(events) == 1 and events[0].data["notice"] == "reminder"


async def test_an_email_is_dated_in_eastern_time_at_the_moment_it_was_recorded_as_sent(
    settings: Settings, sessions: SessionFactory, mailbox: Mailbox, team: TeamKey
) -> None:
    """The Date header reads as Toronto's wall clock (-0500 in winter, -0400 in summer), the
    moment the outbox page shows for it."""
    name = unique_name("Dated")
    hire_id = seed_hire(sessions, team, name)
    await ActivityEnvironment().run(
        notifier(settings, sessions, mailbox).send, notice(hire_id, name)
    )
    [mail] = mailbox.about(name)
    dated = mail.message["Date"].datetime
    with sessions() as session:
        row = session.exec(select(Notification).where(Notification.hire_id == hire_id)).one()
    assert row.sent_at is not None
    toronto = row.sent_at.astimezone(ZoneInfo("America/Toronto"))
    assert dated.utcoffset() == toronto.utcoffset()
    assert dated.replace(tzinfo=None) == toronto.replace(tzinfo=None, microsecond=0)


async def test_a_server_in_trouble_is_retried_and_recorded_not_lost(
    settings: Settings,
    sessions: SessionFactory,
    mailbox: Mailbox,
    team: TeamKey,
    api: httpx.AsyncClient,
) -> None:
    name = unique_name("Retry")
    hire_id = seed_hire(sessions, team, name)
    activity = notifier(settings, sessions, mailbox)
    mailbox.refuse = True
    try:
        with pytest.raises(Exception, match="451"):
            await ActivityEnvironment().run(activity.send, notice(hire_id, name))
    finally:
        mailbox.refuse = False
    with sessions() as session:
        [row] = session.exec(select(Notification).where(Notification.hire_id == hire_id)).all()
        assert row.status == "retrying" and "451" in row.error
        [event] = session.exec(
            select(HireEvent).where(HireEvent.hire_id == hire_id, HireEvent.seq == 50)
        ).all()
        assert (event.kind, event.data["problem"], event.data["attempts"]) == (
            "email_delayed",
            "SMTP 451",
            "1",
        )
    ready = await api.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["mail"].startswith("delayed: ")
    result = await ActivityEnvironment().run(activity.send, notice(hire_id, name))
    assert result.sent and len(mailbox.about(name)) == 1
    with sessions() as session:
        [row] = session.exec(select(Notification).where(Notification.hire_id == hire_id)).all()
        assert (row.status, row.attempts) == ("sent", 2)
        [event] = session.exec(
            select(HireEvent).where(HireEvent.hire_id == hire_id, HireEvent.seq == 50)
        ).all()
        assert event.kind == "email_sent"  # the same line on the timeline, now final


async def test_markup_in_a_name_is_text_in_the_html_and_plain_in_the_text(
    settings: Settings, sessions: SessionFactory, mailbox: Mailbox, team: TeamKey
) -> None:
    hire_id = seed_hire(sessions, team, XSS)
    await ActivityEnvironment().run(
        notifier(settings, sessions, mailbox).send, notice(hire_id, XSS, seq=51)
    )
    [mail] = [m for m in mailbox.messages if hire_id in m.text]
    assert (
        "<script>" not in mail.html
        and "&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien" in mail.html
    )
    assert XSS in mail.text and XSS in mail.subject


def test_every_email_kind_renders_both_parts_with_a_subject(settings: Settings) -> None:
    renderer = EmailRenderer(settings.templates_dir, "http://hirepath.test")
    kinds = renderer.kinds()
    assert kinds >= {
        "step_opened", "authority_waiting", "reminder", "escalation", "decision_due", "standard_passed",
        "authority_follow_up", "item_rejected", "clock_at_risk", "clock_missed", "hire_ended", "permit_issued",
        "permit_expiry", "permit_expired",
    }  # fmt: skip
    context = notice("hire-x", XSS).context
    context.facts.update(clock="Two-week work-permit target", started_on="2026-12-01", target_on="2026-12-15",
                         days_left="4", status="lmia_refused", decided_on="2026-12-01", permit_number="U1",
                         issued_on="2026-12-01", expires_on="2029-12-01")  # fmt: skip
    for kind in kinds:
        email = renderer.render(kind, context)
        assert email.subject and email.text.strip() and "<html" in email.html, kind
        assert "<script>" not in email.html, kind
        assert "http://hirepath.test/hires/hire-x" in email.text, kind


async def test_the_outbox_writes_each_message_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from email.message import EmailMessage

    message = EmailMessage()
    message["Message-ID"] = "<abc@hirepath>"
    message["Subject"] = "hello"
    message.set_content("body")
    outbox = OutboxMailer(tmp_path)
    await outbox.send(message)
    await outbox.send(message)
    assert len(list(tmp_path.glob("*.eml"))) == 1


async def test_refused_recipients_permanent_temporary_and_partial(
    settings: Settings, sessions: SessionFactory, mailbox: Mailbox, team: TeamKey
) -> None:
    activity = notifier(settings, sessions, mailbox)
    env = ActivityEnvironment()

    # every recipient refused for good (550): not retried, and no address in the error
    name = unique_name("Gone")
    hire_id = seed_hire(sessions, team, name)
    mailbox.refuse_recipients = {"hr@employer.example": 550}
    try:
        with pytest.raises(ApplicationError) as err:
            await env.run(activity.send, notice(hire_id, name))
        assert err.value.non_retryable and err.value.type == "PermanentMailError"
        assert "550" in err.value.message and "@" not in err.value.message

        # greylisted (450): retried later, then delivered
        name = unique_name("Grey")
        hire_id = seed_hire(sessions, team, name)
        mailbox.refuse_recipients = {"hr@employer.example": 450}
        with pytest.raises(ApplicationError, match="450") as temp:
            await env.run(activity.send, notice(hire_id, name))
        assert not temp.value.non_retryable and temp.value.type == "MailDelayed"
        assert "@" not in str(temp.value)
        mailbox.refuse_recipients = {}
        assert (await env.run(activity.send, notice(hire_id, name))).sent
        assert len(mailbox.about(name)) == 1

        # one of two refused: sent to the other, and the refusal is on the timeline
        name = unique_name("Partial")
        hire_id = seed_hire(sessions, team, name)
        mailbox.refuse_recipients = {"manager@employer.example": 550}
        partial = notice(hire_id, name)
        partial.to = ["hr@employer.example", "manager@employer.example"]
        assert (await env.run(activity.send, partial)).sent
        [mail] = mailbox.about(name)
        assert mail.to == ["hr@employer.example"]
    finally:
        mailbox.refuse_recipients = {}
    with sessions() as session:
        [event] = session.exec(
            select(HireEvent).where(HireEvent.hire_id == hire_id, HireEvent.kind == "email_sent")
        ).all()
        assert event.data["refused"] == "1 recipient(s) refused, codes (550,)"
