"""7. Worker CPU per whole hire: the workflow sandbox as shipped (Temporal's stock restrictions
with pathways and contracts passed through) against no sandbox."""

from __future__ import annotations

from typing import Any

import httpx

from bench.driver import drive_hire, many
from bench.harness import REPEATS, Stack, cpu_seconds, summary, table

HIRES = 10
MODES = ("off", "tuned")


async def run(stack: Stack) -> dict[str, Any]:
    results: dict[str, Any] = {}
    async with httpx.AsyncClient(base_url=stack.url, timeout=300) as client:
        per_mode: dict[str, list[float]] = {mode: [] for mode in MODES}
        for mode in MODES:
            stack.restart_worker(HIREPATH_WORKFLOW_SANDBOX=mode)
            await many(
                lambda i, mode=mode: drive_hire(client, stack.headers, f"Warm {mode} {i}"), 2, 2
            )
            for rep in range(REPEATS):
                pid = stack.processes["worker"].pid
                before = cpu_seconds(pid)
                await many(
                    lambda i, rep=rep, mode=mode: drive_hire(
                        client, stack.headers, f"Cpu {mode} {rep} {i}"
                    ),
                    HIRES,
                    4,
                )
                per_mode[mode].append((cpu_seconds(pid) - before) / HIRES)
        for mode, values in per_mode.items():
            results[mode] = summary(values)
        results["ratio_tuned_to_off"] = results["tuned"]["median"] / results["off"]["median"]
    stack.restart_worker(HIREPATH_WORKFLOW_SANDBOX="tuned")
    return results


def report(results: dict[str, Any]) -> str:
    rows = [[mode, f"{results[mode]['median'] * 1000:.0f} ({results[mode]['min'] * 1000:.0f}-{results[mode]['max'] * 1000:.0f})"]
            for mode in MODES]  # fmt: skip
    rows.append(
        [
            "ratio",
            f"shipped {results['ratio_tuned_to_off']:.2f}x unsandboxed (target <= 1.5)",
        ]
    )
    return table(
        "7. Worker CPU per whole hire (23 actions)",
        ["sandbox", "CPU ms per hire median (min-max)"],
        rows,
    )
