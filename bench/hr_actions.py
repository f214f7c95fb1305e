"""2. HR actions: upload-and-receive and record-decision through the API, against the bare
Temporal update they wrap (one update that runs one activity before answering)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from bench.bare import BareAction, BareHire, BareInput, BareOpen, new_id
from bench.harness import REPEATS, Run, Stack, load, summary, table
from core.settings import Settings
from core.temporal import connect
from pathways.calendar import eastern_date
from testkit.samples import PDF, hire_body

PER_REPEAT = 15
PREPARE_ITEMS = [
    "employer_details", "business_legitimacy", "job_details", "wage_and_conditions",
    "recruitment_and_labour_effects", "labour_market_benefits_plan", "worker_details", "signing_authority",
]  # fmt: skip


async def run(stack: Stack) -> dict[str, Any]:
    settings = Settings(
        data_dir=stack.data_dir, temporal_address=f"127.0.0.1:{stack.temporal_port}"
    )
    temporal = await connect(settings)
    today = eastern_date(datetime.now(UTC)).isoformat()
    runs: dict[str, list[Run]] = {"upload": [], "decision": [], "bare_update": []}
    async with httpx.AsyncClient(base_url=stack.url, timeout=120) as client:

        async def new_hire(i: int) -> str:
            response = await client.post(
                "/api/v1/hires", headers=stack.headers, json=hire_body(name=f"Act {i}")
            )
            return str(response.json()["id"])

        for _ in range(REPEATS):
            # uploads: one per fresh hire, so every one meets the same state
            hires = [await new_hire(i) for i in range(PER_REPEAT)]

            async def upload(i: int, hires: list[str] = hires) -> bool:
                response = await client.post(
                    f"/api/v1/hires/{hires[i]}/documents", headers=stack.headers,
                    data={"item": "job_details"}, files={"file": ("d.pdf", PDF, "application/pdf")},
                )  # fmt: skip
                return response.status_code == 201

            runs["upload"].append(await load(upload, PER_REPEAT, 1))
            # decisions: hires brought to their submission step first
            ready = [await new_hire(i) for i in range(PER_REPEAT)]
            for hire_id in ready:
                for item in [*PREPARE_ITEMS, "lmia_submission_confirmation", "lmia_fee_receipt"]:
                    await client.post(
                        f"/api/v1/hires/{hire_id}/items/{item}/waive",
                        headers=stack.headers,
                        json={"reason": "bench"},
                    )

            async def decide(i: int, ready: list[str] = ready) -> bool:
                response = await client.post(
                    f"/api/v1/hires/{ready[i]}/steps/submit_lmia/decision", headers=stack.headers,
                    json={"outcome": "submitted", "fields": {"submitted_on": today}},
                )  # fmt: skip
                return response.status_code == 200

            runs["decision"].append(await load(decide, PER_REPEAT, 1))
            # the bare update: straight to Temporal, on a bare workflow
            bare_ids = []
            for _ in range(PER_REPEAT):
                bare_id = new_id()
                handle = await temporal.start_workflow(
                    BareHire.run, BareInput(bare_id), id=bare_id, task_queue="bench-bare"
                )
                await handle.execute_update(BareHire.open, BareOpen("r"))
                bare_ids.append(bare_id)

            async def bare(i: int, bare_ids: list[str] = bare_ids) -> bool:
                await temporal.get_workflow_handle(bare_ids[i]).execute_update(
                    BareHire.act, BareAction("act")
                )
                return True

            runs["bare_update"].append(await load(bare, PER_REPEAT, 1))
            for bare_id in bare_ids:
                await temporal.get_workflow_handle(bare_id).execute_update(
                    BareHire.finish, BareAction("done")
                )
    results: dict[str, Any] = {
        name: {
            "p50_ms": summary([r.percentile(50) * 1000 for r in rs]),
            "p95_ms": summary([r.percentile(95) * 1000 for r in rs]),
            "errors": sum(r.errors for r in rs),
        }
        for name, rs in runs.items()
    }
    base = results["bare_update"]["p50_ms"]["median"]
    results["ratio_upload_p50"] = results["upload"]["p50_ms"]["median"] / base
    results["ratio_decision_p50"] = results["decision"]["p50_ms"]["median"] / base
    return results


def report(results: dict[str, Any]) -> str:
    rows = []
    for name in ("upload", "decision", "bare_update"):
        r = results[name]
        rows.append([name, f"{r['p50_ms']['median']:.1f} ({r['p50_ms']['min']:.1f}-{r['p50_ms']['max']:.1f})",
                     f"{r['p95_ms']['median']:.1f}", r["errors"]])  # fmt: skip
    rows.append(
        [
            "ratio p50",
            f"upload {results['ratio_upload_p50']:.2f}x, decision {results['ratio_decision_p50']:.2f}x",
            "target <= 0.7",
            "",
        ]
    )
    return table(
        "2. HR actions (through the API vs the bare Temporal update)",
        ["action", "p50 ms median (min-max)", "p95 ms", "errors"],
        rows,
    )
