"""CUSMA Professionals (R204(a), code T36, formerly T23): LMIA-exempt (PATHWAYS.md section 2).

A US or Mexican citizen in one of the 63 Appendix 2 professions
(``pathways.cusma_professions``), with pre-arranged employment: the employer files an
offer in the Employer Portal and pays the compliance fee; a US citizen may apply at the
port of entry or online, a Mexican citizen online from outside Canada. Permits of up to
3 years, renewable without a cap.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

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
    send_offer,
)
from pathways.model import Category, ChecklistItem, Pathway, Source

APP2 = Source("APP2", "2.4")
I3 = Source("I3", "0.1")
I4 = Source("I4", "0.1")
OB85 = Source("OB85", "2.3")

CUSMA_2025 = Pathway(
    key="cusma",
    title="CUSMA Professionals",
    version="cusma-2024-10-03",
    effective=date(2024, 10, 3),
    summary=(
        "LMIA-exempt work permits for US and Mexican citizens in the 63 professions of CUSMA "
        "Appendix 2: an Employer Portal offer with the $230 compliance fee, then the worker "
        "applies (a US citizen at the port of entry or online, a Mexican citizen online). Up to "
        "3 years, renewable without a cap."
    ),
    categories=(
        Category(
            "T36",
            "CUSMA Professional (T36)",
            "R204(a); the code was T23 before December 15, 2022.",
            aliases=("T23",),
            max_permit_years=3,
        ),
    ),
    steps=(
        portal_offer(
            "the exemption code T36",
            (
                ChecklistItem(
                    "offer_details",
                    "Offer details",
                    "Title, detailed duties at the professional level of the Appendix 2 "
                    "profession, NOC, wage, hours, benefits and location; pre-arranged "
                    "employment, no self-employment.",
                    sources=(APP2, Source("I9", "2.2")),
                ),
            ),
        ),
        send_offer(),
        application(
            (
                ChecklistItem(
                    "credential",
                    "Degree, diploma, licence or designation for the profession",
                    "As Appendix 2 asks for the profession (for example a baccalaureate, or a "
                    "post-secondary diploma plus 3 years' experience).",
                    sources=(APP2,),
                ),
                ChecklistItem(
                    "experience_letters",
                    "Letters proving experience",
                    "When the credential relies on years of experience (diploma plus 3 years, "
                    "or a profession's experience rule).",
                    required=False,
                    sources=(APP2,),
                ),
            )
        ),
        IRCC_DECISION,
        PORT_OF_ENTRY,
    ),
    fees=(COMPLIANCE_FEE, WORK_PERMIT_FEE, BIOMETRICS_FEE, *SPOUSE_FEES),
    clocks=(TWO_WEEK_TARGET,),
    sources=(Source("I3"), Source("I4"), Source("I9"), Source("R303"), Source("R198"), APP2, OB85),
    notes=(
        "Code T36 replaced T23 on 2022-12-15; T23 is accepted and read as T36 (PATHWAYS.md 0.1, 6.1).",
        "Mexican citizens apply online from outside Canada: a law firm says they can no longer "
        "get permits at the port of entry, IRCC's pages read cover visitors only (PATHWAYS.md 6.9).",
        "No published wage floor for CUSMA professionals (PATHWAYS.md 6.6).",
        "Up to 3 years, renewable without a cap, from a 2008 bulletin and law firms; the current "
        "T36 instructions were not read (PATHWAYS.md 6.8).",
        "Whether Canada lists Actuary under Mathematician is unconfirmed (PATHWAYS.md 6.7).",
    ),
    max_permit_years=3,
    renewal="cusma",
)

# r2 (review defect 19): the spouse's fees only when the spouse's open work permit is possible.
# A correction: in force from the same date, so every new hire takes it; earlier hires keep
# their fees.
CUSMA_2025_R2 = replace(
    CUSMA_2025,
    version="cusma-2024-10-03-r2",
    fees=(COMPLIANCE_FEE, WORK_PERMIT_FEE, BIOMETRICS_FEE, *SPOUSE_FEES_IF_POSSIBLE),
)
