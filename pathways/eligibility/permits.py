"""The permit itself: two-week processing, its length, the planned start, and the spouse's
open work permit.

The spouse's rule and the TEER-based two-week rule are dated (``pathways.dated``): screening
for a date before one took effect says hirepath holds no rule for it, never applies it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from pathways import registry
from pathways.dated import Dated, first_effective, in_force
from pathways.eligibility import model
from pathways.eligibility.model import Candidate, Finding, Met, Position
from pathways.model import HireFacts, may_apply_at_border
from pathways.occupations import TEER_EFFECTIVE

SPOUSE_TEER_2_3_PREFIXES = ("22", "32", "33", "72", "73", "82", "83")
SPOUSE_EXCLUDED_PREFIXES = ("12", "13", "62", "63", "92", "93")
MIN_AUTHORIZATION_MONTHS = 16
SPOUSE_SOURCE = "SP1, SP2"


@dataclass(frozen=True)
class SpouseRule:
    """Who may bring a spouse on an open work permit (C41): the job's TEER and group, and how
    long the worker's permit must still run when the spouse applies."""

    min_months: int = MIN_AUTHORIZATION_MONTHS
    teer_2_3_prefixes: tuple[str, ...] = SPOUSE_TEER_2_3_PREFIXES
    excluded_prefixes: tuple[str, ...] = SPOUSE_EXCLUDED_PREFIXES


# Applications received from 2025-01-21 (05:00 UTC). The rules before it (the 2023-2025 public
# policy) are not encoded: a screening for an earlier date says so.
SPOUSE_RULES: tuple[Dated[SpouseRule], ...] = (
    Dated(SpouseRule(), date(2025, 1, 21), page_date=date(2025, 2, 3)),
)


def needs_no_permit(candidate: Candidate) -> bool:
    """A Canadian citizen or permanent resident works without a permit (IRPA s. 30(1))."""
    return "CA" in candidate.citizenships or "CA" in candidate.permanent_residences


# The border rules' dates (pathways.model.may_apply_at_border holds the rules in force now):
# flagpoling ended on 2024-12-23 [FLAG]; Mexican citizens need a visa (or an eTA) from
# 2024-02-29 [MX]. Before them, a visa-exempt worker inside Canada could leave and come back
# for a permit, and a Mexican citizen was visa-exempt.
FLAGPOLING_ENDED = date(2024, 12, 23)
MEXICO_VISA_REQUIRED = date(2024, 2, 29)


def border_on(facts: HireFacts, on: date) -> bool:
    """May the worker apply at the port of entry, under the rules in force on ``on``?"""
    if on >= FLAGPOLING_ENDED:
        return may_apply_at_border(facts)
    if "US" in facts.citizenships:
        return True
    if on >= MEXICO_VISA_REQUIRED:
        return may_apply_at_border(replace(facts, residence=""))
    return facts.visa_exempt is True


# The LMIA-exempt codes screening knows (T36, T37, T38, C61, C62, C63) replaced T23, T24 and
# C12 on this day [I4]; the rules under the old codes are not encoded.
CODES_EFFECTIVE = date(2022, 12, 15)


def code_in_force(pathway: str, category: str, on: date) -> Finding | None:
    """A CUSMA or ICT code screened for a day before it existed: no rule hirepath holds."""
    if pathway not in ("cusma", "ict") or on >= CODES_EFFECTIVE:
        return None
    return Finding(
        "code_in_force",
        Met.EVIDENCE,
        f"Code {category} took effect on {CODES_EFFECTIVE.isoformat()}; hirepath holds no rule "
        f"for the code it replaced (T23, T24 or C12) on {on.isoformat()}.",
        "I4",
        missing=f"the rules of the code in force on {on.isoformat()}",
    )


def facts_of(candidate: Candidate, position: Position, category: str = "") -> HireFacts:
    """The facts the pathway definitions read, with whether the spouse's open work permit is
    possible (the finding met or needing evidence): its fees are listed only then."""
    facts = model.facts_of(candidate, position, category)
    if not candidate.spouse or needs_no_permit(candidate):
        return facts
    months = permit_months(position.duration_months, category_permit_years(category))
    possible = spouse_open_work_permit(position, months).met != Met.NO
    return replace(facts, spouse_open_work_permit=possible)


def category_permit_years(category: str) -> int | None:
    """The longest first permit of the category with this code (any pathway), if it has one."""
    for key in registry.keys():
        pathway = registry.current(key)
        if pathway.category(category) is not None:
            return pathway.permit_years(category)
    return None


def start_date_warning(position: Position, on: date, pathway: str = "gts") -> Finding | None:
    """A planned start already past: worth fixing before filing, though it refuses nothing.
    Only the GTS (an LMIA) has the 6-months-ahead rule; every pathway's worker needs the permit
    before starting."""
    start = position.start_date
    if start is None or start >= on:
        return None
    lmia = (
        "An LMIA is submitted no more than 6 months before a start date still ahead, and a "
        if pathway == "gts"
        else "A "
    )
    return Finding(
        "start_date",
        Met.WARNING,
        f"The planned start date, {start.isoformat()}, is already past on {on.isoformat()}: set "
        f"a new one. {lmia}permit is applied for before the worker starts.",
        "G1" if pathway == "gts" else "I5",
    )


def two_week_processing(pathway: str, position: Position, on: date | None = None) -> Finding:
    """Global Skills Strategy two-week processing (PATHWAYS.md 0.3): a GTS LMIA, or a TEER 0 or
    1 LMIA-exempt job, applied for online from outside Canada. TEER applies from 2022-11-16."""
    source = "I5"
    if pathway == "gts":
        return Finding(
            "gss",
            Met.YES,
            "A GTS LMIA: two-week processing when applying online from outside Canada.",
            source,
        )
    if on is not None and on < TEER_EFFECTIVE:
        return Finding(
            "gss",
            Met.EVIDENCE,
            "hirepath holds no two-week processing rule for LMIA-exempt jobs on "
            f"{on.isoformat()}: the TEER rule it holds took effect on "
            f"{TEER_EFFECTIVE.isoformat()} (skill types applied before).",
            source,
            missing="whether the job was NOC 2016 skill type 0 or A",
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


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def permit_months(planned: int | None, max_years: int | None) -> int | None:
    """The longest a first permit can run: the planned duration, within the category's limit."""
    limit = max_years * 12 if max_years else None
    if planned is None:
        return limit
    return min(planned, limit) if limit else planned


def spouse_job(position: Position, rule: SpouseRule) -> tuple[bool | None, str]:
    """Does the worker's job let the spouse apply (None: only if IRCC lists the role), and why."""
    teer, noc = position.teer, position.noc
    if teer in (0, 1):
        return True, f"TEER {teer} job"
    if noc == "52120":
        return (
            False,
            "NOC 52120 (TEER 2, arts) is likely not on the list: the safer reading",
        )
    if teer in (2, 3) and noc.startswith(rule.teer_2_3_prefixes):
        return True, f"TEER {teer} job in a listed group ({noc[:2]}XXX)"
    if teer in (2, 3) and noc.startswith(rule.excluded_prefixes):
        return False, f"TEER {teer} jobs in {noc[:2]}XXX are excluded"
    if teer in (2, 3):
        return (
            None,
            f"TEER {teer} job: only select groups qualify (some education, sports and military roles)",
        )
    return False, f"TEER {teer} jobs (4 and 5) are excluded"


def spouse_finding(
    candidate: Candidate, position: Position, permit_months: int | None, on: date
) -> Finding | None:
    """The spouse's open work permit, or None when the worker needs no permit at all."""
    if needs_no_permit(candidate):
        return None
    return spouse_open_work_permit(position, permit_months, on)


def spouse_open_work_permit(
    position: Position, permit_months: int | None, on: date | None = None
) -> Finding:
    """Can the worker's spouse get an open work permit (C41)? The rule in force on ``on`` (the
    latest when None): PATHWAYS.md section 4, for applications from 2025-01-21."""
    row = in_force(SPOUSE_RULES, on) if on is not None else SPOUSE_RULES[-1]
    if row is None:
        held = first_effective(SPOUSE_RULES)
        day = on.isoformat() if on else ""
        return Finding(
            "spouse_owp",
            Met.EVIDENCE,
            f"hirepath holds no rule for a spouse's open work permit applied for on {day}: the "
            f"one it holds applies to applications received from {held.effective.isoformat()}.",
            SPOUSE_SOURCE,
            missing=f"the rule for a spouse's open work permit applied for on {day}",
        )
    return _spouse_under(row.value, position, permit_months)


def _spouse_under(rule: SpouseRule, position: Position, permit_months: int | None) -> Finding:
    source, least = SPOUSE_SOURCE, rule.min_months
    job_ok, job_note = spouse_job(position, rule)
    if job_ok is False:
        return Finding("spouse_owp", Met.NO, f"No spouse's open work permit: {job_note}.", source)
    if permit_months is None:
        return Finding(
            "spouse_owp",
            Met.EVIDENCE,
            f"{job_note}; the worker's permit must also be valid at least {least} months "
            "when the spouse applies.",
            source,
            missing="the permit's duration",
        )
    if permit_months < least:
        return Finding(
            "spouse_owp",
            Met.NO,
            f"No spouse's open work permit: the worker's permit runs {permit_months} months, and "
            f"it must be valid at least {least} months when the spouse applies.",
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
        f"(at least {least} needed when the spouse applies; apply with the worker for the "
        "two-week processing).",
        source,
    )
