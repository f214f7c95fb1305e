"""The notifier: renders an email and sends it once, however often the activity is retried.

Each notice has a key; its row in ``notification`` says whether it was sent.
A retry after a send finds the row marked sent and only finishes the
bookkeeping (the timeline entry). The Message-ID is derived from the key, so
even the narrow crash window between the server accepting a message and the
row being marked (SMTP has no two-phase commit) yields the same Message-ID,
which mail clients and the outbox treat as one message.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlmodel import Session
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import store_errors
from activities.mailer import Mailer, PermanentMailError, TemporaryMailError
from activities.renderer import EmailRenderer
from contracts.activities import ActivityName, NotifyInput, NotifyResult
from contracts.hire import StepStatus
from core.template_filters import eastern
from store.db import SessionFactory, session_scope
from store.models import Hire, HireEvent, HireStep, Notification
from store.text import storable

PROJECTION_WAITS, PROJECTION_WAIT_SECONDS = 40, 0.05
SEND_LEASE = timedelta(
    seconds=30
)  # the SMTP exchange is bounded at 20 s  # up to 2 s, well inside the 30 s timeout


# Notices about a step that still needs someone: stale once the store shows the step closed
# (a retry after a crash or an outage can come long after, and must not ask for work that is
# done). A hire's ending and permit notices are not among them.
STEP_SCOPED = frozenset(
    {
        "step_opened",
        "authority_waiting",
        "item_rejected",
        "reminder",
        "escalation",
        "decision_due",
        "standard_passed",
        "authority_follow_up",
        "clock_at_risk",
        "clock_missed",
    }
)


@dataclass(frozen=True)
class _Claim:
    id: str
    sent: bool
    message_id: str
    sent_at: datetime | None
    stale: bool = False  # a step's notice whose step has closed: not sent


class Notifier:
    def __init__(
        self, renderer: EmailRenderer, mailer: Mailer, sessions: SessionFactory, mail_from: str
    ) -> None:
        self._renderer = renderer
        self._mailer = mailer
        self._sessions = sessions
        self._from = mail_from

    @activity.defn(name=ActivityName.NOTIFY)
    async def send(self, input: NotifyInput) -> NotifyResult:
        with store_errors():
            return await self._send(input)

    async def _send(self, input: NotifyInput) -> NotifyResult:
        input = storable(input)
        claim = await asyncio.to_thread(self._claim, input)
        if claim.stale:
            await self._settled(input, claim.id, "", "", "email_skipped")
            return NotifyResult(sent=False, message_id=claim.message_id)
        sent_at = claim.sent_at
        if not claim.sent:
            rendered = self._renderer.render(input.kind, input.context)
            sent_at = datetime.now(UTC)
            message = EmailMessage()
            message["Subject"] = rendered.subject
            message["From"] = self._from
            message["To"] = ", ".join(input.to)
            if input.cc:
                message["Cc"] = ", ".join(input.cc)
            message["Message-ID"] = claim.message_id
            message["Date"] = format_datetime(eastern(sent_at))  # its Eastern wall time
            message["X-Hirepath-Kind"] = input.kind
            message["X-Hirepath-Hire"] = input.hire_id
            message["X-Hirepath-Sent"] = sent_at.strftime("%Y%m%dT%H%M%S%f")
            if input.due_at is not None:
                message["X-Hirepath-Due"] = input.due_at.isoformat()
            message.set_content(rendered.text)
            message.add_alternative(rendered.html, subtype="html")
            try:
                report = await self._mailer.send(message)
            except PermanentMailError as err:
                with contextlib.suppress(ApplicationError):  # the refusal stands regardless
                    await self._settled(input, claim.id, "failed", str(err), "email_failed")
                raise ApplicationError(
                    str(err), type="PermanentMailError", non_retryable=True
                ) from None
            except Exception as err:
                problem = str(err) if isinstance(err, TemporaryMailError) else type(err).__name__
                await self._settled(input, claim.id, "retrying", problem, "email_delayed")
                raise ApplicationError(problem, type="MailDelayed") from None
            refused = (
                f"{report.refused} recipient(s) refused, codes {report.codes}"
                if report.refused
                else ""
            )
            # The mark first, alone: the shorter the gap between the server's acceptance and
            # this commit, the smaller the chance a crash in it sends the email twice.
            await asyncio.to_thread(self._mark_sent, claim.id, refused, sent_at, rendered.subject)
            await self._settled(input, claim.id, "", refused, "email_sent", sent_at)
        else:  # sent by an earlier attempt: make sure its timeline line says so
            await self._settled(input, claim.id, "", "", "email_sent", sent_at)
        return NotifyResult(sent=not claim.sent, message_id=claim.message_id, sent_at=sent_at)

    def _claim(self, input: NotifyInput) -> _Claim:
        ident = hashlib.sha256(f"{input.hire_id}\n{input.key}".encode()).hexdigest()
        message_id = f"<{ident[:32]}@hirepath>"
        with session_scope(self._sessions) as session:
            row = session.get(Notification, ident, with_for_update=True)
            if row is None:
                row = Notification(
                    id=ident,
                    hire_id=input.hire_id,
                    key=input.key[:200],
                    kind=input.kind,
                    recipients=list(input.to) + list(input.cc),
                    message_id=message_id,
                )
                session.add(row)
            row.attempts += 1
            if row.status != "sent" and _step_closed(session, input):
                row.status = "skipped"
                return _Claim(ident, False, row.message_id, None, stale=True)
            if row.status != "sent":
                take_lease(row)
            return _Claim(ident, row.status == "sent", row.message_id, row.sent_at)

    def _mark_sent(self, ident: str, refused: str, sent_at: datetime, subject: str) -> None:
        with session_scope(self._sessions) as session:
            mark(session, ident, "sent", refused, sent_at, subject)

    def _settle(
        self,
        input: NotifyInput,
        ident: str,
        status: str,
        error: str,
        event_kind: str,
        sent_at: datetime | None = None,
        subject: str = "",
    ) -> bool:
        """One transaction: the notification's status (unless ``status`` is empty) and its
        line on the timeline, if the hire is in the store (returns whether it is)."""
        with session_scope(self._sessions) as session:
            if status:
                mark(session, ident, status, error, sent_at, subject)
            projected = session.get(Hire, input.hire_id) is not None
            if projected:
                _write_event(session, input, ident, event_kind, error, sent_at)
        return projected

    async def _settled(
        self,
        input: NotifyInput,
        ident: str,
        status: str,
        error: str,
        event_kind: str,
        sent_at: datetime | None = None,
        subject: str = "",
    ) -> None:
        """:meth:`_settle`; when the hire is not in the store yet (its first email goes out
        while its first projection is being written), the line after a short wait rather
        than a retry. The mark stands either way, so a retry would not send again."""
        args = (input, ident, status, error, event_kind, sent_at, subject)
        if await asyncio.to_thread(self._settle, *args):
            return
        for _ in range(PROJECTION_WAITS):
            await asyncio.sleep(PROJECTION_WAIT_SECONDS)
            if await asyncio.to_thread(self._settle, input, ident, "", error, event_kind, sent_at):
                return
        raise ApplicationError("hire not yet in the store", type="NotYetProjected")


def take_lease(row: Notification) -> None:
    """This attempt sends the email, for SEND_LEASE at most: an attempt that timed out but
    is still alive (its thread in the middle of an SMTP exchange) and its retry never both
    send. A live lease held by another attempt makes this one retry later."""
    now = datetime.now(UTC)
    holder = _attempt()
    if row.lease_until is not None and row.lease_until > now and row.lease_holder != holder:
        raise ApplicationError("another attempt is sending this email", type="LeaseHeld")
    row.lease_holder, row.lease_until = holder, now + SEND_LEASE


def _attempt() -> str:
    info = activity.info()
    return f"{info.workflow_run_id}:{info.activity_id}:{info.attempt}"


def _step_closed(session: Session, input: NotifyInput) -> bool:
    """A notice about a step the store already shows done or skipped."""
    if input.kind not in STEP_SCOPED or not input.step:
        return False
    step = session.get(HireStep, (input.hire_id, input.step))
    return step is not None and step.status in (StepStatus.DONE, StepStatus.SKIPPED)


def mark(
    session: Session,
    ident: str,
    status: str,
    error: str,
    sent_at: datetime | None,
    subject: str,
) -> None:
    """The notification's status (with when it was sent and its subject), its lease given back."""
    row = session.get(Notification, ident)
    if row is None:
        return
    row.status, row.error = status, error[:2000]
    row.lease_holder, row.lease_until = "", None
    if sent_at is not None:
        row.sent_at, row.subject = sent_at, subject


def _write_event(
    session: Session,
    input: NotifyInput,
    ident: str,
    kind: str,
    problem: str,
    at: datetime | None = None,
) -> None:
    """The email's line on the timeline, kept current: delayed while the server is in
    trouble (with the attempt count), then sent (or failed)."""
    row = session.get(Notification, ident)
    data = {
        "notice": input.kind,
        "subject": row.subject if row else "",
        "to": ", ".join(input.to),
    }
    if kind == "email_sent" and row and row.error:
        data["refused"] = row.error
    if kind not in ("email_sent", "email_skipped"):
        data.update(problem=problem, attempts=str(row.attempts if row else 1))
    event = session.get(HireEvent, (input.hire_id, input.event_seq))
    if event is None:
        event = HireEvent(
            hire_id=input.hire_id,
            seq=input.event_seq,
            at=at or datetime.now(UTC),
            kind=kind,
            step=input.step,
        )
    elif event.kind == "email_sent" or not event.kind.startswith("email_"):
        return  # already final; or, after a reset, another line holds the number: keep it
    event.kind, event.data = kind, data
    if at is not None:
        event.at = at
    session.add(event)
