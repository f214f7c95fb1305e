"""The JSON API's request and response models (OpenAPI at /docs)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from api.plain_text import refused_character
from pathways.calendar import eastern_date
from pathways.eligibility import Education, Relationship
from pathways.ict import Capacity

PROVINCES = ("AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT")


class MultiLine:
    """Marks text where tabs and line breaks belong (a reason, a justification)."""


MULTI_LINE = MultiLine()

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Country = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),  # "in" is India
    StringConstraints(pattern=r"^[A-Z]{2}$"),
]
Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), MULTI_LINE
]

Where = tuple[str | int, ...]


def _refusals(value: Any, multi_line: bool, free_form: bool) -> Iterator[tuple[Where, str]]:
    """Every string in ``value`` the store could not keep: (where, why). A dict is walked
    only in a free-form field (a decision's fields); otherwise it is a nested model, which
    checks its own fields."""
    if isinstance(value, str):
        if problem := refused_character(value, multi_line=multi_line):
            yield (), problem
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            for where, problem in _refusals(item, multi_line, free_form):
                yield (index, *where), problem
    elif isinstance(value, dict) and free_form:
        for key, item in value.items():
            if isinstance(key, str) and (problem := refused_character(key)):
                yield (), f"a name {problem}"
                continue
            for where, problem in _refusals(item, multi_line, free_form):
                yield (key, *where), problem


class Strict(BaseModel):
    """Every request model: no unknown fields, and no string the store could not keep (no
    control characters anywhere; tabs and line breaks only in multi-line text)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _plain_text(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields[info.field_name or ""]
        multi_line = any(isinstance(m, MultiLine) for m in field.metadata)
        found = list(_refusals(value, multi_line, get_origin(field.annotation) is dict))
        if found:
            raise ValidationError.from_exception_data(
                cls.__name__,
                [
                    InitErrorDetails(
                        type=PydanticCustomError("control_character", problem),
                        loc=where,
                        input=value,
                    )
                    for where, problem in found
                ],
            )
        return value


def _years_on(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29
        return day.replace(year=day.year + years, day=28)


def plausible(day: date | None, what: str, earliest: date, years_ahead: int = 5) -> date | None:
    """``day`` if it could describe a real event: not before ``earliest``, nor more than
    ``years_ahead`` years from today (Eastern)."""
    if day is None:
        return day
    latest = _years_on(eastern_date(datetime.now(UTC)), years_ahead)
    if not earliest <= day <= latest:
        raise PydanticCustomError(
            "implausible_date",
            "{what} must be between {earliest} and {latest} ({years} years from today)",
            {"what": what, "earliest": earliest.isoformat(), "latest": latest.isoformat(),
             "years": years_ahead},
        )  # fmt: skip
    return day


# ---- requests ----


class PersonIn(Strict):
    name: Name
    email: EmailStr


class RelatedEmploymentIn(Strict):
    """The worker's job with the related company abroad (Intra-Company Transfers)."""

    start: date
    end: date | None = Field(None, description="Empty while still employed there")
    full_time: bool = True
    country: Country | None = Field(
        None,
        description="Where the worker did this job (ISO 3166 alpha-2); time in Canada (CA) "
        "does not count toward the 1-in-3 rule",
    )

    @field_validator("start", "end")
    @classmethod
    def _plausible(cls, value: date | None, info: ValidationInfo) -> date | None:
        what = "the job's start" if info.field_name == "start" else "the job's end"
        return plausible(value, what, earliest=date(1950, 1, 1))

    @model_validator(mode="after")
    def _ordered(self) -> RelatedEmploymentIn:
        if self.end is not None and self.end < self.start:
            raise PydanticCustomError("end_before_start", "The end can't be before the start")
        return self


def _phone(value: str) -> str:
    if value and not re.fullmatch(r"[0-9+() .\-]{3,40}", value):
        raise ValueError("use digits, spaces and + - ( ) only")
    return value


Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=40), AfterValidator(_phone)
]
Language = Literal["en", "fr"]


class CandidateProfile(Strict):
    """What screening needs to know about the candidate (no name or email)."""

    citizenships: list[Country] = Field(
        min_length=1, max_length=5, description="ISO 3166 alpha-2 codes"
    )
    permanent_residences: list[Country] = Field(default_factory=list, max_length=5)
    residence: Country | None = Field(None, description="Country of residence, ISO 3166 alpha-2")
    visa_exempt: bool | None = Field(
        None,
        description="Needs no visitor visa (TRV) to enter Canada; decides the port of entry route",
    )
    education: Education | None = None
    licence: bool | None = Field(
        None, description="Holds a state, provincial or federal licence in the profession"
    )
    designations: list[
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    ] = Field(default_factory=list, max_length=10, description="e.g. C.P.A., J.D.")
    years_experience: Decimal | None = Field(None, ge=0, le=60, max_digits=4, decimal_places=1)
    related_employment: RelatedEmploymentIn | None = Field(
        None,
        description="One job with the multinational, read as one more item of employment "
        "(the only one in older requests)",
    )
    spouse_accompanying: bool = False
    employment: list[RelatedEmploymentIn] = Field(
        default_factory=list,
        max_length=10,
        description="The worker's jobs with the multinational (Intra-Company Transfers), "
        "current and past; related_employment is read as a one-item list",
    )
    degree_field: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] = Field(
        "",
        description="The field of study of the highest degree, diploma or certificate "
        "(CUSMA: it must be a program related to the profession)",
    )
    credential_country: Country | None = Field(
        None,
        description="Where the highest credential was granted (ISO 3166 alpha-2). CUSMA: a "
        "post-secondary diploma from CA or US, the certificate and the Licenciatura from MX",
    )
    prior_ict_months: int | None = Field(
        None,
        ge=0,
        le=240,
        description="Months already spent in Canada on Intra-Company Transfer permits (any "
        "code), since the last full year outside Canada; counts against the cap",
    )


class CandidateIn(CandidateProfile):
    name: Name
    email: EmailStr
    phone: Phone = Field("", description="How HR reaches the worker (digits, spaces, + - ( ) only)")
    preferred_language: Language | None = Field(None, description="The language the worker prefers")


class WageIn(Strict):
    amount: Decimal = Field(gt=0, le=10_000_000, max_digits=12, decimal_places=2)
    per: Literal["year", "hour"]


class PositionProfile(Strict):
    """What screening needs to know about the job."""

    noc: str = Field(
        pattern=r"^\d[0-5]\d{3}$", description="NOC 2021 code: 5 digits, the second its TEER (0-5)"
    )
    wage: WageIn
    hours_per_week: Decimal = Field(Decimal(40), ge=1, le=80, max_digits=4, decimal_places=2)
    province: Literal[PROVINCES]  # type: ignore[valid-type]
    start_date: date | None = None

    @field_validator("province", mode="before")
    @classmethod
    def _province_in_any_case(cls, value: Any) -> Any:
        """ "on", " On " and "ON" are Ontario."""
        return value.strip().upper() if isinstance(value, str) else value

    duration_months: int | None = Field(None, ge=1, le=120)
    cusma_profession: str | None = Field(
        None,
        pattern=r"^[a-z_]{2,60}$",
        description="An Appendix 2 profession key (GET /api/v1/pathways/cusma lists them)",
    )
    ict_capacity: Capacity | None = None
    employer_relationship: Relationship | None = Field(
        None, description="How the Canadian employer relates to the foreign one (ICT)"
    )
    self_employed: bool = False
    application_date: date | None = Field(
        None,
        description="When the worker will apply for the permit; the ICT 1-in-3 rule counts "
        "back from it (default: the day screened)",
    )

    gts_a_approved_this_year: int | None = Field(
        None,
        ge=0,
        le=100,
        description="GTS Category A: how many unique and specialized positions ESDC already "
        "approved for the employer in the calendar year screened for. The first 2 a year need "
        "$80,000 and $38.46/h; the third and later $150,000 and $72.11/h. Not given: a wage "
        "between the two floors needs evidence",
    )
    gts_a_referral: bool | None = Field(
        None,
        description="GTS Category A: a designated referral partner referred the employer for "
        "this position (true) or did not (false: ESDC does not process the LMIA, not "
        "eligible); not given: needs evidence",
    )

    @field_validator("start_date")
    @classmethod
    def _plausible_start(cls, value: date | None) -> date | None:
        return plausible(value, "the start date", earliest=date(2000, 1, 1))


class PositionIn(PositionProfile):
    title: Name


class OverrideIn(Strict):
    justification: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=20, max_length=2000), MULTI_LINE
    ]


class HireCreate(Strict):
    pathway: Literal["gts", "cusma", "ict"]
    category: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9]{1,3}$",
        description="GTS: A or B. CUSMA: T36 (T23 accepted). ICT: from the capacity; "
        "C61/C62/C63/T37/T38 (C12, T24 accepted) must agree with it; a US or Mexican "
        "citizen may choose C62/C63 (R205(a), wage floor mandatory) or T37/T38 (CUSMA).",
    )
    candidate: CandidateIn
    position: PositionIn
    hr_owner: PersonIn
    manager: PersonIn
    override: OverrideIn | None = Field(
        None,
        description="Start although screening says not eligible; the justification goes on the timeline",
    )

    @field_validator("pathway", "category", mode="before")
    @classmethod
    def _normalize(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("category", mode="after")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value


class ScreeningIn(Strict):
    candidate: CandidateProfile
    position: PositionProfile
    screened_on: date | None = Field(
        None,
        description="The day to screen for (default: today in Eastern time): a rule is applied "
        "only from the day it took effect",
    )


class ReasonIn(Strict):
    reason: Reason


class OptionalReasonIn(Strict):
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=2000), MULTI_LINE
    ] = ""


class DecisionIn(Strict):
    outcome: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    fields: Annotated[  # a value may span lines (a refusal's reason); a name may not
        dict[
            Annotated[str, StringConstraints(max_length=60)],
            Annotated[str, StringConstraints(max_length=500)],
        ],
        MULTI_LINE,
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
    visa_exempt: bool | None
    spouse_accompanying: bool
    phone: str = ""
    preferred_language: str = ""


class PositionOut(BaseModel):
    title: str
    noc: str
    wage_amount: str
    wage_per: str
    hours_per_week: str
    province: str
    start_date: date | None
    duration_months: int | None


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


class SourceOut(BaseModel):
    """A source a rule rests on (pathways.sources): follow ``url`` to read it."""

    key: str
    title: str
    publisher: str
    url: str
    page_date: date | None  # the page's "Date modified"; null: no date visible
    effective: date | None  # when the policy it states took effect, where known
    supports: str  # what hirepath takes from it
    note: str = ""  # e.g. a law firm's summary, not the authority's own text


class SourcesOut(BaseModel):
    items: list[SourceOut]


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
    sources: list[SourceOut] = Field(default_factory=list)  # the step's and its deadline's


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
    amount_cents: int | None
    payer: str
    per: str
    note: str
    sources: list[SourceOut] = Field(default_factory=list)


class FeesOut(BaseModel):
    items: list[FeeOut]
    totals_cents: dict[str, int]


class ProgressOut(BaseModel):
    done: int
    total: int
    percent: int


# One hire in a list (contracts.hire.ProjectionSummary is the workflow's own, different summary)
class HireListItem(BaseModel):
    id: str
    pathway: str
    category: str
    status: str
    candidate_name: str
    position_title: str
    hr_owner_name: str = ""
    hr_owner_email: str
    current_step: str
    permit_expires_on: date | None = None  # once the permit is issued
    progress: ProgressOut
    next_due_at: datetime | None  # the instant the deadline passes (end of its day, Eastern)
    next_due_on: date | None  # the day it is due
    next_due_step: str
    overdue: bool
    created_at: datetime
    updated_at: datetime


class FindingOut(BaseModel):
    rule: str
    met: str
    reason: str
    source: str  # the keys of ``sources``, e.g. "SP1, SP2"
    missing: str = ""
    sources: list[SourceOut] = Field(default_factory=list)


class VerdictOut(BaseModel):
    pathway: str
    category: str
    status: str
    findings: list[FindingOut]
    missing: list[str] = Field(default_factory=list)
    may_apply_at_border: bool = False
    two_week_processing: FindingOut | None = None
    spouse: FindingOut | None = None  # for this pathway's permit length


class ScreeningOut(BaseModel):
    verdicts: list[VerdictOut]
    spouse: FindingOut | None = None  # none when the worker needs no permit (a Canadian or PR)


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
    screening: VerdictOut | None
    spouse: FindingOut | None  # none when the worker needs no permit (a Canadian or PR)
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    version: int


class HirePage(BaseModel):
    items: list[HireListItem]
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


class ErrorOut(BaseModel):
    """Every error: what went wrong, and by field where a field is at fault."""

    detail: str
    fields: dict[str, str] = Field(default_factory=dict)
