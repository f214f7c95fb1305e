"""What crosses Temporal to the activities: their names, and one dataclass in and one out.

Workflows call activities by these names, so workflow code never imports the activity
modules (and with them SQL, SMTP and Jinja)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from contracts.hire import HireSnapshot


class ActivityName:
    """Activity names, pinned: a running hire's history refers to them."""

    RECORD: Final = "record"  # a whole snapshot
    RECORD_CHANGES: Final = "record_changes"  # only what changed since the version before
    NOTIFY: Final = "notify"
    SWEEP: Final = "sweep"  # the store notices hires whose workflow stopped without a word
    DIGEST_PEOPLE: Final = "digest_people"  # who gets a Monday digest this week
    SEND_DIGEST: Final = "send_digest"  # one person's Monday digest, once a week


@dataclass
class RecordInput:
    snapshot: HireSnapshot


@dataclass
class RecordResult:
    version: int
    applied: bool  # False when the store already held this version or a newer one
    # After a reset, the store keeps its own numbering: the version it now holds and its last
    # timeline number, which the workflow goes on from (0: as sent).
    last_seq: int = 0


@dataclass
class MailContext:
    """What an email template may say. Templates choose the words; this is the facts."""

    hire_id: str
    pathway_title: str
    candidate_name: str
    position_title: str
    hr_owner_name: str
    step_title: str = ""
    step_owner: str = ""
    due_on: date | None = None
    days: int = 0
    items: list[str] = field(default_factory=list)
    item_title: str = ""
    reason: str = ""
    facts: dict[str, str] = field(default_factory=dict)


@dataclass
class NotifyInput:
    key: str  # unique per hire and notice: a retry with the same key never sends twice
    hire_id: str
    kind: str  # templates/email/<kind>.html and .txt
    to: list[str]
    context: MailContext
    event_seq: int  # the timeline entry this email writes once it is sent
    cc: list[str] = field(default_factory=list)
    step: str = ""
    due_at: datetime | None = None  # when the workflow sent it (its clock): X-Hirepath-Due


@dataclass
class NotifyResult:
    sent: bool  # False when an earlier attempt had already sent it
    message_id: str
    sent_at: datetime | None = None


@dataclass
class SweepInput:
    lookback_minutes: int = 60  # workflows closed this recently are checked


@dataclass
class SweepResult:
    checked: int  # closed workflows looked at
    halted: list[str] = field(default_factory=list)  # hire IDs the store now shows halted
