"""3. A whole hire: N GTS hires driven through every step via the API, against bare
workflows with the same steps, timers, updates and activities."""

from __future__ import annotations

from typing import Any

import httpx

from bench.driver import ERRORS, drive_bare, drive_hire, many
from bench.harness import FULL, REPEATS, Stack, summary, table

SIZES = (50, 200)
CONCURRENCY = 16


async def run(stack: Stack) -> dict[str, Any]:
    results: dict[str, Any] = {}
    limits = httpx.Limits(max_connections=CONCURRENCY * 2)
    async with httpx.AsyncClient(base_url=stack.url, timeout=300, limits=limits) as client:
        for size in SIZES:
            product, bare = [], []
            errors_before = len(ERRORS)
            for _ in range(REPEATS if size <= 50 or FULL else 1):
                wall = await many(lambda i: drive_bare(client), size, CONCURRENCY)
                bare.append(size / wall * 60)
                wall = await many(
                    lambda i, size=size: drive_hire(client, stack.headers, f"Whole {size} {i}"),
                    size,
                    CONCURRENCY,
                )
                product.append(size / wall * 60)
            results[f"n{size}"] = {
                "product_per_min": summary(product),
                "bare_per_min": summary(bare),
                "ratio": summary(product)["median"] / summary(bare)["median"],
                "repeats": len(product),
                "errors": len(ERRORS) - errors_before,
            }
    return results


def report(results: dict[str, Any]) -> str:
    rows = [
        [key, f"{r['product_per_min']['median']:.1f} ({r['product_per_min']['min']:.1f}-{r['product_per_min']['max']:.1f})",
         f"{r['bare_per_min']['median']:.1f} ({r['bare_per_min']['min']:.1f}-{r['bare_per_min']['max']:.1f})",
         f"{r['ratio']:.2f}x (target >= 0.7)", r["repeats"], r["errors"]]
        for key, r in results.items()
    ]  # fmt: skip
    return table(
        f"3. Whole hires, {CONCURRENCY} at a time (23 actions each)",
        ["hires", "hirepath / min", "bare / min", "ratio", "runs", "errors"],
        rows,
    )
