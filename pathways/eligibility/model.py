"""What screening reads and what it says: the candidate, the position, findings and verdicts.

``Candidate`` and ``Position`` are the one shape of a hire's candidate and job: they also
parse from the JSON of the workflow input's ``contracts.hire.Candidate`` and
``contracts.hire.PositionInfo`` (the position's wage is flat, as there). ``facts_of`` is the
one builder of the ``HireFacts`` the pathway definitions read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pathways.ict import Capacity
from pathways.model import HireFacts
from pathways.occupations import teer_of
from pathways.sources import keys_in

HOURS_PER_YEAR_FULL_TIME = Decimal(2080)  # 40 h x 52 weeks, as ESDC's floors use
YEAR = timedelta(days=365)


class WagePer(StrEnum):
    YEAR = "year"
    HOUR = "hour"


@dataclass(frozen=True)
class Wage:
    amount: Decimal
    per: WagePer
    hours_per_week: Decimal = Decimal(40)

    @property
    def hourly(self) -> Decimal:
        if self.per == WagePer.HOUR:
            return self.amount
        return (self.amount / (self.hours_per_week * 52)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def annual(self) -> Decimal:
        if self.per == WagePer.YEAR:
            return self.amount
        return (self.amount * self.hours_per_week * 52).quantize(Decimal("1"))


class Education(StrEnum):
    NONE = "none"
    SECONDARY = "secondary"
    DIPLOMA = "post_secondary_diploma"  # 2+ years, Canada or US
    CERTIFICATE = "post_secondary_certificate"  # the Mexican equivalent
    BACHELOR = "bachelor"  # Baccalaureate or Licenciatura
    MASTER = "master"
    DOCTORATE = "doctorate"


DEGREES = frozenset({Education.BACHELOR, Education.MASTER, Education.DOCTORATE})
ADVANCED_DEGREES = frozenset({Education.MASTER, Education.DOCTORATE})
POST_SECONDARY = DEGREES | {Education.DIPLOMA, Education.CERTIFICATE}


class Relationship(StrEnum):
    PARENT = "parent"
    SUBSIDIARY = "subsidiary"
    BRANCH = "branch"
    AFFILIATE = "affiliate"
    OTHER = "other"  # client, supplier, contract, licence, franchise, small stake, shared directors


@dataclass(frozen=True)
class RelatedEmployment:
    """The worker's job with the related company abroad (for an Intra-Company Transfer)."""

    start: date
    end: date | None = None  # None: still employed there
    full_time: bool = True
    country: str = ""  # where the worker did this job (ISO 3166 alpha-2); "" not said


@dataclass(frozen=True)
class Candidate:
    """The worker. Every field has a default, so the contract's JSON (name, email,
    citizenships, residence, visa_exempt, spouse) parses as one."""

    name: str = ""
    email: str = ""
    citizenships: tuple[str, ...] = ()
    permanent_residences: tuple[str, ...] = ()
    visa_exempt: bool | None = None
    education: Education | None = None
    licence: bool | None = None  # a state, provincial or federal licence (None: not said)
    designations: tuple[str, ...] = ()  # e.g. "C.P.A.", "J.D."
    years_experience: Decimal | None = None
    related_employment: RelatedEmployment | None = None
    spouse: bool = False
    residence: str = ""  # country of residence; "CA" for a temporary resident inside Canada
    phone: str = ""  # how HR reaches the worker (not used by the rules)
    preferred_language: str = ""  # "en" or "fr": the language the worker prefers
    employment: tuple[RelatedEmployment, ...] = ()  # stints with the multinational (ICT)
    degree_field: str = ""  # the field of study of the highest credential (CUSMA)
    credential_country: str = ""  # where the highest credential was granted (ISO alpha-2)
    prior_ict_months: int | None = None  # months already in Canada on ICT permits (None: not said)

    @property
    def stints(self) -> tuple[RelatedEmployment, ...]:
        """The worker's jobs with the multinational: ``employment``, or the single
        ``related_employment`` of older requests and hires."""
        if self.employment:
            return self.employment
        return (self.related_employment,) if self.related_employment else ()


@dataclass(frozen=True)
class Position:
    """The job. The wage is flat (amount, per, hours), as in the contract's JSON (title, noc,
    wage_amount, wage_per, hours_per_week, province, start_date, duration_months)."""

    noc: str
    wage_amount: Decimal
    wage_per: WagePer
    title: str = ""
    hours_per_week: Decimal = Decimal(40)
    province: str = ""
    start_date: date | None = None
    duration_months: int | None = None
    cusma_profession: str | None = None
    ict_capacity: Capacity | None = None
    employer_relationship: Relationship | None = None
    self_employed: bool = False
    application_date: date | None = None  # when the worker applies (None: the screening date)
    # GTS Category A: how many unique and specialized positions ESDC already approved for the
    # employer in the calendar year screened for, and whether a designated partner referred
    # the employer for this position (None: not said).
    gts_a_approved_this_year: int | None = None
    gts_a_referral: bool | None = None

    @property
    def wage(self) -> Wage:
        return Wage(self.wage_amount, self.wage_per, self.hours_per_week)

    @property
    def teer(self) -> int | None:
        return teer_of(self.noc)


class Status(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_EVIDENCE = "needs_evidence"


class Met(StrEnum):
    YES = "met"
    NO = "not_met"
    EVIDENCE = "needs_evidence"
    WARNING = "warning"  # worth knowing before filing; it decides nothing


@dataclass(frozen=True)
class Finding:
    rule: str
    met: Met
    reason: str
    source: str  # the keys of pathways.sources it rests on, e.g. "SP1, SP2"
    missing: str = ""  # what to provide, when the rule needs evidence

    @property
    def source_keys(self) -> tuple[str, ...]:
        return keys_in(self.source)


@dataclass(frozen=True)
class Verdict:
    pathway: str
    category: str
    findings: tuple[Finding, ...]
    may_apply_at_border: bool = False
    two_week_processing: Finding | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def status(self) -> Status:
        if any(f.met == Met.NO for f in self.findings):
            return Status.NOT_ELIGIBLE
        if any(f.met == Met.EVIDENCE for f in self.findings):
            return Status.NEEDS_EVIDENCE
        return Status.ELIGIBLE

    @property
    def reasons_not_met(self) -> tuple[str, ...]:
        return tuple(f.reason for f in self.findings if f.met == Met.NO)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(f.missing for f in self.findings if f.missing)


def facts_of(candidate: Candidate, position: Position, category: str = "") -> HireFacts:
    """The facts the pathway definitions read (steps, items, fees), from the candidate and the
    position: the one builder of ``HireFacts`` from them."""
    return HireFacts(
        category=category,
        province=position.province,
        citizenships=candidate.citizenships,
        teer=position.teer,
        visa_exempt=candidate.visa_exempt,
        spouse=candidate.spouse,
        residence=candidate.residence,
    )


def present(*findings: Finding | None) -> list[Finding]:
    """The findings of the rules that apply (a rule gives None when it does not)."""
    return [f for f in findings if f is not None]


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}" if amount != amount.to_integral() else f"${amount:,.0f}"


def _years(value: Decimal) -> str:
    return f"{value.normalize():f}"
