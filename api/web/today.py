"""The Today page: what is overdue, due soon or awaited from an authority; clocks at risk;
the pipeline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import PageCaller, SessionDep, SettingsDep
from api.web.session import team_name
from api.web.shared import current_pathways, now, render
from pathways.calendar import add_business_days, eastern_date, end_of
from store import worklist

router = APIRouter(include_in_schema=False)

HORIZON_BUSINESS_DAYS = 5  # "due soon": by the end of the fifth business day from today


@router.get("/", response_class=HTMLResponse)
async def today(
    request: Request, session: SessionDep, settings: SettingsDep, caller: PageCaller
) -> HTMLResponse:
    at = now()
    today_on = eastern_date(at)
    horizon = end_of(add_business_days(today_on, HORIZON_BUSINESS_DAYS))
    work = worklist.worklist(worklist.open_steps(session, team_id=caller.team_id), at, horizon)
    return render(
        request,
        settings,
        "today.html",
        team=team_name(session, caller),
        overdue=work.overdue,
        soon=work.soon,
        authority=work.authority,
        at_risk=worklist.clocks_at_risk(session, team_id=caller.team_id),
        pipeline=worklist.pipeline(session, team_id=caller.team_id),
        pathways=current_pathways(),
        today=today_on,
    )
