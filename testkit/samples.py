"""A sample hire, as the API takes it (hire_body) and as the workflow starts (hire_input),
and sample uploads."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from contracts.hire import Candidate, HireInput, Person, Position, workflow_id
from pathways import registry
from pathways.eligibility import WagePer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def hire_input(
    *,
    team_id: str,
    name: str,
    pathway: str = "gts",
    category: str = "B",
    province: str = "ON",
    citizenships: tuple[str, ...] = ("IN",),
    visa_exempt: bool | None = None,
    noc: str = "21231",
    hire_id: str | None = None,
) -> HireInput:
    return HireInput(
        hire_id=hire_id or workflow_id(str(uuid.uuid4())),
        team_id=team_id,
        pathway=pathway,
        rules_version=registry.current(pathway).version,
        category=category,
        candidate=Candidate(
            name=name,
            email="worker@candidate.example",
            citizenships=citizenships,
            visa_exempt=visa_exempt,
        ),
        position=Position(
            title="Software engineer",
            noc=noc,
            wage_amount=Decimal(140000),
            wage_per=WagePer.YEAR,
            province=province,
        ),
        hr_owner=Person("Dana Reyes", "hr@employer.example"),
        manager=Person("Sam Okafor", "manager@employer.example"),
        actor="test",
    )


def hire_body(
    *, name: str, category: str = "B", noc: str = "21231", province: str = "ON", **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "pathway": "gts",
        "category": category,
        "candidate": {
            "name": name,
            "email": "worker@candidate.example",
            "citizenships": ["IN"],
            "residence": "IN",
        },
        "position": {
            "title": "Senior software engineer",
            "noc": noc,
            "wage": {"amount": 145000, "per": "year"},
            "province": province,
            "start_date": "2027-03-01",
        },
        "hr_owner": {"name": "Dana Reyes", "email": "hr@employer.example"},
        "manager": {"name": "Sam Okafor", "email": "manager@employer.example"},
    }
    body.update(overrides)
    return body
