"""Hire commands, for the routes and the pages: start hires, forward HR's actions to their
workflows, take and hand out their documents.

The API never writes a hire's state: it starts the workflow, sends updates and
reads the projection. A rejected update comes back as an :class:`ApiError`
naming the field or rule, and has changed nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from fastapi import UploadFile
from fastapi.responses import StreamingResponse
from sqlmodel import Session
from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
    WorkflowUpdateStage,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from api.deps import Caller
from api.eligibility_io import (
    CategoryError,
    candidate_of,
    fields_not_met,
    position_of,
    resolve_category,
    screen_hire,
    screening_of,
)
from api.errors import ApiError
from api.schemas import HireCreate
from contracts.errors import CONFLICT, INVALID, NOT_FOUND, TOO_MANY
from contracts.hire import (
    ActionResult,
    Candidate,
    DocumentRef,
    HireInput,
    OpenHireInput,
    OpenHireResult,
    Override,
    Person,
    Position,
    ReceiveDocumentInput,
    StepStatus,
    Update,
    workflow_id,
)
from core.settings import Settings
from pathways import registry
from pathways.calendar import eastern_date
from pathways.eligibility import Status, Verdict
from store.db import release
from store.files import (
    DocumentFiles,
    EmptyFileError,
    TooLargeError,
    UnsupportedTypeError,
    display_name,
)
from store.models import Document
from store.queries import HireRecord, get_hire, get_hire_record, get_item
from workflows import search
from workflows.hire import HireWorkflow
from workflows.registry import workflow_for

# Idempotency keys map to hire IDs by a name-based UUID within the team.
IDEMPOTENCY_NAMESPACE = uuid.UUID("6f3b1c1e-8f4c-4b0e-9a7e-2f6f1d2b9a51")

_STATUS_OF = {NOT_FOUND: 404, CONFLICT: 409, INVALID: 422, TOO_MANY: 429}


@dataclass(frozen=True)
class Created:
    hire_id: str
    is_new: bool  # False: an earlier request with the same Idempotency-Key made it


def request_hash(body: HireCreate) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def create_hire(
    *,
    client: Client,
    session: Session,
    settings: Settings,
    caller: Caller,
    body: HireCreate,
    idempotency_key: str | None,
) -> Created:
    """Screen the hire and start its workflow; return once the hire is readable. A repeated
    Idempotency-Key returns the hire it started (or refuses, if the body differs)."""
    digest = request_hash(body)
    hire_id = _hire_id(caller, idempotency_key)
    if idempotency_key is not None:
        existing = get_hire(session, team_id=caller.team_id, hire_id=hire_id)
        if existing is not None:
            return _repeat(existing.request_hash, digest, hire_id)
    today = eastern_date(datetime.now(UTC))
    candidate, position = candidate_of(body.candidate), position_of(body.position)
    category, verdict, override = _screen_or_refuse(body, candidate, position, today)
    pathway = registry.current(body.pathway, today)
    hire_input = HireInput(
        hire_id=hire_id,
        team_id=caller.team_id,
        pathway=pathway.key,
        rules_version=pathway.version,
        category=category,
        candidate=candidate,
        position=position,
        hr_owner=Person(body.hr_owner.name, str(body.hr_owner.email)),
        manager=Person(body.manager.name, str(body.manager.email)),
        request_hash=digest,
        max_actions_per_hour=settings.max_actions_per_hire_per_hour,
        search_attributes=settings.search_attributes,
        actor=caller.actor,
        override=override,
        screening=screening_of(verdict),
    )
    release(session)
    return await _start(client, session, settings, hire_input)


def _hire_id(caller: Caller, idempotency_key: str | None) -> str:
    """A new hire's ID: derived from the team and the Idempotency-Key (so a retry finds the
    same hire), or random without one."""
    if idempotency_key is None:
        return workflow_id(str(uuid.uuid4()))
    key = idempotency_key.strip()
    if not 1 <= len(key) <= 200:
        raise ApiError(
            422, "Idempotency-Key must be 1 to 200 characters", {"Idempotency-Key": "length"}
        )
    return workflow_id(str(uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{caller.team_id}\n{key}")))


def _screen_or_refuse(
    body: HireCreate, candidate: Candidate, position: Position, today: date
) -> tuple[str, Verdict, Override | None]:
    """The hire's category and verdict; a hire that is not eligible starts only with an
    override (its justification, and the reasons it overrides)."""
    try:
        category = resolve_category(body)
    except CategoryError as err:
        raise ApiError(422, f"{err.field}: {err}", {err.field: str(err)}) from None
    verdict = screen_hire(body, candidate, position, category, today)
    if verdict.status != Status.NOT_ELIGIBLE:
        return category, verdict, None
    if body.override is None:
        raise ApiError(
            422,
            "not eligible: "
            + " ".join(verdict.reasons_not_met)
            + " (to start it anyway, send an override with a justification)",
            fields_not_met(verdict),
        )
    return category, verdict, Override(body.override.justification, list(verdict.reasons_not_met))


async def _start(
    client: Client, session: Session, settings: Settings, hire_input: HireInput
) -> Created:
    """Start the hire's workflow with an update that returns once the hire is readable."""
    hire_id, digest = hire_input.hire_id, hire_input.request_hash
    request_id = str(uuid.uuid4())
    start = WithStartWorkflowOperation(
        workflow_for(hire_input.pathway).run,  # type: ignore[attr-defined]
        hire_input,
        id=hire_id,
        task_queue=settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        task_timeout=HIRE_TASK_TIMEOUT,  # kept by its continue-as-new runs
        search_attributes=search.at_start(hire_input.pathway)
        if hire_input.search_attributes
        else None,
    )
    try:
        opened = await client.execute_update_with_start_workflow(
            Update.AWAIT_READABLE,
            OpenHireInput(request_id),
            start_workflow_operation=start,
            result_type=OpenHireResult,
            rpc_timeout=START_WAIT,
        )
    except WorkflowAlreadyStartedError:
        # Closed with this ID: the store has it (it was projected before closing).
        session.expire_all()
        existing = get_hire(session, team_id=hire_input.team_id, hire_id=hire_id)
        if existing is None:
            raise ApiError(
                409, "this Idempotency-Key belongs to a hire that can no longer be read"
            ) from None
        return _repeat(existing.request_hash, digest, hire_id)
    except WorkflowUpdateRPCTimeoutOrCancelledError as err:
        raise ApiError(
            503, "the hire did not answer in time; repeat the request with the same Idempotency-Key"
        ) from err
    except RPCError as err:
        raise ApiError(503, f"Temporal did not start the hire: {err.message}") from err
    if opened.request_hash != digest:
        raise _key_reused()
    return Created(hire_id=hire_id, is_new=opened.created_by_request == request_id)


def _repeat(stored_hash: str, digest: str, hire_id: str) -> Created:
    if stored_hash != digest:
        raise _key_reused()
    return Created(hire_id=hire_id, is_new=False)


def _key_reused() -> ApiError:
    return ApiError(
        422,
        "Idempotency-Key was already used for a different request; use a new key for a new hire",
        {"Idempotency-Key": "already used with a different body"},
    )


def require_own_hire(session: Session, caller: Caller, hire_id: str) -> None:
    """404 unless the hire is the caller's (one row read), before an action on it; ends
    the read so no connection is held while the caller then waits on Temporal."""
    found = get_hire(session, team_id=caller.team_id, hire_id=hire_id)
    release(session)
    if found is None:
        raise ApiError(404, f"no hire {hire_id!r}")


def require_hire(session: Session, caller: Caller, hire_id: str) -> HireRecord:
    """The caller's hire, or 404 (another team's hire is indistinguishable from none).

    Ends the read so no connection is held while the caller then waits on Temporal."""
    record = get_hire_record(session, team_id=caller.team_id, hire_id=hire_id)
    release(session)
    if record is None:
        raise ApiError(404, f"no hire {hire_id!r}")
    return record


# Every call to Temporal has a deadline. An action is answered once the hire accepted it
# and recorded it; if recording is slow (the store in trouble), the API says so (202) instead
# of waiting: the action stands, and the hire shows it once it is recorded.
ACCEPT_WAIT = timedelta(seconds=10)  # for the hire's validator to accept or refuse
# A workflow task a dead worker had started is handed on after this (Temporal's default is
# 10 s, the whole ACCEPT_WAIT: an action on a hire whose worker died mid-task was answered
# 503). Above the local projection's 4 s limit, which the SDK heartbeats past anyway.
HIRE_TASK_TIMEOUT = timedelta(seconds=5)
START_WAIT = timedelta(seconds=20)  # for a new hire to be started and readable


async def act(
    client: Client,
    hire_id: str,
    update: Any,
    argument: Any,
    *,
    wait: timedelta = timedelta(seconds=10),
) -> ActionResult:
    """Send one of HR's actions as an update and wait up to ``wait`` for it to be recorded;
    map a refusal to its HTTP status, and slow recording to 202 (accepted)."""
    handle = client.get_workflow_handle(hire_id)
    with _refusals():
        started = await handle.start_update(
            update, argument, wait_for_stage=WorkflowUpdateStage.ACCEPTED, rpc_timeout=ACCEPT_WAIT
        )
    with _refusals(accepted=True, hire_id=hire_id):
        result: ActionResult = await started.result(rpc_timeout=wait)
    return result


@contextmanager
def _refusals(*, accepted: bool = False, hire_id: str = "") -> Iterator[None]:
    """Temporal's answers as the API's: a refusal with its status, a timeout as 503 (not
    accepted: nothing changed) or 202 (accepted, not yet recorded)."""
    try:
        yield
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        if isinstance(cause, ApplicationError):
            fields = (
                cause.details[0] if cause.details and isinstance(cause.details[0], dict) else {}
            )
            raise ApiError(_STATUS_OF.get(cause.type or "", 409), cause.message, fields) from err
        raise ApiError(409, str(cause or err)) from err
    except WorkflowUpdateRPCTimeoutOrCancelledError as err:
        if accepted:
            raise ApiError(
                202,
                "accepted; it is being recorded and shows on the hire in a moment",
                headers={"Location": f"/api/v1/hires/{hire_id}"},
            ) from err
        raise ApiError(503, "the hire did not answer in time; check it, then try again") from err
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND or "already completed" in err.message:
            raise ApiError(409, "the hire has ended; it takes no more actions") from err
        raise ApiError(503, f"Temporal did not take the action: {err.message}") from err


async def _chunks(upload: UploadFile, size: int = 1024 * 1024) -> AsyncIterator[bytes]:
    while chunk := await upload.read(size):
        yield chunk


async def receive_upload(
    *,
    client: Client,
    session: Session,
    documents: DocumentFiles,
    caller: Caller,
    hire_id: str,
    item: str,
    upload: UploadFile,
    accept: bool,
    wait: timedelta = timedelta(seconds=10),
) -> str:
    """Store an uploaded document for a checklist item and tell the hire; returns its id.

    The hire, the item and its open step are checked (one store read) before anything is
    written; the file is written under a temporary name and takes its final one only once
    the hire accepted it (a refusal deletes it), so no file is left that no row names."""
    require_own_hire(session, caller, hire_id)
    found = get_item(session, hire_id=hire_id, item_key=item)
    if found is None:
        raise ApiError(404, "This hire has no such document or item.", {"item": "unknown"})
    row, step = found
    if step.status != StepStatus.OPEN:
        how = "not open yet" if step.status == StepStatus.PENDING else f"{step.status}, not open"
        raise ApiError(
            409,
            f"“{row.title}” belongs to “{step.title}”, which is {how}.",
            {"item": "not open"},
        )
    release(session)
    document_id = str(uuid.uuid4())
    try:
        pending = await documents.save(_chunks(upload), document_id)
    except TooLargeError as err:
        raise ApiError(413, f"file: {err}", {"file": "too large"}) from err
    except UnsupportedTypeError as err:
        raise ApiError(415, f"file: {err}", {"file": "unsupported type"}) from err
    except EmptyFileError as err:
        raise ApiError(422, f"file: {err}", {"file": "empty"}) from err
    stored = pending.stored
    ref = DocumentRef(
        id=document_id,
        sha256=stored.sha256,
        filename=display_name(upload.filename),
        content_type=stored.content_type,
        size=stored.size,
        uploaded_at=datetime.now(UTC),
        uploaded_by=caller.actor,
    )
    try:
        await act(
            client,
            hire_id,
            HireWorkflow.receive_document,
            ReceiveDocumentInput(item, ref, accept, caller.actor),
            wait=wait,
        )
    except ApiError as err:
        if err.status == 202:  # accepted, still being recorded: the file is the hire's
            await asyncio.to_thread(documents.keep, pending)
            raise
        if err.status < 500:  # refused: no row will name it
            await asyncio.to_thread(documents.discard, pending)
        # Otherwise the hire may yet take it: `hirepath documents collect` moves it into
        # place if a row names it, and deletes it if none does.
        raise
    await asyncio.to_thread(documents.keep, pending)
    return ref.id


def download(
    documents: DocumentFiles, document: Document | None, document_id: str
) -> StreamingResponse:
    """A stored document, decrypted as it streams, as an attachment with its checked type."""
    path = documents.locate(document.sha256) if document is not None else None
    if document is None or path is None:
        raise ApiError(404, "This hire has no such document.", {"document_id": "unknown"})
    return StreamingResponse(
        documents.sealer.open_stream(path),
        media_type=document.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
