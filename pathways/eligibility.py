"""Eligibility screening: which pathways fit a candidate and a position, and why.

Each rule gives a finding: met, not met, or needs evidence (hirepath cannot check it, or
an input is missing; ``missing`` says what). A verdict is "not_eligible" when any rule is
not met, "needs_evidence" when any needs evidence, else "eligible". Rules and their
sources: PATHWAYS.md sections 1 to 4; every reason cites its section.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pathways.cusma_professions import Route, profession
from pathways.gts import CATEGORY_A, CATEGORY_B
from pathways.ict import CUSMA_SPECIALIZED, SK_CODES, START_UP, Capacity, ict_code
from pathways.model import HireFacts, may_apply_at_border
from pathways.occupations import GLOBAL_TALENT_OCCUPATIONS, teer_of

HOURS_PER_YEAR_FULL_TIME = Decimal(2080)  # 40 h x 52 weeks, as ESDC's floors use
CAT_A_ANNUAL_FLOOR = Decimal(80_000)
CAT_A_HOURLY_FLOOR = Decimal("38.46")
CUSMA_CITIZENS = frozenset({"US", "MX"})
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


@dataclass(frozen=True)
class Candidate:
    citizenships: tuple[str, ...]
    permanent_residences: tuple[str, ...] = ()
    visa_exempt: bool | None = None
    education: Education | None = None
    licence: bool | None = None  # a state, provincial or federal licence (None: not said)
    designations: tuple[str, ...] = ()  # e.g. "C.P.A.", "J.D."
    years_experience: Decimal | None = None
    related_employment: RelatedEmployment | None = None
    spouse: bool = False
    residence: str = ""  # country of residence; "CA" for a temporary resident inside Canada


@dataclass(frozen=True)
class Position:
    noc: str
    wage: Wage
    province: str = ""
    start_date: date | None = None
    duration_months: int | None = None
    cusma_profession: str | None = None
    ict_capacity: Capacity | None = None
    employer_relationship: Relationship | None = None
    self_employed: bool = False

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


@dataclass(frozen=True)
class Finding:
    rule: str
    met: Met
    reason: str
    source: str
    missing: str = ""  # what to provide, when the rule needs evidence


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


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}" if amount != amount.to_integral() else f"${amount:,.0f}"


def _years(value: Decimal) -> str:
    return f"{value.normalize():f}"


# ---- Global Talent Stream (PATHWAYS.md 1.1, 1.2) ----


def _gts_b(position: Position) -> list[Finding]:
    source = "G2 (PATHWAYS.md 1.2)"
    occupation = GLOBAL_TALENT_OCCUPATIONS.find(position.noc)
    if occupation is None:
        return [
            Finding(
                "gts_b_occupation",
                Met.NO,
                f"NOC {position.noc} is not on the Global Talent Occupations List (Category B); "
                "consider Category A with a partner's referral.",
                source,
            )
        ]
    findings = [
        Finding(
            "gts_b_occupation",
            Met.YES,
            f"NOC {position.noc} is on the Global Talent Occupations List: {occupation.title}.",
            source,
        )
    ]
    if occupation.noc_2016.startswith("sub-"):
        findings.append(
            Finding(
                "gts_b_sub_occupation",
                Met.EVIDENCE,
                f"Only part of NOC {position.noc} is on the list ({occupation.title}). "
                + (occupation.note or ""),
                source,
                missing="proof the role is the listed part of the occupation",
            )
        )
    if position.province == "QC":
        findings.append(
            Finding(
                "gts_quebec_floors",
                Met.EVIDENCE,
                "In Quebec, MIFI's wage floors apply instead of ESDC's.",
                source,
                missing="the MIFI floor for the occupation",
            )
        )
    hourly = position.wage.hourly
    if occupation.hourly_floor is None:
        findings.append(
            Finding(
                "gts_b_wage_floor",
                Met.EVIDENCE,
                f"The wage must be at least the prevailing wage for NOC {position.noc} (Job Bank "
                "regional median) at every work location.",
                "G2 (PATHWAYS.md 1.1)",
                missing="the Job Bank median wage for the occupation and region",
            )
        )
    elif hourly < occupation.hourly_floor:
        findings.append(
            Finding(
                "gts_b_wage_floor",
                Met.NO,
                f"The wage ({_money(hourly)}/h) is below the Category B floor for NOC "
                f"{position.noc}: {_money(occupation.hourly_floor)}/h (the hourly floor governs).",
                source,
            )
        )
    else:
        findings.append(
            Finding(
                "gts_b_wage_floor",
                Met.YES,
                f"The wage ({_money(hourly)}/h) meets the Category B floor of "
                f"{_money(occupation.hourly_floor)}/h for NOC {position.noc}.",
                source,
            )
        )
        findings.append(
            Finding(
                "gts_b_prevailing_wage",
                Met.EVIDENCE,
                "The floor reads 'or higher prevailing wage': the wage must also meet the Job Bank "
                "median for the region if that is higher.",
                source,
                missing="the Job Bank median wage for the occupation and region",
            )
        )
    return findings


def _gts_a(candidate: Candidate, position: Position) -> list[Finding]:
    source = "G2 (PATHWAYS.md 1.1)"
    findings: list[Finding] = []
    if GLOBAL_TALENT_OCCUPATIONS.find(position.noc) is not None:
        findings.append(
            Finding(
                "gts_a_listed_is_b",
                Met.NO,
                f"NOC {position.noc} is on the Global Talent Occupations List, so ESDC processes "
                "it as Category B even with a referral.",
                source,
            )
        )
    annual, hourly = position.wage.annual, position.wage.hourly
    if hourly < CAT_A_HOURLY_FLOOR or annual < CAT_A_ANNUAL_FLOOR:
        findings.append(
            Finding(
                "gts_a_wage",
                Met.NO,
                f"A unique and specialized position pays at least {_money(CAT_A_ANNUAL_FLOOR)} and "
                f"{_money(CAT_A_HOURLY_FLOOR)}/h base; this one pays {_money(annual)} "
                f"({_money(hourly)}/h).",
                source,
            )
        )
    else:
        findings.append(
            Finding(
                "gts_a_wage",
                Met.YES,
                f"The base pay ({_money(annual)}, {_money(hourly)}/h) meets the unique and "
                "specialized floor of $80,000 and $38.46/h.",
                source,
            )
        )
    years = candidate.years_experience
    if candidate.education in ADVANCED_DEGREES or (years is not None and years >= 5):
        findings.append(
            Finding(
                "gts_a_expertise",
                Met.YES,
                "An advanced degree in the specialization or at least 5 years of specialized "
                "experience: the candidate has it.",
                source,
            )
        )
    elif candidate.education is None or years is None:
        findings.append(
            Finding(
                "gts_a_expertise",
                Met.EVIDENCE,
                "A unique and specialized position needs an advanced degree in the specialization "
                "and/or at least 5 years of specialized experience.",
                source,
                missing="the candidate's "
                + " and ".join(
                    part
                    for part, absent in (
                        ("education", candidate.education is None),
                        ("years of specialized experience", years is None),
                    )
                    if absent
                ),
            )
        )
    else:
        findings.append(
            Finding(
                "gts_a_expertise",
                Met.NO,
                "A unique and specialized position needs an advanced degree in the specialization "
                f"and/or at least 5 years of specialized experience; the candidate has "
                f"{(candidate.education or Education.NONE).value.replace('_', ' ')} and "
                f"{_years(years or Decimal(0))} years.",
                source,
            )
        )
    findings.append(
        Finding(
            "gts_a_referral",
            Met.EVIDENCE,
            "Category A needs a referral form from a designated referral partner for this worker.",
            "G1, G2 (PATHWAYS.md 1.1)",
            missing="the designated partner's referral form",
        )
    )
    return findings


# ---- CUSMA Professionals (PATHWAYS.md 2.1, 2.4) ----


def _cusma_citizenship(candidate: Candidate, code: str) -> Finding:
    source = "visaserve, iclimmigration (PATHWAYS.md 2.1)"
    citizen = sorted(CUSMA_CITIZENS & set(candidate.citizenships))
    if citizen:
        return Finding(
            f"{code}_citizenship",
            Met.YES,
            "A citizen of "
            + " and ".join({"US": "the United States", "MX": "Mexico"}[c] for c in citizen)
            + ".",
            source,
        )
    if CUSMA_CITIZENS & set(candidate.permanent_residences):
        return Finding(
            f"{code}_citizenship",
            Met.NO,
            "CUSMA needs US or Mexican citizenship; US and Mexican permanent residents are excluded.",
            source,
        )
    return Finding(f"{code}_citizenship", Met.NO, "CUSMA needs US or Mexican citizenship.", source)


def _credential_met(
    candidate: Candidate, route: Route, years: int, names: tuple[str, ...]
) -> bool | None:
    experience = candidate.years_experience
    if route == Route.BACCALAUREATE:
        return None if candidate.education is None else candidate.education in DEGREES
    if route == Route.DIPLOMA_3_YEARS:
        if candidate.education is None or experience is None:
            return None
        return candidate.education in POST_SECONDARY and experience >= years
    if route == Route.LICENCE:
        return candidate.licence
    if route == Route.DESIGNATION:
        have = {_norm(d) for d in candidate.designations}
        if candidate.education in DEGREES:
            have.add(_norm("Licenciatura"))  # a baccalaureate here includes the Licenciatura
        if have & {_norm(n) for n in names}:
            return True
        return None if not candidate.designations and candidate.education is None else False
    if route == Route.EXPERIENCE:
        return None if experience is None else experience >= years
    return None  # the technician rule is a judgement on evidence


def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


_ROUTE_WORDS = {
    Route.BACCALAUREATE: "a baccalaureate or Licenciatura degree",
    Route.DIPLOMA_3_YEARS: "a post-secondary diploma or certificate plus {years} years' experience",
    Route.LICENCE: "a state, provincial or federal licence",
    Route.DESIGNATION: "one of: {names}",
    Route.EXPERIENCE: "{years} years' experience",
    Route.TECHNICIAN: "the scientific technician rule",
}


def _cusma_profession(candidate: Candidate, position: Position) -> list[Finding]:
    source = "APP2 (PATHWAYS.md 2.4)"
    if not position.cusma_profession:
        return [
            Finding(
                "cusma_profession",
                Met.EVIDENCE,
                "The job must be one of the 63 CUSMA Appendix 2 professions.",
                source,
                missing="the Appendix 2 profession (position.cusma_profession)",
            )
        ]
    found = profession(position.cusma_profession)
    if found is None:
        return [
            Finding(
                "cusma_profession",
                Met.NO,
                f"{position.cusma_profession!r} is not one of the 63 CUSMA Appendix 2 professions.",
                source,
            )
        ]
    findings = [
        Finding("cusma_profession", Met.YES, f"{found.title} is an Appendix 2 profession.", source)
    ]
    routes = [
        _ROUTE_WORDS[c.route].format(years=c.years, names=", ".join(c.names))
        + (f" ({c.note})" if c.note else "")
        for c in found.credentials
    ]
    outcomes = [_credential_met(candidate, c.route, c.years, c.names) for c in found.credentials]
    needs = f"{found.title} needs " + "; or ".join(routes).rstrip(".") + "."
    qualified = [c for c, o in zip(found.credentials, outcomes, strict=True) if o is True]
    if qualified and all(c.note for c in qualified):  # e.g. "in hotel/restaurant management"
        findings.append(
            Finding(
                "cusma_credential",
                Met.EVIDENCE,
                f"The credential may meet the rule, with proof of: {qualified[0].note}. {needs}",
                source,
                missing=f"proof of {qualified[0].note}",
            )
        )
    elif qualified:
        findings.append(
            Finding("cusma_credential", Met.YES, f"The credential meets the rule: {needs}", source)
        )
    elif any(o is None for o in outcomes):
        findings.append(
            Finding(
                "cusma_credential",
                Met.EVIDENCE,
                needs,
                source,
                missing="the candidate's education, licence, designations and years of experience",
            )
        )
    else:
        findings.append(
            Finding("cusma_credential", Met.NO, f"{needs} The candidate has none of these.", source)
        )
    return findings


def _cusma_employment(position: Position) -> Finding:
    source = "visaserve, iclimmigration (PATHWAYS.md 2.1)"
    if position.self_employed:
        return Finding(
            "cusma_employment",
            Met.NO,
            "CUSMA professionals need pre-arranged employment with a Canadian enterprise: no self-employment.",
            source,
        )
    return Finding(
        "cusma_employment", Met.YES, "Pre-arranged employment with a Canadian enterprise.", source
    )


# ---- Intra-Company Transfers (PATHWAYS.md 3.1 to 3.4) ----


def continuous_days_in_window(job: RelatedEmployment, today: date, years: int = 3) -> int:
    """Days of ``job`` inside the ``years`` before ``today``, first and last days included."""
    window_start = today - timedelta(days=365 * years)
    start = max(job.start, window_start)
    end = min(job.end or today, today)
    return max((end - start).days + 1, 0)


def _ict(
    candidate: Candidate, position: Position, code: str, capacity: Capacity, today: date
) -> list[Finding]:
    source = "I1 (PATHWAYS.md 3.1)"
    findings: list[Finding] = []
    job = candidate.related_employment
    if job is None:
        findings.append(
            Finding(
                "ict_one_in_three",
                Met.EVIDENCE,
                "The worker needs at least 1 continuous year, full time, with the related company "
                "in the 3 years before applying.",
                source,
                missing="the worker's employment with the related company (dates, full time)",
            )
        )
    else:
        days = continuous_days_in_window(job, today)
        if job.end is not None and job.end < today:
            findings.append(
                Finding(
                    "ict_one_in_three",
                    Met.NO,
                    f"The worker must be employed by the related company now (the job ended on "
                    f"{job.end.isoformat()}), with the home job held for the return.",
                    source,
                )
            )
        elif not job.full_time:
            findings.append(
                Finding(
                    "ict_one_in_three",
                    Met.NO,
                    "The 1-in-3 rule needs full-time employment; part-time work does not add up.",
                    source,
                )
            )
        elif days >= 365:
            findings.append(
                Finding(
                    "ict_one_in_three",
                    Met.YES,
                    f"{days} continuous days, full time, with the related company in the last 3 years "
                    "(at least 365 needed).",
                    source,
                )
            )
        else:
            findings.append(
                Finding(
                    "ict_one_in_three",
                    Met.NO,
                    f"Only {days} continuous days with the related company in the last 3 years; the "
                    "rule needs 1 continuous year, full time.",
                    source,
                )
            )
    relationship = position.employer_relationship
    if relationship is None:
        findings.append(
            Finding(
                "ict_relationship",
                Met.EVIDENCE,
                "The Canadian employer must be the parent, a subsidiary, a branch or an affiliate of "
                "the foreign employer.",
                source,
                missing="how the Canadian and foreign companies are related",
            )
        )
    elif relationship == Relationship.OTHER:
        findings.append(
            Finding(
                "ict_relationship",
                Met.NO,
                "A client, supplier, contract, licence or franchise relationship (or a small stake or "
                "shared directors) is not a qualifying relationship: parent, subsidiary, branch or "
                "affiliate only.",
                source,
            )
        )
    else:
        findings.append(
            Finding(
                "ict_relationship",
                Met.YES,
                f"The Canadian employer is {'an' if relationship.value[0] in 'aeiou' else 'a'} "
                f"{relationship.value}: a qualifying relationship.",
                source,
            )
        )
    teer = position.teer
    if capacity in (Capacity.EXECUTIVE, Capacity.MANAGER):
        role = "executive" if capacity == Capacity.EXECUTIVE else "manager"
        if teer == 0 or (capacity == Capacity.MANAGER and teer == 1):
            findings.append(
                Finding("ict_capacity_teer", Met.YES, f"A {role} role in TEER {teer}.", source)
            )
        else:
            findings.append(
                Finding(
                    "ict_capacity_teer",
                    Met.NO,
                    f"Executives are TEER 0 and managers TEER 1; NOC {position.noc} is TEER {teer}.",
                    source,
                )
            )
    elif capacity == Capacity.SPECIALIZED_KNOWLEDGE:
        if teer is not None and teer <= 2:
            findings.append(
                Finding(
                    "ict_capacity_teer",
                    Met.YES,
                    f"A specialized-knowledge role in TEER {teer} (0 to 2 expected).",
                    source,
                )
            )
        else:
            findings.append(
                Finding(
                    "ict_capacity_teer",
                    Met.EVIDENCE,
                    f"Specialized-knowledge roles are expected in TEER 0 to 2; NOC {position.noc} is "
                    f"TEER {teer}, which IRCC reviews closely.",
                    source,
                    missing="why the TEER 3-5 role needs specialized knowledge",
                )
            )
    if code in SK_CODES:
        sk_source = "I1 (PATHWAYS.md 3.2)"
        if job is None:
            findings.append(
                Finding(
                    "ict_specialized_experience",
                    Met.EVIDENCE,
                    "Specialized knowledge comes from significant (about 2 years) and recent (last 3 "
                    "years) experience in the organization.",
                    sk_source,
                    missing="the worker's employment with the related company",
                )
            )
        else:
            days = continuous_days_in_window(job, today)
            met = days >= 730
            findings.append(
                Finding(
                    "ict_specialized_experience",
                    Met.YES if met else Met.EVIDENCE,
                    f"{days} days in the organization in the last 3 years; specialized knowledge needs "
                    "significant (about 2 years) and recent experience.",
                    sk_source,
                    missing="" if met else "how the shorter experience gave advanced expertise",
                )
            )
        findings.append(
            Finding(
                "ict_proprietary_knowledge",
                Met.EVIDENCE,
                "Specialized knowledge needs both advanced proprietary knowledge and advanced expertise.",
                sk_source,
                missing="proof of proprietary knowledge and advanced expertise",
            )
        )
    if code == START_UP:
        findings.append(
            Finding(
                "ict_startup",
                Met.EVIDENCE,
                "A start-up transfer needs a multinational already operating in at least 2 countries, "
                "commercial premises, a funded business plan and a timeline to active business.",
                "I1 (PATHWAYS.md 3.4)",
                missing="the premises, business plan, financials and timeline",
            )
        )
    if code == CUSMA_SPECIALIZED:
        wage = (
            "For CUSMA specialized knowledge the prevailing-wage floor is not always required, but "
            "IRCC weighs the wage (PATHWAYS.md 3.2, 6.6)."
        )
    else:
        wage = (
            "The wage must be at least the prevailing wage (Job Bank) for the occupation and "
            "location; allowances and per diems do not count."
        )
    findings.append(
        Finding(
            "ict_wage",
            Met.EVIDENCE,
            wage,
            source,
            missing="the Job Bank median wage for the occupation and region",
        )
    )
    return findings


# ---- where the worker applies, two-week processing, the spouse ----


def two_week_processing(pathway: str, position: Position) -> Finding:
    """Global Skills Strategy two-week processing (PATHWAYS.md 0.3): a GTS LMIA, or a TEER 0 or
    1 LMIA-exempt job, applied for online from outside Canada."""
    source = "I5 (PATHWAYS.md 0.3)"
    if pathway == "gts":
        return Finding(
            "gss",
            Met.YES,
            "A GTS LMIA: two-week processing when applying online from outside Canada.",
            source,
        )
    teer = position.teer
    if teer in (0, 1):
        return Finding(
            "gss",
            Met.YES,
            f"A TEER {teer} LMIA-exempt job: two-week processing when applying online from outside Canada.",
            source,
        )
    return Finding(
        "gss",
        Met.NO,
        f"NOC {position.noc} is TEER {teer}: no two-week processing (LMIA-exempt jobs need TEER 0 or 1).",
        source,
    )


SPOUSE_TEER_2_3_PREFIXES = ("22", "32", "33", "72", "73", "82", "83")
SPOUSE_EXCLUDED_PREFIXES = ("12", "13", "62", "63", "92", "93")
MIN_AUTHORIZATION_MONTHS = 16


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def permit_months(planned: int | None, max_years: int | None) -> int | None:
    """The longest a first permit can run: the planned duration, within the category's limit."""
    limit = max_years * 12 if max_years else None
    if planned is None:
        return limit
    return min(planned, limit) if limit else planned


def spouse_open_work_permit(position: Position, permit_months: int | None) -> Finding:
    """Can the worker's spouse get an open work permit (C41)? PATHWAYS.md section 4, for
    applications from 2025-01-21."""
    source = "SP1, SP2 (PATHWAYS.md 4)"
    teer, noc = position.teer, position.noc
    job_note = ""
    if teer in (0, 1):
        job_ok: bool | None = True
        job_note = f"TEER {teer} job"
    elif noc == "52120":
        job_ok, job_note = (
            False,
            "NOC 52120 (TEER 2, arts) is likely not on the list: the safer reading (PATHWAYS.md 6.11)",
        )
    elif teer in (2, 3) and noc.startswith(SPOUSE_TEER_2_3_PREFIXES):
        job_ok, job_note = True, f"TEER {teer} job in a listed group ({noc[:2]}XXX)"
    elif teer in (2, 3) and noc.startswith(SPOUSE_EXCLUDED_PREFIXES):
        job_ok, job_note = False, f"TEER {teer} jobs in {noc[:2]}XXX are excluded"
    elif teer in (2, 3):
        job_ok, job_note = (
            None,
            f"TEER {teer} job: only select groups qualify (some education, sports and military roles)",
        )
    else:
        job_ok, job_note = False, f"TEER {teer} jobs (4 and 5) are excluded"
    if job_ok is False:
        return Finding("spouse_owp", Met.NO, f"No spouse's open work permit: {job_note}.", source)
    if permit_months is None:
        return Finding(
            "spouse_owp",
            Met.EVIDENCE,
            f"{job_note}; the worker's permit must also be valid at least {MIN_AUTHORIZATION_MONTHS} months "
            "when the spouse applies.",
            source,
            missing="the permit's duration",
        )
    if permit_months < MIN_AUTHORIZATION_MONTHS:
        return Finding(
            "spouse_owp",
            Met.NO,
            f"No spouse's open work permit: the worker's permit runs {permit_months} months, and it must "
            f"be valid at least {MIN_AUTHORIZATION_MONTHS} months when the spouse applies.",
            source,
        )
    if job_ok is None:
        return Finding(
            "spouse_owp",
            Met.EVIDENCE,
            f"{job_note}.",
            source,
            missing="whether the role is on IRCC's list",
        )
    return Finding(
        "spouse_owp",
        Met.YES,
        f"The spouse may get an open work permit: {job_note}, permit of {permit_months} months "
        f"(at least {MIN_AUTHORIZATION_MONTHS} needed when the spouse applies; apply with the worker "
        "for the two-week processing).",
        source,
    )


# ---- the verdicts ----


def facts_of(candidate: Candidate, position: Position, category: str = "") -> HireFacts:
    return HireFacts(
        category=category,
        province=position.province,
        citizenships=candidate.citizenships,
        teer=position.teer,
        visa_exempt=candidate.visa_exempt,
        spouse=candidate.spouse,
        residence=candidate.residence,
    )


def screen(
    pathway: str, category: str, candidate: Candidate, position: Position, today: date
) -> Verdict:
    """The verdict for one pathway and category (for ICT, the category follows the capacity)."""
    if "CA" in candidate.citizenships or "CA" in candidate.permanent_residences:
        canadian = Finding(
            "canadian", Met.NO, "A Canadian citizen or permanent resident needs no work permit.", ""
        )
        return Verdict(pathway, category, (canadian,))
    if pathway == "gts":
        if category == CATEGORY_B:
            findings = _gts_b(position)
        elif category == CATEGORY_A:
            findings = _gts_a(candidate, position)
        else:
            findings = [
                Finding(
                    "gts_category", Met.NO, f"Unknown GTS category {category!r}: use A or B.", "G2"
                )
            ]
    elif pathway == "cusma":
        findings = [
            _cusma_citizenship(candidate, "cusma"),
            *_cusma_profession(candidate, position),
            _cusma_employment(position),
        ]
    elif pathway == "ict":
        capacity = position.ict_capacity
        if capacity is None:
            return Verdict(
                pathway,
                category,
                (
                    Finding(
                        "ict_capacity",
                        Met.EVIDENCE,
                        "An Intra-Company Transfer is as an executive, a manager, a specialized-knowledge "
                        "worker, or to open a start-up.",
                        "I1 (PATHWAYS.md 3.1)",
                        missing="the transfer's capacity (position.ict_capacity)",
                    ),
                ),
            )
        findings = _ict(candidate, position, category, capacity, today)
    else:
        findings = [Finding("pathway", Met.NO, f"Unknown pathway {pathway!r}.", "")]
    facts = facts_of(candidate, position, category)
    return Verdict(
        pathway,
        category,
        tuple(findings),
        may_apply_at_border=may_apply_at_border(facts),
        two_week_processing=two_week_processing(pathway, position),
    )


def screen_all(candidate: Candidate, position: Position, today: date) -> list[Verdict]:
    """Every pathway and category a hire could use."""
    verdicts = [
        screen("gts", CATEGORY_A, candidate, position, today),
        screen("gts", CATEGORY_B, candidate, position, today),
        screen("cusma", "T36", candidate, position, today),
    ]
    if position.ict_capacity is not None:
        code = ict_code(position.ict_capacity, candidate.citizenships)
        verdicts.append(screen("ict", code, candidate, position, today))
    else:
        for capacity in (Capacity.STARTUP, Capacity.MANAGER, Capacity.SPECIALIZED_KNOWLEDGE):
            code = ict_code(capacity, candidate.citizenships)
            verdicts.append(
                screen("ict", code, candidate, replace_capacity(position, capacity), today)
            )
    return verdicts


def replace_capacity(position: Position, capacity: Capacity) -> Position:
    return replace(position, ict_capacity=capacity)
