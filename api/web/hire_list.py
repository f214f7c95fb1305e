"""The hires list: search, filters, sorting and paging over the team's hires, and the same
list as a CSV file. Every filter is in the URL (a GET form), so a list can be bookmarked,
shared and paged; values the page does not know are ignored, never an error."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api import presenters
from api.deps import PageCaller, SessionDep, SettingsDep
from api.templating import environment
from api.web.session import team_name
from api.web.shared import current_pathways, now, render
from contracts.hire import HireStatus
from core.settings import Settings
from pathways.calendar import eastern_date
from store.models import Hire
from store.queries import (
    DueWindow,
    HireFilter,
    HireSort,
    Owner,
    PermitWindow,
    all_hires,
    count_hires,
    list_hires,
    step_choices,
    team_owners,
)

router = APIRouter(include_in_schema=False)

PAGE = 25
DEFAULT_SORT = HireSort.NEXT_DUE.value
# what a spreadsheet would run as a formula at the start of a cell (OWASP's list)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ListQuery:
    """The list's filters as the URL gives them, each one known or blank."""

    q: str = ""
    pathway: str = ""
    status: str = ""
    step: str = ""
    due: str = ""
    permit: str = ""
    owner: str = ""
    sort: str = DEFAULT_SORT

    def params(self) -> dict[str, str]:
        """The query string's values: only those set (the default sort left out)."""
        values = {k: v for k, v in asdict(self).items() if v}
        if values.get("sort") == DEFAULT_SORT:
            del values["sort"]
        return values

    def filters(self) -> HireFilter:
        return HireFilter(
            pathway=self.pathway or None,
            status=self.status or None,
            owner=self.owner or None,
            name=self.q or None,
            step=self.step or None,
            due=DueWindow(self.due) if self.due else None,
            permit=PermitWindow(self.permit) if self.permit else None,
        )


def _known(value: str, choices: Any) -> str:
    return value if value in choices else ""


def list_query(
    q: str = "",
    pathway: str = "",
    status: str = "",
    step: str = "",
    due: str = "",
    permit: str = "",
    owner: str = "",
    overdue: str = "",
    sort: str = DEFAULT_SORT,
) -> ListQuery:
    """The URL's filters, with what the page does not know dropped (``overdue=yes``, from
    older links, is ``due=overdue``)."""
    if overdue == "yes" and not due:
        due = DueWindow.OVERDUE.value
    return ListQuery(
        q=" ".join(q.split())[:200],
        pathway=_known(pathway, current_pathways()),
        status=_known(status, {s.value for s in HireStatus}),
        step=_known(step, step_choices()),
        due=_known(due, {d.value for d in DueWindow}),
        permit=_known(permit, {p.value for p in PermitWindow}),
        owner=owner.strip().lower()[:320] if "@" in owner else "",
        sort=_known(sort, {s.value for s in HireSort}) or DEFAULT_SORT,
    )


ListQueryDep = Annotated[ListQuery, Depends(list_query)]


def _page(
    session: Session, team_id: str, query: ListQuery, at: datetime, cursor: str | None
) -> tuple[list[Hire], str | None]:
    """One page of the list; a cursor the page does not know starts from the first."""
    filters = query.filters()
    try:
        page = list_hires(
            session,
            team_id=team_id,
            filters=filters,
            now=at,
            sort=query.sort,
            limit=PAGE,
            cursor=cursor,
        )
    except ValueError:
        page = list_hires(
            session, team_id=team_id, filters=filters, now=at, sort=query.sort, limit=PAGE
        )
    return page.hires, page.next_cursor


def _url(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _owner_choices(owners: list[Owner], chosen: str) -> list[tuple[str, str]]:
    """(email, label) per HR owner, by name; the email too where two share a name, and the
    chosen one kept even when no hire has it any more."""
    names = [o.name for o in owners]
    choices = [
        (o.email, o.name if names.count(o.name) == 1 else f"{o.name} ({o.email})") for o in owners
    ]
    if chosen and chosen not in {o.email for o in owners}:
        choices.append((chosen, chosen))
    return choices


@router.get("/hires", response_class=HTMLResponse)
async def hires(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    caller: PageCaller,
    query: ListQueryDep,
    cursor: str | None = None,
) -> HTMLResponse:
    at = now()
    rows, next_cursor = _page(session, caller.team_id, query, at, cursor)
    params = query.params()
    return render(
        request,
        settings,
        "hires.html",
        team=team_name(session, caller),
        hires=[(h, presenters.summary(h, at)) for h in rows],
        total=count_hires(session, team_id=caller.team_id, filters=query.filters(), now=at),
        query=query,
        filtered=bool(params.keys() - {"sort"}),
        paged=cursor is not None,
        first_url=_url("/hires", params),
        next_url=_url("/hires", {**params, "cursor": next_cursor}) if next_cursor else "",
        csv_url=_url("/hires.csv", params),
        statuses=[s.value for s in HireStatus],
        pathways=current_pathways(),
        steps=step_choices(),
        owners=_owner_choices(team_owners(session, team_id=caller.team_id), query.owner),
    )


@router.get("/hires.csv")
async def hires_csv(
    session: SessionDep, settings: SettingsDep, caller: PageCaller, query: ListQueryDep
) -> Response:
    """Every hire the list's filters let through (all pages), in its order, for a
    spreadsheet: UTF-8 with a byte-order mark (so Excel reads accents), one row a hire."""
    at = now()

    def export() -> str:  # a big team's list takes a while: off the event loop
        hires = all_hires(
            session, team_id=caller.team_id, filters=query.filters(), now=at, sort=query.sort
        )
        return "\ufeff" + _csv_text(hires, settings, at)

    body = await asyncio.to_thread(export)
    filename = f"hires-{eastern_date(at).isoformat()}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


CSV_COLUMNS = (
    "Candidate",
    "Position",
    "Pathway",
    "Category",
    "Status",
    "Current step",
    "Next due date",
    "Next due step",
    "HR owner",
    "HR owner's email",
    "Permit expires",
    "Link",
)


def _csv_text(hires: Iterable[Hire], settings: Settings, at: datetime) -> str:
    labels = environment(settings.templates_dir, html=False).get_template("_labels.j2").module
    pathways, steps = current_pathways(), step_choices()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for hire in hires:
        summary = presenters.summary(hire, at)
        pathway = pathways.get(hire.pathway)
        row = (
            hire.candidate_name,
            hire.position_title,
            pathway.title if pathway else hire.pathway,
            hire.category,
            str(labels.status(hire.status)),  # type: ignore[attr-defined]
            steps.get(hire.current_step, hire.current_step),
            summary.next_due_on.isoformat() if summary.next_due_on else "",
            steps.get(hire.next_due_step, hire.next_due_step),
            hire.hr_owner_name,
            hire.hr_owner_email,
            hire.permit_expires_on.isoformat() if hire.permit_expires_on else "",
            f"{settings.public_url}/hires/{hire.id}",
        )
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
