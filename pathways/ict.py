"""Intra-Company Transfers (R205(a) C61/C62/C63; CUSMA T37/T38): LMIA-exempt (PATHWAYS.md 3).

A worker employed at least one continuous year (full time) in the last three by an
enterprise of a multinational abroad, moving temporarily to its Canadian parent,
subsidiary, branch or affiliate as an executive, manager or specialized-knowledge worker,
or to open a start-up. The code follows from the capacity and, for US and Mexican citizens,
the CUSMA codes T37/T38; the superseded C12 (and T24) are accepted and resolved the same way.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from enum import StrEnum

from pathways.common import (
    BIOMETRICS_FEE,
    COMPLIANCE_FEE,
    IRCC_DECISION,
    PORT_OF_ENTRY,
    SPOUSE_FEES,
    SPOUSE_FEES_IF_POSSIBLE,
    TWO_WEEK_TARGET,
    WORK_PERMIT_FEE,
    application,
    portal_offer,
)
from pathways.model import (
    Category,
    ChecklistItem,
    Condition,
    DeadlineRule,
    Owner,
    Pathway,
    Source,
    Step,
)

I1 = Source("I1", "3")
CUSMA_CITIZENS = frozenset({"US", "MX"})


class Capacity(StrEnum):
    EXECUTIVE = "executive"
    MANAGER = "manager"
    SPECIALIZED_KNOWLEDGE = "specialized_knowledge"
    STARTUP = "startup"


START_UP, EXEC_MANAGER, SPECIALIZED = "C61", "C62", "C63"
CUSMA_EXEC_MANAGER, CUSMA_SPECIALIZED = "T37", "T38"
SK_CODES = frozenset({SPECIALIZED, CUSMA_SPECIALIZED})
ALIASES = {"C12": frozenset({"C61", "C62", "C63"}), "T24": frozenset({"T37", "T38"})}


def ict_code(capacity: Capacity, citizenships: tuple[str, ...]) -> str:
    """The exemption code for a transfer in ``capacity`` (PATHWAYS.md 0.1 and 3.6)."""
    cusma = bool(CUSMA_CITIZENS & set(citizenships))
    if capacity == Capacity.STARTUP:
        return START_UP
    if capacity == Capacity.SPECIALIZED_KNOWLEDGE:
        return CUSMA_SPECIALIZED if cusma else SPECIALIZED
    return CUSMA_EXEC_MANAGER if cusma else EXEC_MANAGER


def ict_codes(capacity: Capacity, citizenships: tuple[str, ...]) -> tuple[str, ...]:
    """The codes a transfer in ``capacity`` may be filed under, the usual one first: a US or
    Mexican citizen may use the CUSMA code (T37/T38) or the R205(a) one (C62/C63), open to
    every nationality; both count toward the same cap (REVIEW-2026-12 defect 14)."""
    usual, r205 = ict_code(capacity, citizenships), ict_code(capacity, ())
    return (usual,) if usual == r205 else (usual, r205)


def code_matches(given: str, derived: str) -> bool:
    """A given code (or a superseded alias of it) agrees with the derived one."""
    return given == derived or derived in ALIASES.get(given, frozenset())


def sk(*codes: str) -> Condition:
    return Condition(categories=frozenset(codes))


EVIDENCE = Step(
    key="transfer_evidence",
    title="Evidence for the transfer",
    owner=Owner.EMPLOYER,
    description=(
        "Check and document the multinational, the qualifying relationship, the 1-in-3 rule, "
        "the capacity, the TEER and the wage before the offer (the offer's uploads)."
    ),
    deadline=DeadlineRule(10, note="hirepath default: HR can move it on each hire"),
    items=(
        ChecklistItem(
            "qualifying_relationship",
            "Proof of the qualifying relationship",
            "The Canadian entity is the parent, a subsidiary, a branch or an affiliate (ownership "
            "and control), not a client, supplier or franchise.",
            sources=(I1,),
        ),
        ChecklistItem(
            "canadian_entity_active",
            "Proof the Canadian entity is doing business",
            "Regular, systematic, continuous business for the whole stay, on physical commercial "
            "premises (annual reports, incorporation, P&L, business licence, T2, payroll account).",
            sources=(I1,),
        ),
        ChecklistItem(
            "current_role",
            "Proof of the current role",
            "Title, place in the organization chart, job description.",
            sources=(I1,),
        ),
        ChecklistItem(
            "one_in_three",
            "Payroll or contract proof of 1 continuous year, full time, in the last 3",
            sources=(I1,),
        ),
        ChecklistItem(
            "letter_of_introduction",
            "Letter of introduction",
            "The current role, unique skills, the role in Canada, the duration and the "
            "relationship between the companies.",
            sources=(I1,),
        ),
        ChecklistItem(
            "qualifications",
            "Education and experience evidence",
            "References, training records, degrees, publications.",
            sources=(I1,),
        ),
        ChecklistItem("work_in_canada", "Description of the work in Canada", sources=(I1,)),
        ChecklistItem(
            "significant_benefit",
            "Evidence of significant benefit to Canada",
            sources=(I1,),
        ),
        ChecklistItem(
            "temporary_intent",
            "Temporary intent",
            "The transfer is temporary and the home job is held for the return.",
            sources=(I1,),
        ),
        ChecklistItem(
            "specialized_knowledge",
            "Proof of specialized knowledge",
            "Advanced proprietary knowledge and advanced expertise from significant (about 2 "
            "years) and recent (last 3 years) experience in the organization, and that the job "
            "in Canada needs them.",
            when=sk(SPECIALIZED, CUSMA_SPECIALIZED),
            sources=(Source("I1", "3.2"), Source("I10", "3.2")),
        ),
        ChecklistItem(
            "startup_plan",
            "Start-up plan",
            "Commercial premises (counsel's address until a lease), an HR plan showing the entity "
            "supports the role, a business plan and financials proving the set-up is funded, and "
            "a timeline to active business; the multinational already operates in 2 countries.",
            when=sk(START_UP),
            sources=(Source("I1", "3.4"),),
        ),
    ),
    sources=(I1,),
)

ICT_2025 = Pathway(
    key="ict",
    title="Intra-Company Transfers",
    version="ict-2025-01-06",
    effective=date(2025, 1, 6),
    summary=(
        "LMIA-exempt permits for executives, managers and specialized-knowledge workers of a "
        "multinational moving to its Canadian parent, subsidiary, branch or affiliate, or opening "
        "a start-up: evidence, an Employer Portal offer with the $230 compliance fee, then the "
        "worker applies."
    ),
    categories=(
        Category(
            START_UP, "Start-up (C61)", "Establishing the Canadian enterprise.", max_permit_years=1
        ),
        Category(EXEC_MANAGER, "Executive or manager (C62)", max_permit_years=3, cap_years=7),
        Category(SPECIALIZED, "Specialized knowledge (C63)", max_permit_years=3, cap_years=5),
        Category(
            CUSMA_EXEC_MANAGER,
            "CUSMA executive or senior manager (T37)",
            "For US and Mexican citizens.",
            max_permit_years=3,
            cap_years=7,
        ),
        Category(
            CUSMA_SPECIALIZED,
            "CUSMA specialized knowledge (T38)",
            "For US and Mexican citizens.",
            max_permit_years=3,
            cap_years=5,
        ),
    ),
    steps=(
        EVIDENCE,
        portal_offer(
            "the code (C61, C62, C63, or T37/T38 for US and Mexican citizens), a summary of how "
            "each requirement is met",
            (
                ChecklistItem(
                    "requirements_summary",
                    "Summary of how each requirement is met, with uploads",
                    sources=(I1,),
                ),
            ),
        ),
        application(
            (
                ChecklistItem(
                    "letter_of_introduction_copy",
                    "Copy of the letter of introduction",
                    sources=(I1,),
                ),
            )
        ),
        IRCC_DECISION,
        PORT_OF_ENTRY,
    ),
    fees=(COMPLIANCE_FEE, WORK_PERMIT_FEE, BIOMETRICS_FEE, *SPOUSE_FEES),
    clocks=(TWO_WEEK_TARGET,),
    sources=(Source("I1"), Source("I2"), Source("I4"), Source("I9"), Source("I10"), Source("R303")),
    notes=(
        "C12 (and T24) were replaced on 2022-12-15 by C61/C62/C63 (T37/T38); they are accepted "
        "and resolved by the transfer's capacity (PATHWAYS.md 0.1, 6.1).",
        "Caps are cumulative across ICT categories and R205(a)/R204(a): after the cap, one year "
        "full time abroad before reapplying (PATHWAYS.md 3.5).",
        "C61 has no renewal: move to C62 or C63; 6 more months only for delays beyond control.",
    ),
    max_permit_years=3,
    renewal="ict",
)

# r2 (review defect 19): the spouse's fees only when the spouse's open work permit is possible.
# A correction: in force from the same date, so every new hire takes it; earlier hires keep
# their fees.
ICT_2025_R2 = replace(
    ICT_2025,
    version="ict-2025-01-06-r2",
    fees=(COMPLIANCE_FEE, WORK_PERMIT_FEE, BIOMETRICS_FEE, *SPOUSE_FEES_IF_POSSIBLE),
)
