"""The outbox page: every email sent about the team's hires, from the store, a page at a
time; with the outbox mailer (make run), each one's text too."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from activities.mailer import outbox_texts
from api.deps import PageCaller, SessionDep, SettingsDep
from api.web.session import team_name
from api.web.shared import render
from store.db import release
from store.notifications import team_emails
from store.queries import BadCursorError

router = APIRouter(include_in_schema=False)

PAGE = 50


@router.get("/outbox", response_class=HTMLResponse)
async def outbox(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    caller: PageCaller,
    before: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """The team's emails, newest first; ``before`` continues from an older page."""
    try:
        page = team_emails(session, team_id=caller.team_id, cursor=before, limit=PAGE)
    except BadCursorError:
        page = team_emails(session, team_id=caller.team_id, limit=PAGE)
    team = team_name(session, caller)
    release(session)
    texts: dict[str, str] = {}
    if settings.mail_backend == "outbox":
        ids = [e.notification.message_id for e in page.items if e.notification.message_id]
        texts = await asyncio.to_thread(outbox_texts, settings.outbox, ids)
    return render(
        request,
        settings,
        "outbox.html",
        team=team,
        emails=page.items,
        texts=texts,
        older=page.next_cursor,
        first_page=before is None,
    )
