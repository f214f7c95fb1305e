"""CUSMA and ICT definitions against PATHWAYS.md sections 0, 2 and 3."""

from __future__ import annotations

from collections import Counter

import pytest

from pathways.cusma import CUSMA_2025
from pathways.cusma_professions import PROFESSIONS, Group, Route, profession
from pathways.gts import GTS_2025_11_R2
from pathways.ict import ICT_2025, Capacity, code_matches, ict_code
from pathways.model import HireFacts, Owner, Payer


def test_appendix_2_has_its_63_professions_in_their_groups() -> None:
    assert len(PROFESSIONS) == 63
    assert Counter(p.group for p in PROFESSIONS) == {
        Group.GENERAL: 25,
        Group.MEDICAL: 12,
        Group.SCIENTIST: 23,
        Group.TEACHER: 3,
    }
    analyst = profession("computer_systems_analyst")
    assert analyst is not None and [c.route for c in analyst.credentials] == [
        Route.BACCALAUREATE,
        Route.DIPLOMA_3_YEARS,
    ]
    assert [c.years for c in analyst.credentials] == [0, 3]


def test_cusma_code_and_alias() -> None:
    assert CUSMA_2025.category("T23") is CUSMA_2025.category("T36")
    assert CUSMA_2025.permit_years("T36") == 3


@pytest.mark.parametrize(("citizenships", "border"), [(("US",), True), (("MX",), False)])
def test_only_a_us_citizen_may_apply_at_the_border_under_cusma(
    citizenships: tuple[str, ...], border: bool
) -> None:
    decision = CUSMA_2025.step("work_permit_application").decision
    assert decision is not None
    outcomes = [
        o.key for o in decision.outcomes_for(HireFacts(category="T36", citizenships=citizenships))
    ]
    assert outcomes == (["online", "port_of_entry"] if border else ["online"])


def test_the_steps_and_their_owners() -> None:
    assert [(s.key, s.owner) for s in CUSMA_2025.steps] == [
        ("employer_portal_offer", Owner.EMPLOYER),
        ("send_offer_to_worker", Owner.EMPLOYER),
        ("work_permit_application", Owner.WORKER),
        ("work_permit_decision", Owner.IRCC),
        ("port_of_entry", Owner.CBSA),
    ]
    assert ICT_2025.steps[0].key == "transfer_evidence"


def test_two_week_processing_only_for_teer_0_and_1() -> None:
    ircc = CUSMA_2025.step("work_permit_decision")
    assert ircc.deadline_for(HireFacts(teer=1)).amount == 14
    assert ircc.deadline_for(HireFacts(teer=1)).service_standard is True
    assert ircc.deadline_for(HireFacts(teer=2)).service_standard is False
    assert [c.key for c in CUSMA_2025.clocks_for(HireFacts(teer=0))] == ["gss_two_weeks"]
    assert CUSMA_2025.clocks_for(HireFacts(teer=2)) == ()


@pytest.mark.parametrize(
    ("capacity", "citizenships", "code"),
    [
        (Capacity.STARTUP, ("IN",), "C61"),
        (Capacity.STARTUP, ("US",), "C61"),
        (Capacity.EXECUTIVE, ("IN",), "C62"),
        (Capacity.MANAGER, ("MX",), "T37"),
        (Capacity.SPECIALIZED_KNOWLEDGE, ("FR",), "C63"),
        (Capacity.SPECIALIZED_KNOWLEDGE, ("US", "FR"), "T38"),
    ],
)
def test_ict_code_follows_the_capacity_and_citizenship(
    capacity: Capacity, citizenships: tuple[str, ...], code: str
) -> None:
    assert ict_code(capacity, citizenships) == code


def test_superseded_ict_codes_are_accepted_for_the_codes_they_became() -> None:
    assert (
        code_matches("C12", "C63") and code_matches("T24", "T38") and not code_matches("C12", "T37")
    )


def test_ict_durations_and_caps() -> None:
    caps = {c.key: (c.max_permit_years, c.cap_years) for c in ICT_2025.categories}
    assert caps == {"C61": (1, None), "C62": (3, 7), "C63": (3, 5), "T37": (3, 7), "T38": (3, 5)}


def test_ict_evidence_follows_the_category() -> None:
    evidence = ICT_2025.step("transfer_evidence")

    def keys(code: str) -> set[str]:
        return {i.key for i in ICT_2025.items_for(evidence, HireFacts(category=code))}

    assert "specialized_knowledge" in keys("C63") and "specialized_knowledge" in keys("T38")
    assert "startup_plan" in keys("C61") and "startup_plan" not in keys("C62")


def test_fees_and_payers_for_lmia_exempt_hires() -> None:
    fees = {
        f.key: (f.amount_cents, f.payer)
        for f in CUSMA_2025.fees_for(HireFacts(citizenships=("US",), spouse=True))
    }
    assert fees == {
        "employer_compliance": (23_000, Payer.EMPLOYER),
        "work_permit": (15_500, Payer.WORKER),
        "spouse_open_work_permit": (10_000, Payer.SPOUSE),
        "spouse_work_permit": (15_500, Payer.SPOUSE),
        "spouse_biometrics": (8_500, Payer.SPOUSE),
    }  # the US worker pays no biometrics; the spouse may not be a US national


def test_gts_version_2_adds_the_border_route_the_provincial_fee_and_renewals() -> None:
    application = GTS_2025_11_R2.step("work_permit_application").decision
    assert application is not None and [o.key for o in application.outcomes] == [
        "online",
        "port_of_entry",
    ]
    fees = {
        f.key: f.amount_cents
        for f in GTS_2025_11_R2.fees_for(HireFacts(category="B", province="BC"))
    }
    assert fees["provincial_registration"] is None  # it varies; listed, not added
    assert GTS_2025_11_R2.clocks[0].starts_on_outcomes == ("online",)
    assert GTS_2025_11_R2.max_permit_years == 3 and GTS_2025_11_R2.renewal == "gts"
