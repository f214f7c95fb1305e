"""make bench: every benchmark, side by side with its bare baseline, in one run."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from typing import Any

from bench import (
    cpu,
    hr_actions,
    memory,
    reads,
    reports,
    scale_out,
    start_hire,
    time_travel,
    whole_hire,
)
from bench.harness import FULL, stack, write

SUITES: dict[str, Any] = {
    "start_hire": start_hire,
    "hr_actions": hr_actions,
    "whole_hire": whole_hire,
    "cpu": cpu,
    "memory": memory,
    "reads": reads,
    "time_travel": time_travel,
    "reports": reports,
    "scale_out": scale_out,  # named only: make bench only=scale_out
}


async def main(names: list[str]) -> None:
    began = time.monotonic()
    chosen = {
        n: m
        for n, m in SUITES.items()
        if n in names or (not names and not getattr(m, "NAMED_ONLY", False))
    }
    shared = {n: m for n, m in chosen.items() if not getattr(m, "OWN_STACK", False)}
    with stack() if shared else contextlib.nullcontext() as running:
        for name, module in shared.items():
            print(f"\n== {name} ...", flush=True)
            took = time.monotonic()
            results = await module.run(running)
            write(name, results)
            print(module.report(results), flush=True)
            print(f"({name}: {time.monotonic() - took:.0f} s)", flush=True)
    for name, module in chosen.items():
        if getattr(module, "OWN_STACK", False):
            print(f"\n== {name} ...", flush=True)
            took = time.monotonic()
            results = await module.run(None)
            write(name, results)
            print(module.report(results), flush=True)
            print(f"({name}: {time.monotonic() - took:.0f} s)", flush=True)
    mode = "full" if FULL else "default"
    print(f"\nmake bench ({mode}) took {time.monotonic() - began:.0f} s", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
