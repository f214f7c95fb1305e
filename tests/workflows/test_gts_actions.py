"""HR's actions on a GTS hire: what they change, whom they tell, and what they refuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from contracts.hire import (
    DeadlineInput,
    DecisionInput,
    DocumentRef,
    HireStatus,
    ItemActionInput,
    ReceiveDocumentInput,
    WithdrawInput,
)
from pathways.calendar import add_business_days, morning_of
from store.db import SessionFactory
from store.queries import list_events
from testkit.samples import hire_input
from testkit.workflow_driver import Hire, Queue, start
from tests.conftest import TeamKey
from tests.helpers import Mailbox, eventually, unique_name
from workflows.hire import HireWorkflow

HR = "hr@employer.example"
MANAGER = "manager@employer.example"
WORKER = "worker@candidate.example"


def document(name: str = "passport.pdf") -> DocumentRef:
    return DocumentRef(
        id=f"doc-{unique_name('')[1:]}",
        sha256="0" * 64,
        filename=name,
        content_type="application/pdf",
        size=100,
        uploaded_at=datetime.now(UTC),
        uploaded_by="test",
    )


async def result_after(env: WorkflowEnvironment, hire: Hire) -> HireStatus:
    await env.sleep(timedelta(seconds=1))
    result = await hire.handle.result()
    return HireStatus(result.status)


async def test_lmia_refusal_ends_the_hire_and_tells_hr_and_the_manager(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Refused")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    await hire.through("lmia_decision")
    today = (await hire.today()).isoformat()
    await hire.decide("lmia_decision", "refused", decided_on=today, reason="Wage below prevailing")

    assert await result_after(ts_env, hire) == HireStatus.LMIA_REFUSED
    record = hire.record()
    assert record.hire.status == "lmia_refused"
    assert {s.key: s.status for s in record.steps} == {
        "prepare_lmia": "done",
        "submit_lmia": "done",
        "lmia_decision": "done",
        "send_lmia_to_worker": "skipped",
        "work_permit_application": "skipped",
        "work_permit_decision": "skipped",
        "port_of_entry": "skipped",
    }
    [ended] = await eventually(lambda: mailbox.of_kind(name, "hire_ended"))
    assert ended.to == [HR, MANAGER]
    assert ended.subject == f"Hire ended (LMIA refused): {name}"
    assert "Reason given: Wage below prevailing" in ended.text
    assert "$1,000 LMIA processing fee is not refunded" in ended.text

    # nothing more is sent for an ended hire
    sent = len(mailbox.about(name))
    await ts_env.sleep(timedelta(days=30))
    assert len(mailbox.about(name)) == sent


async def test_withdrawal_ends_the_hire_and_stops_the_reminders(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Withdrawn")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    await hire.handle.execute_update(
        HireWorkflow.withdraw, WithdrawInput("Candidate accepted another offer", "dana")
    )

    assert await result_after(ts_env, hire) == HireStatus.WITHDRAWN
    assert all(s.status in ("skipped", "done") for s in hire.record().steps)
    [ended] = await eventually(lambda: mailbox.of_kind(name, "hire_ended"))
    assert ended.to == [HR, MANAGER]
    assert ended.subject == f"Hire ended (withdrawn): {name}"
    assert "Candidate accepted another offer" in ended.text
    await ts_env.sleep(timedelta(days=30))
    assert not mailbox.of_kind(name, "reminder") and not mailbox.of_kind(name, "escalation")
    with sessions() as session:
        kinds = [e.kind for e in list_events(session, hire_id=hire.input.hire_id)]
    assert "hire_withdrawn" in kinds and kinds.count("hire_ended") == 1


async def test_a_withdrawal_never_marks_an_unfinished_step_done(
    ts_env: WorkflowEnvironment, ts_queue: Queue, sessions: SessionFactory, team: TeamKey
) -> None:
    """The LMIA's submission recorded while two of its documents are still missing, then the
    hire withdrawn: the step was never finished, so it is skipped (its decision kept), and the
    progress does not count it."""
    name = unique_name("Unfinished")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    await hire.through("submit_lmia")
    await hire.decide("submit_lmia", "submitted", submitted_on=(await hire.today()).isoformat())
    missing = [
        i for i in hire.record().items
        if i.step_key == "submit_lmia" and i.required and i.status not in ("accepted", "waived")
    ]  # fmt: skip
    assert missing and hire.step("submit_lmia").status == "open"

    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Role cancelled", "dana"))

    assert await result_after(ts_env, hire) == HireStatus.WITHDRAWN
    record = hire.record()
    step = next(s for s in record.steps if s.key == "submit_lmia")
    assert (step.status, step.outcome) == ("skipped", "submitted")
    done = [s.key for s in record.steps if s.status == "done"]
    assert record.hire.steps_done == len(done) == 1  # prepare_lmia only


async def test_a_rejected_document_asks_its_owner_again(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Rejected")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    await hire.through("work_permit_application")
    await hire.handle.execute_update(
        HireWorkflow.receive_document, ReceiveDocumentInput("passport", document(), False, "dana")
    )
    await hire.handle.execute_update(
        HireWorkflow.reject_item,
        ItemActionInput("passport", "Scan is cut off at the bottom", "dana"),
    )
    [mail] = await eventually(lambda: mailbox.of_kind(name, "item_rejected"))
    assert mail.to == [WORKER]  # the worker owns the passport
    assert mail.subject == f"Please send again: Passport ({name})"
    assert "Scan is cut off at the bottom" in mail.text
    item = next(i for i in hire.record().items if i.key == "passport")
    assert (item.status, item.reason) == ("rejected", "Scan is cut off at the bottom")

    # a new upload is received again, then accepted
    await hire.handle.execute_update(
        HireWorkflow.receive_document, ReceiveDocumentInput("passport", document(), True, "dana")
    )
    record = hire.record()
    assert next(i for i in record.items if i.key == "passport").status == "accepted"
    assert len([d for d in record.documents if d.item_key == "passport"]) == 2


async def test_moving_a_deadline_moves_its_reminders(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Moved")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    old_due = hire.step("prepare_lmia").due_on
    assert old_due is not None
    new_due = add_business_days(old_due, 10)
    await hire.handle.execute_update(
        HireWorkflow.change_deadline,
        DeadlineInput("prepare_lmia", new_due, "Waiting on the LMBP sign-off", "dana"),
    )
    step = hire.step("prepare_lmia")
    assert (step.due_on, step.deadline_changed) == (new_due, True)

    await ts_env.sleep(timedelta(days=45))
    reminders = await eventually(
        lambda: len(mailbox.of_kind(name, "reminder")) == 2 and mailbox.of_kind(name, "reminder")
    )
    assert [m.due for m in reminders] == [
        morning_of(add_business_days(new_due, -3)),
        morning_of(add_business_days(new_due, -1)),
    ]
    [first_escalation, *_] = await eventually(lambda: mailbox.of_kind(name, "escalation"))
    assert first_escalation.due == morning_of(add_business_days(new_due, 1))


async def test_the_permit_issued_ends_the_hire_with_its_numbers(
    ts_env: WorkflowEnvironment,
    ts_queue: Queue,
    sessions: SessionFactory,
    team: TeamKey,
    mailbox: Mailbox,
) -> None:
    name = unique_name("Issued")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)
    await hire.through("port_of_entry")
    today = await hire.today()
    expires = today.replace(year=today.year + 3)
    await hire.decide(
        "port_of_entry",
        "issued",
        permit_number="U123456789",
        issued_on=today.isoformat(),
        expires_on=expires.isoformat(),
    )
    record = hire.record()
    assert record.hire.status == "permit_issued" and record.hire.closed_at is not None
    assert all(s.status == "done" for s in record.steps)
    assert (record.hire.steps_done, record.hire.steps_total) == (7, 7)
    [mail] = await eventually(lambda: mailbox.of_kind(name, "permit_issued"))
    assert mail.to == [HR, MANAGER]
    assert "Permit number: U123456789" in mail.text and "LMIA number: LMIA-1001" in mail.text
    # the hire now tracks the permit's expiry; withdrawing stops that and keeps the status
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Worker left", "dana"))
    assert await result_after(ts_env, hire) == HireStatus.PERMIT_ISSUED
    assert hire.record().hire.status == "permit_issued"
    assert len(mailbox.of_kind(name, "permit_issued")) == 1


def rejection(err: pytest.ExceptionInfo[WorkflowUpdateFailedError]) -> ApplicationError:
    cause = err.value.cause
    assert isinstance(cause, ApplicationError)
    return cause


async def test_rejected_actions_say_why_and_change_nothing(
    ts_env: WorkflowEnvironment, ts_queue: Queue, sessions: SessionFactory, team: TeamKey
) -> None:
    name = unique_name("Refusals")
    hire = await start(ts_env, ts_queue, hire_input(team_id=team.team_id, name=name), sessions)

    def events() -> list[str]:
        with sessions() as session:
            return [e.kind for e in list_events(session, hire_id=hire.input.hire_id)]

    await eventually(lambda: "email_sent" in events())  # the step's opening email is out
    before = hire.record()
    events_before = len(events())
    attempts = [
        (HireWorkflow.accept_item, ItemActionInput("no_such_item", "", "x"), "NotFound", "no such document or item"),
        (HireWorkflow.accept_item, ItemActionInput("passport", "", "x"), "Conflict", "belongs to “Worker applies for the work permit”, which is not open yet"),
        (HireWorkflow.accept_item, ItemActionInput("job_details", "", "x"), "Conflict", "only a received document can be accepted"),
        (HireWorkflow.waive_item, ItemActionInput("job_details", "  ", "x"), "Invalid", "Give a reason"),
        (HireWorkflow.record_decision, _decision("prepare_lmia", "approved"), "Invalid", "takes no decision"),
        (HireWorkflow.record_decision, _decision("lmia_decision", "approved"), "Conflict", "is not open yet"),
        (HireWorkflow.record_decision, _decision("nope", "x"), "NotFound", "no such step"),
        (HireWorkflow.change_deadline, DeadlineInput("prepare_lmia", (await hire.today()) - timedelta(days=1), "r", "x"), "Invalid", "can't be in the past"),
    ]  # fmt: skip
    for update, argument, kind, message in attempts:
        with pytest.raises(WorkflowUpdateFailedError) as err:
            await hire.handle.execute_update(update, argument)
        assert rejection(err).type == kind, message
        assert message in rejection(err).message
    after = hire.record()
    assert after.hire.version == before.hire.version
    assert [(i.key, i.status) for i in after.items] == [(i.key, i.status) for i in before.items]
    assert len(events()) == events_before

    # and a closed step refuses its items
    await hire.through("submit_lmia")
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await hire.waive("job_details")
    assert (
        "belongs to “Prepare the LMIA application”, which is done, not open"
        in rejection(err).message
    )


def _decision(step: str, outcome: str) -> DecisionInput:
    return DecisionInput(step, outcome, {}, "x")


async def test_withdrawing_during_the_two_week_clock_stops_it_without_a_result(
    ts_env: WorkflowEnvironment, ts_queue: Queue, sessions: SessionFactory, team: TeamKey
) -> None:
    hire = await start(
        ts_env, ts_queue, hire_input(team_id=team.team_id, name=unique_name("Stop")), sessions
    )
    await hire.through("work_permit_application")
    await hire.clear_items("work_permit_application")
    await hire.decide(
        "work_permit_application", "online", submitted_on=(await hire.today()).isoformat()
    )
    await ts_env.sleep(timedelta(days=3))
    await hire.handle.execute_update(HireWorkflow.withdraw, WithdrawInput("Role cancelled", "dana"))
    assert await result_after(ts_env, hire) == HireStatus.WITHDRAWN
    clock = hire.record().clocks[0]
    assert (clock.status, clock.elapsed_days) == ("stopped", 3)


async def test_a_decision_dated_implausibly_far_back_is_refused_not_taken(
    ts_env: WorkflowEnvironment, ts_queue: Queue, sessions: SessionFactory, team: TeamKey
) -> None:
    hire = await start(
        ts_env, ts_queue, hire_input(team_id=team.team_id, name=unique_name("Typo")), sessions
    )
    await hire.through("submit_lmia")
    await hire.clear_items("submit_lmia")
    today = await hire.today()
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await hire.decide(
            "submit_lmia", "submitted", submitted_on=today.replace(year=today.year - 10).isoformat()
        )
    assert rejection(err).type == "Invalid"
    assert "cannot be more than a year ago" in rejection(err).message
    with pytest.raises(WorkflowUpdateFailedError) as err:
        await hire.decide("submit_lmia", "submitted", submitted_on=today.isoformat(), kind="x")
    assert rejection(err).type == "Invalid"
    assert rejection(err).details[0] == {"kind": "This outcome does not take that field."}
    await hire.decide(
        "submit_lmia", "submitted", submitted_on=today.isoformat()
    )  # still takes actions
    assert hire.step("lmia_decision").status == "open"
