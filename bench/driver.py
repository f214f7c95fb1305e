"""Driving hires through the API as fast as a generic client can (the whole-hire and CPU
benchmarks), and the same number of updates on bare workflows."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from testkit.api_client import next_outcome, pathway, sample_fields
from testkit.samples import PDF, hire_body

# A GTS Category B hire in Ontario, as the generic client drives it: the updates per step.
GTS_UPDATES_PER_STEP = [8, 3, 1, 2, 7, 1, 1]  # = 23 updates over 7 steps


_DEFINITIONS: dict[str, dict[str, Any]] = {}  # GET /api/v1/pathways/<key>, once per run


async def _steps(client: httpx.AsyncClient, pathway_key: str) -> dict[str, Any]:
    if pathway_key not in _DEFINITIONS:
        _DEFINITIONS[pathway_key] = await pathway(client, pathway_key)
    return {s["key"]: s for s in _DEFINITIONS[pathway_key]["steps"]}


async def drive_hire(client: httpx.AsyncClient, headers: dict[str, str], name: str) -> int:
    """Start a GTS hire and take it to an issued permit the way the generic client
    does (testkit/api_client.py: its outcome choice and field values), reading each step from
    the action's response instead of fetching the hire again; returns the actions taken."""
    started = await client.post("/api/v1/hires", headers=headers, json=hire_body(name=name))
    _check(started)
    hire = started.json()
    url, actions = f"/api/v1/hires/{hire['id']}", 0
    steps = await _steps(client, hire["pathway"])
    while hire["status"] == "active":
        step = next(s for s in hire["steps"] if s["status"] == "open")
        for item in step["items"]:
            if item["required"] and item["status"] not in ("accepted", "waived"):
                response = await client.post(
                    f"{url}/documents", headers=headers, data={"item": item["key"], "accept": "true"},
                    files={"file": ("d.pdf", PDF, "application/pdf")},
                )  # fmt: skip
                _check(response)
                hire, actions = response.json()["hire"], actions + 1
        if step["decision"] and not step["decision"]["outcome"]:
            outcome = next_outcome(steps[step["key"]]["decision"], step["decision"]["outcomes"])
            response = await client.post(
                f"{url}/steps/{step['key']}/decision", headers=headers,
                json={"outcome": outcome["key"], "fields": sample_fields(outcome)},
            )  # fmt: skip
            _check(response)
            hire, actions = response.json(), actions + 1
    return actions


class ActionFailed(Exception):
    pass


def _check(response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise ActionFailed(f"{response.request.method} {response.request.url.path}: "
                           f"{response.status_code} {response.text[:300]}")  # fmt: skip


async def drive_bare(client: httpx.AsyncClient) -> int:
    """A bare workflow with the same steps (one timer each), updates and activities."""
    started = await client.post(
        "/bench/bare/hires",
        json={"plan": GTS_UPDATES_PER_STEP, "timer_seconds": 30 * 24 * 3600},
    )
    bare_id = started.json()["id"]
    for _ in range(sum(GTS_UPDATES_PER_STEP)):
        _check(await client.post(f"/bench/bare/hires/{bare_id}/act"))
    return sum(GTS_UPDATES_PER_STEP)


ERRORS: list[str] = []  # what failed, for the report (a benchmark with errors says so)


async def many(coroutine: Any, count: int, concurrency: int) -> float:
    """Run ``coroutine(i)`` for ``count`` hires, ``concurrency`` at a time; wall seconds.
    A hire that fails is counted in ERRORS (and printed once), not retried."""
    semaphore = asyncio.Semaphore(concurrency)
    began = asyncio.get_running_loop().time()

    async def one(i: int) -> None:
        async with semaphore:
            try:
                await coroutine(i)
            except (ActionFailed, httpx.HTTPError) as err:
                if not ERRORS:
                    print(f"  first error: {err}", flush=True)
                ERRORS.append(str(err))

    await asyncio.gather(*(one(i) for i in range(count)))
    return asyncio.get_running_loop().time() - began
