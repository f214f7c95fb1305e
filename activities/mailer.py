"""Sending an email: one interface, two backends (SMTP, or an outbox folder of .eml files),
and reading the outbox back (the outbox page)."""

from __future__ import annotations

import asyncio
import email
import email.policy
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import aiosmtplib

from core.settings import Settings

# hirepath's own headers on every message (the notifier sets them): what the email is about.
KIND_HEADER = "X-Hirepath-Kind"  # the notice kind, e.g. step_opened
HIRE_HEADER = "X-Hirepath-Hire"  # the hire's ID
SENT_HEADER = "X-Hirepath-Sent"  # when it was sent, %Y%m%dT%H%M%S%f: the outbox file's prefix
DUE_HEADER = "X-Hirepath-Due"  # the workflow's time when it sent it


class PermanentMailError(Exception):
    """The server refused the message for good (5xx replies): retrying will not help."""


class TemporaryMailError(Exception):
    """The server is unreachable or said "try later" (4xx): retry with backoff."""


@dataclass(frozen=True)
class SendReport:
    refused: int = 0  # recipients the server refused while accepting the message for others
    codes: tuple[int, ...] = ()  # their reply codes (never the addresses: they are personal)


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> SendReport: ...


class SmtpMailer:
    """Sends over SMTP. Error messages carry reply codes, never addresses (they end up in logs)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        username: str = "",
        password: str = "",
        security: str = "none",
        timeout: float = 20.0,
    ) -> None:
        self.host, self.port = host, port
        self._username, self._password = username, password
        self._security, self._timeout = security, timeout

    async def send(self, message: EmailMessage) -> SendReport:
        try:
            # aiosmtplib's timeout is per command: bound the whole conversation too, so a
            # retry of the activity never overlaps a send still in progress.
            refused, _ = await asyncio.wait_for(
                aiosmtplib.send(
                    message,
                    hostname=self.host,
                    port=self.port,
                    username=self._username or None,
                    password=self._password or None,
                    use_tls=self._security == "tls",
                    start_tls=True if self._security == "starttls" else False,
                    timeout=self._timeout,
                ),
                timeout=self._timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as err:
            codes = tuple(r.code for r in err.recipients)
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentMailError(f"every recipient was refused (codes {codes})") from None
            raise TemporaryMailError(f"recipients refused for now (codes {codes})") from None
        except aiosmtplib.SMTPResponseException as err:
            if 500 <= err.code < 600:
                raise PermanentMailError(f"SMTP {err.code}") from None
            raise TemporaryMailError(f"SMTP {err.code}") from None
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as err:
            raise TemporaryMailError(f"SMTP server unavailable: {type(err).__name__}") from None
        codes = tuple(response.code for response in refused.values())
        return SendReport(refused=len(codes), codes=codes)


class OutboxMailer:
    """Writes each message to ``<outbox>/<timestamp>-<id>.eml``; the same Message-ID is written once."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, message: EmailMessage) -> SendReport:
        await asyncio.to_thread(self._write, message)
        return SendReport()

    def _write(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        ident = outbox_name(str(message["Message-ID"]))
        if any(self.directory.glob(f"*-{ident}.eml")):
            return
        stamp = message[SENT_HEADER] or "0"
        final = self.directory / f"{stamp}-{ident}.eml"
        partial = final.with_suffix(".part")
        partial.write_bytes(message.as_bytes())
        os.replace(partial, final)


def outbox_name(message_id: str) -> str:
    """The part of an outbox file's name that comes from its Message-ID."""
    return hashlib.sha256(message_id.encode()).hexdigest()[:24]


def outbox_texts(directory: Path, message_ids: Iterable[str]) -> dict[str, str]:
    """The plain-text bodies of these messages in an outbox folder (those it holds), by
    Message-ID: one listing of the folder, then only the files asked for are read."""
    if not directory.exists():
        return {}
    files = {entry.name[:-4].rsplit("-", 1)[-1]: entry.path for entry in os.scandir(directory)}
    texts: dict[str, str] = {}
    for message_id in message_ids:
        path = files.get(outbox_name(message_id))
        if path is None:
            continue
        message = email.message_from_bytes(Path(path).read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        body = message.get_body(("plain",))
        texts[message_id] = body.get_content() if body else ""
    return texts


def mailer_from_settings(settings: Settings) -> Mailer:
    if settings.mail_backend == "smtp":
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value(),
            security=settings.smtp_security,
            timeout=settings.smtp_timeout_seconds,
        )
    return OutboxMailer(settings.outbox)
