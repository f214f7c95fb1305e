"""Hires: start, list, read, and HR's actions on them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, Path, Query, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.types import DecoratedCallable
from sqlmodel import Session
from temporalio.client import Client

from api import presenters
from api.deps import (
    Caller,
    CallerDep,
    ClientDep,
    DocumentsDep,
    HireId,
    Key,
    SessionDep,
    SettingsDep,
)
from api.errors import ApiError
from api.hire_commands import (
    act,
    create_hire,
    download,
    receive_upload,
    require_hire,
    require_own_hire,
)
from api.schemas import (
    DeadlineIn,
    DecisionIn,
    EventPage,
    HireCreate,
    HireDetail,
    HirePage,
    OptionalReasonIn,
    ReasonIn,
    UploadOut,
)
from contracts.hire import (
    DeadlineInput,
    DecisionInput,
    HireStatus,
    ItemActionInput,
    WithdrawInput,
)
from pathways import registry
from store.queries import (
    BadCursorError,
    DueWindow,
    HireFilter,
    HireSort,
    PermitWindow,
    get_document,
    list_events,
    list_hires,
    owners_matching,
    step_choices,
)
from workflows.hire import HireWorkflow

router = APIRouter(prefix="/api/v1/hires", tags=["hires"])

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such hire, item or step for this team"},
    409: {"description": "Not possible now"},
}


def _now() -> datetime:
    return datetime.now(UTC)


def _detail(session: SessionDep, caller: CallerDep, hire_id: str) -> HireDetail:
    session.expire_all()
    return presenters.detail(require_hire(session, caller, hire_id), _now())


@dataclass(frozen=True)
class Acting:
    """What one of HR's actions needs: the Temporal client, a store session, the caller."""

    client: Client
    session: Session
    caller: Caller
    wait: timedelta

    async def act(self, hire_id: str, update: Any, argument: Any) -> HireDetail:
        """The caller's hire after the action (404 first if it is not theirs; 202 if it is
        accepted but not yet recorded)."""
        require_own_hire(self.session, self.caller, hire_id)
        await act(self.client, hire_id, update, argument, wait=self.wait)
        return _detail(self.session, self.caller, hire_id)


async def _acting(
    client: ClientDep, session: SessionDep, caller: CallerDep, settings: SettingsDep
) -> Acting:
    return Acting(client, session, caller, settings.action_wait)


ActingDep = Annotated[Acting, Depends(_acting)]


def _action(path: str) -> Callable[[DecoratedCallable], DecoratedCallable]:
    """An action's route: it answers the hire as it now is, or 404 or 409."""
    return router.post(path, response_model=HireDetail, responses=ERRORS)


@router.post(
    "",
    status_code=201,
    response_model=HireDetail,
    responses={
        200: {"model": HireDetail, "description": "An earlier request with this Idempotency-Key"}
    },
)
async def start_hire(
    body: HireCreate,
    client: ClientDep,
    session: SessionDep,
    settings: SettingsDep,
    caller: CallerDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    """Screen and start a hire; returns it once it is readable. A retried request with the
    same `Idempotency-Key` returns the first hire (200) instead of starting a second."""
    created = await create_hire(
        client=client,
        session=session,
        settings=settings,
        caller=caller,
        body=body,
        idempotency_key=idempotency_key,
    )
    detail = _detail(session, caller, created.hire_id)
    return JSONResponse(
        detail.model_dump(mode="json"),
        status_code=201 if created.is_new else 200,
        headers={"Location": f"/api/v1/hires/{created.hire_id}"},
    )


def _one_of(name: str, value: str | None, known: Iterable[str]) -> None:
    """A 422 naming the query value ``name`` when it is given and not one of ``known``."""
    choices = list(known)
    if value and value not in choices:
        message = f"no {name} is called '{value}'; expected one of: {', '.join(choices)}"
        raise ApiError(422, f"{name}: {message}", {name: message})


# The list's query, each value as the OpenAPI describes it.
NameQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Words of the candidate's name: each must be part of it; case, accents "
        "and punctuation are ignored (`jose` finds José, `obrien` O'Brien)",
    ),
]
PathwayQuery = Annotated[
    str | None, Query(max_length=20, description="A pathway's key: gts, cusma or ict")
]
StepQuery = Annotated[
    str | None,
    Query(
        max_length=60,
        description="The step the hire is at (its first open step), by key: "
        + ", ".join(f"`{key}`" for key in step_choices()),
    ),
]
DueQuery = Annotated[
    DueWindow | None,
    Query(
        description="Active hires by their next deadline, in Eastern days: `overdue`; `today` "
        "(due by the end of today); `next_5_business_days` (by the end of the fifth business "
        "day, as on Today); `next_30_days`. The windows after `overdue` leave overdue hires out."
    ),
]
PermitQuery = Annotated[
    PermitWindow | None,
    Query(
        description="Hires by their issued permit's expiry, in Eastern days: `expired` (before "
        "today); `within_30_days`, `within_90_days`, `within_120_days` (from today to that "
        "many days ahead); `any` (a permit was issued)"
    ),
]
OverdueQuery = Annotated[
    bool | None,
    Query(description="true: as `due=overdue`; false: no deadline passed (or none open)"),
]
OwnerQuery = Annotated[
    str | None, Query(max_length=320, description="The HR owner's email, in any case")
]
OwnerNameQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Words of the HR owner's name, each part of it (case and accents ignored)",
    ),
]
SortQuery = Annotated[
    HireSort,
    Query(
        description="`created`: newest first; `next_due`: soonest deadline first; "
        "`next_due_desc`: latest deadline first; `permit_expiry`: soonest expiry first. "
        "Hires without the sorted date come last."
    ),
]


@router.get(
    "", response_model=HirePage, responses={422: {"description": "A query value is not valid"}}
)
async def list_team_hires(
    session: SessionDep,
    caller: CallerDep,
    q: NameQuery = None,
    pathway: PathwayQuery = None,
    status: Annotated[HireStatus | None, Query(description="The hire's status")] = None,
    step: StepQuery = None,
    due: DueQuery = None,
    permit: PermitQuery = None,
    overdue: OverdueQuery = None,
    owner: OwnerQuery = None,
    owner_name: OwnerNameQuery = None,
    sort: SortQuery = HireSort.CREATED,
    limit: Annotated[int, Query(ge=1, le=200, description="Hires per page")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=500, description="`next_cursor` of the page before")
    ] = None,
) -> HirePage:
    """The team's hires that match every filter given, a page at a time: pass `next_cursor`
    back as `cursor` (with the same filters and sort) for the next page."""
    now = _now()
    _one_of("pathway", pathway, registry.keys())
    _one_of("step", step, step_choices())
    filters = HireFilter(
        pathway=pathway,
        status=status.value if status else None,
        overdue=overdue,
        owner=owner,
        owner_names=owners_matching(session, team_id=caller.team_id, name=owner_name)
        if owner_name and owner_name.strip()
        else None,
        name=q,
        step=step or None,
        due=due,
        permit=permit,
    )
    try:
        page = list_hires(
            session,
            team_id=caller.team_id,
            filters=filters,
            now=now,
            sort=sort,
            limit=limit,
            cursor=cursor,
        )
    except BadCursorError as err:
        raise ApiError(422, str(err), {"cursor": str(err)}) from err
    return HirePage(
        items=[presenters.summary(h, now) for h in page.hires], next_cursor=page.next_cursor
    )


@router.get("/{hire_id}", response_model=HireDetail, responses=ERRORS)
async def get_hire(hire_id: HireId, session: SessionDep, caller: CallerDep) -> HireDetail:
    """Steps with their deadlines and checklists, documents, decisions, SLA clocks, fees, progress."""
    return _detail(session, caller, hire_id)


@router.get("/{hire_id}/events", response_model=EventPage, responses=ERRORS)
async def get_events(
    hire_id: HireId,
    session: SessionDep,
    caller: CallerDep,
    settings: SettingsDep,
    after: Annotated[int, Query(ge=0, le=2**31 - 1, description="Only events after this seq")] = 0,
) -> EventPage:
    """The hire's timeline: who did what, when, and every email sent."""
    record = require_hire(session, caller, hire_id)
    rows = list_events(session, hire_id=hire_id, after=after)
    return EventPage(items=presenters.events(rows, record, settings.templates_dir))


@router.post(
    "/{hire_id}/documents",
    status_code=201,
    response_model=UploadOut,
    responses={
        **ERRORS,
        413: {"description": "File too large"},
        415: {"description": "Not a PDF, PNG or JPEG"},
    },
)
async def upload_document(
    hire_id: HireId,
    settings: SettingsDep,
    client: ClientDep,
    session: SessionDep,
    documents: DocumentsDep,
    caller: CallerDep,
    item: Annotated[
        str, Form(pattern=r"^[a-z0-9_]{1,60}$", description="The checklist item's key")
    ],
    file: Annotated[UploadFile, File(description="PDF, PNG or JPEG")],
    accept: Annotated[bool, Form(description="Also accept the item")] = False,
) -> UploadOut:
    """Store a document for a checklist item and mark the item received (or accepted)."""
    document_id = await receive_upload(
        client=client,
        session=session,
        documents=documents,
        caller=caller,
        hire_id=hire_id,
        item=item,
        upload=file,
        accept=accept,
        wait=settings.action_wait,
    )
    detail = _detail(session, caller, hire_id)
    document = next(
        d for s in detail.steps for i in s.items for d in i.documents if d.id == document_id
    )
    return UploadOut(document=document, hire=detail)


@router.get(
    "/{hire_id}/documents/{document_id}", responses=ERRORS, response_class=StreamingResponse
)
async def download_document(
    hire_id: HireId,
    document_id: Annotated[str, Path(max_length=36)],
    session: SessionDep,
    documents: DocumentsDep,
    caller: CallerDep,
) -> StreamingResponse:
    """The stored file, as an attachment with its checked type (decrypted as it streams)."""
    found = get_document(session, team_id=caller.team_id, hire_id=hire_id, document_id=document_id)
    return download(documents, found, document_id)


@_action("/{hire_id}/items/{item}/accept")
async def accept_item(
    hire_id: HireId, item: Key, acting: ActingDep, body: OptionalReasonIn | None = None
) -> HireDetail:
    """Accept a received document."""
    reason = body.reason if body else ""
    return await acting.act(
        hire_id, HireWorkflow.accept_item, ItemActionInput(item, reason, acting.caller.actor)
    )


@_action("/{hire_id}/items/{item}/reject")
async def reject_item(hire_id: HireId, item: Key, body: ReasonIn, acting: ActingDep) -> HireDetail:
    """Reject a document with a reason; its owner is emailed and asked again."""
    return await acting.act(
        hire_id, HireWorkflow.reject_item, ItemActionInput(item, body.reason, acting.caller.actor)
    )


@_action("/{hire_id}/items/{item}/waive")
async def waive_item(hire_id: HireId, item: Key, body: ReasonIn, acting: ActingDep) -> HireDetail:
    """Waive an item that does not apply, with a reason."""
    return await acting.act(
        hire_id, HireWorkflow.waive_item, ItemActionInput(item, body.reason, acting.caller.actor)
    )


@_action("/{hire_id}/steps/{step}/decision")
async def record_decision(
    hire_id: HireId, step: Key, body: DecisionIn, acting: ActingDep
) -> HireDetail:
    """Record a step's outcome and its fields (GET /api/v1/pathways lists them)."""
    decided = DecisionInput(step, body.outcome, dict(body.fields), acting.caller.actor)
    return await acting.act(hire_id, HireWorkflow.record_decision, decided)


@_action("/{hire_id}/steps/{step}/deadline")
async def change_deadline(
    hire_id: HireId, step: Key, body: DeadlineIn, acting: ActingDep
) -> HireDetail:
    """Move an open step's deadline; its reminders follow."""
    moved = DeadlineInput(step, body.due_on, body.reason, acting.caller.actor)
    return await acting.act(hire_id, HireWorkflow.change_deadline, moved)


@_action("/{hire_id}/withdraw")
async def withdraw(hire_id: HireId, body: ReasonIn, acting: ActingDep) -> HireDetail:
    """End the hire as withdrawn; no more reminders."""
    return await acting.act(
        hire_id, HireWorkflow.withdraw, WithdrawInput(body.reason, acting.caller.actor)
    )
