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
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

from sqlmodel import select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.contracts import NotifyInput, NotifyResult
from activities.mailer import Mailer, PermanentMailError
from activities.renderer import EmailRenderer
from store.db import SessionFactory, session_scope
from store.models import Hire, HireEvent, Notification


@dataclass(frozen=True)
class _Claim:
    id: str
    sent: bool
    message_id: str
    sent_at: datetime | None


class Notifier:
    def __init__(
        self, renderer: EmailRenderer, mailer: Mailer, sessions: SessionFactory, mail_from: str
    ) -> None:
        self._renderer = renderer
        self._mailer = mailer
        self._sessions = sessions
        self._from = mail_from

    @activity.defn(name="notify")
    async def send(self, input: NotifyInput) -> NotifyResult:
        claim = await asyncio.to_thread(self._claim, input)
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
            message["Date"] = format_datetime(sent_at)
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
                await asyncio.to_thread(self._mark, claim.id, "failed", str(err), None, "")
                raise ApplicationError(
                    str(err), type="PermanentMailError", non_retryable=True
                ) from err
            except Exception as err:
                await asyncio.to_thread(
                    self._mark, claim.id, "retrying", f"{type(err).__name__}: {err}", None, ""
                )
                raise
            refused = (
                f"{report.refused} recipient(s) refused, codes {report.codes}"
                if report.refused
                else ""
            )
            await asyncio.to_thread(
                self._mark, claim.id, "sent", refused, sent_at, rendered.subject
            )
        await asyncio.to_thread(self._write_event, input, claim.id, sent_at)
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
            return _Claim(ident, row.status == "sent", row.message_id, row.sent_at)

    def _mark(
        self, ident: str, status: str, error: str, sent_at: datetime | None, subject: str
    ) -> None:
        with session_scope(self._sessions) as session:
            row = session.get(Notification, ident)
            if row is None:
                return
            row.status, row.error = status, error[:2000]
            if sent_at is not None:
                row.sent_at, row.subject = sent_at, subject

    def _write_event(self, input: NotifyInput, ident: str, sent_at: datetime | None) -> None:
        with session_scope(self._sessions) as session:
            if session.get(Hire, input.hire_id) is None:
                # The hire's first projection has not landed yet: retry the bookkeeping.
                raise ApplicationError("hire not yet in the store", type="NotYetProjected")
            exists = session.exec(
                select(HireEvent.seq).where(
                    HireEvent.hire_id == input.hire_id, HireEvent.seq == input.event_seq
                )
            ).first()
            if exists is None:
                row = session.get(Notification, ident)
                session.add(
                    HireEvent(
                        hire_id=input.hire_id,
                        seq=input.event_seq,
                        at=sent_at or datetime.now(UTC),
                        kind="email_sent",
                        step=input.step,
                        data={
                            "notice": input.kind,
                            "subject": row.subject if row else "",
                            "to": ", ".join(input.to),
                            **({"refused": row.error} if row and row.error else {}),
                        },
                    )
                )
