"""What the page modules share: rendering a page, the redirect back to a hire, form checks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from api.templating import environment
from api.web.session import page_context
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
