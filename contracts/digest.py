"""The Monday digest across Temporal: its names, and one dataclass in and one out for the
workflow and each of its activities. A person is named by team and email only inside
payloads (encrypted); workflow IDs and logs carry neither."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Final

DIGEST_WORKFLOW: Final = "MondayDigest"
DIGEST_SCHEDULE: Final = "hirepath-monday-digest"  # the Schedule's ID, and its runs' ID prefix
DIGEST_TIME_ZONE: Final = "America/Toronto"
DIGEST_WEEKDAY: Final = 1  # Monday, as a Temporal calendar spec counts (Sunday is 0)
DIGEST_HOUR: Final = 8
EXPIRY_HORIZON_DAYS: Final = 120  # permits expiring within this many days are listed
# A digest not sent within this long of its run (the mail server down all day) is given up
# and marked failed: next Monday's says what is still true.
SEND_WITHIN: Final = timedelta(hours=12)


def iso_week(day: date) -> str:
    """The ISO week of ``day``, e.g. 2027-W02: a digest is sent once per person and week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class DigestInput:
    team_id: str = ""  # only this team (an operator's send-now); empty: every team


@dataclass
class DigestResult:
    week: str  # the ISO week it was for, e.g. 2027-W02
    people: int  # HR people with something to hear about
    sent: int  # emails sent by this run (one already sent this week is not sent again)
    failed: int = 0  # emails the mail server refused for good (each is logged by the worker)


@dataclass
class DigestPerson:
    team_id: str
    email: str  # the HR owner's email, lower-cased: one digest per address and team


@dataclass
class DigestPeopleInput:
    at: datetime  # the workflow's time: the digest is for that moment's Eastern day and week
    team_id: str = ""


@dataclass
class DigestPeopleResult:
    people: list[DigestPerson] = field(default_factory=list)  # only those with something listed


@dataclass
class SendDigestInput:
    person: DigestPerson
    at: datetime


@dataclass
class SendDigestResult:
    sent: bool  # False: sent already this week, or nothing to say any more
    empty: bool = False
