"""The replay gate: before a deploy, replay the histories of the hires running now against the
new workflow code, with the production codec, so a change that would break a hire in flight
(a command added, removed or reordered without ``workflow.patched``) stops the deploy.

    hirepath replay [--limit N]

exits 1 if any history fails to replay (and names the hire), 0 otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from temporalio.client import Client
from temporalio.worker import Replayer

from contracts.hire import WORKFLOW_ID_PREFIX
from core.settings import Settings
from core.temporal import connect, data_converter
from hirepath.worker import workflow_runner
from workflows.registry import WORKFLOWS
from workflows.sweep import StoreSweep

RUNNING = "ExecutionStatus = 'Running'"


@dataclass
class ReplayReport:
    replayed: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # hire ID -> what broke


async def replay_running(
    client: Client,
    settings: Settings,
    *,
    limit: int | None = None,
    workflows: Sequence[type] | None = None,
) -> ReplayReport:
    """Replay the running hires' histories (``limit`` at most) against ``workflows`` (the
    code of this release by default)."""
    replayer = Replayer(
        workflows=list(workflows or [*WORKFLOWS.values(), StoreSweep]),
        data_converter=data_converter(settings),
        workflow_runner=workflow_runner(settings.workflow_sandbox),
    )
    report = ReplayReport()
    executions = client.list_workflows(RUNNING, limit=limit)
    histories = (
        await client.get_workflow_handle(e.id, run_id=e.run_id).fetch_history()
        async for e in executions
        if e.id.startswith(WORKFLOW_ID_PREFIX)
    )
    async with replayer.workflow_replay_iterator(histories) as results:
        async for result in results:
            report.replayed += 1
            if result.replay_failure is not None:
                report.failed[result.history.workflow_id] = str(result.replay_failure)
    return report


async def main(limit: int | None) -> int:
    settings = Settings()
    client = await connect(settings)
    report = await replay_running(client, settings, limit=limit)
    print(f"replayed {report.replayed} running hires: {len(report.failed)} failed")
    for hire_id, problem in sorted(report.failed.items()):
        print(f"  {hire_id}: {problem.splitlines()[0] if problem else 'failed'}")
    return 1 if report.failed else 0
