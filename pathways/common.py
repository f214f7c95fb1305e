"""Steps and fees the LMIA-exempt pathways share (CUSMA Professionals, Intra-Company Transfers).

Both start with an offer in IRCC's Employer Portal and the $230 compliance fee, then the
worker applies (at the port of entry if they may, otherwise online from outside Canada),
then IRCC decides an online application and CBSA issues the permit at the border.
"""

from __future__ import annotations

from dataclasses import replace

from pathways.model import (
    AUTHORITY_PLAN,
    Anchor,
    AnchorKind,
    ChecklistItem,
    Condition,
    DayCount,
    DeadlineRule,
    DecisionSpec,
    Effect,
    Fee,
    FieldSpec,
    FieldType,
    Outcome,
    Owner,
    Payer,
    SlaClock,
    Source,
    Step,
)

DEFAULT = "hirepath default: HR can move it on each hire"
GSS_TEERS = frozenset({0, 1})  # LMIA-exempt jobs with two-week processing [I5]

I5 = Source("I5", "0.3")
I6 = Source("I6", "0.3")
I9 = Source("I9", "2.2")
R198 = Source("R198", "0.4")
R303 = Source("R303", "0.2")
FEE = Source("FEE", "0.2")
BIO = Source("BIO", "0.2")

OFFER_NUMBER = FieldSpec(
    "offer_number",
    "Offer number (A-number)",
    pattern=r"[Aa][0-9]{6,10}",
    help="Given by the Employer Portal once the compliance fee is paid.",
)
DECIDED_ON = FieldSpec("decided_on", "Decision date", FieldType.DATE)
REASON = FieldSpec("reason", "Reason given", required=False)


def refusal(title: str, end_status: str) -> Outcome:
    """An authority's refusal: it ends the hire with ``end_status``."""
    return Outcome("refused", title, Effect.END_HIRE, end_status, fields=(DECIDED_ON, REASON))


PERMIT_FIELDS = (
    FieldSpec("permit_number", "Work permit number", pattern=r"[A-Za-z0-9-]{6,20}"),
    FieldSpec("issued_on", "Issued on", FieldType.DATE),
    FieldSpec("expires_on", "Expires on", FieldType.DATE),
)


def portal_offer(code_help: str, items: tuple[ChecklistItem, ...]) -> Step:
    return Step(
        key="employer_portal_offer",
        title="Offer in the Employer Portal and the compliance fee",
        owner=Owner.EMPLOYER,
        description=(
            "Submit the offer in IRCC's Employer Portal (title, duties, NOC, wage, hours, "
            f"benefits, location, {code_help} and why it is LMIA-exempt) and pay the $230 "
            "compliance fee before the worker applies. The portal gives an offer number "
            "(A-number)."
        ),
        deadline=DeadlineRule(5, note=DEFAULT),
        items=(
            ChecklistItem(
                "portal_profile",
                "Employer Portal profile",
                "CRA business number and the names of the employer's contacts.",
                sources=(I9,),
            ),
            *items,
            ChecklistItem(
                "compliance_fee_receipt",
                "Receipt for the $230 employer compliance fee",
                sources=(R303,),
            ),
        ),
        decision=DecisionSpec(
            "Record the offer",
            (
                Outcome(
                    "submitted",
                    "Offer submitted and fee paid",
                    fields=(
                        OFFER_NUMBER,
                        FieldSpec("submitted_on", "Date submitted", FieldType.DATE),
                    ),
                ),
            ),
        ),
        sources=(I9, R303),
    )


def send_offer(items: tuple[ChecklistItem, ...] = ()) -> Step:
    return Step(
        key="send_offer_to_worker",
        title="Give the worker the offer number and the offer letter",
        owner=Owner.EMPLOYER,
        description="The worker needs the A-number and the offer letter to apply.",
        deadline=DeadlineRule(3, note=DEFAULT),
        items=(
            ChecklistItem("offer_number_sent", "Offer number (A-number) sent to the worker"),
            ChecklistItem(
                "offer_letter",
                "Offer letter or contract",
                "Job title, detailed duties, start date and duration, and pay.",
            ),
            *items,
        ),
        sources=(I9,),
    )


def application_routes(title: str, online: str) -> DecisionSpec:
    """Where the worker applies: online (the date starts IRCC's clock) or at the border."""
    return DecisionSpec(
        title,
        (
            Outcome(
                "online",
                online,
                fields=(
                    FieldSpec("submitted_on", "Date the application was submitted", FieldType.DATE),
                    FieldSpec("application_number", "IRCC application number", required=False),
                ),
            ),
            Outcome(
                "port_of_entry",
                "Will apply at the port of entry",
                fields=(
                    FieldSpec("travel_on", "Planned travel date", FieldType.DATE, required=False),
                ),
                when=Condition(may_apply_at_border=True),
            ),
        ),
    )


APPLICATION_ROUTES = application_routes(
    "Record where and when the worker applied", "Submitted online from outside Canada"
)


def application(items: tuple[ChecklistItem, ...]) -> Step:
    return Step(
        key="work_permit_application",
        title="Worker applies for the work permit",
        owner=Owner.WORKER,
        description=(
            "A worker who may (a US citizen, or a visa-exempt national) can apply at the port of "
            "entry; anyone else applies online from outside Canada. Online from outside Canada, "
            "a TEER 0 or 1 job gets the two-week processing, and recording the submission "
            "starts that clock."
        ),
        deadline=DeadlineRule(10, note=DEFAULT),
        items=(
            ChecklistItem(
                "passport",
                "Passport",
                "Proof of citizenship; the permit ends with it (not for US citizens).",
            ),
            *items,
            ChecklistItem(
                "application_fees",
                "Receipt for the $155 work-permit fee (and biometrics, $85)",
                sources=(FEE, BIO),
            ),
            ChecklistItem(
                "biometrics",
                "Biometrics given",
                "Within 14 days of applying online (US nationals are exempt).",
                when=Condition(not_citizen_of=frozenset({"US"})),
                required=False,
                sources=(BIO, I6),
            ),
        ),
        decision=APPLICATION_ROUTES,
        sources=(R198, I5),
    )


GSS_DEADLINE = DeadlineRule(
    14,
    DayCount.CALENDAR,
    Anchor(AnchorKind.FIELD, "work_permit_application", "submitted_on"),
    service_standard=True,
    note="Global Skills Strategy: two weeks, 80% of the time, for a TEER 0 or 1 job applied "
    "for online from outside Canada.",
    sources=(I5, I6),
)

IRCC_DECISION = Step(
    key="work_permit_decision",
    title="IRCC decides the work-permit application",
    owner=Owner.IRCC,
    description="IRCC decides an online application; on approval the worker receives a port of "
    "entry letter of introduction.",
    deadline=DeadlineRule(
        56,
        DayCount.CALENDAR,
        Anchor(AnchorKind.FIELD, "work_permit_application", "submitted_on"),
        note="No published standard outside the Global Skills Strategy: hirepath default of 8 "
        "weeks, to move to IRCC's posted processing time.",
    ),
    deadline_when=((Condition(teers=GSS_TEERS), GSS_DEADLINE),),
    items=(
        ChecklistItem(
            "poe_letter", "Port of entry letter of introduction", owner=Owner.WORKER, required=False
        ),
    ),
    decision=DecisionSpec(
        "Record IRCC's decision",
        (
            Outcome("approved", "Approved", fields=(DECIDED_ON,)),
            refusal("Refused", "permit_refused"),
        ),
    ),
    reminders=AUTHORITY_PLAN,
    sources=(I5,),
)

PORT_OF_ENTRY = Step(
    key="port_of_entry",
    title="Worker enters Canada and receives the permit",
    owner=Owner.CBSA,
    description="At the port of entry CBSA issues the work permit (and, for an application made "
    "there, decides it). Record the permit's number and expiry.",
    deadline=DeadlineRule(
        30, DayCount.CALENDAR, note="hirepath default: move it to the travel date."
    ),
    items=(
        ChecklistItem("work_permit", "Copy of the work permit", owner=Owner.WORKER, required=False),
    ),
    decision=DecisionSpec(
        "Record the permit",
        (
            Outcome("issued", "Work permit issued", fields=PERMIT_FIELDS),
            refusal("Entry or permit refused", "entry_refused"),
        ),
    ),
    reminders=AUTHORITY_PLAN,
    sources=(R198,),
)

TWO_WEEK_TARGET = SlaClock(
    key="gss_two_weeks",
    title="Two-week work-permit target",
    starts=Anchor(AnchorKind.FIELD, "work_permit_application", "submitted_on"),
    stops_after_step="work_permit_decision",
    at_risk_day=10,
    target_day=14,
    starts_on_outcomes=("online",),
    when=Condition(teers=GSS_TEERS),
    sources=(I5, I6),
)

COMPLIANCE_FEE = Fee(
    "employer_compliance",
    "Employer compliance fee",
    23_000,
    Payer.EMPLOYER,
    "per offer",
    "Paid in the Employer Portal before the work-permit application; again for each renewal; "
    "refunded if the permit is refused or the offer withdrawn.",
    sources=(R303, Source("I1", "0.2")),
)
WORK_PERMIT_FEE = Fee(
    "work_permit", "Work permit", 15_500, Payer.WORKER, "per person", sources=(FEE,)
)
BIOMETRICS_FEE = Fee(
    "biometrics",
    "Biometrics",
    8_500,
    Payer.WORKER,
    "per person",
    "Applicants aged 14 to 79; US nationals are exempt; reusable for 10 years.",
    when=Condition(not_citizen_of=frozenset({"US"})),
    sources=(BIO,),
)
SPOUSE_FEES = (
    Fee(
        "spouse_open_work_permit",
        "Spouse's open work permit holder fee",
        10_000,
        Payer.SPOUSE,
        "per spouse",
        when=Condition(spouse=True),
        sources=(FEE, Source("SP1", "4")),
    ),
    Fee(
        "spouse_work_permit",
        "Spouse's work permit",
        15_500,
        Payer.SPOUSE,
        "per spouse",
        when=Condition(spouse=True),
        sources=(FEE,),
    ),
    Fee(
        "spouse_biometrics",
        "Spouse's biometrics",
        8_500,
        Payer.SPOUSE,
        "per spouse",
        "Unless the spouse is a US national.",
        when=Condition(spouse=True),
        sources=(BIO,),
    ),
)
# From the versions of 2026-12 (review defect 19): the spouse's fees only when the spouse's
# open work permit is possible, not whenever a spouse comes.
SPOUSE_FEES_IF_POSSIBLE = tuple(
    replace(fee, when=Condition(spouse=True, spouse_open_work_permit=True)) for fee in SPOUSE_FEES
)
