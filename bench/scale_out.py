"""8. Scale-out: whole GTS hires with one worker process, then with two on the same task
queue, side by side in one run (alternating within each repetition), on PostgreSQL. SQLite
allows one writer at a time: two workers on it take turns at the store rather than work
side by side, so this runs only on PostgreSQL.

Not in the default `make bench` (it would take the default run past 15 minutes):
`make bench only=scale_out`, about 6 minutes here."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.driver import ERRORS, drive_hire, many
from bench.harness import REPEATS, ROOT, Stack, cpu_seconds, stack, summary, table
from testkit.postgres import server

OWN_STACK = True
NAMED_ONLY = True  # runs when named: make bench only=scale_out
HIRES, CONCURRENCY = 50, 16
API_PROCESSES = 2  # uvicorn workers, in both arms: the comparison is of workers only
WORKER_COUNTS = (1, 2)


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot, from /proc/stat."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


@dataclass
class Workers:
    """The stack's worker (python -m bench.worker) and, when asked, a second one beside it
    on the same task queue, store and Temporal."""

    stack: Stack
    second: subprocess.Popen[bytes] | None = None

    def count(self, n: int) -> None:
        if n == 2 and self.second is None:
            log = (self.stack.data_dir / "worker-2.log").open("ab")
            self.second = subprocess.Popen(
                [sys.executable, "-m", "bench.worker"], env={**self.stack.env, **self.stack.worker_env},
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            time.sleep(3)  # imported, connected and polling
        elif n == 1 and self.second is not None:
            self.second.terminate()
            self.second.wait(timeout=30)
            self.second = None

    def pids(self) -> list[int]:
        first = [self.stack.processes["worker"].pid]
        return first + ([self.second.pid] if self.second is not None else [])


async def run(_: Stack | None) -> dict[str, Any]:
    per_arm: dict[int, dict[str, list[float]]] = {
        n: {"per_min": [], "cpu_per_hire": [], "second_share": [], "busy": []}
        for n in WORKER_COUNTS
    }
    errors_before = len(ERRORS)
    with server() as url, stack(database_url=url, api_workers=API_PROCESSES) as running:
        workers = Workers(running)
        limits = httpx.Limits(max_connections=CONCURRENCY * 2)
        try:
            async with httpx.AsyncClient(
                base_url=running.url, timeout=300, limits=limits
            ) as client:
                await many(lambda i: drive_hire(client, running.headers, f"Warm {i}"), 4, 4)
                for rep in range(REPEATS):
                    for n in WORKER_COUNTS:
                        workers.count(n)
                        pids = workers.pids()
                        cpu = [cpu_seconds(p) for p in pids]
                        ticks = machine_ticks()
                        wall = await many(
                            lambda i, n=n, rep=rep: drive_hire(
                                client, running.headers, f"Scale {n} {rep} {i}"
                            ),
                            HIRES,
                            CONCURRENCY,
                        )
                        used = [cpu_seconds(p) - c for p, c in zip(pids, cpu, strict=True)]
                        busy, total = (a - b for a, b in zip(machine_ticks(), ticks, strict=True))
                        arm = per_arm[n]
                        arm["per_min"].append(HIRES / wall * 60)
                        arm["cpu_per_hire"].append(sum(used) / HIRES)
                        arm["second_share"].append(used[-1] / sum(used) if n == 2 else 0.0)
                        arm["busy"].append(busy / total if total else 0.0)
        finally:
            workers.count(1)
    results: dict[str, Any] = {
        f"workers_{n}": {key: summary(values) for key, values in arm.items()}
        for n, arm in per_arm.items()
    }
    results["ratio"] = (
        results["workers_2"]["per_min"]["median"] / results["workers_1"]["per_min"]["median"]
    )
    results["hires"], results["concurrency"], results["repeats"] = HIRES, CONCURRENCY, REPEATS
    results["errors"] = len(ERRORS) - errors_before
    return results


def report(results: dict[str, Any]) -> str:
    def spread(s: dict[str, float], scale: float = 1, digits: int = 1) -> str:
        return f"{s['median'] * scale:.{digits}f} ({s['min'] * scale:.{digits}f}-{s['max'] * scale:.{digits}f})"

    rows = []
    for n in WORKER_COUNTS:
        r = results[f"workers_{n}"]
        rows.append([
            n, spread(r["per_min"]), spread(r["cpu_per_hire"], 1000, 0),
            spread(r["second_share"], 100, 0) if n == 2 else "", spread(r["busy"], 100, 0),
        ])  # fmt: skip
    rows.append(
        ["ratio", f"{results['ratio']:.2f}x two to one", "", "", f"errors {results['errors']}"]
    )
    return table(
        f"8. Scale-out, PostgreSQL: whole GTS hires, N={results['hires']}, "
        f"{results['concurrency']} at a time, {API_PROCESSES} API processes, "
        f"{results['repeats']} runs per arm",
        ["workers", "hires/min", "worker CPU ms per hire", "% on the second", "machine CPU busy %"],
        rows,
    )
