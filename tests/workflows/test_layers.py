"""Workflow code stands on the rules and the contracts only: importing it loads no database,
mail, template, settings or encryption code, so the sandbox has nothing of the kind to reach."""

from __future__ import annotations

import json
import subprocess
import sys

from hirepath.worker import PASSTHROUGH

# Top-level packages that do I/O or hold configuration.
FORBIDDEN = (
    "sqlalchemy",
    "sqlmodel",
    "aiosmtplib",
    "smtplib",
    "jinja2",
    "pydantic_settings",
    "cryptography",
    "core",
    "store",
    "activities",
    "api",
    "hirepath",
)


def test_importing_the_workflows_loads_no_io_or_settings() -> None:
    probe = (
        "import json, sys; import workflows.registry; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = set(json.loads(subprocess.check_output([sys.executable, "-c", probe], text=True)))
    assert "workflows" in loaded
    assert loaded.isdisjoint(FORBIDDEN), sorted(loaded & set(FORBIDDEN))


def test_the_sandbox_passes_through_only_the_rules_and_the_contracts() -> None:
    assert set(PASSTHROUGH) == {"pathways", "contracts"}
