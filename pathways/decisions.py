"""Checking the fields of a recorded decision against its outcome's spec."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from pathways.holiday_table import FIRST_YEAR, LAST_YEAR
from pathways.model import DecisionSpec, FieldSpec, FieldType

# Dates that record something that already happened: not in the future, and not more than
# a year back (a typo like 2016 for 2026 would otherwise be taken at its word).
PAST_DATE_FIELDS = frozenset({"submitted_on", "decided_on", "issued_on"})
PAST_LIMIT = timedelta(days=366)
# Dates something ends: in the future, and within 10 years.
FUTURE_DATE_FIELDS = frozenset({"expires_on", "valid_until"})
FUTURE_LIMIT = timedelta(days=3653)


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str


def check_decision(
    spec: DecisionSpec,
    outcome: str,
    fields: dict[str, str],
    today: date,
    *,
    allowed: list[str] | None = None,
    max_permit_years: int | None = None,
) -> tuple[dict[str, str], list[FieldProblem]]:
    """Normalize ``fields`` for ``outcome`` and list every problem, each naming its field.

    ``allowed``: the outcomes this hire may record (some apply only to some hires);
    ``max_permit_years``: the longest permit the category gives.
    """
    chosen = spec.outcome(outcome)
    if chosen is not None and allowed is not None and outcome not in allowed:
        return {}, [FieldProblem("outcome", "That outcome is not available for this hire.")]
    if chosen is None:
        return {}, [FieldProblem("outcome", "That is not an outcome this step takes.")]
    problems = _unknown_fields(fields, chosen.fields, outcome)
    clean: dict[str, str] = {}
    for spec_field in chosen.fields:
        raw = (fields.get(spec_field.key) or "").strip()
        if not raw:
            if spec_field.required:
                problems.append(FieldProblem(spec_field.key, f"{spec_field.title} is required"))
            continue
        value, problem = _field_value(spec_field, raw, today)
        if problem:
            problems.append(FieldProblem(spec_field.key, problem))
            continue
        clean[spec_field.key] = value
    problems.extend(_permit_dates(clean, max_permit_years))
    return clean, problems


def _unknown_fields(
    fields: dict[str, str], specs: tuple[FieldSpec, ...], outcome: str
) -> list[FieldProblem]:
    known = {f.key for f in specs}
    return [
        FieldProblem(name, "This outcome does not take that field.")
        for name in sorted(set(fields) - known)
    ]


def _field_value(spec: FieldSpec, raw: str, today: date) -> tuple[str, str]:
    """The field's value as recorded, or what is wrong with it (one of the two is empty)."""
    if len(raw) > 500:
        return "", f"{spec.title} is too long"
    if spec.type == FieldType.DATE:
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            return "", f"{spec.title} must be a date (YYYY-MM-DD)"
        problem = _date_problem(spec.key, spec.title, value, today)
        return ("", problem) if problem else (value.isoformat(), "")
    if spec.type == FieldType.NUMBER:
        try:
            return str(Decimal(raw)), ""
        except InvalidOperation:
            return "", f"{spec.title} must be a number"
    if spec.pattern and not re.fullmatch(spec.pattern, raw):
        return "", f"{spec.title} has an unexpected format"
    return raw, ""


def _permit_dates(clean: dict[str, str], max_permit_years: int | None) -> list[FieldProblem]:
    """A permit expires after its issue, and within its category's limit."""
    if "issued_on" not in clean or "expires_on" not in clean:
        return []
    issued, expires = (
        date.fromisoformat(clean["issued_on"]),
        date.fromisoformat(clean["expires_on"]),
    )
    if expires <= issued:
        return [FieldProblem("expires_on", "Expires on must be after Issued on")]
    if max_permit_years and expires > _add_years(issued, max_permit_years):
        plural = "s" if max_permit_years != 1 else ""
        return [
            FieldProblem(
                "expires_on",
                f"a permit in this category runs at most {max_permit_years} year{plural} from "
                "its issue",
            )
        ]
    return []


def _date_problem(key: str, title: str, value: date, today: date) -> str:
    if key in PAST_DATE_FIELDS:
        if value > today:
            return f"{title} cannot be in the future"
        if value < today - PAST_LIMIT:
            return f"{title} cannot be more than a year ago"
    if key in FUTURE_DATE_FIELDS:
        if value <= today:
            return f"{title} must be in the future"
        if value > today + FUTURE_LIMIT:
            return f"{title} cannot be more than 10 years ahead"
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        return f"{title} must be between {FIRST_YEAR} and {LAST_YEAR}"
    return ""


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # February 29
        return day.replace(year=day.year + years, day=28)
