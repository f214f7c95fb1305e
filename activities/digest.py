"""The Monday digest's activities: who has something to hear about this week, and one
person's email, sent once per person, team and ISO week (a ``notification`` row keyed like the
hire notices', with the same lease and Message-ID from the key).

A person is an HR owner's email within a team; their digest lists their team's hires they
own: open steps overdue, due by the end of the week or awaiting an authority (the Today
page's lists, store/worklist.py), and issued permits expiring within 120 days. Everything is
counted from the workflow's time, so a run is the same however late it executes. Logs name
teams and counts, never a person."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlmodel import Session
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import store_errors
from activities.mailer import (
    DUE_HEADER,
    KIND_HEADER,
    SENT_HEADER,
    Mailer,
    PermanentMailError,
    TemporaryMailError,
)
from activities.notifier import mark, take_lease
from activities.renderer import EmailRenderer
from contracts.activities import ActivityName
from contracts.digest import (
    EXPIRY_HORIZON_DAYS,
    SEND_WITHIN,
    DigestPeopleInput,
    DigestPeopleResult,
    DigestPerson,
    SendDigestInput,
    SendDigestResult,
    iso_week,
)
from core.template_filters import eastern
from pathways.calendar import eastern_date, end_of
from store import worklist
from store.db import SessionFactory, session_scope
from store.models import Hire, Notification, Team

KIND = "digest"  # templates/email/digest.txt and .html

log = logging.getLogger("hirepath.digest")


@dataclass(frozen=True)
class Line:
    """One hire in a digest: what is due (or expires), and when."""

    hire_id: str
    candidate: str
    position: str
    what: str  # the step's title, or empty for a permit
    on: date | None  # the step's due date, or the permit's expiry
    days: int  # days overdue, or days left
    standard: bool = False  # the date is an authority's published standard (else hirepath's plan)


@dataclass
class Digest:
    name: str  # the HR owner's name as the hires give it
    overdue: list[Line] = field(default_factory=list)
    due_this_week: list[Line] = field(default_factory=list)
    authority: list[Line] = field(default_factory=list)
    expiring: list[Line] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_this_week or self.authority or self.expiring)


def team_digests(session: Session, team_id: str, at: datetime) -> dict[str, Digest]:
    """Every HR owner's digest in this team at ``at``, by lower-cased email; only those with
    something in them."""
    today = eastern_date(at)
    week_end = end_of(today + timedelta(days=6 - today.weekday()))  # Sunday's end
    work = worklist.worklist(worklist.open_steps(session, team_id=team_id), at, week_end)
    expiring = worklist.permits_expiring(
        session, team_id=team_id, first=today, last=today + timedelta(days=EXPIRY_HORIZON_DAYS)
    )
    digests: dict[str, Digest] = {}

    def digest_of(hire: Hire) -> Digest | None:
        email = hire.hr_owner_email.strip().lower()
        if not email:
            return None
        return digests.setdefault(email, Digest(name=hire.hr_owner_name or email))

    for listed, lines in (
        (work.overdue, "overdue"),
        (work.soon, "due_this_week"),
        (work.authority, "authority"),
    ):
        for o in listed:
            digest = digest_of(o.hire)
            if digest is None:
                continue
            due = o.step.due_on
            days = (today - due).days if lines == "overdue" and due else 0
            line = _line(o.hire, o.step.title, due, days, o.step.service_standard)
            getattr(digest, lines).append(line)
    for hire in expiring:
        digest = digest_of(hire)
        if digest is not None and hire.permit_expires_on is not None:
            left = (hire.permit_expires_on - today).days
            digest.expiring.append(_line(hire, "", hire.permit_expires_on, left))
    return {email: d for email, d in digests.items() if not d.empty}


def _line(hire: Hire, what: str, on: date | None, days: int, standard: bool = False) -> Line:
    return Line(hire.id, hire.candidate_name, hire.position_title, what, on, days, standard)


@dataclass(frozen=True)
class _Claim:
    id: str
    sent: bool
    message_id: str


class Digester:
    def __init__(
        self, renderer: EmailRenderer, mailer: Mailer, sessions: SessionFactory, mail_from: str
    ) -> None:
        self._renderer = renderer
        self._mailer = mailer
        self._sessions = sessions
        self._from = mail_from

    @activity.defn(name=ActivityName.DIGEST_PEOPLE)
    async def people(self, input: DigestPeopleInput) -> DigestPeopleResult:
        with store_errors():
            return await asyncio.to_thread(self._people, input)

    def _people(self, input: DigestPeopleInput) -> DigestPeopleResult:
        found: list[DigestPerson] = []
        with session_scope(self._sessions) as session:
            teams = [input.team_id] if input.team_id else worklist.team_ids(session)
            for team_id in teams:
                people = sorted(team_digests(session, team_id, input.at))
                found += [DigestPerson(team_id=team_id, email=email) for email in people]
                if people:
                    log.info("digest: team %s has %d people to tell", team_id, len(people))
        return DigestPeopleResult(people=found)

    @activity.defn(name=ActivityName.SEND_DIGEST)
    async def send(self, input: SendDigestInput) -> SendDigestResult:
        with store_errors():
            return await self._send(input)

    async def _send(self, input: SendDigestInput) -> SendDigestResult:
        person = input.person
        digest, team = await asyncio.to_thread(self._digest, person, input.at)
        if digest is None:  # nothing left to say since the list was made
            return SendDigestResult(sent=False, empty=True)
        key = f"digest:{person.team_id}:{person.email}:{iso_week(eastern_date(input.at))}"
        claim = await asyncio.to_thread(self._claim, person, key)
        if claim.sent:
            return SendDigestResult(sent=False)
        if datetime.now(UTC) - input.at > SEND_WITHIN:  # too late: not waiting to be retried
            problem = "not sent the day it was due: the mail server was unavailable"
            await asyncio.to_thread(self._mark, claim.id, "failed", problem, None, "")
            log.error("digest: team %s: an email given up, %s", person.team_id, problem)
            raise ApplicationError(problem, type="DigestTooLate", non_retryable=True)
        rendered = self._renderer.render_values(
            KIND, {"digest": digest, "team": team, "today": eastern_date(input.at)}
        )
        sent_at = datetime.now(UTC)
        message = EmailMessage()
        message["Subject"] = rendered.subject
        message["From"] = self._from
        message["To"] = person.email
        message["Message-ID"] = claim.message_id
        message["Date"] = format_datetime(eastern(sent_at))
        message[KIND_HEADER] = KIND
        message[SENT_HEADER] = sent_at.strftime("%Y%m%dT%H%M%S%f")
        message[DUE_HEADER] = input.at.isoformat()
        message.set_content(rendered.text)
        message.add_alternative(rendered.html, subtype="html")
        try:
            report = await self._mailer.send(message)
        except PermanentMailError as err:
            with contextlib.suppress(Exception):  # the refusal stands regardless
                await asyncio.to_thread(self._mark, claim.id, "failed", str(err), None, "")
            log.error("digest: team %s: the mail server refused an email: %s", person.team_id, err)
            raise ApplicationError(
                str(err), type="PermanentMailError", non_retryable=True
            ) from None
        except Exception as err:
            problem = str(err) if isinstance(err, TemporaryMailError) else type(err).__name__
            await asyncio.to_thread(self._mark, claim.id, "retrying", problem, None, "")
            raise ApplicationError(problem, type="MailDelayed") from None
        refused = f"{report.refused} recipient(s) refused, codes {report.codes}"
        await asyncio.to_thread(
            self._mark,
            claim.id,
            "sent",
            refused if report.refused else "",
            sent_at,
            rendered.subject,
        )
        return SendDigestResult(sent=True)

    def _digest(self, person: DigestPerson, at: datetime) -> tuple[Digest | None, str]:
        with session_scope(self._sessions) as session:
            team = session.get(Team, person.team_id)
            digests = team_digests(session, person.team_id, at) if team else {}
            return digests.get(person.email), team.name if team else ""

    def _claim(self, person: DigestPerson, key: str) -> _Claim:
        scope = f"team:{person.team_id}"  # in place of a hire: the digest is the team's
        ident = hashlib.sha256(f"{scope}\n{key}".encode()).hexdigest()
        with session_scope(self._sessions) as session:
            row = session.get(Notification, ident, with_for_update=True)
            if row is None:
                row = Notification(
                    id=ident,
                    hire_id=scope,
                    key=key[:200],
                    kind=KIND,
                    recipients=[person.email],
                    message_id=f"<{ident[:32]}@hirepath>",
                )
                session.add(row)
            row.attempts += 1
            if row.status != "sent":
                take_lease(row)
            return _Claim(ident, row.status == "sent", row.message_id)

    def _mark(
        self, ident: str, status: str, error: str, sent_at: datetime | None, subject: str
    ) -> None:
        with session_scope(self._sessions) as session:
            mark(session, ident, status, error, sent_at, subject)
