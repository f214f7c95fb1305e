"""Activity inputs and results: one dataclass in, one out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from workflows.contracts import HireSnapshot


@dataclass
class RecordInput:
    snapshot: HireSnapshot


@dataclass
class RecordResult:
    version: int
    applied: bool  # False when the store already held this version or a newer one


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
