"""The HR pages: server-rendered HTML over the same services and views as the JSON API."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlmodel import Session

from api import views
from api.deps import ClientDep, DocumentsDep, SessionDep, SettingsDep
from api.routes.pathways import describe
from api.schemas import DeadlineIn, DecisionIn, ReasonIn
from api.screening import candidate_of, position_of, verdict_out
from api.services import (
    ApiError,
    act,
    create_hire,
    download,
    receive_upload,
    require_hire,
    require_own_hire,
)
from api.templating import environment
from api.web import calendar as calendar_feed
from api.web.forms import errors_by_field, hire_request, nested, screening_request
from api.web.session import (
    PageCaller,
    check_csrf,
    flash,
    page_context,
    sign_in,
    sign_out,
    team_name,
)
from contracts.hire import (
    DeadlineInput,
    DecisionInput,
    HireStatus,
    ItemActionInput,
    WithdrawInput,
)
from core.settings import Settings
from pathways import registry
from pathways.calendar import add_business_days, eastern_date, end_of
from pathways.cusma_professions import PROFESSIONS
from pathways.eligibility import screen_all
from store import dashboard
from store.queries import HireFilter, get_document, list_events, list_hires
from store.teams import find_key
from workflows.hire import HireWorkflow

router = APIRouter(include_in_schema=False)

HireId = Annotated[
    str, Path(pattern=r"^hire-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]
Key = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,60}$")]
CsrfField = Annotated[str, Form()]


def render(
    request: Request, settings: Settings, template: str, status: int = 200, **values: Any
) -> HTMLResponse:
    html = environment(settings.templates_dir, html=True).get_template(f"pages/{template}")
    return HTMLResponse(html.render(page_context(request, **values)), status_code=status)


def _now() -> datetime:
    return datetime.now(UTC)


def _back(hire_id: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/hires/{hire_id}" + (f"#{anchor}" if anchor else ""), status_code=303)


# ---- signing in ----


@router.get("/signin", response_class=HTMLResponse)
async def signin_page(request: Request, settings: SettingsDep, next: str = "/") -> HTMLResponse:
    return render(request, settings, "signin.html", next=_safe_next(next))


@router.post("/signin", response_model=None)
async def signin(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    csrf_token: CsrfField = "",
    api_key: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request, csrf_token)
    row = find_key(session, key=api_key.strip())
    if row is None:
        return render(
            request,
            settings,
            "signin.html",
            status=401,
            next=_safe_next(next),
            error="That key is unknown or revoked.",
        )
    sign_in(request, row)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/signout")
async def signout(request: Request, csrf_token: CsrfField = "") -> RedirectResponse:
    check_csrf(request, csrf_token)
    sign_out(request)
    return RedirectResponse("/signin", status_code=303)


def _safe_next(target: str) -> str:
    """Only a path on this site (no //host or scheme)."""
    return (
        target
        if target.startswith("/") and not target.startswith("//") and "\\" not in target
        else "/"
    )


# ---- today ----


@router.get("/", response_class=HTMLResponse)
async def today(
    request: Request, session: SessionDep, settings: SettingsDep, caller: PageCaller
) -> HTMLResponse:
    now = _now()
    today_on = eastern_date(now)
    horizon = end_of(add_business_days(today_on, 5))
    open_steps = dashboard.open_steps(session, team_id=caller.team_id)
    overdue = [o for o in open_steps if o.step.due_at and o.step.due_at < now]
    authority = [
        o for o in open_steps if o.step.owner in dashboard.AUTHORITIES and o not in overdue
    ]
    soon = [
        o
        for o in open_steps
        if o.step.due_at
        and now <= o.step.due_at <= horizon
        and o.step.owner not in dashboard.AUTHORITIES
    ]
    return render(
        request,
        settings,
        "today.html",
        team=team_name(session, caller),
        overdue=overdue,
        soon=soon,
        authority=authority,
        at_risk=dashboard.clocks_at_risk(session, team_id=caller.team_id),
        pipeline=dashboard.pipeline(session, team_id=caller.team_id),
        pathways={key: registry.current(key) for key in registry.keys()},
        today=today_on,
    )


# ---- the list ----


@router.get("/hires", response_class=HTMLResponse)
async def hires(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    caller: PageCaller,
    pathway: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=30)] = "",
    overdue: Annotated[str, Query(max_length=5)] = "",
    owner: Annotated[str, Query(max_length=320)] = "",
    sort: Annotated[str, Query(max_length=10)] = "next_due",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> HTMLResponse:
    now = _now()
    filters = HireFilter(
        pathway=pathway or None,
        status=status if status in {s.value for s in HireStatus} else None,
        overdue={"yes": True, "no": False}.get(overdue),
        owner=owner or None,
    )
    try:
        page = list_hires(
            session,
            team_id=caller.team_id,
            filters=filters,
            now=now,
            sort="created" if sort == "created" else "next_due",
            limit=25,
            cursor=cursor,
        )
    except ValueError:
        page = list_hires(session, team_id=caller.team_id, filters=filters, now=now, limit=25)
    query = {"pathway": pathway, "status": status, "overdue": overdue, "owner": owner, "sort": sort}
    return render(
        request,
        settings,
        "hires.html",
        team=team_name(session, caller),
        hires=[(h, views.summary(h, now)) for h in page.hires],
        next_cursor=page.next_cursor,
        query=query,
        statuses=[s.value for s in HireStatus],
        pathways={key: registry.current(key) for key in registry.keys()},
    )


# ---- a new hire ----


def _new_hire_page(
    request: Request, settings: Settings, session: Session, caller: Any, **values: Any
) -> HTMLResponse:
    return render(
        request,
        settings,
        "new_hire.html",
        team=team_name(session, caller),
        pathways={key: registry.current(key) for key in registry.keys()},
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
        return HTMLResponse(
            html.render(
                verdicts=verdicts, pathways={k: registry.current(k) for k in registry.keys()}
            )
        )
    return _new_hire_page(request, settings, session, caller, values=data, verdicts=verdicts)


def _verdicts(data: dict[str, Any]) -> list[Any] | None:
    screening = screening_request(data)
    if screening is None:
        return None
    return [
        verdict_out(v)
        for v in screen_all(
            candidate_of(screening.candidate), position_of(screening.position), eastern_date(_now())
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


# ---- one hire ----


@router.get("/hires/{hire_id}", response_class=HTMLResponse)
async def hire_page(
    request: Request,
    hire_id: HireId,
    session: SessionDep,
    settings: SettingsDep,
    caller: PageCaller,
) -> HTMLResponse:
    record = require_hire(session, caller, hire_id)
    now = _now()
    detail = views.detail(record, now)
    pathway = registry.version(record.hire.pathway, record.hire.rules_version)
    events = views.events(list_events(session, hire_id=hire_id), record, settings.templates_dir)
    return render(
        request,
        settings,
        "hire.html",
        team=team_name(session, caller),
        hire=detail,
        pathway=pathway,
        events=list(reversed(events)),
        timeline=_timeline(detail, now),
        today=eastern_date(now),
        active=detail.status == "active",
        tracking=detail.status == "permit_issued",
    )


def _timeline(detail: Any, now: datetime) -> dict[str, Any]:
    """Positions (0-1000) of each step's bar and deadline on one time axis, for the SVG."""
    start = detail.created_at
    ends = (
        [now]
        + [s.due_at for s in detail.steps if s.due_at]
        + [s.completed_at for s in detail.steps if s.completed_at]
    )
    end = max(ends) + timedelta(days=1)
    span = (end - start).total_seconds() or 1.0

    def x(when: datetime | None) -> float:
        return 0.0 if when is None else round(1000 * (when - start).total_seconds() / span, 1)

    rows = []
    for step in detail.steps:
        if step.opened_at is None:
            rows.append({"step": step, "bar": None, "due": None})
            continue
        finish = step.completed_at or now
        rows.append(
            {
                "step": step,
                "bar": (x(step.opened_at), max(x(finish) - x(step.opened_at), 2)),
                "due": x(step.due_at) if step.due_at else None,
            }
        )
    return {"rows": rows, "now": x(now), "start": start, "end": end}


async def _acted(
    request: Request,
    client: Any,
    session: Session,
    caller: Any,
    hire_id: str,
    update: Any,
    argument: Any,
    done: str,
    anchor: str,
) -> RedirectResponse:
    require_own_hire(session, caller, hire_id)
    try:
        await act(client, hire_id, update, argument)
        flash(request, done, "success")
    except ApiError as err:
        flash(request, err.detail, "error")
    return _back(hire_id, anchor)


@router.post("/hires/{hire_id}/documents")
async def upload(
    request: Request,
    hire_id: HireId,
    client: ClientDep,
    session: SessionDep,
    documents: DocumentsDep,
    caller: PageCaller,
    csrf_token: CsrfField = "",
    item: Annotated[str, Form(pattern=r"^[a-z0-9_]{1,60}$")] = "",
    file: Annotated[UploadFile | None, File()] = None,
    accept: Annotated[str, Form()] = "",
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    if file is None or not file.filename:
        flash(request, "Choose a file to upload.", "error")
        return _back(hire_id, f"item-{item}")
    try:
        await receive_upload(
            client=client, session=session, documents=documents, caller=caller,
            hire_id=hire_id, item=item, upload=file, accept=accept == "yes",
        )  # fmt: skip
        flash(
            request, "Document received" + (" and accepted." if accept == "yes" else "."), "success"
        )
    except ApiError as err:
        flash(request, err.detail, "error")
    return _back(hire_id, f"item-{item}")


@router.post("/hires/{hire_id}/items/{item}/{action}")
async def item_action(
    request: Request,
    hire_id: HireId,
    item: Key,
    action: Annotated[str, Path(pattern=r"^(accept|reject|waive)$")],
    client: ClientDep,
    session: SessionDep,
    caller: PageCaller,
    csrf_token: CsrfField = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    if action != "accept":
        try:
            ReasonIn(reason=reason)
        except ValueError:
            flash(request, "Give a reason.", "error")
            return _back(hire_id, f"item-{item}")
    update = {
        "accept": HireWorkflow.accept_item,
        "reject": HireWorkflow.reject_item,
        "waive": HireWorkflow.waive_item,
    }[action]
    done = {
        "accept": "Accepted.",
        "reject": "Rejected; the owner was asked again.",
        "waive": "Waived.",
    }[action]
    return await _acted(
        request,
        client,
        session,
        caller,
        hire_id,
        update,
        ItemActionInput(item, reason.strip(), caller.actor),
        done,
        f"item-{item}",
    )


@router.post("/hires/{hire_id}/steps/{step}/decision")
async def decision(
    request: Request,
    hire_id: HireId,
    step: Key,
    client: ClientDep,
    session: SessionDep,
    caller: PageCaller,
) -> RedirectResponse:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token", "")))
    fields = {
        k.removeprefix("field."): str(v)
        for k, v in form.multi_items()
        if k.startswith("field.") and str(v).strip()
    }
    try:
        body = DecisionIn(outcome=str(form.get("outcome", "")), fields=fields)
    except ValueError as err:
        flash(request, "; ".join(f"{k}: {v}" for k, v in errors_by_field(err).items()), "error")  # type: ignore[arg-type]
        return _back(hire_id, f"step-{step}")
    return await _acted(
        request,
        client,
        session,
        caller,
        hire_id,
        HireWorkflow.record_decision,
        DecisionInput(step, body.outcome, dict(body.fields), caller.actor),
        "Recorded.",
        f"step-{step}",
    )


@router.post("/hires/{hire_id}/steps/{step}/deadline")
async def deadline(
    request: Request,
    hire_id: HireId,
    step: Key,
    client: ClientDep,
    session: SessionDep,
    caller: PageCaller,
    csrf_token: CsrfField = "",
    due_on: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    try:
        body = DeadlineIn.model_validate({"due_on": due_on, "reason": reason})
    except ValueError as err:
        flash(request, "; ".join(f"{k}: {v}" for k, v in errors_by_field(err).items()), "error")  # type: ignore[arg-type]
        return _back(hire_id, f"step-{step}")
    return await _acted(
        request,
        client,
        session,
        caller,
        hire_id,
        HireWorkflow.change_deadline,
        DeadlineInput(step, body.due_on, body.reason, caller.actor),
        "Deadline moved.",
        f"step-{step}",
    )


@router.post("/hires/{hire_id}/withdraw")
async def withdraw(
    request: Request,
    hire_id: HireId,
    client: ClientDep,
    session: SessionDep,
    caller: PageCaller,
    csrf_token: CsrfField = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    if not reason.strip():
        flash(request, "Give a reason.", "error")
        return _back(hire_id, "withdraw")
    return await _acted(
        request,
        client,
        session,
        caller,
        hire_id,
        HireWorkflow.withdraw,
        WithdrawInput(reason.strip(), caller.actor),
        "Done.",
        "",
    )


@router.get("/hires/{hire_id}/documents/{document_id}")
async def document(
    hire_id: HireId,
    document_id: Annotated[str, Path(max_length=36)],
    session: SessionDep,
    documents: DocumentsDep,
    caller: PageCaller,
) -> StreamingResponse:
    found = get_document(session, team_id=caller.team_id, hire_id=hire_id, document_id=document_id)
    return download(documents, found, document_id)


# ---- pathways, outbox, calendar ----


@router.get("/pathways", response_class=HTMLResponse)
async def pathways_page(
    request: Request, settings: SettingsDep, caller: PageCaller, session: SessionDep
) -> HTMLResponse:
    return render(
        request,
        settings,
        "pathways.html",
        team=team_name(session, caller),
        pathways=[registry.current(k) for k in registry.keys()],
    )


@router.get("/pathways/{key}", response_class=HTMLResponse)
async def pathway_page(
    request: Request,
    key: Annotated[str, Path(max_length=20)],
    settings: SettingsDep,
    caller: PageCaller,
    session: SessionDep,
) -> HTMLResponse:
    try:
        pathway = registry.current(key)
    except registry.UnknownPathwayError:
        raise ApiError(404, f"no pathway {key!r}") from None
    return render(
        request,
        settings,
        "pathway.html",
        team=team_name(session, caller),
        pathway=pathway,
        plain=describe(pathway),
    )


@router.get("/outbox", response_class=HTMLResponse)
async def outbox(
    request: Request, session: SessionDep, settings: SettingsDep, caller: PageCaller
) -> HTMLResponse:
    """The emails about this team's hires, newest first (when mail goes to the outbox)."""
    messages: list[dict[str, Any]] = []
    if settings.mail_backend == "outbox" and settings.outbox.exists():
        team_hires = set(dashboard.team_hire_ids(session, team_id=caller.team_id))
        for path in sorted(settings.outbox.glob("*.eml"), reverse=True)[:500]:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            if message.get("X-Hirepath-Hire") not in team_hires:
                continue
            body = message.get_body(("plain",))
            messages.append(
                {
                    "subject": str(message["Subject"]),
                    "to": str(message["To"]),
                    "date": str(message["Date"]),
                    "kind": str(message.get("X-Hirepath-Kind", "")),
                    "hire": str(message.get("X-Hirepath-Hire")),
                    "text": body.get_content() if body else "",
                }
            )
    return render(
        request,
        settings,
        "outbox.html",
        team=team_name(session, caller),
        messages=messages,
        enabled=settings.mail_backend == "outbox",
    )


@router.get("/calendar", response_class=HTMLResponse)
async def calendar_page(
    request: Request, session: SessionDep, settings: SettingsDep, caller: PageCaller
) -> HTMLResponse:
    links = dashboard.active_calendar_tokens(session, team_id=caller.team_id)
    new_url = request.session.pop("calendar_url", None)
    return render(
        request,
        settings,
        "calendar.html",
        team=team_name(session, caller),
        links=links,
        new_url=new_url,
    )


@router.post("/calendar")
async def calendar_create(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    caller: PageCaller,
    csrf_token: CsrfField = "",
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    token = dashboard.create_calendar_token(session, team_id=caller.team_id)
    request.session["calendar_url"] = f"{settings.public_url}/calendar/{token}.ics"
    return RedirectResponse("/calendar", status_code=303)


@router.post("/calendar/revoke")
async def calendar_revoke(
    request: Request, session: SessionDep, caller: PageCaller, csrf_token: CsrfField = ""
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    count = dashboard.revoke_calendar_tokens(session, team_id=caller.team_id)
    flash(request, f"Revoked {count} calendar link{'s' if count != 1 else ''}.", "success")
    return RedirectResponse("/calendar", status_code=303)


@router.get("/calendar/{token}.ics")
async def calendar_ics(
    token: Annotated[str, Path(max_length=100)], session: SessionDep, settings: SettingsDep
) -> Response:
    """The team's open deadlines as iCalendar, for Outlook or Google Calendar."""
    team_id = dashboard.team_of_calendar_token(session, token=token)
    if team_id is None:
        raise ApiError(404, "no such calendar")
    body = calendar_feed.feed(
        dashboard.open_steps(session, team_id=team_id), settings.public_url, _now()
    )
    return Response(
        body, media_type="text/calendar; charset=utf-8", headers={"Cache-Control": "no-store"}
    )
