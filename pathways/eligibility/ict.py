"""Intra-Company Transfers (PATHWAYS.md 3.1 to 3.4): one function per rule.

A rule gives its finding, or None when it does not apply to the category or the capacity.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from pathways.eligibility.cusma import CUSMA_CITIZENS
from pathways.eligibility.model import (
    Candidate,
    Finding,
    Met,
    Position,
    RelatedEmployment,
    Relationship,
    present,
)
from pathways.ict import CUSMA_SPECIALIZED, SK_CODES, START_UP, Capacity
from pathways.registry import current

# The other code a US or Mexican citizen may file for the same capacity (REVIEW defect 14).
COUNTERPART = {"C62": "T37", "C63": "T38", "T37": "C62", "T38": "C63"}

SOURCE = "I1"
SOURCE_SK = "I1, I10"
SOURCE_CAP = "I1"
SPECIALIZED_PAIR = {"C63", "T38"}


def continuous_days_in_window(job: RelatedEmployment, today: date, years: int = 3) -> int:
    """Days of ``job`` inside the ``years`` before ``today``, first and last days included."""
    window_start = today - timedelta(days=365 * years)
    start = max(job.start, window_start)
    end = min(job.end or today, today)
    return max((end - start).days + 1, 0)


def window_start(on: date, years: int = 3) -> date:
    return on - timedelta(days=365 * years)


def runs(jobs: Iterable[RelatedEmployment], on: date) -> list[tuple[date, date]]:
    """The continuous periods ``jobs`` cover in the 3 years before ``on`` (jobs that follow
    each other without a day's gap are one period), longest first."""
    spans = sorted(
        (max(j.start, window_start(on)), min(j.end or on, on))
        for j in jobs
        if continuous_days_in_window(j, on) > 0
    )
    merged: list[tuple[date, date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return sorted(merged, key=lambda span: span[0] - span[1])


def _days(span: tuple[date, date] | None) -> int:
    return 0 if span is None else (span[1] - span[0]).days + 1


def no_capacity() -> Finding:
    """Without a capacity no other rule can be read: this is the only finding."""
    return Finding(
        "ict_capacity",
        Met.EVIDENCE,
        "An Intra-Company Transfer is as an executive, a manager, a specialized-knowledge "
        "worker, or to open a start-up.",
        "I1",
        missing="the transfer's capacity (position.ict_capacity)",
    )


def findings(
    candidate: Candidate, position: Position, code: str, capacity: Capacity, today: date
) -> list[Finding]:
    """The rules for a transfer under ``code``, measured from the date the worker applies
    (the position's application date, else ``today``)."""
    on = position.application_date or today
    jobs = candidate.stints
    return present(
        one_in_three(jobs, on),
        relationship(position),
        capacity_teer(position, capacity),
        specialized_experience(jobs, code, on),
        proprietary_knowledge(code),
        start_up(code),
        cap(candidate, position, code, on),
        wage(code, candidate),
    )


def one_in_three(jobs: tuple[RelatedEmployment, ...], on: date) -> Finding:
    """Employed by the multinational now, and 1 continuous year, full time, outside Canada,
    in the 3 years before the application (the year need not be the current job)."""
    rule = (
        "The worker must be employed by the multinational now and have worked for it at least "
        "1 continuous year, full time, outside Canada, in the 3 years before applying"
    )
    if not jobs:
        return Finding(
            "ict_one_in_three",
            Met.EVIDENCE,
            f"{rule}.",
            SOURCE,
            missing="the worker's jobs with the multinational (dates, full time, country)",
        )
    if not any(j.start <= on and (j.end is None or j.end >= on) for j in jobs):
        last = max((j.end for j in jobs if j.end is not None), default=None)
        return Finding(
            "ict_one_in_three",
            Met.NO,
            "The worker must be employed by the multinational now, with the home job held for "
            + (
                f"the return; the last job ended on {last.isoformat()}, before the application "
                f"({on.isoformat()})."
                if last is not None and last < on
                else f"the return; no job is held on the day of the application ({on.isoformat()})."
            ),
            SOURCE,
        )
    full_time = [j for j in jobs if j.full_time]
    abroad = runs((j for j in full_time if j.country and j.country != "CA"), on)
    best = abroad[0] if abroad else None
    window = (
        f"the 3 years before the application ({window_start(on).isoformat()} to {on.isoformat()})"
    )
    if _days(best) >= 365 and best is not None:
        return Finding(
            "ict_one_in_three",
            Met.YES,
            f"{_days(best)} continuous days, full time, outside Canada ({best[0].isoformat()} to "
            f"{best[1].isoformat()}) in {window}: at least 365 needed.",
            SOURCE,
        )
    unknown = runs((j for j in full_time if j.country != "CA"), on)
    if unknown and _days(unknown[0]) >= 365:
        return Finding(
            "ict_one_in_three",
            Met.EVIDENCE,
            f"{rule}: {_days(unknown[0])} continuous days, full time, in {window}, but where "
            "they were worked is not said; work in Canada does not count.",
            SOURCE,
            missing="the country of each job with the multinational",
        )
    return _short(full_time, runs(full_time, on), _days(unknown[0] if unknown else None), window)


def _short(
    full_time: list[RelatedEmployment], anywhere: list[tuple[date, date]], days: int, window: str
) -> Finding:
    if not full_time:
        reason = "The year must be full time; part-time work does not add up to it."
    elif anywhere and _days(anywhere[0]) >= 365:
        reason = (
            f"Only {days} continuous days, full time, outside Canada in {window}: the year must "
            "be worked outside Canada; work in Canada does not count."
        )
    else:
        reason = (
            f"Only {days} continuous days, full time, outside Canada in {window}; the rule "
            "needs 1 continuous year (365 days), full time."
        )
    return Finding("ict_one_in_three", Met.NO, reason, SOURCE)


def relationship(position: Position) -> Finding:
    related = position.employer_relationship
    if related is None:
        return Finding(
            "ict_relationship",
            Met.EVIDENCE,
            "The Canadian employer must be the parent, a subsidiary, a branch or an affiliate of "
            "the foreign employer.",
            SOURCE,
            missing="how the Canadian and foreign companies are related",
        )
    if related == Relationship.OTHER:
        return Finding(
            "ict_relationship",
            Met.NO,
            "A client, supplier, contract, licence or franchise relationship (or a small stake or "
            "shared directors) is not a qualifying relationship: parent, subsidiary, branch or "
            "affiliate only.",
            SOURCE,
        )
    return Finding(
        "ict_relationship",
        Met.YES,
        f"The Canadian employer is {'an' if related.value[0] in 'aeiou' else 'a'} "
        f"{related.value}: a qualifying relationship.",
        SOURCE,
    )


def capacity_teer(position: Position, capacity: Capacity) -> Finding | None:
    """Executives in TEER 0, managers in TEER 0 or 1, specialized knowledge in TEER 0 to 2."""
    teer = position.teer
    if capacity in (Capacity.EXECUTIVE, Capacity.MANAGER):
        role = "executive" if capacity == Capacity.EXECUTIVE else "manager"
        if teer == 0 or (capacity == Capacity.MANAGER and teer == 1):
            return Finding("ict_capacity_teer", Met.YES, f"A {role} role in TEER {teer}.", SOURCE)
        return Finding(
            "ict_capacity_teer",
            Met.NO,
            f"Executives are TEER 0 and managers TEER 1; NOC {position.noc} is TEER {teer}.",
            SOURCE,
        )
    if capacity != Capacity.SPECIALIZED_KNOWLEDGE:
        return None
    if teer is not None and teer <= 2:
        return Finding(
            "ict_capacity_teer",
            Met.YES,
            f"A specialized-knowledge role in TEER {teer} (0 to 2 expected).",
            SOURCE,
        )
    return Finding(
        "ict_capacity_teer",
        Met.EVIDENCE,
        f"Specialized-knowledge roles are expected in TEER 0 to 2; NOC {position.noc} is "
        f"TEER {teer}, which IRCC reviews closely.",
        SOURCE,
        missing="why the TEER 3-5 role needs specialized knowledge",
    )


def specialized_experience(
    jobs: tuple[RelatedEmployment, ...], code: str, on: date
) -> Finding | None:
    """Specialized knowledge: significant (about 2 years) and recent experience (3.2)."""
    if code not in SK_CODES:
        return None
    if not jobs:
        return Finding(
            "ict_specialized_experience",
            Met.EVIDENCE,
            "Specialized knowledge comes from significant (about 2 years) and recent (last 3 "
            "years) experience in the organization.",
            SOURCE_SK,
            missing="the worker's employment with the related company",
        )
    days = sum(_days(span) for span in runs(jobs, on))
    met = days >= 730
    return Finding(
        "ict_specialized_experience",
        Met.YES if met else Met.EVIDENCE,
        f"{days} days in the organization in the last 3 years; specialized knowledge needs "
        "significant (about 2 years) and recent experience.",
        SOURCE_SK,
        missing="" if met else "how the shorter experience gave advanced expertise",
    )


def proprietary_knowledge(code: str) -> Finding | None:
    """Specialized knowledge: advanced proprietary knowledge and advanced expertise (3.2)."""
    if code not in SK_CODES:
        return None
    return Finding(
        "ict_proprietary_knowledge",
        Met.EVIDENCE,
        "Specialized knowledge needs both advanced proprietary knowledge and advanced expertise.",
        SOURCE_SK,
        missing="proof of proprietary knowledge and advanced expertise",
    )


def start_up(code: str) -> Finding | None:
    if code != START_UP:
        return None
    return Finding(
        "ict_startup",
        Met.EVIDENCE,
        "A start-up transfer needs a multinational already operating in at least 2 countries, "
        "commercial premises, a funded business plan and a timeline to active business.",
        "I1",
        missing="the premises, business plan, financials and timeline",
    )


def cap(candidate: Candidate, position: Position, code: str, on: date) -> Finding | None:
    """Time on ICT permits in Canada counts against the cap (7 years for executives and
    managers, 5 for specialized knowledge), cumulative across ICT codes (3.5)."""
    category = current("ict", on).category(code)
    if category is None or category.cap_years is None:
        return None
    limit = category.cap_years * 12
    rule = (
        f"{code} permits are capped at {category.cap_years} years ({limit} months) in Canada, "
        "counted across every ICT code (C61, C62, C63, T37, T38); after the cap the worker "
        "needs 1 year full time outside Canada before another"
    )
    used = candidate.prior_ict_months
    if used is None:
        return Finding(
            "ict_cap",
            Met.EVIDENCE,
            f"{rule}.",
            SOURCE_CAP,
            missing="the months the worker already spent in Canada on ICT permits, since the "
            "last full year outside Canada",
        )
    if used >= limit:
        return Finding(
            "ict_cap",
            Met.NO,
            f"{rule}. The worker already spent {used} months in Canada on ICT permits: the cap "
            "is reached.",
            SOURCE_CAP,
        )
    left = limit - used
    planned = position.duration_months
    short = (
        f", so the permit can cover only {left} of the {planned} months planned"
        if planned is not None and planned > left
        else ""
    )
    return Finding(
        "ict_cap",
        Met.YES,
        f"{used} months already used of the {category.cap_years}-year cap ({limit} months): "
        f"{left} months remain{short}. {rule}.",
        SOURCE_CAP,
    )


def wage(code: str, candidate: Candidate | None = None) -> Finding:
    """The prevailing wage; for a US or Mexican citizen, how C62/C63 and T37/T38 differ."""
    if code == CUSMA_SPECIALIZED:
        reason = (
            "For CUSMA specialized knowledge (T38) the prevailing-wage floor is not always "
            "required, but IRCC weighs the wage (PATHWAYS.md 3.2, 6.6)."
        )
    else:
        reason = (
            "The wage must be at least the prevailing wage (Job Bank) for the occupation and "
            "location; allowances and per diems do not count."
        )
    other = COUNTERPART.get(code)
    if other and candidate is not None and CUSMA_CITIZENS & set(candidate.citizenships):
        reason += " " + _choice(code, other)
    return Finding(
        "ict_wage",
        Met.EVIDENCE,
        reason,
        SOURCE,
        missing="the Job Bank median wage for the occupation and region",
    )


def _choice(code: str, other: str) -> str:
    """A US or Mexican citizen may file the R205(a) code or the CUSMA one (REVIEW defect 14)."""
    if SPECIALIZED_PAIR == {code, other}:
        r205, cusma = sorted((code, other))
        difference = (
            f"Under {r205} (R205(a), open to every nationality) the prevailing-wage floor is "
            f"mandatory; under {cusma} (CUSMA) it is not always required"
        )
    else:
        difference = "The two codes ask the same of a manager or an executive"
    return (
        f"A US or Mexican citizen may file {code} or {other}. {difference}. Both count toward "
        "the same cap."
    )
