"""The screening's Candidate and Position are the one shape of a hire's candidate and job,
carried in the workflow input: they parse from the JSON of the contract types they replaced
(Candidate and PositionInfo), as saved histories hold it, with pydantic (the payload
converter's library)."""

from __future__ import annotations

import base64
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from pathways.eligibility import Candidate, Position, Wage, WagePer, facts_of
from pathways.model import HireFacts

HISTORIES = sorted((Path(__file__).parents[1] / "histories").glob("*.json"))

CANDIDATES = TypeAdapter(Candidate)
POSITIONS = TypeAdapter(Position)


def test_a_legacy_candidate_parses() -> None:
    candidate = CANDIDATES.validate_python(
        {
            "name": "Ana Ruiz",
            "email": "ana@candidate.example",
            "citizenships": ["MX", "ES"],
            "residence": "CA",
            "visa_exempt": True,
            "spouse": True,
        }
    )
    assert candidate == Candidate(
        name="Ana Ruiz",
        email="ana@candidate.example",
        citizenships=("MX", "ES"),
        residence="CA",
        visa_exempt=True,
        spouse=True,
    )
    assert CANDIDATES.validate_python({}) == Candidate()


@pytest.mark.parametrize(
    ("amount", "per", "hours", "hourly", "annual"),
    [
        ("140000", "year", "40", Decimal("67.31"), Decimal(140_000)),
        ("120000", "year", "37.5", Decimal("61.54"), Decimal(120_000)),
        ("55.5", "hour", "40", Decimal("55.5"), Decimal(115_440)),
        (85000, "year", 40, Decimal("40.87"), Decimal(85_000)),
    ],
)
def test_a_legacy_position_parses_with_its_wage(
    amount: Any, per: str, hours: Any, hourly: Decimal, annual: Decimal
) -> None:
    position = POSITIONS.validate_python(
        {
            "title": "Software engineer",
            "noc": "21231",
            "wage_amount": amount,
            "wage_per": per,
            "hours_per_week": hours,
            "province": "ON",
            "start_date": "2027-01-04",
            "duration_months": 24,
        }
    )
    assert position == Position(
        title="Software engineer",
        noc="21231",
        wage_amount=Decimal(str(amount)),
        wage_per=WagePer(per),
        hours_per_week=Decimal(str(hours)),
        province="ON",
        start_date=date(2027, 1, 4),
        duration_months=24,
    )
    assert position.wage == Wage(Decimal(str(amount)), WagePer(per), Decimal(str(hours)))
    assert (position.wage.hourly, position.wage.annual) == (hourly, annual)
    assert position.teer == 1


def test_the_shapes_dump_to_json_and_back() -> None:
    position = Position(noc="22222", wage_amount=Decimal("41.03"), wage_per=WagePer.HOUR)
    candidate = Candidate(name="N", citizenships=("IN",), years_experience=Decimal("5.5"))
    assert POSITIONS.validate_json(POSITIONS.dump_json(position)) == position
    assert CANDIDATES.validate_json(CANDIDATES.dump_json(candidate)) == candidate


def _started_input(history: Path) -> dict[str, Any]:
    started = json.loads(history.read_text())["events"][0]
    payload = started["workflowExecutionStartedEventAttributes"]["input"]["payloads"][0]
    assert base64.b64decode(payload["metadata"]["encoding"]) == b"json/plain"
    data: dict[str, Any] = json.loads(base64.b64decode(payload["data"]))
    return data


@pytest.mark.parametrize("history", HISTORIES, ids=[h.stem for h in HISTORIES])
def test_the_saved_histories_inputs_parse(history: Path) -> None:
    hire = _started_input(history)
    candidate = CANDIDATES.validate_python(hire["candidate"])
    position = POSITIONS.validate_python(hire["position"])
    assert (candidate.name, candidate.email) == (
        hire["candidate"]["name"],
        hire["candidate"]["email"],
    )
    assert candidate.citizenships == tuple(hire["candidate"]["citizenships"])
    assert (position.title, position.noc, position.province) == (
        hire["position"]["title"],
        hire["position"]["noc"],
        hire["position"]["province"],
    )
    assert position.wage == Wage(
        Decimal(hire["position"]["wage_amount"]),
        WagePer(hire["position"]["wage_per"]),
        Decimal(hire["position"]["hours_per_week"]),
    )
    assert facts_of(candidate, position, hire["category"]) == HireFacts(
        category=hire["category"],
        province=position.province,
        citizenships=candidate.citizenships,
        teer=position.teer,
        visa_exempt=candidate.visa_exempt,
        spouse=candidate.spouse,
        residence=candidate.residence,
    )


def test_there_are_saved_histories_to_read() -> None:
    assert HISTORIES
