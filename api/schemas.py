"""The JSON API's request and response models (OpenAPI at /docs)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Country = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}$")
]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---- requests ----


class PersonIn(Strict):
    name: Name
    email: EmailStr


class CandidateIn(Strict):
    name: Name
    email: EmailStr
    citizenships: list[Country] = Field(
        min_length=1, max_length=5, description="ISO 3166 alpha-2 codes"
    )
    residence: Country | None = Field(None, description="Country of residence, ISO 3166 alpha-2")


class WageIn(Strict):
    amount: Decimal = Field(gt=0, le=10_000_000, max_digits=12, decimal_places=2)
    per: Literal["year", "hour"]


class PositionIn(Strict):
    title: Name
    noc: str = Field(pattern=r"^\d{5}$", description="NOC 2021 code, 5 digits")
    wage: WageIn
    hours_per_week: Decimal = Field(Decimal(40), ge=1, le=80, max_digits=4, decimal_places=2)
    province: Literal[PROVINCES]  # type: ignore[valid-type]
    start_date: date | None = None


class HireCreate(Strict):
    pathway: Literal["gts"]
    category: Literal["A", "B"]
    candidate: CandidateIn
    position: PositionIn
    hr_owner: PersonIn
    manager: PersonIn

    @field_validator("pathway", "category", mode="before")
    @classmethod
    def _normalize(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) and len(value) == 1 else value


class ReasonIn(Strict):
    reason: Reason


class OptionalReasonIn(Strict):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""


class DecisionIn(Strict):
    outcome: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    fields: dict[
        Annotated[str, StringConstraints(max_length=60)],
        Annotated[str, StringConstraints(max_length=500)],
    ] = Field(default_factory=dict, max_length=20)


class DeadlineIn(Strict):
    due_on: date
    reason: Reason


# ---- responses ----


class PersonOut(BaseModel):
    name: str
    email: str


class CandidateOut(PersonOut):
    citizenships: list[str]
    residence: str | None


class PositionOut(BaseModel):
    title: str
    noc: str
    wage_amount: str
    wage_per: str
    hours_per_week: str
    province: str
    start_date: date | None


class DocumentOut(BaseModel):
    id: str
    item: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str
    url: str


class ItemOut(BaseModel):
    key: str
    title: str
    description: str
    owner: str
    required: bool
    status: str
    reason: str
    updated_at: datetime | None
    documents: list[DocumentOut]


class DecisionOut(BaseModel):
    outcomes: list[str]
    outcome: str
    fields: dict[str, str]
    decided_by: str


class StepOut(BaseModel):
    key: str
    title: str
    owner: str
    status: str
    service_standard: bool
    deadline_note: str
    opened_at: datetime | None
    due_on: date | None
    due_at: datetime | None
    overdue: bool
    deadline_changed: bool
    completed_at: datetime | None
    decision: DecisionOut | None
    items: list[ItemOut]


class ClockOut(BaseModel):
    key: str
    title: str
    status: str
    started_on: date | None
    stopped_on: date | None
    elapsed_days: int | None
    at_risk_day: int
    target_day: int


class FeeOut(BaseModel):
    key: str
    title: str
    amount_cents: int
    payer: str
    per: str
    note: str


class FeesOut(BaseModel):
    items: list[FeeOut]
    totals_cents: dict[str, int]


class ProgressOut(BaseModel):
    done: int
    total: int
    percent: int


class HireSummary(BaseModel):
    id: str
    pathway: str
    category: str
    status: str
    candidate_name: str
    position_title: str
    hr_owner_email: str
    current_step: str
    progress: ProgressOut
    next_due_at: datetime | None
    next_due_step: str
    overdue: bool
    created_at: datetime
    updated_at: datetime


class HireDetail(BaseModel):
    id: str
    pathway: str
    pathway_title: str
    category: str
    rules_version: str
    status: str
    candidate: CandidateOut
    position: PositionOut
    hr_owner: PersonOut
    manager: PersonOut
    current_step: str
    progress: ProgressOut
    next_due_at: datetime | None
    overdue: bool
    steps: list[StepOut]
    clocks: list[ClockOut]
    fees: FeesOut
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    version: int


class HirePage(BaseModel):
    items: list[HireSummary]
    next_cursor: str | None


class UploadOut(BaseModel):
    document: DocumentOut
    hire: HireDetail


class EventOut(BaseModel):
    seq: int
    at: datetime
    kind: str
    actor: str
    step: str
    item: str
    data: dict[str, str]
    summary: str


class EventPage(BaseModel):
    items: list[EventOut]


class Health(BaseModel):
    status: str
    checks: dict[str, str] = Field(default_factory=dict)
