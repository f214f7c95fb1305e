"""The outbox page: the emails about the team's hires, when mail goes to an outbox folder."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from activities.mailer import OutboxMessage, read_outbox
from api.deps import PageCaller, SessionDep, SettingsDep
from api.web.session import team_name
from api.web.shared import render
from store.worklist import team_hire_ids

router = APIRouter(include_in_schema=False)

NEWEST = 500  # the outbox files read, newest first


@router.get("/outbox", response_class=HTMLResponse)
async def outbox(
    request: Request, session: SessionDep, settings: SettingsDep, caller: PageCaller
) -> HTMLResponse:
    """The emails about this team's hires, newest first (when mail goes to the outbox)."""
    enabled = settings.mail_backend == "outbox"
    messages: list[OutboxMessage] = []
    if enabled and settings.outbox.exists():
        team_hires = set(team_hire_ids(session, team_id=caller.team_id))
        messages = read_outbox(settings.outbox, hires=team_hires, newest=NEWEST)
    return render(
        request,
        settings,
        "outbox.html",
        team=team_name(session, caller),
        messages=messages,
        enabled=enabled,
    )
