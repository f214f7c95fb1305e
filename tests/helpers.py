"""Test helpers: unique names, an eventually-helper, and a mailbox for the real SMTP server
(the sample hires and files are in testkit.samples)."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from typing import TypeVar

import httpx
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI

T = TypeVar("T")


async def eventually(
    check: Callable[[], Awaitable[T] | T], *, timeout: float = 20.0, interval: float = 0.05
) -> T:
    """Call ``check`` until it returns without AssertionError (and truthy); return its value."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if asyncio.iscoroutine(result):
                result = await result
            assert result, "not yet"
            return result  # type: ignore[return-value]
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(interval)


@dataclass
class Mail:
    to: list[str]
    subject: str
    text: str
    html: str
    kind: str
    due: datetime | None
    message: EmailMessage


@dataclass
class Mailbox:
    """Everything a real (aiosmtpd) SMTP server received."""

    messages: list[Mail] = field(default_factory=list)
    refuse: bool = False  # answer 451 to every message (a server having trouble)
    refuse_recipients: dict[str, int] = field(default_factory=dict)  # address -> reply code
    port: int = 0
    holding: bool = False  # keep every new message waiting at RCPT: a send caught half-way
    held: int = 0  # messages waiting there now
    # Seconds to wait, once a message's DATA is stored, before answering 250: a server slow to
    # confirm, so a sender stopped in that window has delivered a message it does not know of.
    delay_data: float = 0
    delaying: int = 0  # messages stored and waiting for their 250 now

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if self.holding:  # before DATA: a sender that dies now has delivered nothing
            self.held += 1
            try:
                while self.holding:
                    await asyncio.sleep(0.01)
            finally:
                self.held -= 1
        code = self.refuse_recipients.get(address)
        if code:
            return f"{code} mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse:
            return "451 4.3.0 try again later"
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        text_part = message.get_body(("plain",))
        html_part = message.get_body(("html",))
        due = message.get("X-Hirepath-Due")
        self.messages.append(
            Mail(
                to=[str(a) for a in envelope.rcpt_tos],
                subject=str(message["Subject"]).strip(),
                text=text_part.get_content() if text_part else "",
                html=html_part.get_content() if html_part else "",
                kind=str(message.get("X-Hirepath-Kind", "")),
                due=datetime.fromisoformat(str(due)) if due else None,
                message=message,
            )
        )
        if self.delay_data:
            self.delaying += 1
            try:
                await asyncio.sleep(self.delay_data)
            finally:
                self.delaying -= 1
        return "250 OK"

    def about(self, name: str) -> list[Mail]:
        """Messages that mention ``name`` (each test gives its candidate a unique name)."""
        return [m for m in self.messages if name in m.subject or name in m.text]

    def of_kind(self, name: str, kind: str) -> list[Mail]:
        return [m for m in self.about(name) if m.kind == kind]


def start_smtp(mailbox: Mailbox) -> Controller:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        mailbox.port = int(probe.getsockname()[1])
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    return controller


def unique_name(prefix: str = "Candidate") -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


@contextlib.asynccontextmanager
async def serving(
    app: FastAPI, base_url: str = "http://hirepath.test"
) -> AsyncIterator[httpx.AsyncClient]:
    """The app started (its lifespan: store, Temporal connection) and a client that calls it
    over ASGI, in this process."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=base_url, timeout=60) as client:
            yield client
