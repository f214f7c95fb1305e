"""3. A whole hire: N GTS hires driven through every step via the API, against bare
workflows with the same steps, timers, updates and activities; with the CPU each process spent
per hire (Temporal, the worker, the API, the driver), read from /proc around each arm."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from bench.driver import ERRORS, drive_bare, drive_hire, many
from bench.harness import FULL, REPEATS, Stack, cpu_seconds, summary, table

SIZES = (50, 200)
CONCURRENCY = 16
PROCESSES = ("temporal", "worker", "api")  # and the driver (this process)


async def measured(
    stack: Stack, size: int, drive: Callable[[int], Awaitable[Any]]
) -> tuple[float, dict[str, float]]:
    """Hires per minute, and each process's CPU milliseconds per hire, for one arm."""
    pids = {name: stack.processes[name].pid for name in PROCESSES} | {"driver": os.getpid()}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    wall = await many(drive, size, CONCURRENCY)
    cpu = {name: (cpu_seconds(pid) - before[name]) * 1000 / size for name, pid in pids.items()}
    return size / wall * 60, cpu


async def run(stack: Stack) -> dict[str, Any]:
    results: dict[str, Any] = {}
    limits = httpx.Limits(max_connections=CONCURRENCY * 2)
    async with httpx.AsyncClient(base_url=stack.url, timeout=300, limits=limits) as client:
        for size in SIZES:
            product, bare = [], []
            cpu: dict[str, dict[str, list[float]]] = {"product": {}, "bare": {}}
            errors_before = len(ERRORS)
            for _ in range(REPEATS if size <= 50 or FULL else 1):
                rate, used = await measured(stack, size, lambda i: drive_bare(client))
                bare.append(rate)
                for name, ms in used.items():
                    cpu["bare"].setdefault(name, []).append(ms)

                async def hire(i: int, size: int = size) -> Any:
                    return await drive_hire(client, stack.headers, f"Whole {size} {i}")

                rate, used = await measured(stack, size, hire)
                product.append(rate)
                for name, ms in used.items():
                    cpu["product"].setdefault(name, []).append(ms)
            results[f"n{size}"] = {
                "product_per_min": summary(product),
                "bare_per_min": summary(bare),
                "cpu_ms_per_hire": {
                    arm: {name: summary(values)["median"] for name, values in per.items()}
                    for arm, per in cpu.items()
                },
                "ratio": summary(product)["median"] / summary(bare)["median"],
                "repeats": len(product),
                "errors": len(ERRORS) - errors_before,
            }
    return results


def report(results: dict[str, Any]) -> str:
    rows = [
        [key, f"{r['product_per_min']['median']:.1f} ({r['product_per_min']['min']:.1f}-{r['product_per_min']['max']:.1f})",
         f"{r['bare_per_min']['median']:.1f} ({r['bare_per_min']['min']:.1f}-{r['bare_per_min']['max']:.1f})",
         f"{r['ratio']:.2f}x (target >= 0.8)", r["repeats"], r["errors"]]
        for key, r in results.items()
    ]  # fmt: skip
    for key, r in results.items():
        for arm in ("product", "bare"):
            ms = r["cpu_ms_per_hire"][arm]
            rows.append([
                f"{key} CPU", "hirepath" if arm == "product" else "bare",
                " / ".join(f"{name} {ms[name]:.0f}" for name in (*PROCESSES, "driver")),
                f"total {sum(ms.values()):.0f} ms per hire", "", "",
            ])  # fmt: skip
    return table(
        f"3. Whole hires, {CONCURRENCY} at a time (23 actions each)",
        ["hires", "hirepath / min", "bare / min", "ratio", "runs", "errors"],
        rows,
    )
