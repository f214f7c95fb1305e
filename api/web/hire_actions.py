"""HR's actions on a hire from its page, corrections included. Each is a workflow update;
the page comes back at the part acted on, with the result (or why not) shown there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlmodel import Session
from temporalio.client import Client

from api.corrections import AmendIn, DetailsEdit
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
from api.hire_commands import act, receive_upload, require_own_hire
from api.schemas import DeadlineIn, DecisionIn, ReasonIn
from api.web.forms import validated_or_flash
from api.web.session import check_csrf, flash
from api.web.shared import CsrfField, back
from contracts.hire import (
    DeadlineInput,
    DecisionInput,
    ItemActionInput,
    StepStatus,
    WithdrawInput,
)
from store.queries import get_item
from workflows.hire import HireWorkflow

router = APIRouter(include_in_schema=False)
Model = TypeVar("Model", bound=BaseModel)

ITEM_ACTIONS = {  # the update, and what the page then says
    "accept": (HireWorkflow.accept_item, "Accepted."),
    "reject": (HireWorkflow.reject_item, "Rejected; the owner was asked again."),
    "waive": (HireWorkflow.waive_item, "Waived."),
    "undo": (HireWorkflow.undo_item, "Undone."),
}


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
        """Back to the hire after the action, at ``anchor``, with what happened (or why not)
        shown there; an item whose step the action finished is shown at its step."""
        require_own_hire(self.session, self.caller, hire_id)
        try:
            await act(self.client, hire_id, update, argument, wait=self.wait)
        except ApiError as err:
            kind = "success" if err.status < 300 else "error"
            return self.said(hire_id, err.detail, kind, self.landing(hire_id, anchor)[0])
        anchor, finished = self.landing(hire_id, anchor)
        return self.said(
            hire_id, f"{done} “{finished}” is done." if finished else done, "success", anchor
        )

    def said(self, hire_id: str, message: str, kind: str, anchor: str) -> Response:
        flash(self.request, message, kind, anchor)
        return back(hire_id, anchor)

    def landing(self, hire_id: str, anchor: str) -> tuple[str, str]:
        """Where the page shows a result: the item, or its step (and the step's title) once
        the step is no longer open, where the item is folded away."""
        if not anchor.startswith("item-"):
            return anchor, ""
        self.session.expire_all()
        found = get_item(self.session, hire_id=hire_id, item_key=anchor.removeprefix("item-"))
        if found is None or found[1].status == StepStatus.OPEN:
            return anchor, ""
        step = found[1]
        return f"step-{step.key}", step.title if step.status == StepStatus.DONE else ""


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
    check_csrf(acting.request, csrf_token)
    anchor = f"item-{item}"
    if file is None or not file.filename:
        return acting.said(hire_id, "Choose a file to upload.", "error", anchor)
    try:
        await receive_upload(
            client=acting.client, session=acting.session, documents=documents,
            caller=acting.caller, hire_id=hire_id, item=item, upload=file, accept=accept == "yes",
            wait=acting.wait,
        )  # fmt: skip
    except ApiError as err:
        return acting.said(hire_id, err.detail, "error", acting.landing(hire_id, anchor)[0])
    done = "Document received" + (" and accepted." if accept == "yes" else ".")
    anchor, finished = acting.landing(hire_id, anchor)
    done += f" “{finished}” is done." if finished else ""
    return acting.said(hire_id, done, "success", anchor)


@router.post("/hires/{hire_id}/items/{item}/{action}")
async def item_action(
    hire_id: HireId,
    item: Key,
    action: Annotated[str, Path(pattern=r"^(accept|reject|waive|undo)$")],
    acting: ActingDep,
    csrf_token: CsrfField = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(acting.request, csrf_token)
    anchor = f"item-{item}"
    if action in ("reject", "waive"):
        try:
            ReasonIn(reason=reason)
        except ValueError:
            why = "Say why you reject it" if action == "reject" else "Say why it does not apply"
            why += ", in at most 2,000 characters." if reason.strip() else "."
            return acting.said(hire_id, why, "error", anchor)
    update, done = ITEM_ACTIONS[action]
    acted = ItemActionInput(item, reason.strip(), acting.caller.actor)
    return await acting.act(hire_id, update, acted, done, anchor)


async def _posted(
    acting: Acting,
    model: type[Model],
    read: Callable[[Any], dict[str, Any]],
    hire_id: str,
    anchor: str,
) -> Model | RedirectResponse:
    """A form posted to the hire's page, checked (its token, then ``model``): the model, or
    the way back to ``anchor`` with the problems said there."""
    form = await acting.request.form()
    check_csrf(acting.request, str(form.get("csrf_token", "")))
    return validated_or_flash(acting.request, model, read(form), hire_id, anchor)


def _decision_data(form: Any) -> dict[str, Any]:
    fields = {
        k.removeprefix("field."): str(v)
        for k, v in form.multi_items()
        if k.startswith("field.") and str(v).strip()
    }
    data: dict[str, Any] = {"outcome": str(form.get("outcome", "")), "fields": fields}
    if "reason" in form:  # an amendment's
        data["reason"] = str(form.get("reason", ""))
    return data


@router.post("/hires/{hire_id}/steps/{step}/decision")
async def decision(hire_id: HireId, step: Key, acting: ActingDep) -> Response:
    body = await _posted(acting, DecisionIn, _decision_data, hire_id, f"step-{step}")
    if isinstance(body, RedirectResponse):
        return body
    decided = DecisionInput(step, body.outcome, dict(body.fields), acting.caller.actor)
    update = HireWorkflow.record_decision
    return await acting.act(hire_id, update, decided, "Recorded.", f"step-{step}")


@router.post("/hires/{hire_id}/steps/{step}/amend")
async def amend(hire_id: HireId, step: Key, acting: ActingDep) -> Response:
    body = await _posted(acting, AmendIn, _decision_data, hire_id, f"step-{step}")
    if isinstance(body, RedirectResponse):
        return body
    amended = body.as_input(step, acting.caller.actor)
    done = "Decision amended; deadlines counted from it follow."
    return await acting.act(hire_id, HireWorkflow.amend_decision, amended, done, f"step-{step}")


@router.post("/hires/{hire_id}/steps/{step}/deadline")
async def deadline(
    hire_id: HireId,
    step: Key,
    acting: ActingDep,
    csrf_token: CsrfField = "",
    due_on: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(acting.request, csrf_token)
    data = {"due_on": due_on, "reason": reason}
    body = validated_or_flash(acting.request, DeadlineIn, data, hire_id, f"step-{step}")
    if isinstance(body, RedirectResponse):
        return body
    moved = DeadlineInput(step, body.due_on, body.reason, acting.caller.actor)
    update = HireWorkflow.change_deadline
    return await acting.act(hire_id, update, moved, "Deadline moved.", f"step-{step}")


DETAIL_FIELDS = {
    "candidate": ("name", "email", "phone", "preferred_language"),
    "hr_owner": ("name", "email"),
    "manager": ("name", "email"),
}


def _details_data(form: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for part, names in DETAIL_FIELDS.items():
        for name in names:
            value = str(form.get(f"{part}.{name}", "")).strip()
            if value or name in ("phone", "preferred_language"):  # these may be cleared
                data.setdefault(part, {})[name] = value
    for name in ("start_date", "reason"):
        if value := str(form.get(name, "")).strip():
            data[name] = value
    return data


@router.post("/hires/{hire_id}/details")
async def details(hire_id: HireId, acting: ActingDep) -> Response:
    """The details form holds every value; the hire records only those that changed."""
    body = await _posted(acting, DetailsEdit, _details_data, hire_id, "details")
    if isinstance(body, RedirectResponse):
        return body
    edit = body.as_input(acting.caller.actor)
    done = "Details saved; the timeline shows the old and new values."
    return await acting.act(hire_id, HireWorkflow.edit_details, edit, done, "details")


@router.post("/hires/{hire_id}/withdraw")
async def withdraw(
    hire_id: HireId,
    acting: ActingDep,
    csrf_token: CsrfField = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(acting.request, csrf_token)
    try:
        ReasonIn(reason=reason)
    except ValueError:
        why = "Say why, in at most 2,000 characters."
        return acting.said(hire_id, why, "error", "withdraw")
    withdrawn = WithdrawInput(reason.strip(), acting.caller.actor)
    done = "Closed: hirepath sends no more reminders for this hire."
    return await acting.act(hire_id, HireWorkflow.withdraw, withdrawn, done, "")
