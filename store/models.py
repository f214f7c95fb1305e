"""The store's tables: the durable record the API reads.

Hire tables (hire, its steps, items, documents, clocks, events, notifications) are
written only by the recorder and notifier activities, through the hire's workflow;
the API never writes them. Teams and API keys are created and revoked by the
``hirepath`` command. The API writes access rows only: an API key's last use (from
requests and page sessions), the page sessions themselves and the team's calendar links.
Every datetime is timezone-aware UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always hands back an aware datetime (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _when(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def _json() -> Any:
    return Field(default_factory=dict, sa_type=sa.JSON)


class Team(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: str = Field(primary_key=True, max_length=36)
    team_id: str = Field(foreign_key="team.id", index=True, max_length=36)
    prefix: str = Field(unique=True, max_length=16)  # the key's public part, for lookup
    key_hash: str = Field(max_length=64)  # sha256 of the whole key
    name: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = _when()
    revoked_at: datetime | None = _when()


class PageSession(SQLModel, table=True):
    """A signed-in page session. The browser's cookie holds only a random id; the store keeps
    its SHA-256, so the table alone opens nothing. Ended by signing out (revoked_at), by its
    key's revocation, after idling too long (last_seen_at) and at expires_at regardless."""

    __tablename__ = "page_session"

    id_hash: str = Field(primary_key=True, max_length=64)  # sha256 of the cookie's id
    team_id: str = Field(foreign_key="team.id", max_length=36)
    api_key_id: str = Field(foreign_key="api_key.id", index=True, max_length=36)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    revoked_at: datetime | None = _when()
    # messages to show once on the next page ({"kind", "message"}), kept off the cookie
    flashes: list[dict[str, str]] = Field(default_factory=list, sa_type=sa.JSON)


class Hire(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=64)  # the workflow ID, hire-<uuid>
    team_id: str = Field(foreign_key="team.id", max_length=36)
    pathway: str = Field(max_length=20)
    category: str = Field(default="", max_length=20)
    rules_version: str = Field(max_length=40)
    status: str = Field(max_length=30)
    candidate_name: str = Field(max_length=200)
    # the name as the hires list searches it (store.search.folded: no case, accents, punctuation)
    search_name: str = Field(default="", max_length=200)
    candidate_email: str = Field(max_length=320)
    candidate: dict[str, Any] = _json()
    position_title: str = Field(max_length=200)
    noc: str = Field(default="", max_length=10)
    province: str = Field(default="", max_length=2)
    position: dict[str, Any] = _json()
    screening: dict[str, Any] = _json()
    hr_owner_name: str = Field(default="", max_length=200)
    hr_owner_email: str = Field(default="", max_length=320)
    manager_name: str = Field(default="", max_length=200)
    manager_email: str = Field(default="", max_length=320)
    current_step: str = Field(default="", max_length=60)
    steps_done: int = 0
    steps_total: int = 0
    next_due_at: datetime | None = _when()
    next_due_step: str = Field(default="", max_length=60)
    # the issued permit's expiry (the last step's decision field expires_on), for the list
    permit_expires_on: date | None = None
    request_hash: str = Field(default="", max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = _when()
    version: int = 0
    # The workflow run that wrote this version: a later run (a reset) may take the store over
    # from an earlier one's higher version.
    run_id: str = Field(default="", max_length=64)

    __table_args__ = (
        sa.Index("ix_hire_team_created", "team_id", "created_at", "id"),
        sa.Index("ix_hire_team_status_created", "team_id", "status", "created_at", "id"),
        sa.Index("ix_hire_team_due", "team_id", "next_due_at", "id"),
        sa.Index("ix_hire_team_permit", "team_id", "permit_expires_on", "id"),
        sa.Index("ix_hire_team_owner", "team_id", "hr_owner_email", "hr_owner_name"),
    )


class HireStep(SQLModel, table=True):
    __tablename__ = "hire_step"

    hire_id: str = Field(foreign_key="hire.id", primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=60)
    ordinal: int
    title: str = Field(max_length=200)
    owner: str = Field(max_length=20)
    status: str = Field(max_length=20)
    service_standard: bool = False
    deadline_note: str = ""
    decision_outcomes: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    opened_at: datetime | None = _when()
    due_on: date | None = None
    due_at: datetime | None = _when()
    deadline_changed: bool = False
    completed_at: datetime | None = _when()
    outcome: str = Field(default="", max_length=40)
    fields: dict[str, Any] = _json()
    decided_by: str = Field(default="", max_length=200)


class HireItem(SQLModel, table=True):
    __tablename__ = "hire_item"

    hire_id: str = Field(foreign_key="hire.id", primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=60)
    step_key: str = Field(max_length=60)
    ordinal: int
    title: str = Field(max_length=300)
    description: str = ""
    owner: str = Field(max_length=20)
    required: bool = True
    status: str = Field(max_length=20)
    reason: str = ""
    updated_at: datetime | None = _when()


class Document(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=36)
    hire_id: str = Field(foreign_key="hire.id", index=True, max_length=64)
    item_key: str = Field(max_length=60)
    sha256: str = Field(max_length=64, index=True)
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    uploaded_at: datetime = Field(sa_type=UTCDateTime)
    uploaded_by: str = Field(default="", max_length=200)


class HireClock(SQLModel, table=True):
    __tablename__ = "hire_clock"

    hire_id: str = Field(foreign_key="hire.id", primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=60)
    title: str = Field(max_length=200)
    status: str = Field(max_length=20)
    stops_after_step: str = Field(max_length=60)
    at_risk_day: int
    target_day: int
    started_on: date | None = None
    stopped_on: date | None = None
    elapsed_days: int | None = None


class HireEvent(SQLModel, table=True):
    __tablename__ = "hire_event"

    hire_id: str = Field(foreign_key="hire.id", primary_key=True, max_length=64)
    seq: int = Field(primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    kind: str = Field(max_length=40)
    actor: str = Field(default="", max_length=200)
    step: str = Field(default="", max_length=60)
    item: str = Field(default="", max_length=60)
    data: dict[str, Any] = _json()


class Notification(SQLModel, table=True):
    """One email per notice key; a retry finds it here and does not send it again."""

    id: str = Field(primary_key=True, max_length=64)  # sha256 of hire id + notice key
    hire_id: str = Field(index=True, max_length=64)
    key: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    recipients: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    subject: str = Field(default="", max_length=300)
    message_id: str = Field(default="", max_length=200)
    status: str = Field(default="sending", max_length=20)
    attempts: int = 0
    error: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = _when()
    # The attempt sending it now, and until when (a lease): another live attempt of the same
    # notice waits rather than sending it too.
    lease_holder: str = Field(default="", max_length=200)
    lease_until: datetime | None = _when()


class CalendarToken(SQLModel, table=True):
    """An unguessable, revocable link to a team's calendar feed (/calendar/<token>.ics)."""

    __tablename__ = "calendar_token"

    id: str = Field(primary_key=True, max_length=36)
    team_id: str = Field(foreign_key="team.id", index=True, max_length=36)
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = _when()
