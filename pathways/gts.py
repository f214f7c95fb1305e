"""Global Talent Stream: an LMIA from ESDC, then a work permit from IRCC.

Facts from PATHWAYS.md sections 0, 1 and 5; each step and item cites its
source key. Deadlines marked "hirepath default" are not published by any
authority: they are the pace hirepath suggests for the employer's and worker's
own steps, and HR can move them on each hire.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pathways.common import (
    DECIDED_ON,
    SPOUSE_FEES,
    SPOUSE_FEES_IF_POSSIBLE,
    application_routes,
    refusal,
)
from pathways.model import (
    AUTHORITY_PLAN,
    Anchor,
    AnchorKind,
    Category,
    ChecklistItem,
    Condition,
    DayCount,
    DeadlineRule,
    DecisionSpec,
    Fee,
    FieldSpec,
    FieldType,
    Outcome,
    Owner,
    Pathway,
    Payer,
    SlaClock,
    Source,
    Step,
)

CATEGORY_A = "A"
CATEGORY_B = "B"

LMIA_NUMBER = FieldSpec(
    "lmia_number",
    "LMIA number",
    pattern=r"[0-9A-Za-z-]{4,20}",
    help="As printed on ESDC's decision letter.",
)

G1 = Source("G1", "1.4")
G2 = Source("G2", "1.1")
G3 = Source("G3", "1.5")
I5 = Source("I5", "0.3")
I6 = Source("I6", "0.3")
R198 = Source("R198", "0.4")

_hirepath_default = "hirepath default: HR can move it on each hire"

REFERRAL = Step(
    key="referral",
    title="Referral from a designated partner",
    owner=Owner.EMPLOYER,
    description=(
        "Category A needs a referral from a designated referral partner, one form per worker. "
        "Without it ESDC treats the application as incomplete and does not process it."
    ),
    deadline=DeadlineRule(10, note=_hirepath_default),
    items=(
        ChecklistItem(
            "referral_form",
            "Referral form from the designated partner for this worker",
            sources=(G1, G3),
        ),
        ChecklistItem(
            "unique_specialized_evidence",
            "Evidence the position is unique and specialized",
            "Advanced industry knowledge and an advanced degree in the specialization and/or "
            "at least 5 years of specialized experience; base pay at least $80,000 and $38.46/h.",
            sources=(G2,),
        ),
    ),
    when=Condition(categories=frozenset({CATEGORY_A})),
    sources=(G2,),
)

PREPARE_LMIA = Step(
    key="prepare_lmia",
    title="Prepare the LMIA application",
    owner=Owner.EMPLOYER,
    description=(
        "Gather what LMIA Online asks for, including the Labour Market Benefits Plan. "
        "Submit no more than 6 months before the start date."
    ),
    deadline=DeadlineRule(10, note=_hirepath_default),
    items=(
        ChecklistItem(
            "employer_details",
            "Employer details",
            "CRA 15-digit business number; legal name, address, start date, type of organization, "
            "national headcount, gross revenue; principal and alternate contacts.",
            sources=(G1, G3),
        ),
        ChecklistItem(
            "business_legitimacy",
            "Latest business licence and CRA tax documents",
            sources=(G1,),
        ),
        ChecklistItem(
            "job_details",
            "Job details",
            "Job title, 5-digit NOC, duties, start date, duration and its rationale, union, "
            "language, education and experience required; work locations.",
            sources=(G3,),
        ),
        ChecklistItem(
            "wage_and_conditions",
            "Wage and working conditions",
            "Wage, hours, overtime, benefits, vacation, and the wage range of peers in the same "
            "job. The wage is the highest of the Job Bank median, the employer's range and the "
            "category floor.",
            sources=(G2, G3),
        ),
        ChecklistItem(
            "recruitment_and_labour_effects",
            "Recruitment efforts and labour-market effects",
            "Recruitment of the past 3 months with its ads; lay-offs of the past 12 months; "
            "outsourcing or offshoring effects; labour disputes.",
            sources=(G2, G3),
        ),
        ChecklistItem(
            "labour_market_benefits_plan",
            "Labour Market Benefits Plan",
            "Mandatory benefit (Category A: job creation; Category B: skills and training "
            "investment) plus at least 2 complementary benefits, each with a measurable target and "
            "dates. Signed by the employer's contact, never a third-party representative. "
            "Sections 9-10 only on a first GTS application.",
            sources=(Source("G2", "1.3"), Source("G3", "1.3")),
        ),
        ChecklistItem(
            "worker_details",
            "Temporary foreign worker details",
            "Name, date of birth, citizenship, country of residence and status of the worker.",
            sources=(G3,),
        ),
        ChecklistItem(
            "signing_authority",
            "Signature of a person with financial or HR authority",
            sources=(G3,),
        ),
        ChecklistItem(
            "provincial_registration",
            "Provincial registration certificate",
            "British Columbia, Manitoba, Saskatchewan and Nova Scotia require the employer to "
            "register before filing the LMIA.",
            when=Condition(provinces=frozenset({"BC", "MB", "SK", "NS"})),
            sources=(G1,),
        ),
        ChecklistItem(
            "quebec_mifi",
            "Application to Quebec's MIFI filed at the same time",
            "For a job in Quebec longer than 30 consecutive days, file with MIFI at the same time; "
            "the worker needs a CAQ.",
            when=Condition(provinces=frozenset({"QC"})),
            sources=(G1, G3),
        ),
        ChecklistItem(
            "representative_declaration",
            "Third-party representative's declaration",
            "Only if a paid representative (lawyer, Quebec notary, Ontario paralegal or CICC "
            "member) files for the employer.",
            required=False,
            sources=(G2,),
        ),
    ),
    sources=(G1, G3),
)

SUBMIT_LMIA = Step(
    key="submit_lmia",
    title="Submit the LMIA and pay the fee",
    owner=Owner.EMPLOYER,
    description=(
        "Submit in LMIA Online (Job Bank for Employers) and pay $1,000 per position. "
        "Record the date ESDC received it: the 10-business-day standard counts from the next "
        "business day."
    ),
    deadline=DeadlineRule(5, note=_hirepath_default),
    items=(
        ChecklistItem("lmia_submission_confirmation", "LMIA Online submission confirmation"),
        ChecklistItem("lmia_fee_receipt", "Receipt for the $1,000 processing fee"),
    ),
    decision=DecisionSpec(
        "Record the submission",
        (
            Outcome(
                "submitted",
                "Submitted to ESDC",
                fields=(
                    FieldSpec("submitted_on", "Date ESDC received the application", FieldType.DATE),
                    FieldSpec("file_number", "LMIA Online file number", required=False),
                ),
            ),
        ),
    ),
    sources=(G1,),
)

LMIA_DECISION = Step(
    key="lmia_decision",
    title="ESDC assesses the LMIA",
    owner=Owner.ESDC,
    description=(
        "ESDC assesses the application and builds the Labour Market Benefits Plan with the "
        "employer. A positive LMIA is valid for 6 months. The standard is missed if the "
        "application is incomplete or the employer unresponsive."
    ),
    deadline=DeadlineRule(
        10,
        DayCount.BUSINESS,
        Anchor(AnchorKind.FIELD, "submit_lmia", "submitted_on"),
        from_next_business_day=True,
        service_standard=True,
        note="ESDC service standard: 10 business days (80% of the time) from the business day "
        "after receipt.",
        sources=(G1, G3),
    ),
    items=(
        ChecklistItem(
            "lmia_decision_letter",
            "LMIA decision letter and Annex B",
            owner=Owner.EMPLOYER,
            required=False,
        ),
    ),
    decision=DecisionSpec(
        "Record ESDC's decision",
        (
            Outcome(
                "approved",
                "Positive LMIA",
                fields=(
                    LMIA_NUMBER,
                    DECIDED_ON,
                    FieldSpec(
                        "valid_until",
                        "Valid until",
                        FieldType.DATE,
                        required=False,
                        help="A positive LMIA is valid for 6 months.",
                    ),
                ),
            ),
            refusal("Negative LMIA", "lmia_refused"),
        ),
    ),
    reminders=AUTHORITY_PLAN,
    sources=(G1, G3),
)

SEND_LMIA_TO_WORKER = Step(
    key="send_lmia_to_worker",
    title="Send the LMIA and contract to the worker",
    owner=Owner.EMPLOYER,
    description=(
        "Give the worker a copy of the LMIA decision letter and the employment contract signed "
        "by the employer (Quebec: with the CAQ)."
    ),
    deadline=DeadlineRule(3, note=_hirepath_default),
    items=(
        ChecklistItem("lmia_letter_copy", "Copy of the LMIA decision letter for the worker"),
        ChecklistItem("employer_signed_contract", "Employment contract signed by the employer"),
        ChecklistItem(
            "caq",
            "Quebec acceptance certificate (CAQ)",
            when=Condition(provinces=frozenset({"QC"})),
        ),
    ),
    sources=(G1,),
)

WORK_PERMIT_APPLICATION = Step(
    key="work_permit_application",
    title="Worker applies for the work permit",
    owner=Owner.WORKER,
    description=(
        "The worker applies online from outside Canada, flagging the Global Talent Stream, with "
        "the LMIA copy and the contract signed by both, and gives biometrics within 14 days. "
        "Recording the submission starts the two-week processing clock."
    ),
    deadline=DeadlineRule(10, note=_hirepath_default),
    items=(
        ChecklistItem("passport", "Passport", sources=(I5,)),
        ChecklistItem("photo", "Digital photo", sources=(I5,)),
        ChecklistItem("family_information", "Family information form (IMM 5707)", sources=(I5,)),
        ChecklistItem(
            "signed_contract",
            "Employment contract signed by the worker and the employer",
            sources=(G1,),
        ),
        ChecklistItem(
            "qualifications",
            "Diplomas and proof of experience",
            sources=(I5,),
        ),
        ChecklistItem(
            "medical_police",
            "Medical exam and police certificates",
            "Upfront, if required for the worker's country: the two-week processing needs a "
            "complete application.",
            required=False,
            sources=(I5, Source("I8", "0.3")),
        ),
        ChecklistItem(
            "translations",
            "Certified translations",
            required=False,
            sources=(I5,),
        ),
        ChecklistItem(
            "application_fees",
            "Receipt for the work-permit and biometrics fees",
            sources=(Source("FEE", "0.2"), Source("BIO", "0.2")),
        ),
        ChecklistItem(
            "representative_form",
            "Use of a representative (IMM 5476)",
            required=False,
            sources=(I5,),
        ),
    ),
    decision=DecisionSpec(
        "Record the application",
        (
            Outcome(
                "submitted",
                "Submitted online to IRCC",
                fields=(
                    FieldSpec("submitted_on", "Date the application was submitted", FieldType.DATE),
                    FieldSpec("application_number", "IRCC application number", required=False),
                ),
            ),
        ),
    ),
    sources=(G1, I5),
)

WORK_PERMIT_DECISION = Step(
    key="work_permit_decision",
    title="IRCC decides the work-permit application",
    owner=Owner.IRCC,
    description=(
        "IRCC's Global Skills Strategy target is two weeks, 80% of the time, for a complete "
        "online application from outside Canada. On approval the worker receives a port of "
        "entry letter of introduction."
    ),
    deadline=DeadlineRule(
        14,
        DayCount.CALENDAR,
        Anchor(AnchorKind.FIELD, "work_permit_application", "submitted_on"),
        service_standard=True,
        note="IRCC Global Skills Strategy target: two weeks from the application. ESDC says "
        "'10 business days'; the clock's exact start is not published (PATHWAYS.md 6.2).",
        sources=(I5, I6),
    ),
    items=(
        ChecklistItem(
            "poe_letter",
            "Port of entry letter of introduction",
            owner=Owner.WORKER,
            required=False,
        ),
    ),
    decision=DecisionSpec(
        "Record IRCC's decision",
        (
            Outcome(
                "approved",
                "Approved",
                fields=(
                    DECIDED_ON,
                    FieldSpec("poe_letter_number", "Letter of introduction number", required=False),
                ),
            ),
            refusal("Refused", "permit_refused"),
        ),
    ),
    reminders=AUTHORITY_PLAN,
    sources=(I6,),
)

PORT_OF_ENTRY = Step(
    key="port_of_entry",
    title="Worker enters Canada and receives the permit",
    owner=Owner.CBSA,
    description=(
        "At the port of entry the worker shows the letter of introduction and CBSA issues the "
        "work permit. Record the permit's number and expiry."
    ),
    deadline=DeadlineRule(
        30,
        DayCount.CALENDAR,
        note="hirepath default: the planned travel window; move it to the worker's travel date.",
    ),
    items=(
        ChecklistItem("work_permit", "Copy of the work permit", owner=Owner.WORKER, required=False),
    ),
    decision=DecisionSpec(
        "Record the permit",
        (
            Outcome(
                "issued",
                "Work permit issued",
                fields=(
                    FieldSpec(
                        "permit_number",
                        "Work permit number",
                        pattern=r"[A-Za-z0-9-]{6,20}",
                    ),
                    FieldSpec("issued_on", "Issued on", FieldType.DATE),
                    FieldSpec("expires_on", "Expires on", FieldType.DATE),
                ),
            ),
            refusal("Entry or permit refused", "entry_refused"),
        ),
    ),
    reminders=AUTHORITY_PLAN,
    sources=(R198, Source("I6", "1.4")),
)

FEES = (
    Fee(
        "lmia_processing",
        "LMIA processing fee",
        100_000,
        Payer.EMPLOYER,
        "per position",
        "Never paid by or recovered from the worker; not refunded on withdrawal or refusal.",
        sources=(Source("G2", "0.2"),),
    ),
    Fee(
        "work_permit",
        "Work permit",
        15_500,
        Payer.WORKER,
        "per person",
        sources=(Source("FEE", "0.2"),),
    ),
    Fee(
        "biometrics",
        "Biometrics",
        8_500,
        Payer.WORKER,
        "per person",
        "Applicants aged 14 to 79; US nationals are exempt; reusable for 10 years.",
        when=Condition(not_citizen_of=frozenset({"US"})),
        sources=(Source("BIO", "0.2"),),
    ),
)

TWO_WEEK_TARGET = SlaClock(
    key="gss_two_weeks",
    title="Two-week work-permit target",
    starts=Anchor(AnchorKind.FIELD, "work_permit_application", "submitted_on"),
    stops_after_step="work_permit_decision",
    at_risk_day=10,
    target_day=14,
    sources=(I5, I6, Source("I8", "0.3")),
)

GTS_2025_11 = Pathway(
    key="gts",
    title="Global Talent Stream",
    version="gts-2025-11-20",
    effective=date(2025, 11, 20),
    summary=(
        "An LMIA from ESDC (service standard 10 business days), then a work permit applied for "
        "online from outside Canada (IRCC target: two weeks), then entry at the border."
    ),
    categories=(
        Category(
            CATEGORY_A,
            "Category A",
            "Referred by a designated partner; unique and specialized talent.",
        ),
        Category(CATEGORY_B, "Category B", "An occupation on the Global Talent Occupations List."),
    ),
    steps=(
        REFERRAL,
        PREPARE_LMIA,
        SUBMIT_LMIA,
        LMIA_DECISION,
        SEND_LMIA_TO_WORKER,
        WORK_PERMIT_APPLICATION,
        WORK_PERMIT_DECISION,
        PORT_OF_ENTRY,
    ),
    fees=FEES,
    clocks=(TWO_WEEK_TARGET,),
    sources=(Source("G1"), Source("G2"), Source("G3"), I5, I6),
)


# ---- version 2: where the worker applies, the provincial fee, renewals --------------------

POE_OR_ONLINE = application_routes(
    "Record the application", "Submitted online from outside Canada (Global Skills Strategy)"
)

WORK_PERMIT_APPLICATION_R2 = replace(
    WORK_PERMIT_APPLICATION,
    description=(
        "The worker applies online from outside Canada, flagging the Global Talent Stream, with "
        "the LMIA copy and the contract signed by both, and gives biometrics within 14 days; "
        "recording an online submission starts the two-week clock. A visa-exempt worker may "
        "instead apply at the port of entry once the LMIA is issued, without the two-week "
        "processing."
    ),
    decision=POE_OR_ONLINE,
    sources=(G1, I5, R198),
)

PROVINCIAL_REGISTRATION_FEE = Fee(
    "provincial_registration",
    "Provincial employer registration",
    None,
    Payer.EMPLOYER,
    "per employer",
    "Varies by province: British Columbia, Manitoba, Saskatchewan and Nova Scotia, before the LMIA.",
    when=Condition(provinces=frozenset({"BC", "MB", "SK", "NS"})),
    sources=(Source("G1", "0.2"),),
)

GTS_2025_11_R2 = replace(
    GTS_2025_11,
    version="gts-2025-11-20-r2",
    steps=tuple(
        WORK_PERMIT_APPLICATION_R2 if s.key == "work_permit_application" else s
        for s in GTS_2025_11.steps
    ),
    fees=(*FEES, PROVINCIAL_REGISTRATION_FEE, *SPOUSE_FEES),
    clocks=(replace(TWO_WEEK_TARGET, starts_on_outcomes=("online",)),),
    max_permit_years=3,
    renewal="gts",
    notes=(
        "Two-week processing: ESDC says '10 business days', IRCC 'two weeks'; hirepath counts 14 "
        "calendar days from the submission date (PATHWAYS.md 6.2).",
        "NOC 22222's floor: $41.03/h governs over the $85,000 illustration (PATHWAYS.md 6.4).",
        "An extension needs a new GTS LMIA ($1,000): standard TFWP logic, not stated on the pages "
        "read (PATHWAYS.md 6.12).",
    ),
)

# r3 (review defect 19): the spouse's fees only when the spouse's open work permit is possible.
# A correction: in force from the same date as r2, so every new hire takes it; hires on r2 keep
# their fees.
GTS_2025_11_R3 = replace(
    GTS_2025_11_R2,
    version="gts-2025-11-20-r3",
    fees=(*FEES, PROVINCIAL_REGISTRATION_FEE, *SPOUSE_FEES_IF_POSSIBLE),
)
