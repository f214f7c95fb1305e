"""Checking a recorded decision's fields: every problem names its field."""

from __future__ import annotations

from datetime import date

from pathways.decisions import check_decision
from pathways.gts import GTS_2025_11

TODAY = date(2026, 12, 1)
LMIA = GTS_2025_11.step("lmia_decision").decision
PERMIT = GTS_2025_11.step("port_of_entry").decision
assert LMIA is not None and PERMIT is not None


def problems(spec, outcome, fields):  # type: ignore[no-untyped-def]
    return {p.field: p.message for p in check_decision(spec, outcome, fields, TODAY)[1]}


def test_a_complete_decision_is_normalized() -> None:
    clean, found = check_decision(
        LMIA, "approved", {"lmia_number": " 8841202 ", "decided_on": "2026-11-30"}, TODAY
    )
    assert found == [] and clean == {"lmia_number": "8841202", "decided_on": "2026-11-30"}


def test_unknown_outcome_names_the_allowed_ones() -> None:
    assert problems(LMIA, "maybe", {}) == {"outcome": "That is not an outcome this step takes."}


def test_missing_required_fields_are_each_named() -> None:
    assert problems(LMIA, "approved", {}) == {
        "lmia_number": "LMIA number is required",
        "decided_on": "Decision date is required",
    }


def test_bad_dates_formats_and_unknown_fields() -> None:
    found = problems(
        LMIA, "approved", {"lmia_number": "x", "decided_on": "30/11/2026", "colour": "blue"}
    )
    assert found == {
        "colour": "This outcome does not take that field.",
        "decided_on": "Decision date must be a date (YYYY-MM-DD)",
        "lmia_number": "LMIA number has an unexpected format",
    }


def test_past_events_cannot_be_in_the_future_and_a_permit_expires_after_issue() -> None:
    assert problems(LMIA, "refused", {"decided_on": "2026-12-02"}) == {
        "decided_on": "Decision date cannot be in the future"
    }
    issued = {"permit_number": "U123456789", "issued_on": "2026-11-30"}
    assert problems(PERMIT, "issued", {**issued, "expires_on": "2026-11-30"}) == {
        "expires_on": "Expires on must be in the future"
    }
    assert problems(PERMIT, "issued", {**issued, "expires_on": "2040-01-01"}) == {
        "expires_on": "Expires on cannot be more than 10 years ahead"
    }


def test_dates_a_typo_away_are_refused() -> None:
    assert problems(LMIA, "refused", {"decided_on": "2016-11-30"}) == {
        "decided_on": "Decision date cannot be more than a year ago"
    }
    assert problems(
        LMIA,
        "approved",
        {"lmia_number": "1234", "decided_on": "2026-11-30", "valid_until": "2026-11-01"},
    ) == {"valid_until": "Valid until must be in the future"}
