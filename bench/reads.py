"""4. Reads: the hires list (filtered, 50 a page, first and deep pages) and a hire's detail,
with 10,000 and 100,000 hires in the store, on SQLite and PostgreSQL, against a bare
SQLModel primary-key read served by the same app."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from sqlmodel import col, select

from bench.harness import REPEATS, Run, Stack, load, stack, summary, table
from store.db import make_engine, session_factory
from store.models import Hire, Team
from store.queries import encode_cursor
from testkit.postgres import server
from testkit.samples import hire_body

SIZES = (10_000, 100_000)
# latency as one HR person sees it (one request at a time), throughput with 8 at a time
LATENCY_REQUESTS, REQUESTS, CONCURRENCY = 60, 150, 8
OWN_STACK = True


def seed(stack_: Stack, upto: int) -> None:
    """Insert hires straight into the store (what many projections would have written)."""
    engine = make_engine(stack_.settings().database, pool_size=1)
    with session_factory(engine)() as session:
        team_id = session.exec(select(Team.id)).first()
        have = session.exec(select(sa.func.count()).select_from(Hire)).one()
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for i in range(have, upto):
        created = now - timedelta(minutes=i)
        rows.append({
            "id": f"hire-{uuid.uuid4()}", "team_id": team_id, "pathway": "gts", "category": "B",
            "rules_version": "gts-2025-11-20-r2", "status": "active" if i % 5 else "permit_issued",
            "candidate_name": f"Seeded {i}", "candidate_email": "seed@example.com", "candidate": {},
            "position_title": "Software engineer", "noc": "21231", "province": "ON", "position": {},
            "screening": {}, "hr_owner_name": "HR", "hr_owner_email": "hr@example.com", "manager_name": "M",
            "manager_email": "m@example.com", "current_step": "prepare_lmia", "steps_done": 0, "steps_total": 7,
            "next_due_at": created + timedelta(days=14), "next_due_step": "prepare_lmia", "request_hash": "",
            "created_at": created, "updated_at": created, "version": 1,
        })  # fmt: skip
    with engine.begin() as connection:
        for start in range(0, len(rows), 5000):
            connection.execute(sa.insert(Hire), rows[start : start + 5000])
    engine.dispose()


def deep_cursor(stack_: Stack, depth: float) -> str:
    engine = make_engine(stack_.settings().database, pool_size=1)
    with session_factory(engine)() as session:
        total = session.exec(
            select(sa.func.count()).select_from(Hire).where(Hire.status == "active")
        ).one()
        row = session.exec(
            select(Hire.created_at, Hire.id)
            .where(Hire.status == "active")
            .order_by(sa.desc(col(Hire.created_at)), sa.desc(col(Hire.id)))
            .offset(int(total * depth))
            .limit(1)
        ).one()
    engine.dispose()
    return encode_cursor([row[0], row[1]])


async def measure(stack_: Stack) -> dict[str, Any]:
    out: dict[str, Any] = {}
    async with httpx.AsyncClient(base_url=stack_.url, timeout=60) as client:
        created = await client.post(
            "/api/v1/hires", headers=stack_.headers, json=hire_body(name="Detailed")
        )
        detailed = created.json()["id"]
        for size in SIZES:
            seed(stack_, size)
            cursor = deep_cursor(stack_, 0.9)
            paths = {
                "list first page": "/api/v1/hires?status=active&pathway=gts&limit=50",
                "list deep page": f"/api/v1/hires?status=active&pathway=gts&limit=50&cursor={cursor}",
                "detail": f"/api/v1/hires/{detailed}",
                "bare pk read": f"/bench/bare/read/{detailed}",
            }
            for name, path in paths.items():

                async def get(i: int, path: str = path) -> bool:
                    return (await client.get(path, headers=stack_.headers)).status_code == 200

                await load(get, 10, 2)
                alone: list[Run] = [await load(get, LATENCY_REQUESTS, 1) for _ in range(REPEATS)]
                busy: list[Run] = [await load(get, REQUESTS, CONCURRENCY) for _ in range(REPEATS)]
                out[f"{size}/{name}"] = {
                    "p50_ms": summary([r.percentile(50) * 1000 for r in alone]),
                    "p95_ms": summary([r.percentile(95) * 1000 for r in alone]),
                    "rps": summary([r.rps for r in busy]),
                    "busy_p95_ms": summary([r.percentile(95) * 1000 for r in busy]),
                    "errors": sum(r.errors for r in alone + busy),
                }
    return out


async def run(_: Stack | None) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with stack() as sqlite:
        results["sqlite"] = await measure(sqlite)
    with server() as url, stack(database_url=url) as postgres:
        results["postgresql"] = await measure(postgres)
    return results


def report(results: dict[str, Any]) -> str:
    rows = []
    for store_name, by_case in results.items():
        for case, r in by_case.items():
            rows.append([store_name, case, f"{r['p50_ms']['median']:.1f}",
                         f"{r['p95_ms']['median']:.1f} ({r['p95_ms']['min']:.1f}-{r['p95_ms']['max']:.1f})",
                         f"{r['rps']['median']:.0f} ({r['rps']['min']:.0f}-{r['rps']['max']:.0f})",
                         f"{r['busy_p95_ms']['median']:.0f}", r["errors"]])  # fmt: skip
    return table(
        "4. Reads (target: list p95 < 25 ms at 100,000 hires on SQLite; a deep page costs what the first does)",
        ["store", "hires/case", "p50 ms", "p95 ms, one at a time", f"req/s, {CONCURRENCY} at a time", "p95 ms there", "errors"],
        rows,
    )  # fmt: skip
