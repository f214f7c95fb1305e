"""Record workflow histories for the replay test (tests/workflows/test_replay.py).

    .venv/bin/python -m tests.histories.record [scenario ...]

Runs each scenario on a time-skipping server with the real activities (a temporary
SQLite store, the outbox mailer) and writes tests/histories/<scenario>.json. Record with
the code that is about to change, before changing it, so that the replay test proves the
new code still replays hires started under the old one (docs/workflows.md).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from contracts.hire import (
    AmendDecisionInput,
    DocumentRef,
    EditDetailsInput,
    ItemActionInput,
    ReceiveDocumentInput,
    WithdrawInput,
)
from core.settings import Settings
from core.temporal import DATA_CONVERTER
from hirepath.worker import build_parts, build_worker
from pathways.calendar import end_of
from store.db import make_engine, session_factory, session_scope
from store.migrate import upgrade
from store.teams import create_team
from testkit.samples import hire_input
from testkit.workflow_driver import Hire, Queue, start
from tests.helpers import Mailbox, start_smtp
from workflows import search
from workflows.hire import HireWorkflow

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent


async def permit_issued(hire: Hire) -> None:
    """Category B to an issued permit, waiting past the CBSA step's deadline first."""
    await hire.through("port_of_entry")
    await hire.env.sleep(timedelta(days=60))
    await hire.issue(3)


async def lmia_refused(hire: Hire) -> None:
    await hire.through("lmia_decision")
    await hire.env.sleep(timedelta(days=20))  # the ESDC standard passes first
    await hire.decide(
        "lmia_decision", "refused", decided_on=(await hire.today()).isoformat(), reason="Wage"
    )


async def withdrawn_during_clock(hire: Hire) -> None:
    await hire.through("work_permit_application")
    await hire.clear_items("work_permit_application")
    submitted = (await hire.today()).isoformat()
    outcome = "submitted" if hire.old_rules else "online"
    await hire.decide("work_permit_application", outcome, submitted_on=submitted)
    await hire.env.sleep(timedelta(days=11))  # past the at-risk notice
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Role cancelled", "hr"))


async def withdrawn_after_an_unsettled_decision(hire: Hire) -> None:
    """The LMIA's submission recorded with its documents still missing, then withdrawn."""
    await hire.through("submit_lmia")
    await hire.decide("submit_lmia", "submitted", submitted_on=(await hire.today()).isoformat())
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Role cancelled", "hr"))


async def reminders_then_withdrawn(hire: Hire) -> None:
    await hire.env.sleep(timedelta(days=40))  # reminders and escalations of the first step
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Offer declined", "hr"))


async def border_then_expired(hire: Hire) -> None:
    """A US citizen applies at the border; the permit is tracked until it expires."""
    await hire.through("port_of_entry", route="port_of_entry")
    expires = await hire.issue(1)
    await hire.env.sleep(end_of(expires) - await hire.now() + timedelta(days=1))


async def online_then_tracking_stopped(hire: Hire) -> None:
    """Online with the two-week clock; the permit is tracked past a reminder, then stopped."""
    await hire.through("port_of_entry")
    expires = await hire.issue(1)
    await hire.env.sleep(expires - timedelta(days=100) - await hire.today())
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Worker left", "hr"))


async def expiring_soon(hire: Hire) -> None:
    """A permit recorded with 60 days left: the reminder at once, the 30-day one, expiry."""
    await hire.through("port_of_entry")
    today = await hire.today()
    expires = today + timedelta(days=60)
    await hire.decide(
        "port_of_entry",
        "issued",
        permit_number="U123456789",
        issued_on=today.isoformat(),
        expires_on=expires.isoformat(),
    )
    await hire.env.sleep(end_of(expires) - await hire.now() + timedelta(days=1))


async def email_refused(hire: Hire) -> None:
    """The HR owner's address refused for good (550) while the first step opens; withdrawn."""
    await hire.env.sleep(timedelta(seconds=5))
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Offer declined", "hr"))


async def continued_as_new(hire: Hire) -> None:
    """Uploads and rejections until the run continues as new, a few more, then withdrawn."""
    first = (await hire.handle.describe()).run_id
    extra = 10
    while extra:
        document = DocumentRef(
            id=str(uuid.uuid4()),
            sha256="0" * 64,
            filename="scan.pdf",
            content_type="application/pdf",
            size=100,
            uploaded_at=await hire.now(),
        )
        await hire.handle.execute_update(
            HireWorkflow.receive_document, ReceiveDocumentInput("employer_details", document)
        )
        await hire.handle.execute_update(
            HireWorkflow.reject_item, ItemActionInput("employer_details", "blurred", "hr")
        )
        if (await hire.handle.describe()).run_id != first:
            extra -= 1
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Role cancelled", "hr"))


async def corrected(hire: Hire) -> None:
    """Every correction: details edited (the start date among them), an accept undone, the
    LMIA's submission date amended (ESDC's deadline counted again), then withdrawn."""
    await hire.handle.execute_update(
        HireWorkflow.edit_details,
        EditDetailsInput(candidate_email="new@candidate.example", start_date=date(2027, 5, 3)),
    )
    await hire.through("submit_lmia")
    await hire.clear_items("submit_lmia")
    item = next(i.key for i in hire.record().items if i.step_key == "submit_lmia" and i.required)
    await hire.handle.execute_update(HireWorkflow.undo_item, ItemActionInput(item, "", "hr"))
    await hire.clear_items("submit_lmia")
    today = await hire.today()
    await hire.decide("submit_lmia", "submitted", submitted_on=today.isoformat())
    earlier = (today - timedelta(days=2)).isoformat()
    await hire.handle.execute_update(
        HireWorkflow.amend_decision,
        AmendDecisionInput("submit_lmia", "submitted", {"submitted_on": earlier}, "Typo", "hr"),
    )
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Role cancelled", "hr"))


# name: (hire_input arguments, scenario); the name starts with the pathway's key
SCENARIOS: dict[str, tuple[dict[str, Any], Callable[[Hire], Awaitable[None]]]] = {
    "gts_b_permit_issued": ({"category": "B"}, permit_issued),
    "gts_b_lmia_refused": ({"category": "B"}, lmia_refused),
    "gts_b_withdrawn_during_clock": ({"category": "B"}, withdrawn_during_clock),
    "gts_a_reminders_then_withdrawn": ({"category": "A"}, reminders_then_withdrawn),
    "gts_b_r2_tracking_stopped": ({"category": "B"}, online_then_tracking_stopped),
    "cusma_us_border_expired": (
        {"pathway": "cusma", "category": "T36", "citizenships": ("US",)},
        border_then_expired,
    ),
    "ict_c63_tracking_stopped": (
        {"pathway": "ict", "category": "C63"},
        online_then_tracking_stopped,
    ),
    # recorded after the merged-step-projection and record-changes patches (their markers,
    # one projection per settled step, partial snapshots)
    "gts_b_r2_record_changes": ({"category": "B"}, online_then_tracking_stopped),
    # recorded after the local-projection and continue-as-new patches; the expiring-soon
    # reminder's new branch; CUSMA and ICT under the current code
    "gts_b_r2_local_projection": ({"category": "B"}, online_then_tracking_stopped),
    "gts_b_r2_expiring_soon": ({"category": "B"}, expiring_soon),
    "gts_b_r2_continued_as_new": ({"category": "B"}, continued_as_new),
    "cusma_us_local_projection": (
        {"pathway": "cusma", "category": "T36", "citizenships": ("US",)},
        border_then_expired,
    ),
    "ict_c62_local_projection": ({"pathway": "ict", "category": "C62"}, expiring_soon),
    # recorded after the one-email-failed-line patch: HR's address refused for good
    "gts_b_r2_email_refused": ({"category": "B"}, email_refused),
    # recorded after the search-attributes patch: status, step and due date upserted
    "gts_b_r2_search_attributes": ({"category": "B"}, online_then_tracking_stopped),
    # before the withdrawal-keeps-unsettled-steps patch, and with it
    "gts_b_r2_withdrawn_unsettled_before": (
        {"category": "B"},
        withdrawn_after_an_unsettled_decision,
    ),
    "gts_b_r2_withdrawn_unsettled": ({"category": "B"}, withdrawn_after_an_unsettled_decision),
    # recorded when the corrections (edit details, undo, amend a decision) were added
    "gts_b_r2_corrected": ({"category": "B"}, corrected),
}
# Scenarios started as the API starts them with search attributes on.
SEARCHABLE = {"gts_b_r2_search_attributes"}
# Scenarios whose mail server refuses an address for good (550).
REFUSING = {"gts_b_r2_email_refused": {"hr@employer.example": 550}}


async def register_search_attributes(client: Client) -> None:
    """As `make run` and the compose file register them on a real namespace."""
    types = {"KEYWORD": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
             "DATETIME": IndexedValueType.INDEXED_VALUE_TYPE_DATETIME}  # fmt: skip
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={k.name: types[k.indexed_value_type.name] for k in search.ALL},
        )
    )


async def save(hire: Hire, name: str) -> None:
    """The hire's last run as <name>.json; a hire that continued as new also gets its first
    run (which ends by continuing) as <name>_first_run.json."""
    # Latest run first; not described (the time-skipping server's datetime search
    # attributes do not decode), but walked back through each run's start.
    runs = [await hire.handle.fetch_history()]
    while (
        previous := runs[-1]
        .events[0]
        .workflow_execution_started_event_attributes.continued_execution_run_id
    ):
        handle = hire.env.client.get_workflow_handle(hire.input.hire_id, run_id=previous)
        runs.append(await handle.fetch_history())
    named = {name: runs[0]} | ({f"{name}_first_run": runs[-1]} if len(runs) > 1 else {})
    for file, history in named.items():
        compact = json.dumps(history.to_json_dict(), separators=(",", ":"))
        (HERE / f"{file}.json").write_text(compact)
        print(f"recorded {file}: {len(history.events)} events")


async def record(names: list[str]) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="hirepath-record-"))
    mailbox = Mailbox()
    smtp = start_smtp(mailbox)
    settings = Settings(data_dir=data_dir, mail_backend="smtp", smtp_port=mailbox.port)
    upgrade(settings.database)
    engine = make_engine(settings.database)
    sessions = session_factory(engine)
    with session_scope(sessions) as session:
        team_id = create_team(session, name="Recording").id
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(BIN / "temporal-test-server"), data_converter=DATA_CONVERTER
    )
    await register_search_attributes(env.client)
    try:
        with ThreadPoolExecutor(max_workers=50) as executor:
            queue = Queue(f"record-{uuid.uuid4().hex[:8]}", [])
            parts = build_parts(settings, sessions)
            async with build_worker(env.client, settings, parts, executor, task_queue=queue.name):
                for name in names:
                    arguments, scenario = SCENARIOS[name]
                    mailbox.refuse_recipients = REFUSING.get(name, {})
                    recorded = hire_input(team_id=team_id, name="Recorded", **arguments)
                    if name in SEARCHABLE:
                        recorded = dataclasses.replace(recorded, search_attributes=True)
                    hire = await start(env, queue, recorded, sessions)
                    await scenario(hire)
                    await env.sleep(timedelta(seconds=5))
                    await hire.handle.result()
                    await save(hire, name)
    finally:
        await env.shutdown()
        engine.dispose()
        smtp.stop()


if __name__ == "__main__":
    asyncio.run(record(sys.argv[1:] or list(SCENARIOS)))
