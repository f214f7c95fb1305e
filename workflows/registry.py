"""Which workflow runs which pathway."""

from __future__ import annotations

from workflows.cusma import CusmaHire
from workflows.gts import GtsHire
from workflows.hire import HireWorkflow
from workflows.ict import IctHire

WORKFLOWS: dict[str, type[HireWorkflow]] = {
    "gts": GtsHire,
    "cusma": CusmaHire,
    "ict": IctHire,
}


def workflow_for(pathway: str) -> type[HireWorkflow]:
    return WORKFLOWS[pathway]
