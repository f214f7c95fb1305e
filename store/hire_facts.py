"""A hire's candidate and position in the store: the rules' own types
(``pathways.eligibility.Candidate`` and ``Position``) as typed JSON, written by the recorder
and read back by the presenters through the same dataclasses. Name, email, title, NOC and
province live in their own columns (searched and listed); the rest in the JSON."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from pathways.eligibility import Candidate, Position
from store.models import Hire

_CANDIDATE = TypeAdapter(Candidate)
_POSITION = TypeAdapter(Position)
_CANDIDATE_COLUMNS = {"name", "email"}
_POSITION_COLUMNS = {"title", "noc", "province"}


def candidate_json(candidate: Candidate) -> dict[str, Any]:
    return _CANDIDATE.dump_python(candidate, mode="json", exclude=_CANDIDATE_COLUMNS)


def position_json(position: Position) -> dict[str, Any]:
    return _POSITION.dump_python(position, mode="json", exclude=_POSITION_COLUMNS)


def candidate_of(hire: Hire) -> Candidate:
    return _CANDIDATE.validate_python(
        {**hire.candidate, "name": hire.candidate_name, "email": hire.candidate_email}
    )


def position_of(hire: Hire) -> Position:
    return _POSITION.validate_python(
        {**hire.position, "title": hire.position_title, "noc": hire.noc, "province": hire.province}
    )
