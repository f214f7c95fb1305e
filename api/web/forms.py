"""HTML forms into the API's request models, so the pages validate exactly as the API does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from api.human_errors import label, problems, summary
from api.schemas import HireCreate, ScreeningIn
from api.web.session import flash

LISTS = {"candidate.citizenships", "candidate.permanent_residences", "candidate.designations"}
BOOLEANS = {
    "candidate.visa_exempt",
    "candidate.licence",
    "candidate.spouse_accompanying",
    "candidate.related_employment.full_time",
    "candidate.employment.full_time",
    "position.self_employed",
    "position.gts_a_referral",
}
SKIP = {"csrf_token", "action"}

Model = TypeVar("Model", bound=BaseModel)


def _value(name: str, raw: str) -> Any:
    raw = raw.strip()
    if name in LISTS:
        return [
            part
            for part in re.split(
                r"[\s,;]+", raw.upper() if "citizen" in name or "residen" in name else raw
            )
            if part
        ]
    if name in BOOLEANS:
        return {"yes": True, "on": True, "true": True, "no": False, "false": False}.get(raw.lower())
    return raw


def nested(form: FormData) -> dict[str, Any]:
    """`candidate.name=...` becomes {"candidate": {"name": ...}}; empty fields are left out."""
    data: dict[str, Any] = {}
    for name, raw in form.multi_items():
        if name in SKIP or not isinstance(raw, str):
            continue
        value = _value(name, raw)
        if value in ("", None, []):
            continue
        target = data
        *parents, leaf = name.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    candidate = data.get("candidate", {})
    if "start" not in candidate.get("related_employment", {}):  # the section was left empty
        candidate.pop("related_employment", None)
    earlier = candidate.pop("employment", {})  # the form's one earlier job: a list of one
    if "start" in earlier or "end" in earlier:
        candidate["employment"] = [earlier]
    return data


def errors_by_field(err: ValidationError) -> dict[str, str]:
    """Each form field at fault (its name in the form) and its problem in HR words."""
    return problems(err.errors(include_url=False), form=True)


def hire_request(form: FormData) -> tuple[HireCreate | None, dict[str, str], dict[str, Any]]:
    """The new-hire form as a HireCreate, or the problems by field (and the raw values)."""
    data = nested(form)
    data.setdefault("candidate", {})
    data.setdefault("position", {})
    try:
        return HireCreate.model_validate(data), {}, data
    except ValidationError as err:
        return None, errors_by_field(err), data


# What screening needs before it can say anything, in the form's order.
SCREENING_NEEDS = (
    "candidate.citizenships",
    "position.noc",
    "position.wage.amount",
    "position.province",
)
# A problem with a group of fields is shown on the group's first field.
SHOWN_ON = {
    "candidate.related_employment": "candidate.related_employment.start",
    "candidate.employment": "candidate.employment.start",
    "position.wage": "position.wage.amount",
    "hr_owner": "hr_owner.name",
    "manager": "manager.name",
    "override": "override.justification",
}


def _as_clause(text: str) -> str:
    """ "Use a two-letter code" -> "use a two-letter code" (an acronym keeps its capitals)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


@dataclass(frozen=True)
class Screenable:
    """The part of the new-hire form that screening needs: the request, or why there is none:
    the fields filled in wrongly as (form field, label, what is wrong), and the labels of
    those still empty."""

    request: ScreeningIn | None
    invalid: tuple[tuple[str, str, str], ...] = ()
    missing: tuple[str, ...] = ()


def screening_request(data: dict[str, Any]) -> Screenable:
    """The part of the new-hire form that screening needs, if it is complete and valid."""
    contact = ("name", "email", "phone", "preferred_language")  # not what screening reads
    candidate = {k: v for k, v in data.get("candidate", {}).items() if k not in contact}
    position = {k: v for k, v in data.get("position", {}).items() if k != "title"}
    try:
        return Screenable(
            ScreeningIn.model_validate({"candidate": candidate, "position": position})
        )
    except ValidationError as err:
        errors = err.errors(include_url=False)
    wrong = problems((e for e in errors if e["type"] != "missing"), form=True)
    absent = problems((e for e in errors if e["type"] == "missing"), form=True)
    absent_fields = [SHOWN_ON.get(k, k) for k in absent]
    return Screenable(
        None,
        tuple((SHOWN_ON.get(k, k), label(k), _as_clause(v)) for k, v in wrong.items()),
        tuple(label(k) for k in SCREENING_NEEDS if k in absent_fields)
        + tuple(label(k) for k in absent_fields if k not in SCREENING_NEEDS),
    )


def validated_or_flash(
    request: Request, model: type[Model], data: dict[str, Any], hire_id: str, anchor: str
) -> Model | RedirectResponse:
    """The form as ``model``, or (when it is invalid) its problems flashed by field next to
    ``anchor`` and the redirect back to the hire's page there."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        flash(request, summary(errors_by_field(err)), "error", anchor)
        return RedirectResponse(f"/hires/{hire_id}#{anchor}", status_code=303)
