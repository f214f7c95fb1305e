"""A new hire: the form, screened as the HR person types, and starting the hire."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.deps import Caller, ClientDep, PageCaller, SessionDep, SettingsDep
from api.eligibility_io import candidate_of, position_of, verdict_out
from api.errors import ApiError
from api.hire_commands import create_hire
from api.templating import environment
from api.web.forms import hire_request, nested, screening_request
from api.web.session import check_csrf, flash, team_name
from api.web.shared import current_pathways, now, render
from core.settings import Settings
from pathways import registry
from pathways.calendar import eastern_date
from pathways.cusma_professions import PROFESSIONS
from pathways.eligibility import screen_all

router = APIRouter(include_in_schema=False)


def _new_hire_page(
    request: Request, settings: Settings, session: Session, caller: Caller, **values: Any
) -> HTMLResponse:
    return render(
        request,
        settings,
        "new_hire.html",
        team=team_name(session, caller),
        pathways=current_pathways(),
        pathway_options=[(key, registry.current(key).title) for key in registry.keys()],
        profession_options=[(p.key, p.title) for p in sorted(PROFESSIONS, key=lambda p: p.title)],
        values=values.pop("values", {}),
        errors=values.pop("errors", {}),
        **values,
    )


@router.get("/hires/new", response_class=HTMLResponse)
async def new_hire(
    request: Request, session: SessionDep, settings: SettingsDep, caller: PageCaller
) -> HTMLResponse:
    return _new_hire_page(request, settings, session, caller)


@router.post("/hires/new/screen", response_class=HTMLResponse)
async def screen_new_hire(
    request: Request, session: SessionDep, settings: SettingsDep, caller: PageCaller
) -> HTMLResponse:
    """Screen as the HR person types (a fragment for the page's script), or on the button."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    data = nested(form)
    verdicts = _verdicts(data)
    if request.headers.get("x-requested-with") == "fetch":
        html = environment(settings.templates_dir, html=True).get_template("pages/_verdicts.html")
        return HTMLResponse(html.render(verdicts=verdicts, pathways=current_pathways()))
    return _new_hire_page(request, settings, session, caller, values=data, verdicts=verdicts)


def _verdicts(data: dict[str, Any]) -> list[Any] | None:
    screening = screening_request(data)
    if screening is None:
        return None
    return [
        verdict_out(v)
        for v in screen_all(
            candidate_of(screening.candidate), position_of(screening.position), eastern_date(now())
        )
    ]


@router.post("/hires/new", response_model=None)
async def start_new_hire(
    request: Request,
    client: ClientDep,
    session: SessionDep,
    settings: SettingsDep,
    caller: PageCaller,
) -> Response:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    body, errors, data = hire_request(form)
    if body is None:
        return _new_hire_page(
            request,
            settings,
            session,
            caller,
            values=data,
            errors=errors,
            verdicts=_verdicts(data),
            status=422,
        )
    try:
        created = await create_hire(
            client=client,
            session=session,
            settings=settings,
            caller=caller,
            body=body,
            idempotency_key=None,
        )
    except ApiError as err:
        return _new_hire_page(
            request, settings, session, caller, values=data, errors=err.fields or {"body": err.detail},
            problem=err.detail, verdicts=_verdicts(data), status=err.status,
        )  # fmt: skip
    flash(request, "Hire started.", "success")
    return RedirectResponse(f"/hires/{created.hire_id}", status_code=303)
