"""1. Start a hire: POST /api/v1/hires against the bare update-with-start it wraps."""

from __future__ import annotations

from typing import Any

import httpx

from bench.harness import REPEATS, Stack, load, summary, table
from testkit.samples import hire_body

PLAN = {1: 20, 32: 160}  # concurrency: requests per repetition


async def run(stack: Stack) -> dict[str, Any]:
    results: dict[str, Any] = {}
    async with httpx.AsyncClient(
        base_url=stack.url, timeout=120, limits=httpx.Limits(max_connections=64)
    ) as client:

        async def product(i: int) -> bool:
            response = await client.post(
                "/api/v1/hires", headers=stack.headers, json=hire_body(name=f"Bench {i}")
            )
            return response.status_code == 201

        async def bare(i: int) -> bool:
            return (await client.post("/bench/bare/hires")).status_code == 201

        await load(product, 4, 2)  # warm both paths up
        await load(bare, 4, 2)
        for concurrency, total in PLAN.items():
            runs: dict[str, list[Any]] = {"product": [], "bare": []}
            for _ in range(REPEATS):
                runs["bare"].append(await load(bare, total, concurrency))
                runs["product"].append(await load(product, total, concurrency))
            results[f"c{concurrency}"] = {
                name: {
                    "rps": summary([r.rps for r in rs]),
                    "p50_ms": summary([r.percentile(50) * 1000 for r in rs]),
                    "p95_ms": summary([r.percentile(95) * 1000 for r in rs]),
                    "p99_ms": summary([r.percentile(99) * 1000 for r in rs]),
                    "errors": sum(r.errors for r in rs),
                }
                for name, rs in runs.items()
            }
            results[f"c{concurrency}"]["ratio_rps"] = (
                results[f"c{concurrency}"]["product"]["rps"]["median"]
                / results[f"c{concurrency}"]["bare"]["rps"]["median"]
            )
            results[f"c{concurrency}"]["raw"] = {
                name: {"rps": [r.rps for r in rs], "p50": [r.percentile(50) for r in rs]}
                for name, rs in runs.items()
            }
    return results


def report(results: dict[str, Any]) -> str:
    rows = []
    for key, r in results.items():
        for name in ("product", "bare"):
            m = r[name]
            rows.append([
                key, name, f"{m['rps']['median']:.1f} ({m['rps']['min']:.1f}-{m['rps']['max']:.1f})",
                f"{m['p50_ms']['median']:.1f}", f"{m['p95_ms']['median']:.1f}", f"{m['p99_ms']['median']:.1f}", m["errors"],
            ])  # fmt: skip
        target = ">= 1.0" if key == "c1" else ">= 0.8"
        rows.append([key, "ratio", f"{r['ratio_rps']:.2f}x rps (target {target})", "", "", "", ""])
    return table("1. Start a hire (POST /api/v1/hires vs bare update-with-start)",
                 ["conc", "path", "req/s median (min-max)", "p50 ms", "p95 ms", "p99 ms", "errors"], rows)  # fmt: skip
