"""Hires recorded under earlier code replay against the current workflows.

A change that would break a hire in flight (a command added, removed or reordered without
`workflow.patched`) fails here. Record new histories with `python -m tests.histories.record`
before changing a workflow (docs/workflows.md).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from core.temporal import DATA_CONVERTER
from hirepath.worker import PASSTHROUGH
from workflows import patches
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


def patches_taken(history: dict[str, Any]) -> set[str]:
    """The patch IDs a recorded history took (its core_patch markers)."""
    taken = set()
    for event in history["events"]:
        marker = event.get("markerRecordedEventAttributes")
        if marker and marker.get("markerName") == "core_patch":
            data = marker["details"]["patch-data"]["payloads"][0]["data"]
            taken.add(json.loads(base64.b64decode(data))["id"])
    return taken


def test_every_patch_has_a_recorded_history_that_takes_it() -> None:
    """A patch's new branch is proven by a history that took it (its old branch by one
    recorded before it); docs/versioning.md names them."""
    taken = set().union(*(patches_taken(json.loads(p.read_text())) for p in HISTORIES))
    declared = {
        value for name, value in vars(patches).items() if name.isupper() and isinstance(value, str)
    }
    assert declared - taken == set()
