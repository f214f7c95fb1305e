"""The worker's health file says whether this worker can work, and a worker that cannot exits.

The trigger: the worker's namespace disappears while it runs (deleted, as an operator might by
mistake). Its polls then fail with NotFound, the same kind of error as a revoked API key or a
lost permission (PermissionDenied): errors the SDK retries for a minute before the Worker
fails for good. Meanwhile Temporal's server itself answers, so a health check that only asks
"is Temporal up?" stays green over a worker that polls nothing.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from google.protobuf.duration_pb2 import Duration
from temporalio.api.operatorservice.v1 import DeleteNamespaceRequest
from temporalio.api.workflowservice.v1 import RegisterNamespaceRequest
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from tests.helpers import eventually

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


async def test_a_worker_that_can_no_longer_poll_turns_unhealthy_and_exits(
    dev_env: WorkflowEnvironment, settings: Settings, tmp_path: Path
) -> None:
    client = dev_env.client
    namespace = f"health-{uuid.uuid4().hex[:8]}"
    await client.workflow_service.register_namespace(
        RegisterNamespaceRequest(
            namespace=namespace, workflow_execution_retention_period=Duration(seconds=86400)
        ),
        retry=True,  # a busy dev server may cancel the first attempt (seen in a CI run)
        timeout=timedelta(seconds=60),
    )
    alive = tmp_path / "worker.alive"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "HIREPATH_TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "HIREPATH_TEMPORAL_NAMESPACE": namespace,
        "HIREPATH_TASK_QUEUE": f"health-{uuid.uuid4().hex[:8]}",
        "HIREPATH_DATABASE_URL": settings.database,
        "HIREPATH_DATA_DIR": str(settings.data_dir),
        "HIREPATH_WORKER_HEARTBEAT_FILE": str(alive),
        "HIREPATH_WORKER_HEARTBEAT_SECONDS": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "hirepath.cli", "worker"], env=env, cwd=ROOT,
        stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        # healthy: the file is touched again and again
        await eventually(lambda: alive.exists(), timeout=60)
        first = alive.stat().st_mtime
        await eventually(lambda: alive.stat().st_mtime > first, timeout=30)

        deleted = time.time()
        await client.operator_service.delete_namespace(DeleteNamespaceRequest(namespace=namespace))
        # the worker fails once the SDK stops retrying its polls (a minute of NotFound), and
        # the process ends with an error status, so a supervisor restarts it (or pages)
        code = await asyncio.to_thread(process.wait, 240)
        exited = time.time() - deleted
        last_touch = alive.stat().st_mtime - deleted
        output = log.read_text(errors="replace")
        # the health file went stale within seconds, not when the process died (about 90 s
        # later): a health check saw the worker was useless long before
        assert last_touch < 20, (last_touch, exited, output[-3000:])
        assert exited > last_touch + 30, (last_touch, exited)
        assert code == 1, output[-3000:]
        assert "worker stopped" in output
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
