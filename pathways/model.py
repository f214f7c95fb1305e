"""The vocabulary every pathway definition is written in.

Pure, frozen data: a pathway is a versioned list of steps; a step has an owner,
a checklist, a deadline rule, a reminder plan and, when someone must record an
outcome (an authority's decision, a submission), a decision spec. Nothing here
does I/O or reads a clock, so workflows, the API and tests can all import it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from typing import Any


class Owner(StrEnum):
    """Who must act on a step or item."""

    EMPLOYER = "employer"
    WORKER = "worker"
    ESDC = "esdc"
    IRCC = "ircc"
    CBSA = "cbsa"

    @property
    def is_authority(self) -> bool:
        return self in AUTHORITIES


AUTHORITIES = frozenset({Owner.ESDC, Owner.IRCC, Owner.CBSA})


class DayCount(StrEnum):
    BUSINESS = "business"
    CALENDAR = "calendar"


class Payer(StrEnum):
    EMPLOYER = "employer"
    WORKER = "worker"
    SPOUSE = "spouse"


@dataclass(frozen=True)
class Source:
    """A citation: a source key from domain/PATHWAYS.md (e.g. ``G1``) and the section."""

    key: str
    section: str = ""


@dataclass(frozen=True)
class HireFacts:
    """The facts about a hire that decide which steps, items, outcomes and fees apply."""

    category: str = ""
    province: str = ""
    citizenships: tuple[str, ...] = ()
    teer: int | None = None  # of the position's NOC 2021 code
    visa_exempt: bool | None = None  # the worker needs no visitor visa (TRV) to enter
    spouse: bool = False  # the worker's spouse comes too
    residence: str = ""  # country of residence ("CA": already inside Canada)
    # the spouse may get an open work permit: screening's spouse finding met or needing
    # evidence (False: not met; None: not known, as for hires started before it was recorded)
    spouse_open_work_permit: bool | None = None


@dataclass(frozen=True)
class Condition:
    """Applies to a hire only when every given constraint holds (None = any)."""

    categories: frozenset[str] | None = None
    provinces: frozenset[str] | None = None
    not_citizen_of: frozenset[str] | None = None
    citizen_of: frozenset[str] | None = None  # a citizen of any of these
    teers: frozenset[int] | None = None
    may_apply_at_border: bool | None = None  # see pathways.routes
    spouse: bool | None = None
    spouse_open_work_permit: bool | None = None  # True: unless the spouse's permit is ruled out

    def applies(self, facts: HireFacts) -> bool:
        if self.categories is not None and facts.category not in self.categories:
            return False
        if self.provinces is not None and facts.province not in self.provinces:
            return False
        if self.not_citizen_of is not None and self.not_citizen_of & set(facts.citizenships):
            return False
        if self.citizen_of is not None and not self.citizen_of & set(facts.citizenships):
            return False
        if self.teers is not None and facts.teer not in self.teers:
            return False
        if self.may_apply_at_border is not None and self.may_apply_at_border != may_apply_at_border(
            facts
        ):
            return False
        if self.spouse_open_work_permit is not None and self.spouse_open_work_permit != (
            facts.spouse_open_work_permit is not False
        ):
            return False
        return self.spouse is None or self.spouse == facts.spouse


CUSMA_CODES = frozenset({"T36", "T23", "T37", "T38", "T24"})


def may_apply_at_border(facts: HireFacts) -> bool:
    """R198 (PATHWAYS.md 0.4): a work permit at the port of entry only for a visa-exempt
    national; always for a US citizen. Since flagpoling ended (2024-12-23), a temporary
    resident inside Canada cannot leave and come back for one [FLAG]. A Mexican citizen
    under a CUSMA code applies online: the safer reading of a conflict (PATHWAYS.md 6.9);
    one with another, visa-exempt citizenship may use it under the other pathways."""
    if "US" in facts.citizenships:
        return True
    if facts.residence == "CA":
        return False
    if "MX" in facts.citizenships and facts.category in CUSMA_CODES:
        return False
    if set(facts.citizenships) == {"MX"}:
        return False
    return facts.visa_exempt is True


def applies(when: Condition | None, facts: HireFacts) -> bool:
    return when is None or when.applies(facts)


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    title: str
    description: str = ""
    owner: Owner | None = None  # None: the step's owner
    required: bool = True
    when: Condition | None = None
    sources: tuple[Source, ...] = ()


class AnchorKind(StrEnum):
    OPENED = "opened"  # the day the step opened
    FIELD = "field"  # a date recorded in an earlier step's decision
    START_DATE = "start_date"  # the position's planned start date


@dataclass(frozen=True)
class Anchor:
    kind: AnchorKind = AnchorKind.OPENED
    step: str = ""
    field: str = ""


OPENED = Anchor()


@dataclass(frozen=True)
class DeadlineRule:
    """How a step's due date is computed.

    ``amount`` days of ``unit`` after the anchor date. With
    ``from_next_business_day`` the count starts on the first business day after
    the anchor, which is day 1 (ESDC: "10 business days from the business day
    after receipt"). ``service_standard`` marks an authority's published
    standard: HR is told when it is due and when it has passed, never nagged
    before.
    """

    amount: int
    unit: DayCount = DayCount.BUSINESS
    anchor: Anchor = OPENED
    from_next_business_day: bool = False
    service_standard: bool = False
    note: str = ""
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class ReminderPlan:
    """Reminders before a deadline and escalations after it, in business days."""

    before: tuple[int, ...] = (3, 1)
    escalate_every: int = 2
    max_escalations: int = 3


AUTHORITY_PLAN = ReminderPlan(before=(), escalate_every=5, max_escalations=2)


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    NUMBER = "number"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    title: str
    type: FieldType = FieldType.TEXT
    required: bool = True
    pattern: str = ""  # a regular expression a text value must match in full
    help: str = ""


class Effect(StrEnum):
    ADVANCE = "advance"  # the step is done once its items are in; the hire moves on
    END_HIRE = "end_hire"  # the hire ends with the outcome's status


@dataclass(frozen=True)
class Outcome:
    key: str
    title: str
    effect: Effect = Effect.ADVANCE
    end_status: str = ""  # the hire's status when effect is END_HIRE
    fields: tuple[FieldSpec, ...] = ()
    when: Condition | None = None  # offered only to hires it applies to


@dataclass(frozen=True)
class DecisionSpec:
    title: str
    outcomes: tuple[Outcome, ...]

    def outcome(self, key: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.key == key), None)

    def outcomes_for(self, facts: HireFacts) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if applies(o.when, facts))


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    owner: Owner
    description: str
    deadline: DeadlineRule
    items: tuple[ChecklistItem, ...] = ()
    decision: DecisionSpec | None = None
    reminders: ReminderPlan = field(default_factory=ReminderPlan)
    when: Condition | None = None
    sources: tuple[Source, ...] = ()
    # a different deadline for some hires (the first that applies wins)
    deadline_when: tuple[tuple[Condition, DeadlineRule], ...] = ()

    def deadline_for(self, facts: HireFacts) -> DeadlineRule:
        return next(
            (rule for cond, rule in self.deadline_when if cond.applies(facts)), self.deadline
        )


@dataclass(frozen=True)
class Fee:
    key: str
    title: str
    amount_cents: int | None  # None: it varies (say so in the note)
    payer: Payer
    per: str
    note: str = ""
    when: Condition | None = None
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class SlaClock:
    """A target clock that runs across steps (the GTS two-week work-permit target)."""

    key: str
    title: str
    starts: Anchor  # a FIELD anchor: the date the clock starts
    stops_after_step: str  # the clock stops when this step's decision is recorded
    at_risk_day: int
    target_day: int
    sources: tuple[Source, ...] = ()
    starts_on_outcomes: tuple[str, ...] = ()  # only when the anchor step's outcome is one of these
    when: Condition | None = None  # only for hires it applies to


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    description: str = ""
    aliases: tuple[str, ...] = ()  # superseded codes still accepted (PATHWAYS.md 0.1)
    max_permit_years: int | None = None  # the longest initial permit
    cap_years: int | None = None  # cumulative cap across renewals, if any


@dataclass(frozen=True)
class Pathway:
    key: str
    title: str
    version: str  # a hire records the version it started under; versions never change
    effective: date
    summary: str
    categories: tuple[Category, ...]
    steps: tuple[Step, ...]
    fees: tuple[Fee, ...] = ()
    clocks: tuple[SlaClock, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()  # where sources conflict: the safer reading encoded, and why
    max_permit_years: int | None = None
    renewal: str = ""  # how a permit is renewed (its words are in the permit_expiry email)

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def category(self, key: str) -> Category | None:
        """The category with this code, or whose superseded code this is."""
        return next((c for c in self.categories if key == c.key or key in c.aliases), None)

    def permit_years(self, category: str) -> int | None:
        found = self.category(category)
        return (found.max_permit_years if found else None) or self.max_permit_years

    def clocks_for(self, facts: HireFacts) -> tuple[SlaClock, ...]:
        return tuple(c for c in self.clocks if applies(c.when, facts))

    def steps_for(self, facts: HireFacts) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if applies(s.when, facts))

    def items_for(self, step: Step, facts: HireFacts) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in step.items if applies(i.when, facts))

    def fees_for(self, facts: HireFacts) -> tuple[Fee, ...]:
        return tuple(f for f in self.fees if applies(f.when, facts))


def as_plain(value: Any, *, compact: bool = False) -> Any:
    """A definition as plain JSON-ready data (enums as values, sets sorted, dates ISO).

    ``compact`` leaves out fields that hold their default, so adding an optional field to
    the model does not change what a published version says (tests/pathways/test_registry.py).
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        plain = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if compact and _is_default(f, item):
                continue
            if isinstance(value, Condition) and item is None:  # only the constraints it sets
                continue
            plain[f.name] = as_plain(item, compact=compact)
        return plain
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (frozenset, set)):
        return sorted(as_plain(v, compact=compact) for v in value)
    if isinstance(value, (list, tuple)):
        return [as_plain(v, compact=compact) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(value == f.default_factory())
    return False
