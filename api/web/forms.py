"""HTML forms into the API's request models, so the pages validate exactly as the API does."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from api.errors import field_name
from api.schemas import HireCreate, ScreeningIn
from api.web.session import flash

LISTS = {"candidate.citizenships", "candidate.permanent_residences", "candidate.designations"}
BOOLEANS = {
    "candidate.visa_exempt",
    "candidate.licence",
    "candidate.spouse_accompanying",
    "candidate.related_employment.full_time",
    "position.self_employed",
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
    return data


def errors_by_field(err: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for problem in err.errors():
        fields.setdefault(field_name(problem.get("loc", ())), str(problem.get("msg", "invalid")))
    return fields


def hire_request(form: FormData) -> tuple[HireCreate | None, dict[str, str], dict[str, Any]]:
    """The new-hire form as a HireCreate, or the problems by field (and the raw values)."""
    data = nested(form)
    data.setdefault("candidate", {})
    data.setdefault("position", {})
    try:
        return HireCreate.model_validate(data), {}, data
    except ValidationError as err:
        return None, errors_by_field(err), data


def screening_request(data: dict[str, Any]) -> ScreeningIn | None:
    """The part of the new-hire form that screening needs, if it is complete enough."""
    candidate = {k: v for k, v in data.get("candidate", {}).items() if k not in ("name", "email")}
    position = {k: v for k, v in data.get("position", {}).items() if k != "title"}
    try:
        return ScreeningIn.model_validate({"candidate": candidate, "position": position})
    except ValidationError:
        return None


def validated_or_flash(
    request: Request, model: type[Model], data: dict[str, Any], hire_id: str, anchor: str
) -> Model | RedirectResponse:
    """The form as ``model``, or (when it is invalid) its problems flashed by field and the
    redirect back to the hire's page at ``anchor``."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        flash(request, "; ".join(f"{k}: {v}" for k, v in errors_by_field(err).items()), "error")
        return RedirectResponse(f"/hires/{hire_id}#{anchor}", status_code=303)
