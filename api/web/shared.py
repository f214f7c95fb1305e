"""What the page modules share: rendering a page, the redirect back to a hire, form checks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ValidationError

from api.templating import environment
from api.web.forms import errors_by_field
from api.web.session import flash, page_context
from core.settings import Settings
from pathways import registry
from pathways.model import Pathway

CsrfField = Annotated[str, Form()]

Model = TypeVar("Model", bound=BaseModel)


def render(
    request: Request, settings: Settings, template: str, status: int = 200, **values: Any
) -> HTMLResponse:
    html = environment(settings.templates_dir, html=True).get_template(f"pages/{template}")
    return HTMLResponse(html.render(page_context(request, **values)), status_code=status)


def now() -> datetime:
    return datetime.now(UTC)


def current_pathways() -> dict[str, Pathway]:
    """Each pathway's current version, by key."""
    return {key: registry.current(key) for key in registry.keys()}


def back(hire_id: str, anchor: str = "") -> RedirectResponse:
    """Back to the hire's page (at ``anchor``), after a form post."""
    return RedirectResponse(f"/hires/{hire_id}" + (f"#{anchor}" if anchor else ""), status_code=303)


def validated_or_flash(
    request: Request, model: type[Model], data: dict[str, Any], hire_id: str, anchor: str
) -> Model | RedirectResponse:
    """The form as ``model``, or (when it is invalid) its problems flashed by field and the
    redirect back to the hire's page at ``anchor``."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        flash(request, "; ".join(f"{k}: {v}" for k, v in errors_by_field(err).items()), "error")
        return back(hire_id, anchor)
