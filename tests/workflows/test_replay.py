"""Hires recorded under earlier code replay against the current workflows.

A change that would break a hire in flight (a command added, removed or reordered without
`workflow.patched`) fails here. Record new histories with `python -m tests.histories.record`
before changing a workflow (docs/workflows.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from core.temporal import DATA_CONVERTER
from hirepath.worker import PASSTHROUGH
from workflows.registry import WORKFLOWS

HISTORIES = sorted((Path(__file__).parents[1] / "histories").glob("*.json"))


def test_there_are_histories_for_every_pathway() -> None:
    recorded = {path.name.split("_", 1)[0] for path in HISTORIES}
    assert recorded >= set(WORKFLOWS), f"record histories for {set(WORKFLOWS) - recorded}"


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_recorded_hire_replays(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, json.loads(path.read_text()))
    replayer = Replayer(
        workflows=list(WORKFLOWS.values()),
        data_converter=DATA_CONVERTER,
        workflow_runner=SandboxedWorkflowRunner(
            restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH)
        ),
    )
    await replayer.replay_workflow(history)
