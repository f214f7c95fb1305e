"""The pathway pages: each pathway's steps, checklists, deadlines, fees and sources."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from api.deps import PageCaller, SessionDep, SettingsDep
from api.errors import ApiError
from api.presenters import cited, describe, pathway_sources, step_sources
from api.web.session import team_name
from api.web.shared import render
from pathways import registry
from pathways.sources import without_domain_notes

router = APIRouter(include_in_schema=False)


@router.get("/pathways", response_class=HTMLResponse)
async def pathways_page(
    request: Request, settings: SettingsDep, caller: PageCaller, session: SessionDep
) -> HTMLResponse:
    return render(
        request,
        settings,
        "pathways.html",
        team=team_name(session, caller),
        pathways=[registry.current(k) for k in registry.keys()],
    )


@router.get("/pathways/{key}", response_class=HTMLResponse)
async def pathway_page(
    request: Request,
    key: Annotated[str, Path(max_length=20)],
    settings: SettingsDep,
    caller: PageCaller,
    session: SessionDep,
) -> HTMLResponse:
    try:
        pathway = registry.current(key)
    except registry.UnknownPathwayError:
        raise ApiError(404, f"no pathway {key!r}") from None
    return render(
        request,
        settings,
        "pathway.html",
        team=team_name(session, caller),
        pathway=pathway,
        plain=describe(pathway),
        sources=pathway_sources(pathway),
        cited=cited,
        step_sources=step_sources,
        unnoted=without_domain_notes,
    )
