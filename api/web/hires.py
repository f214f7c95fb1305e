"""One hire's page with its timeline, HR's actions on it, and its documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, StreamingResponse

from api import bundle, presenters
from api.deps import (
    DocumentsDep,
    HireId,
    PageCaller,
    SessionDep,
    SettingsDep,
)
from api.hire_commands import (
    download,
    require_hire,
)
from api.schemas import HireDetail
from api.web.session import team_name
from api.web.shared import now, render
from contracts.hire import (
    HireStatus,
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
    active = detail.status == HireStatus.ACTIVE
    planned = presenters.plan(record, at) if active else None
    # the parts of the page that show an action's result next to them
    placed = {f"step-{s.key}" for s in detail.steps} | {f"item-{i.key}" for i in record.items}
    return render(
        request,
        settings,
        "hire.html",
        team=team_name(session, caller),
        hire=detail,
        pathway=pathway,
        events=list(reversed(events)),
        plan=planned,
        timeline=presenters.timeline(detail, at, planned),
        today=eastern_date(at),
        active=active,
        tracking=detail.status == HireStatus.PERMIT_ISSUED,
        permit=next(
            (s.fields["expires_on"] for s in record.steps if "expires_on" in s.fields), None
        ),
        placed=placed | {"details", "withdraw"},
        amendable=amendable(detail) if active else set(),
        cited=presenters.cited,
    )


MOVED_ON = {"received", "accepted", "rejected", "waived"}


def amendable(detail: HireDetail) -> set[str]:
    """The steps whose recorded decision may still be amended: no later step has moved on (a
    document or a decision recorded there). The hire's validator has the last word."""
    keys: set[str] = set()
    moved = False
    for step in reversed(detail.steps):
        recorded = bool(step.decision and step.decision.outcome)
        if recorded and not moved and step.status in ("open", "done"):
            keys.add(step.key)
        if step.status == "done" or recorded or any(i.status in MOVED_ON for i in step.items):
            moved = True
    return keys


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


@router.get("/hires/{hire_id}/bundle")
async def inspection_bundle(
    hire_id: HireId,
    session: SessionDep,
    documents: DocumentsDep,
    settings: SettingsDep,
    caller: PageCaller,
) -> StreamingResponse:
    """The hire's inspection bundle (ZIP), as GET /api/v1/hires/{id}/bundle gives it."""
    return await bundle.download(
        session=session,
        caller=caller,
        hire_id=hire_id,
        documents=documents,
        templates_dir=settings.templates_dir,
        now=now(),
    )
