"""The GTS definition against PATHWAYS.md sections 0.2, 1.4 and 1.5."""

from __future__ import annotations

from pathways.gts import GTS_2025_11
from pathways.model import DayCount, HireFacts, Owner, Payer

ON_B = HireFacts(category="B", province="ON", citizenships=("IN",))


def keys(steps: object) -> list[str]:
    return [s.key for s in steps]  # type: ignore[attr-defined]


def test_category_b_steps_in_order_with_their_owners() -> None:
    steps = GTS_2025_11.steps_for(ON_B)
    assert [(s.key, s.owner) for s in steps] == [
        ("prepare_lmia", Owner.EMPLOYER),
        ("submit_lmia", Owner.EMPLOYER),
        ("lmia_decision", Owner.ESDC),
        ("send_lmia_to_worker", Owner.EMPLOYER),
        ("work_permit_application", Owner.WORKER),
        ("work_permit_decision", Owner.IRCC),
        ("port_of_entry", Owner.CBSA),
    ]


def test_category_a_starts_with_the_partners_referral() -> None:
    steps = GTS_2025_11.steps_for(HireFacts(category="A", province="ON"))
    assert keys(steps)[0] == "referral"
    assert "referral_form" in [i.key for i in steps[0].items]


def test_provincial_items_appear_only_where_they_apply() -> None:
    prepare = GTS_2025_11.step("prepare_lmia")
    for province in ("BC", "MB", "SK", "NS"):
        items = [
            i.key
            for i in GTS_2025_11.items_for(prepare, HireFacts(category="B", province=province))
        ]
        assert "provincial_registration" in items and "quebec_mifi" not in items
    on = [i.key for i in GTS_2025_11.items_for(prepare, ON_B)]
    assert "provincial_registration" not in on and "quebec_mifi" not in on
    qc = [i.key for i in GTS_2025_11.items_for(prepare, HireFacts(category="B", province="QC"))]
    assert "quebec_mifi" in qc


def test_service_standards() -> None:
    esdc = GTS_2025_11.step("lmia_decision").deadline
    assert (esdc.amount, esdc.unit, esdc.from_next_business_day, esdc.service_standard) == (
        10,
        DayCount.BUSINESS,
        True,
        True,
    )
    ircc = GTS_2025_11.step("work_permit_decision").deadline
    assert (ircc.amount, ircc.unit, ircc.service_standard) == (14, DayCount.CALENDAR, True)
    assert ircc.anchor.step == "work_permit_application" and ircc.anchor.field == "submitted_on"


def test_decisions_take_the_numbers_hr_must_record() -> None:
    lmia = GTS_2025_11.step("lmia_decision").decision
    assert lmia is not None
    approved = lmia.outcome("approved")
    assert approved is not None and "lmia_number" in [f.key for f in approved.fields]
    refused = lmia.outcome("refused")
    assert refused is not None and refused.end_status == "lmia_refused"
    permit = GTS_2025_11.step("port_of_entry").decision
    assert permit is not None
    issued = permit.outcome("issued")
    assert issued is not None
    assert {"permit_number", "issued_on", "expires_on"} <= {f.key for f in issued.fields}


def test_fees_and_who_pays_them() -> None:
    fees = {f.key: (f.amount_cents, f.payer) for f in GTS_2025_11.fees_for(ON_B)}
    assert fees == {
        "lmia_processing": (100_000, Payer.EMPLOYER),
        "work_permit": (15_500, Payer.WORKER),
        "biometrics": (8_500, Payer.WORKER),
    }
    us = {f.key for f in GTS_2025_11.fees_for(HireFacts(category="B", citizenships=("US",)))}
    assert "biometrics" not in us  # US nationals are exempt [BIO]


def test_item_keys_are_unique_across_the_pathway() -> None:
    all_keys = [i.key for s in GTS_2025_11.steps for i in s.items]
    assert len(all_keys) == len(set(all_keys))


def test_every_step_and_rule_cites_a_source() -> None:
    for step in GTS_2025_11.steps:
        assert step.sources, step.key
    assert GTS_2025_11.step("lmia_decision").deadline.sources
    for fee in GTS_2025_11.fees:
        assert fee.sources, fee.key
