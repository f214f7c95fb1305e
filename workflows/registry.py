"""Which workflow runs which pathway."""

from __future__ import annotations

from workflows.gts import GtsHire
from workflows.steps import HireWorkflow

WORKFLOWS: dict[str, type[HireWorkflow]] = {
    "gts": GtsHire,
}


def workflow_for(pathway: str) -> type[HireWorkflow]:
    return WORKFLOWS[pathway]
