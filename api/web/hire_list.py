"""The hires list: filters, sorting and paging over the team's hires."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api import presenters
from api.deps import PageCaller, SessionDep, SettingsDep
from api.web.session import team_name
from api.web.shared import current_pathways, now, render
from contracts.hire import HireStatus
from store.queries import HireFilter, list_hires

router = APIRouter(include_in_schema=False)


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
    at = now()
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
            now=at,
            sort="created" if sort == "created" else "next_due",
            limit=25,
            cursor=cursor,
        )
    except ValueError:
        page = list_hires(session, team_id=caller.team_id, filters=filters, now=at, limit=25)
    query = {"pathway": pathway, "status": status, "overdue": overdue, "owner": owner, "sort": sort}
    return render(
        request,
        settings,
        "hires.html",
        team=team_name(session, caller),
        hires=[(h, presenters.summary(h, at)) for h in page.hires],
        next_cursor=page.next_cursor,
        query=query,
        statuses=[s.value for s in HireStatus],
        pathways=current_pathways(),
    )
