"""One hire's page with its timeline, HR's actions on it, and its documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlmodel import Session
from temporalio.client import Client

from api import presenters
from api.deps import (
    Caller,
    ClientDep,
    DocumentsDep,
    HireId,
    Key,
    PageCaller,
    SessionDep,
    SettingsDep,
)
from api.errors import ApiError
from api.hire_commands import (
    act,
    download,
    receive_upload,
    require_hire,
    require_own_hire,
)
from api.schemas import DeadlineIn, DecisionIn, ReasonIn
from api.web.forms import validated_or_flash
from api.web.session import check_csrf, flash, team_name
from api.web.shared import CsrfField, back, now, render
from contracts.hire import (
    DeadlineInput,
    DecisionInput,
    HireStatus,
    ItemActionInput,
    WithdrawInput,
)
from pathways import registry
from pathways.calendar import eastern_date
from store.queries import get_document, list_events
from workflows.hire import HireWorkflow

router = APIRouter(include_in_schema=False)

ITEM_ACTIONS = {  # the update, and what the page then says
    "accept": (HireWorkflow.accept_item, "Accepted."),
    "reject": (HireWorkflow.reject_item, "Rejected; the owner was asked again."),
    "waive": (HireWorkflow.waive_item, "Waived."),
}


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
    at = now()
    detail = presenters.detail(record, at)
    pathway = registry.version(record.hire.pathway, record.hire.rules_version)
    events = presenters.events(
        list_events(session, hire_id=hire_id), record, settings.templates_dir
    )
    return render(
        request,
        settings,
        "hire.html",
        team=team_name(session, caller),
        hire=detail,
        pathway=pathway,
        events=list(reversed(events)),
        timeline=presenters.timeline(detail, at),
        today=eastern_date(at),
        active=detail.status == HireStatus.ACTIVE,
        tracking=detail.status == HireStatus.PERMIT_ISSUED,
    )


# ---- HR's actions on a hire ----


@dataclass(frozen=True)
class Acting:
    """Who acts on a hire from a page, and with what (one dependency for every action)."""

    request: Request
    client: Client
    session: Session
    caller: Caller
    wait: timedelta

    async def act(
        self, hire_id: str, update: Any, argument: Any, done: str, anchor: str
    ) -> Response:
        """Back to the hire after the action, with what happened (or why not) flashed."""
        require_own_hire(self.session, self.caller, hire_id)
        try:
            await act(self.client, hire_id, update, argument, wait=self.wait)
            flash(self.request, done, "success")
        except ApiError as err:
            flash(self.request, err.detail.capitalize(), "success" if err.status < 300 else "error")
        return back(hire_id, anchor)


def _acting(
    request: Request,
    client: ClientDep,
    session: SessionDep,
    caller: PageCaller,
    settings: SettingsDep,
) -> Acting:
    return Acting(request, client, session, caller, settings.action_wait)


ActingDep = Annotated[Acting, Depends(_acting)]


@router.post("/hires/{hire_id}/documents")
async def upload(
    hire_id: HireId,
    acting: ActingDep,
    documents: DocumentsDep,
    csrf_token: CsrfField = "",
    item: Annotated[str, Form(pattern=r"^[a-z0-9_]{1,60}$")] = "",
    file: Annotated[UploadFile | None, File()] = None,
    accept: Annotated[str, Form()] = "",
) -> Response:
    request = acting.request
    check_csrf(request, csrf_token)
    if file is None or not file.filename:
        flash(request, "Choose a file to upload.", "error")
        return back(hire_id, f"item-{item}")
    try:
        await receive_upload(
            client=acting.client, session=acting.session, documents=documents,
            caller=acting.caller, hire_id=hire_id, item=item, upload=file, accept=accept == "yes",
            wait=acting.wait,
        )  # fmt: skip
        flash(
            request, "Document received" + (" and accepted." if accept == "yes" else "."), "success"
        )
    except ApiError as err:
        flash(request, err.detail, "error")
    return back(hire_id, f"item-{item}")


@router.post("/hires/{hire_id}/items/{item}/{action}")
async def item_action(
    hire_id: HireId,
    item: Key,
    action: Annotated[str, Path(pattern=r"^(accept|reject|waive)$")],
    acting: ActingDep,
    csrf_token: CsrfField = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(acting.request, csrf_token)
    if action != "accept":
        try:
            ReasonIn(reason=reason)
        except ValueError:
            flash(acting.request, "Give a reason.", "error")
            return back(hire_id, f"item-{item}")
    update, done = ITEM_ACTIONS[action]
    acted = ItemActionInput(item, reason.strip(), acting.caller.actor)
    return await acting.act(hire_id, update, acted, done, f"item-{item}")


@router.post("/hires/{hire_id}/steps/{step}/decision")
async def decision(hire_id: HireId, step: Key, acting: ActingDep) -> Response:
    form = await acting.request.form()
    check_csrf(acting.request, str(form.get("csrf_token", "")))
    fields = {
        k.removeprefix("field."): str(v)
        for k, v in form.multi_items()
        if k.startswith("field.") and str(v).strip()
    }
    data = {"outcome": str(form.get("outcome", "")), "fields": fields}
    body = validated_or_flash(acting.request, DecisionIn, data, hire_id, f"step-{step}")
    if isinstance(body, RedirectResponse):
        return body
    decided = DecisionInput(step, body.outcome, dict(body.fields), acting.caller.actor)
    update = HireWorkflow.record_decision
    return await acting.act(hire_id, update, decided, "Recorded.", f"step-{step}")


@router.post("/hires/{hire_id}/steps/{step}/deadline")
async def deadline(
    hire_id: HireId,
    step: Key,
    acting: ActingDep,
    csrf_token: CsrfField = "",
    due_on: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(acting.request, csrf_token)
    data = {"due_on": due_on, "reason": reason}
    body = validated_or_flash(acting.request, DeadlineIn, data, hire_id, f"step-{step}")
    if isinstance(body, RedirectResponse):
        return body
    moved = DeadlineInput(step, body.due_on, body.reason, acting.caller.actor)
    update = HireWorkflow.change_deadline
    return await acting.act(hire_id, update, moved, "Deadline moved.", f"step-{step}")


@router.post("/hires/{hire_id}/withdraw")
async def withdraw(
    hire_id: HireId,
    acting: ActingDep,
    csrf_token: CsrfField = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    check_csrf(acting.request, csrf_token)
    if not reason.strip():
        flash(acting.request, "Give a reason.", "error")
        return back(hire_id, "withdraw")
    withdrawn = WithdrawInput(reason.strip(), acting.caller.actor)
    return await acting.act(hire_id, HireWorkflow.withdraw, withdrawn, "Done.", "")


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
