"""The permit itself: two-week processing, its length, and the spouse's open work permit."""

from __future__ import annotations

from datetime import date

from pathways.eligibility.model import Finding, Met, Position

SPOUSE_TEER_2_3_PREFIXES = ("22", "32", "33", "72", "73", "82", "83")
SPOUSE_EXCLUDED_PREFIXES = ("12", "13", "62", "63", "92", "93")
MIN_AUTHORIZATION_MONTHS = 16


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


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def permit_months(planned: int | None, max_years: int | None) -> int | None:
    """The longest a first permit can run: the planned duration, within the category's limit."""
    limit = max_years * 12 if max_years else None
    if planned is None:
        return limit
    return min(planned, limit) if limit else planned


def spouse_job(position: Position) -> tuple[bool | None, str]:
    """Does the worker's job let the spouse apply (None: only if IRCC lists the role), and why."""
    teer, noc = position.teer, position.noc
    if teer in (0, 1):
        return True, f"TEER {teer} job"
    if noc == "52120":
        return (
            False,
            "NOC 52120 (TEER 2, arts) is likely not on the list: the safer reading (PATHWAYS.md 6.11)",
        )
    if teer in (2, 3) and noc.startswith(SPOUSE_TEER_2_3_PREFIXES):
        return True, f"TEER {teer} job in a listed group ({noc[:2]}XXX)"
    if teer in (2, 3) and noc.startswith(SPOUSE_EXCLUDED_PREFIXES):
        return False, f"TEER {teer} jobs in {noc[:2]}XXX are excluded"
    if teer in (2, 3):
        return (
            None,
            f"TEER {teer} job: only select groups qualify (some education, sports and military roles)",
        )
    return False, f"TEER {teer} jobs (4 and 5) are excluded"


def spouse_open_work_permit(position: Position, permit_months: int | None) -> Finding:
    """Can the worker's spouse get an open work permit (C41)? PATHWAYS.md section 4, for
    applications from 2025-01-21."""
    source = "SP1, SP2 (PATHWAYS.md 4)"
    job_ok, job_note = spouse_job(position)
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
