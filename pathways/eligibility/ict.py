"""Intra-Company Transfers (PATHWAYS.md 3.1 to 3.4): one function per rule.

A rule gives its finding, or None when it does not apply to the category or the capacity.
"""

from __future__ import annotations

from datetime import date, timedelta

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

SOURCE = "I1 (PATHWAYS.md 3.1)"
SOURCE_SK = "I1 (PATHWAYS.md 3.2)"


def continuous_days_in_window(job: RelatedEmployment, today: date, years: int = 3) -> int:
    """Days of ``job`` inside the ``years`` before ``today``, first and last days included."""
    window_start = today - timedelta(days=365 * years)
    start = max(job.start, window_start)
    end = min(job.end or today, today)
    return max((end - start).days + 1, 0)


def no_capacity() -> Finding:
    """Without a capacity no other rule can be read: this is the only finding."""
    return Finding(
        "ict_capacity",
        Met.EVIDENCE,
        "An Intra-Company Transfer is as an executive, a manager, a specialized-knowledge "
        "worker, or to open a start-up.",
        "I1 (PATHWAYS.md 3.1)",
        missing="the transfer's capacity (position.ict_capacity)",
    )


def findings(
    candidate: Candidate, position: Position, code: str, capacity: Capacity, today: date
) -> list[Finding]:
    job = candidate.related_employment
    return present(
        one_in_three(job, today),
        relationship(position),
        capacity_teer(position, capacity),
        specialized_experience(job, code, today),
        proprietary_knowledge(code),
        start_up(code),
        wage(code),
    )


def one_in_three(job: RelatedEmployment | None, today: date) -> Finding:
    """At least 1 continuous year, full time, with the related company in the last 3."""
    if job is None:
        return Finding(
            "ict_one_in_three",
            Met.EVIDENCE,
            "The worker needs at least 1 continuous year, full time, with the related company "
            "in the 3 years before applying.",
            SOURCE,
            missing="the worker's employment with the related company (dates, full time)",
        )
    days = continuous_days_in_window(job, today)
    if job.end is not None and job.end < today:
        return Finding(
            "ict_one_in_three",
            Met.NO,
            f"The worker must be employed by the related company now (the job ended on "
            f"{job.end.isoformat()}), with the home job held for the return.",
            SOURCE,
        )
    if not job.full_time:
        return Finding(
            "ict_one_in_three",
            Met.NO,
            "The 1-in-3 rule needs full-time employment; part-time work does not add up.",
            SOURCE,
        )
    if days >= 365:
        return Finding(
            "ict_one_in_three",
            Met.YES,
            f"{days} continuous days, full time, with the related company in the last 3 years "
            "(at least 365 needed).",
            SOURCE,
        )
    return Finding(
        "ict_one_in_three",
        Met.NO,
        f"Only {days} continuous days with the related company in the last 3 years; the "
        "rule needs 1 continuous year, full time.",
        SOURCE,
    )


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


def specialized_experience(job: RelatedEmployment | None, code: str, today: date) -> Finding | None:
    """Specialized knowledge: significant (about 2 years) and recent experience (3.2)."""
    if code not in SK_CODES:
        return None
    if job is None:
        return Finding(
            "ict_specialized_experience",
            Met.EVIDENCE,
            "Specialized knowledge comes from significant (about 2 years) and recent (last 3 "
            "years) experience in the organization.",
            SOURCE_SK,
            missing="the worker's employment with the related company",
        )
    days = continuous_days_in_window(job, today)
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
        "I1 (PATHWAYS.md 3.4)",
        missing="the premises, business plan, financials and timeline",
    )


def wage(code: str) -> Finding:
    if code == CUSMA_SPECIALIZED:
        reason = (
            "For CUSMA specialized knowledge the prevailing-wage floor is not always required, but "
            "IRCC weighs the wage (PATHWAYS.md 3.2, 6.6)."
        )
    else:
        reason = (
            "The wage must be at least the prevailing wage (Job Bank) for the occupation and "
            "location; allowances and per diems do not count."
        )
    return Finding(
        "ict_wage",
        Met.EVIDENCE,
        reason,
        SOURCE,
        missing="the Job Bank median wage for the occupation and region",
    )
