"""The reports page: four charts of the team's hires drawn on the server, each with its
numbers as a table and as a CSV file (/reports/<name>.csv)."""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.charts import Chart, Series, bar_chart
from api.deps import PageCaller, SessionDep, SettingsDep
from api.web.hire_list import FORMULA_STARTS
from api.web.session import team_name
from api.web.shared import current_pathways, now, render
from pathways.calendar import eastern_date, eastern_instant
from store import reports

router = APIRouter(include_in_schema=False)

AUTHORITY_NAMES = {"esdc": "ESDC", "ircc": "IRCC", "cbsa": "CBSA"}


def month_label(month: date) -> str:
    return month.strftime("%b %Y")


def short_month(month: date) -> str:
    return month.strftime("%b") if month.month != 1 else month.strftime("%b %y")


@dataclass(frozen=True)
class Reports:
    """Every report's rows for one team, as of ``today`` (Eastern)."""

    today: date
    hires: list[reports.HiresMonth]
    steps: list[reports.StepTime]
    on_time: list[reports.OnTimeMonth]
    expiries: list[tuple[date, int]]


def gather(session: Session, team_id: str, at: datetime) -> Reports:
    today = eastern_date(at)
    past, ahead = reports.months_to(today), reports.months_from(today)
    since = eastern_instant(past[0], datetime.min.time())
    return Reports(
        today=today,
        hires=reports.hires_per_month(session, team_id=team_id, months=past),
        steps=reports.step_times(session, team_id=team_id, since=since),
        on_time=reports.on_time_per_month(session, team_id=team_id, months=past),
        expiries=reports.expiries_per_month(session, team_id=team_id, months=ahead),
    )


def step_rows(data: Reports) -> list[dict[str, Any]]:
    """Per pathway (in the registry's order), its steps in the order they run, with a bar
    scale shared by the pathway's steps: ``scale`` days fill the bar."""
    out = []
    for key, pathway in current_pathways().items():
        times = {t.step: t for t in data.steps if t.pathway == key}
        if not times:
            continue
        order = [s.key for s in pathway.steps] + sorted(
            times.keys() - {s.key for s in pathway.steps}
        )
        titles = {s.key: s.title for s in pathway.steps}
        rows = [(titles.get(k, k), times[k]) for k in order if k in times]
        scale = max(t.p90_days for _, t in rows) or 1
        out.append({"key": key, "title": pathway.title, "rows": rows, "scale": scale})
    return out


def charts(data: Reports) -> dict[str, Chart]:
    labels = [short_month(m.month) for m in data.hires]
    names = {k: p.title for k, p in current_pathways().items()}

    def per_pathway(field: str) -> list[Series]:
        return [
            Series(k, names[k], [float(getattr(m, field).get(k, 0)) for m in data.hires])
            for k in names
        ]

    authorities = [
        a for a in ("esdc", "ircc", "cbsa") if any(m.decided.get(a) for m in data.on_time)
    ]
    rates = [
        Series(a, AUTHORITY_NAMES[a], [round(100 * (m.rate(a) or 0), 1) for m in data.on_time])
        for a in authorities or ["esdc", "ircc"]
    ]
    return {
        "started": bar_chart(labels, per_pathway("started")),
        "issued": bar_chart(labels, per_pathway("issued")),
        "on_time": bar_chart(labels, rates, top=100, unit="%"),
        "expiries": bar_chart(
            [short_month(m) for m, _ in data.expiries],
            [Series("expiring", "Permits expiring", [float(n) for _, n in data.expiries])],
        ),
    }


@router.get("/reports", response_class=HTMLResponse)
async def reports_page(
    request: Request, session: SessionDep, settings: SettingsDep, caller: PageCaller
) -> HTMLResponse:
    data = await asyncio.to_thread(gather, session, caller.team_id, now())
    return render(
        request,
        settings,
        "reports.html",
        team=team_name(session, caller),
        data=data,
        charts=charts(data),
        steps=step_rows(data),
        pathways=current_pathways(),
        authorities=AUTHORITY_NAMES,
        month_label=month_label,
    )


# ---- the CSV behind each chart ----


def hires_csv(data: Reports) -> list[list[str]]:
    names = {k: p.title for k, p in current_pathways().items()}
    rows = [["Month", "Pathway", "Hires started", "Permits issued"]]
    for m in data.hires:
        for key, title in names.items():
            rows.append(
                [
                    m.month.strftime("%Y-%m"),
                    title,
                    str(m.started.get(key, 0)),
                    str(m.issued.get(key, 0)),
                ]
            )
    return rows


def steps_csv(data: Reports) -> list[list[str]]:
    rows = [["Pathway", "Step", "Steps done", "Median days", "90th percentile days"]]
    for pathway in step_rows(data):
        for title, t in pathway["rows"]:
            rows.append(
                [pathway["title"], title, str(t.done), f"{t.median_days:.1f}", f"{t.p90_days:.1f}"]
            )
    return rows


def on_time_csv(data: Reports) -> list[list[str]]:
    rows = [["Month", "Authority", "Decisions", "On time", "On-time rate %"]]
    for m in data.on_time:
        for key, name in AUTHORITY_NAMES.items():
            decided = m.decided.get(key, 0)
            rate = m.rate(key)
            rows.append([m.month.strftime("%Y-%m"), name, str(decided), str(m.on_time.get(key, 0)),
                         "" if rate is None else f"{100 * rate:.1f}"])  # fmt: skip
    return rows


def expiries_csv(data: Reports) -> list[list[str]]:
    return [["Month", "Permits expiring"]] + [
        [m.strftime("%Y-%m"), str(n)] for m, n in data.expiries
    ]


CSVS = {
    "hires": hires_csv,
    "step-times": steps_csv,
    "on-time": on_time_csv,
    "expiries": expiries_csv,
}


@router.get("/reports/{name}.csv")
async def report_csv(name: str, session: SessionDep, caller: PageCaller) -> Response:
    """One report's numbers for a spreadsheet: UTF-8 with a byte-order mark, one row a month
    (and pathway, step or authority), cells that look like formulas kept as text."""
    make = CSVS.get(name)
    if make is None:
        raise HTTPException(404, "No such report")
    at = now()
    data = await asyncio.to_thread(gather, session, caller.team_id, at)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in make(data):
        writer.writerow(["'" + v if v.startswith(FORMULA_STARTS) else v for v in row])
    filename = f"{name}-{eastern_date(at).isoformat()}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
