"""The worker: wires the activities to their resources and runs every pathway's workflow."""

from __future__ import annotations

import asyncio
import compileall
import logging
import signal
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
)
from temporalio.worker import UnsandboxedWorkflowRunner, Worker, WorkflowRunner
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

import workflows
from activities.digest import Digester
from activities.mailer import Mailer, mailer_from_settings
from activities.notifier import Notifier
from activities.reconciler import Reconciler
from activities.recorder import Recorder
from activities.renderer import EmailRenderer
from contracts.activities import SweepInput
from core.settings import Settings
from core.telemetry import metrics_runtime, tracer_provider, tracing_endpoint
from core.temporal import connect
from hirepath.activity_metrics import ActivityMetrics
from store.db import SerializedSessions, SessionFactory, make_engine, session_factory
from workflows.digest import DigestWorkflow
from workflows.registry import WORKFLOWS
from workflows.sweep import SWEEP_EVERY, SWEEP_SCHEDULE, StoreSweep

# Workflow code imports only the pure rules and the contracts (tests/workflows/test_layers.py
# checks it): both are deterministic and immutable, so they are passed through the sandbox
# rather than re-imported for every workflow run.
PASSTHROUGH = ("pathways", "contracts")

# With tracing on (core.telemetry), the tracing interceptor's workflow half runs inside the
# sandbox and needs OpenTelemetry's context, which must be the process's own: passed through.
TRACING_PASSTHROUGH = ("opentelemetry",)

STICKY_TIMEOUT = timedelta(seconds=4)

log = logging.getLogger("hirepath.worker")


@dataclass
class WorkerParts:
    recorder: Recorder
    notifier: Notifier
    digester: Digester
    sessions: SessionFactory


def build_parts(
    settings: Settings, sessions: SessionFactory, mailer: Mailer | None = None
) -> WorkerParts:
    if settings.database.startswith("sqlite"):
        sessions = SerializedSessions(sessions)
    renderer = EmailRenderer(settings.templates_dir, settings.public_url)
    mailer = mailer or mailer_from_settings(settings)
    return WorkerParts(
        recorder=Recorder(sessions),
        notifier=Notifier(renderer, mailer, sessions, settings.mail_from),
        digester=Digester(renderer, mailer, sessions, settings.mail_from),
        sessions=sessions,
    )


def precompile() -> None:
    """Write the workflows' bytecode to __pycache__ if it is missing. The sandbox imports the
    workflow modules afresh for every hire it starts or replays; without bytecode on disk
    (PYTHONDONTWRITEBYTECODE set, as on some machines) each of those imports compiles the
    source again, measured at about a third of the worker's CPU per hire start
    (docs/performance.md). A read-only tree only loses the saving."""
    compileall.compile_dir(str(Path(workflows.__file__).parent), quiet=2)


def build_worker(
    client: Client,
    settings: Settings,
    parts: WorkerParts,
    executor: ThreadPoolExecutor,
    *,
    task_queue: str | None = None,
    on_fatal_error: Callable[[BaseException], Awaitable[None]] | None = None,
) -> Worker:
    precompile()
    reconciler = Reconciler(client, parts.sessions)
    return Worker(
        client,
        task_queue=task_queue or settings.task_queue,
        workflows=[*WORKFLOWS.values(), StoreSweep, DigestWorkflow],
        activities=[
            parts.recorder.record,
            parts.recorder.record_changes,
            parts.notifier.send,
            parts.digester.people,
            parts.digester.send,
            reconciler.sweep,
        ],
        activity_executor=executor,
        max_concurrent_activities=settings.max_concurrent_activities,
        max_cached_workflows=settings.max_cached_workflows,
        workflow_runner=workflow_runner(
            settings.workflow_sandbox, tracing=bool(tracing_endpoint(settings))
        ),
        # SIGTERM (a deploy) stops polling, then waits this long for running activities: an
        # email mid-send finishes and is marked sent instead of being cut and sent again.
        graceful_shutdown_timeout=timedelta(seconds=settings.worker_graceful_shutdown_seconds),
        # A hire's tasks go to the worker that has it cached; when that worker dies, Temporal
        # waits this long before handing them to any worker (SDK default 10 s): the stall HR
        # sees on a hire whose worker was killed.
        sticky_queue_schedule_to_start_timeout=STICKY_TIMEOUT,
        on_fatal_error=on_fatal_error,
        interceptors=[ActivityMetrics(settings.metrics_attempts_alert)],
    )


def workflow_runner(mode: str, *, tracing: bool = False) -> WorkflowRunner:
    if mode == "off":
        return UnsandboxedWorkflowRunner()
    modules = (*PASSTHROUGH, *(TRACING_PASSTHROUGH if tracing else ()))
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*modules)
    )


async def ensure_sweep_schedule(client: Client, task_queue: str) -> None:
    """The store's sweep every few minutes (workflows/sweep.py); created once, kept if it is
    there already (every worker calls this at start)."""
    schedule = Schedule(
        action=ScheduleActionStartWorkflow(
            StoreSweep.run, SweepInput(), id=SWEEP_SCHEDULE, task_queue=task_queue
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=SWEEP_EVERY)]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )
    try:
        await client.create_schedule(SWEEP_SCHEDULE, schedule)
    except ScheduleAlreadyRunningError:
        pass


async def _heartbeat(worker: Worker, client: Client, settings: Settings) -> None:
    """Touch the heartbeat file while this worker runs and Temporal serves its task queue: the
    container's health check reads the file's age. Describing the task queue needs what polling
    needs (the server up, the namespace there, the credentials allowed), so the file goes stale
    as soon as any of them fails, rather than when the SDK gives up on polling (a minute later)
    or never (an unreachable server is retried for ever)."""
    path = settings.worker_heartbeat_file
    if path is None:
        return
    request = DescribeTaskQueueRequest(
        namespace=client.namespace,
        task_queue=TaskQueue(name=worker.task_queue),
        task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    )
    while True:
        if worker.is_running:
            try:
                await client.workflow_service.describe_task_queue(
                    request, timeout=timedelta(seconds=10)
                )
                await asyncio.to_thread(path.touch)
            except Exception as err:  # unhealthy until Temporal serves the queue again
                log.warning("Temporal does not serve the task queue: %s", type(err).__name__)
        await asyncio.sleep(settings.worker_heartbeat_seconds)


async def run_worker(settings: Settings) -> None:
    """Run a worker until SIGTERM or SIGINT (then stop polling and let running activities
    finish, up to the graceful timeout) or until the worker fails (then exit with status 1, so
    the supervisor restarts it)."""
    engine = make_engine(settings.database, pool_size=settings.database_pool_size)
    parts = build_parts(settings, session_factory(engine))
    tracer_provider(settings, "hirepath-worker")  # named for this process, if tracing is on
    client = await connect(settings, runtime=metrics_runtime(settings.worker_metrics_address))
    await ensure_sweep_schedule(client, settings.task_queue)
    with ThreadPoolExecutor(max_workers=settings.max_concurrent_activities) as executor:
        worker = build_worker(client, settings, parts, executor, on_fatal_error=_fatal)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        log.info("worker polling task queue %s at %s", settings.task_queue, settings.temporal)
        running = asyncio.create_task(worker.run())
        stopping = asyncio.create_task(stop.wait())
        heartbeat = asyncio.create_task(_heartbeat(worker, client, settings))
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        heartbeat.cancel()
        stopping.cancel()
        if not running.done():
            log.info(
                "stopping: no new tasks; running activities have %ss to finish",
                settings.worker_graceful_shutdown_seconds,
            )
            await worker.shutdown()
        failure = None if running.cancelled() else running.exception()
    engine.dispose()
    if failure is not None:
        log.error("worker stopped: %s; exiting with status 1", _describe(failure))
        raise SystemExit(1)
    log.info("worker stopped")


async def _fatal(error: BaseException) -> None:
    """The SDK's fatal-error hook: said at once, before its shutdown (run_worker then exits 1)."""
    log.error("worker failed: %s; shutting down", _describe(error))


def _describe(error: BaseException) -> str:
    """The error and its causes by type and message (the SDK's say which RPC failed and why)."""
    parts: list[str] = []
    current: BaseException | None = error
    while current is not None and len(parts) < 4:
        parts.append(f"{type(current).__name__}: {str(current)[:200]}")
        current = current.__cause__ or current.__context__
    return " <- ".join(parts)
