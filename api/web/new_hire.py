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
from api.human_errors import label
from api.templating import environment
from api.web.forms import SHOWN_ON, Screenable, hire_request, nested, screening_request
from api.web.session import check_csrf, flash, team_name
from api.web.shared import current_pathways, now, render
from core.settings import Settings
from pathways import registry
from pathways.calendar import eastern_date
from pathways.cusma_professions import PROFESSIONS
from pathways.eligibility import screen_all

router = APIRouter(include_in_schema=False)


# The form's fields, in the order the page shows them (the first one at fault gets focus).
FIELD_ORDER = (
    "candidate.name", "candidate.email", "candidate.citizenships", "candidate.residence",
    "candidate.permanent_residences", "candidate.visa_exempt", "candidate.education",
    "candidate.years_experience", "candidate.licence", "candidate.designations",
    "candidate.degree_field", "candidate.credential_country",
    "candidate.spouse_accompanying", "candidate.related_employment.start",
    "candidate.related_employment.end", "candidate.related_employment.full_time",
    "candidate.related_employment.country", "candidate.employment.start",
    "candidate.employment.end", "candidate.employment.full_time", "candidate.employment.country",
    "candidate.prior_ict_months",
    "position.title", "position.noc", "position.wage.amount", "position.wage.per",
    "position.hours_per_week", "position.province", "position.start_date",
    "position.duration_months", "position.cusma_profession", "position.ict_capacity",
    "position.employer_relationship", "position.application_date", "position.self_employed",
    "position.gts_a_referral", "position.gts_a_approved_this_year", "pathway", "category",
    "hr_owner.name", "hr_owner.email", "manager.name", "manager.email", "override.justification",
)  # fmt: skip
OVERRIDE_HINT = (
    "Screening says this hire is not eligible. To start it anyway, write why in "
    "“Start anyway, because” below."
)


def form_errors(errors: dict[str, str]) -> list[tuple[str, str, str]]:
    """The problems as the page shows them: (the form field, its label, the message), the
    form's fields in page order first, then anything about the whole request (no field)."""
    placed: dict[str, tuple[str, str]] = {}
    for path, text in errors.items():
        name = SHOWN_ON.get(path, path)
        placed.setdefault(name, (label(path), text))
    known = [(n, *placed[n]) for n in FIELD_ORDER if n in placed]
    return known + [("", lbl, text) for n, (lbl, text) in placed.items() if n not in FIELD_ORDER]


def _new_hire_page(
    request: Request, settings: Settings, session: Session, caller: Caller, **values: Any
) -> HTMLResponse:
    problems = form_errors(values.pop("errors", {}))
    data = values.pop("values", {})
    screen = screening_request(data)
    return render(
        request,
        settings,
        "new_hire.html",
        team=team_name(session, caller),
        pathways=current_pathways(),
        pathway_options=[(key, registry.current(key).title) for key in registry.keys()],
        profession_options=[(p.key, p.title) for p in sorted(PROFESSIONS, key=lambda p: p.title)],
        values=data,
        problems=problems,
        errors={name: text for name, _, text in problems if name},
        first_error=next((name for name, _, _ in problems if name), ""),
        screen=screen,
        verdicts=_verdicts(screen),
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
    if request.headers.get("x-requested-with") == "fetch":
        screen = screening_request(data)
        html = environment(settings.templates_dir, html=True).get_template("pages/_verdicts.html")
        return HTMLResponse(
            html.render(verdicts=_verdicts(screen), screen=screen, pathways=current_pathways())
        )
    return _new_hire_page(request, settings, session, caller, values=data)


def _verdicts(screen: Screenable) -> list[Any] | None:
    if screen.request is None:
        return None
    return [
        verdict_out(v)
        for v in screen_all(
            candidate_of(screen.request.candidate),
            position_of(screen.request.position),
            eastern_date(now()),
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
        fields = {k: v[:1].upper() + v[1:] for k, v in err.fields.items()}
        return _new_hire_page(
            request, settings, session, caller, values=data, errors=fields or {"body": err.detail},
            problem=OVERRIDE_HINT if err.detail.startswith("not eligible") else "",
            status=err.status,
        )  # fmt: skip
    flash(request, "Hire started.", "success")
    return RedirectResponse(f"/hires/{created.hire_id}", status_code=303)
