"""What crosses Temporal for a hire: the workflow's input and result, its updates, its state.

Plain dataclasses (no SQLModel tables), one in and one out for every workflow
and update, so a field can be added without breaking hires in flight: give a
new field a default. The candidate and the position are the rules' own types
(``pathways.eligibility.Candidate`` and ``Position``): the shape screening reads is the
shape the hire carries and the store keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from pathways.eligibility import Candidate, Position

WORKFLOW_ID_PREFIX = "hire-"

# Workflow type and update names, pinned: running hires' histories refer to them, so the
# Python names may change but these may not.
WORKFLOW_TYPES = {"gts": "GtsHire", "cusma": "CusmaHire", "ict": "IctHire"}


class Update:
    """Update names (plain strings)."""

    AWAIT_READABLE: Final = "open"  # sent with the start: returns once the hire is readable
    RECEIVE_DOCUMENT: Final = "receive_document"
    ACCEPT_ITEM: Final = "accept_item"
    REJECT_ITEM: Final = "reject_item"
    WAIVE_ITEM: Final = "waive_item"
    RECORD_DECISION: Final = "record_decision"
    CHANGE_DEADLINE: Final = "change_deadline"
    WITHDRAW: Final = "withdraw"
    EDIT_DETAILS: Final = "edit_details"  # corrections: the hire's people and start date
    UNDO_ITEM: Final = "undo_item"  # an accept, reject or waive taken back
    AMEND_DECISION: Final = "amend_decision"  # a recorded decision corrected, with a reason


def workflow_id(hire_uuid: str) -> str:
    """Workflow IDs are opaque: ``hire-<uuid>``, never anything personal."""
    return f"{WORKFLOW_ID_PREFIX}{hire_uuid}"


class HireStatus(StrEnum):
    ACTIVE = "active"
    PERMIT_ISSUED = "permit_issued"  # the hire is done; the permit's expiry is tracked
    PERMIT_EXPIRED = "permit_expired"
    WITHDRAWN = "withdrawn"
    LMIA_REFUSED = "lmia_refused"
    PERMIT_REFUSED = "permit_refused"
    ENTRY_REFUSED = "entry_refused"
    HALTED = "halted"  # its workflow stopped outside hirepath (terminated, failed, timed out)


class StepStatus(StrEnum):
    PENDING = "pending"
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"  # the hire ended before the step was reached or finished


class ItemStatus(StrEnum):
    PENDING = "pending"  # its step is not open yet
    REQUESTED = "requested"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # the owner was asked again
    WAIVED = "waived"

    @property
    def settled(self) -> bool:
        return self in (ItemStatus.ACCEPTED, ItemStatus.WAIVED)


class ClockStatus(StrEnum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    AT_RISK = "at_risk"
    MISSED = "missed"  # the target passed, still waiting
    MET = "met"
    MISSED_FINAL = "missed_final"  # decided after the target
    STOPPED = "stopped"  # the hire ended before a decision


@dataclass
class Person:
    name: str
    email: str


@dataclass
class ScreeningFinding:
    rule: str
    met: str
    reason: str
    source: str
    missing: str = ""


@dataclass
class Screening:
    """The eligibility verdict the hire was started on (pathways.eligibility)."""

    status: str
    findings: list[ScreeningFinding] = field(default_factory=list)
    may_apply_at_border: bool = False
    two_week_processing: ScreeningFinding | None = None


@dataclass
class Override:
    """HR started the hire although screening said it is not eligible."""

    justification: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class HireCarry:
    """Where a hire stands, carried into its next run when the workflow continues as new (its
    history stays short however long the hire lives and however many actions it takes)."""

    steps: list[StepState]
    clocks: list[ClockState]
    status: HireStatus
    created_at: datetime
    closed_at: datetime | None
    origin_request: str
    withdraw_reason: str
    permit_announced: bool
    version: int  # of the store's copy: projections go on from it
    seq: int  # the timeline's last number
    recent_actions: list[datetime] = field(default_factory=list)  # within the last hour
    run: int = 1  # this hire's runs so far


@dataclass
class HireInput:
    hire_id: str  # the workflow ID, hire-<uuid>
    team_id: str
    pathway: str
    rules_version: str
    category: str
    candidate: Candidate
    position: Position
    hr_owner: Person
    manager: Person
    request_hash: str = ""
    actor: str = ""
    override: Override | None = None
    screening: Screening | None = None
    max_actions_per_hour: int = 0  # HR's actions on this hire in any hour; 0: no bound
    search_attributes: bool = False  # keep status, step and next due date searchable
    carry: HireCarry | None = None  # set when the hire continues as new


@dataclass
class HireResult:
    hire_id: str
    status: HireStatus


@dataclass
class DocumentRef:
    id: str
    sha256: str
    filename: str
    content_type: str
    size: int
    uploaded_at: datetime
    uploaded_by: str = ""


@dataclass
class ItemState:
    key: str
    step: str
    title: str
    description: str
    owner: str
    required: bool
    status: ItemStatus = ItemStatus.PENDING
    reason: str = ""  # why it was rejected or waived
    updated_at: datetime | None = None
    documents: list[DocumentRef] = field(default_factory=list)


@dataclass
class StepState:
    key: str
    title: str
    owner: str
    description: str
    items: list[ItemState]
    decision_outcomes: list[str] = field(default_factory=list)  # empty: no decision to record
    service_standard: bool = False
    deadline_note: str = ""
    status: StepStatus = StepStatus.PENDING
    opened_at: datetime | None = None
    due_on: date | None = None
    due_at: datetime | None = None  # the instant the deadline passes
    deadline_changed: bool = False
    schedule_since: datetime | None = None  # reminders before this instant are not sent
    completed_at: datetime | None = None
    outcome: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    decided_by: str = ""
    sent: list[str] = field(default_factory=list)  # notice keys already sent for this step

    @property
    def settled(self) -> bool:
        """Every required item is accepted or waived, and the decision, if any, recorded."""
        items_in = all(i.status.settled for i in self.items if i.required)
        return items_in and (not self.decision_outcomes or bool(self.outcome))


@dataclass
class ClockState:
    key: str
    title: str
    stops_after_step: str
    at_risk_day: int
    target_day: int
    status: ClockStatus = ClockStatus.NOT_STARTED
    started_on: date | None = None
    stopped_on: date | None = None
    elapsed_days: int | None = None


@dataclass
class Event:
    seq: int
    at: datetime
    kind: str
    actor: str = ""
    step: str = ""
    item: str = ""
    data: dict[str, str] = field(default_factory=dict)


@dataclass
class ProjectionSummary:
    """What the hires list shows, worked out from every step (a partial snapshot has only
    the steps that changed, so it carries this)."""

    current_step: str
    steps_done: int
    steps_total: int
    next_due_at: datetime | None
    next_due_step: str


@dataclass
class HireSnapshot:
    """The hire as the store shows it; ``version`` only grows.

    With ``summary`` set, ``steps`` and ``clocks`` hold only those that changed since the
    previous version (the store has every earlier version by then: projections run one at
    a time, in order); without it, all of them."""

    hire_id: str
    team_id: str
    pathway: str
    rules_version: str
    category: str
    status: HireStatus
    candidate: Candidate
    position: Position
    hr_owner: Person
    manager: Person
    steps: list[StepState]
    clocks: list[ClockState]
    created_at: datetime
    updated_at: datetime
    version: int
    request_hash: str = ""
    closed_at: datetime | None = None
    new_events: list[Event] = field(default_factory=list)
    screening: Screening | None = None
    summary: ProjectionSummary | None = None
    run_id: str = ""  # the workflow run that sent it (a reset starts a new one)


def summary_of(steps: list[StepState]) -> ProjectionSummary:
    """The hires list's columns, from every step of the hire (pure: the workflow and the
    recorder both call it)."""
    open_steps = [step for step in steps if step.status == StepStatus.OPEN]
    dated = [step for step in open_steps if step.due_at is not None]
    due = min(dated, key=_due_at, default=None)
    return ProjectionSummary(
        current_step=open_steps[0].key if open_steps else "",
        steps_done=sum(1 for step in steps if step.status == StepStatus.DONE),
        steps_total=len(steps),
        next_due_at=due.due_at if due else None,
        next_due_step=due.key if due else "",
    )


def _due_at(step: StepState) -> datetime:
    assert step.due_at is not None
    return step.due_at


# ---- updates: one dataclass in, one out ----


@dataclass
class OpenHireInput:
    """Sent with the start (update ``open``): returns once the hire is readable in the store."""

    request_id: str


@dataclass
class OpenHireResult:
    hire_id: str
    request_hash: str
    created_by_request: str  # the request_id of the call that created the hire


@dataclass
class ReceiveDocumentInput:
    item: str
    document: DocumentRef
    accept: bool = False
    actor: str = ""


@dataclass
class ItemActionInput:
    item: str
    reason: str = ""
    actor: str = ""


@dataclass
class DecisionInput:
    step: str
    outcome: str
    fields: dict[str, str] = field(default_factory=dict)
    actor: str = ""


@dataclass
class DeadlineInput:
    step: str
    due_on: date
    reason: str = ""
    actor: str = ""


@dataclass
class WithdrawInput:
    reason: str
    actor: str = ""


@dataclass
class EditDetailsInput:
    """A correction to the hire's details: only the fields given (not None) change."""

    candidate_name: str | None = None
    candidate_email: str | None = None
    candidate_phone: str | None = None
    preferred_language: str | None = None
    hr_owner_name: str | None = None
    hr_owner_email: str | None = None
    manager_name: str | None = None
    manager_email: str | None = None
    start_date: date | None = None
    reason: str = ""
    actor: str = ""


@dataclass
class AmendDecisionInput:
    """A recorded decision corrected: its fields (and, while its step is open, its outcome)."""

    step: str
    outcome: str
    fields: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    actor: str = ""


@dataclass
class ActionResult:
    hire_id: str
    version: int
    status: HireStatus
    current_step: str
