"""9. Reports: each report's query at 100,000 hires (with their steps, about 600,000) of one
team, on SQLite and PostgreSQL, straight against the store (no server): what /reports and
each CSV cost beyond rendering. make bench only=reports"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from bench.harness import table
from pathways import registry
from pathways.calendar import eastern_date, eastern_instant
from pathways.model import AUTHORITIES
from store import reports
from store.db import make_engine, session_factory, session_scope
from store.migrate import upgrade
from store.models import Hire, HireStep
from store.teams import create_team
from testkit.postgres import server

HIRES = 100_000
RUNS = 5  # each query timed this many times; the median is reported
OWN_STACK = True
PATHWAYS = ("gts", "gts", "cusma", "ict")  # half GTS
DAYS_BY_OWNER = {"esdc": (6, 16), "ircc": (5, 20), "cbsa": (1, 40)}  # else 1-10 days


def _hire(team_id: str, i: int, now: datetime, rng: random.Random) -> tuple[dict[str, Any], list[dict[str, Any]]]:  # fmt: skip
    """One hire created in the last two years and its steps, done one after the other up to
    today (the last one open), the permit issued when every step is done."""
    pathway = registry.current(PATHWAYS[i % len(PATHWAYS)])
    created = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
    hire_id, at, steps = f"hire-{uuid.uuid4()}", created, []
    for n, step in enumerate(pathway.steps):
        low, high = DAYS_BY_OWNER.get(step.owner.value, (1, 10))
        done = at + timedelta(hours=rng.uniform(low * 24, high * 24))
        due = eastern_date(at) + timedelta(days=14)
        steps.append({
            "hire_id": hire_id, "key": step.key, "ordinal": n, "title": step.title,
            "owner": step.owner.value, "status": "done" if done < now else "open",
            "service_standard": step.owner in AUTHORITIES, "deadline_note": "",
            "decision_outcomes": [], "opened_at": at, "due_on": due, "due_at": None,
            "deadline_changed": False, "completed_at": done if done < now else None,
            "outcome": "", "fields": {}, "decided_by": "",
        })  # fmt: skip
        if done >= now:
            break
        at = done
    issued = steps[-1]["status"] == "done"
    hire: dict[str, Any] = {
        "id": hire_id, "team_id": team_id, "pathway": pathway.key, "category": "",
        "rules_version": pathway.version, "status": "permit_issued" if issued else "active",
        "candidate_name": f"Seeded {i}", "search_name": "", "candidate_email": "seed@example.com",
        "candidate": {}, "position_title": "Software engineer", "noc": "21231", "province": "ON",
        "position": {}, "screening": {}, "hr_owner_name": "HR", "hr_owner_email": "hr@example.com",
        "manager_name": "M", "manager_email": "m@example.com", "current_step": "", "steps_done": 0,
        "steps_total": len(pathway.steps), "next_due_at": None, "next_due_step": "",
        "permit_expires_on": (eastern_date(at) + timedelta(days=rng.randrange(365, 3 * 365))) if issued else None,
        "request_hash": "", "created_at": created, "updated_at": at,
        "closed_at": at if issued else None, "version": 1, "run_id": "",
    }  # fmt: skip
    return hire, steps


def seed(engine: sa.Engine, team_id: str, count: int) -> int:
    """``count`` hires and their steps, inserted in batches; the number of steps."""
    rng, now = random.Random(15), datetime.now(UTC)
    steps_total, batch_hires, batch_steps = 0, [], []
    for i in range(count):
        hire, steps = _hire(team_id, i, now, rng)
        batch_hires.append(hire)
        batch_steps += steps
        if len(batch_hires) == 5000 or i == count - 1:
            with engine.begin() as connection:
                connection.execute(sa.insert(Hire), batch_hires)
                connection.execute(sa.insert(HireStep), batch_steps)
            steps_total += len(batch_steps)
            batch_hires, batch_steps = [], []
    return steps_total


def queries(team_id: str) -> dict[str, Callable[[Session], object]]:
    today = eastern_date(datetime.now(UTC))
    past, ahead = reports.months_to(today), reports.months_from(today)
    since = eastern_instant(past[0], datetime.min.time())
    return {
        "hires per month": lambda s: reports.hires_per_month(s, team_id=team_id, months=past),
        "time in each step": lambda s: reports.step_times(s, team_id=team_id, since=since),
        "on time per month": lambda s: reports.on_time_per_month(s, team_id=team_id, months=past),
        "expiries per month": lambda s: reports.expiries_per_month(s, team_id=team_id, months=ahead),
    }  # fmt: skip


def measure(url: str) -> dict[str, Any]:
    upgrade(url)
    engine = make_engine(url, pool_size=1)
    with session_scope(session_factory(engine)) as session:
        team_id = create_team(session, name="Bench team").id
    began = time.monotonic()
    steps = seed(engine, team_id, HIRES)
    out: dict[str, Any] = {"hires": HIRES, "steps": steps, "seed_s": time.monotonic() - began}
    timed: dict[str, list[float]] = {}
    for name, query in queries(team_id).items():
        for _ in range(RUNS + 1):  # the first run warms the caches and is not counted
            with session_factory(engine)() as session:
                took = time.perf_counter()
                query(session)
                timed.setdefault(name, []).append((time.perf_counter() - took) * 1000)
    for name, runs in timed.items():
        counted = runs[1:]
        out[name] = {"median_ms": statistics.median(counted), "min_ms": min(counted), "max_ms": max(counted)}  # fmt: skip
    out["whole page"] = {"median_ms": sum(out[n]["median_ms"] for n in timed)}
    engine.dispose()
    return out


@contextmanager
def sqlite_file() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="hirepath-bench-reports-") as directory:
        yield f"sqlite:///{directory}/reports.db"


async def run(_: object) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with sqlite_file() as url:
        results["sqlite"] = measure(url)
    with server() as url:
        results["postgresql"] = measure(url)
    return results


def report(results: dict[str, Any]) -> str:
    rows = []
    for store_name, r in results.items():
        for name, value in r.items():
            if isinstance(value, dict):
                spread = (
                    f" ({value['min_ms']:.0f}-{value['max_ms']:.0f})" if "min_ms" in value else ""
                )
                rows.append([store_name, name, f"{value['median_ms']:.0f}{spread}"])
        rows.append([store_name, f"(seeded {r['hires']:,} hires, {r['steps']:,} steps)", f"{r['seed_s']:.0f} s"])  # fmt: skip
    return table(
        f"9. Reports at {HIRES:,} hires of one team (median of {RUNS} runs after a warm-up; target < 1 s each on SQLite)",
        ["store", "report", "ms median (min-max)"],
        rows,
    )  # fmt: skip
