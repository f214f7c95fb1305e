"""The team's calendar links (create, revoke) and the iCalendar feed they point to."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.deps import Caller, PageCaller, SessionDep, SettingsDep
from api.errors import ApiError
from api.web import ics_feed
from api.web.session import check_csrf, flash, team_name
from api.web.shared import CsrfField, now, render
from core.settings import Settings
from store import calendar_tokens, worklist

router = APIRouter(include_in_schema=False)


@router.get("/calendar", response_class=HTMLResponse)
async def calendar_page(
    request: Request, session: SessionDep, settings: SettingsDep, caller: PageCaller
) -> HTMLResponse:
    return _page(request, session, settings, caller)


@router.post("/calendar", response_class=HTMLResponse)
async def calendar_create(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    caller: PageCaller,
    csrf_token: CsrfField = "",
) -> HTMLResponse:
    """A new link, shown once on this answer: only its hash is kept, in the store, and it
    never goes into the cookie (reloading asks to post again, and makes another link)."""
    check_csrf(request, csrf_token)
    token = calendar_tokens.create_calendar_token(session, team_id=caller.team_id)
    session.commit()
    page = _page(
        request, session, settings, caller, new_url=f"{settings.public_url}/calendar/{token}.ics"
    )
    page.headers["Cache-Control"] = "no-store"
    return page


def _page(
    request: Request, session: Session, settings: Settings, caller: Caller, new_url: str = ""
) -> HTMLResponse:
    return render(
        request,
        settings,
        "calendar.html",
        team=team_name(session, caller),
        links=calendar_tokens.active_calendar_tokens(session, team_id=caller.team_id),
        new_url=new_url,
    )


@router.post("/calendar/revoke")
async def calendar_revoke(
    request: Request, session: SessionDep, caller: PageCaller, csrf_token: CsrfField = ""
) -> RedirectResponse:
    check_csrf(request, csrf_token)
    count = calendar_tokens.revoke_calendar_tokens(session, team_id=caller.team_id)
    session.commit()
    flash(request, f"Revoked {count} calendar link{'s' if count != 1 else ''}.", "success")
    return RedirectResponse("/calendar", status_code=303)


@router.get("/calendar/{token}.ics")
async def calendar_ics(
    token: Annotated[str, Path(max_length=100)], session: SessionDep, settings: SettingsDep
) -> Response:
    """The team's open deadlines as iCalendar, for Outlook or Google Calendar."""
    team_id = calendar_tokens.team_of_calendar_token(session, token=token)
    if team_id is None:
        raise ApiError(404, "no such calendar")
    body = ics_feed.feed(worklist.open_steps(session, team_id=team_id), settings.public_url, now())
    return Response(
        body, media_type="text/calendar; charset=utf-8", headers={"Cache-Control": "no-store"}
    )
