"""The recorder: idempotent, and a late retry of an older version never overwrites newer state."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from sqlmodel import select
from temporalio.exceptions import ApplicationError

from activities.recorder import Recorder
from contracts.activities import RecordInput
from contracts.hire import (
    DocumentRef,
    Event,
    HireSnapshot,
    HireStatus,
    ItemState,
    ItemStatus,
    StepState,
    StepStatus,
    summary_of,
)
from store.db import SessionFactory
from store.models import Document, Hire, HireEvent, HireItem, HireStep
from testkit.samples import hire_input
from tests.conftest import TeamKey
from tests.helpers import unique_name


def snapshot(
    team: TeamKey,
    version: int,
    status: StepStatus,
    events: list[Event],
    documents: list[DocumentRef],
) -> HireSnapshot:
    hire = hire_input(
        team_id=team.team_id,
        name=unique_name(),
        hire_id="hire-00000000-0000-0000-0000-" + team.team_id[-12:],
    )
    now = datetime.now(UTC)
    item = ItemState(
        "passport",
        "apply",
        "Passport",
        "",
        "worker",
        True,
        ItemStatus.RECEIVED,
        documents=documents,
    )
    step = StepState("apply", "Apply", "worker", "", [item], status=status)
    return HireSnapshot(
        hire.hire_id, team.team_id, "gts", hire.rules_version, "B", HireStatus.ACTIVE, hire.candidate,
        hire.position, hire.hr_owner, hire.manager, [step], [], now, now, version, new_events=events,
    )  # fmt: skip


def test_retries_and_late_versions_change_nothing(sessions: SessionFactory, team: TeamKey) -> None:
    recorder = Recorder(sessions)
    now = datetime.now(UTC)
    doc = DocumentRef("doc-1", "a" * 64, "p.pdf", "application/pdf", 10, now)
    v1 = snapshot(team, 1, StepStatus.OPEN, [Event(1, now, "hire_created")], [])
    v2 = snapshot(team, 2, StepStatus.DONE, [Event(2, now, "document_received")], [doc])
    assert recorder.record(RecordInput(v1)).applied
    assert recorder.record(RecordInput(v2)).applied
    assert not recorder.record(RecordInput(v2)).applied  # a retry of the same version
    assert not recorder.record(RecordInput(dataclasses.replace(v1))).applied  # a late, older one
    with sessions() as session:
        hire = session.get(Hire, v1.hire_id)
        assert hire is not None and hire.version == 2 and hire.steps_done == 1
        assert [
            e.seq for e in session.exec(select(HireEvent).where(HireEvent.hire_id == v1.hire_id))
        ] == [1, 2]
        assert len(session.exec(select(Document).where(Document.hire_id == v1.hire_id)).all()) == 1


def test_a_partial_snapshot_changes_only_its_steps_and_keeps_their_order(
    sessions: SessionFactory, team: TeamKey
) -> None:
    recorder = Recorder(sessions)
    first = snapshot(team, 1, StepStatus.DONE, [], [])
    later = StepState(
        "permit",
        "Permit",
        "cbsa",
        "",
        [ItemState("letter", "permit", "Letter", "", "worker", True)],
    )
    first.steps.append(later)
    first.summary = summary_of(first.steps)  # a hire's first projection: every step
    assert recorder.record_changes(RecordInput(first)).applied
    opened = dataclasses.replace(later, status=StepStatus.OPEN)
    second = dataclasses.replace(first, version=2, steps=[opened])
    second.summary = summary_of([first.steps[0], opened])
    assert recorder.record_changes(RecordInput(second)).applied
    with sessions() as session:
        hire = session.get(Hire, first.hire_id)
        assert hire is not None
        assert (hire.current_step, hire.steps_done, hire.steps_total) == ("permit", 1, 2)
        rows = session.exec(
            select(HireStep).where(HireStep.hire_id == first.hire_id).order_by(HireStep.ordinal)
        ).all()
        assert [(r.key, r.status) for r in rows] == [("apply", "done"), ("permit", "open")]
        items = session.exec(
            select(HireItem).where(HireItem.hire_id == first.hire_id).order_by(HireItem.ordinal)
        ).all()
        assert [i.key for i in items] == ["passport", "letter"]


def test_record_changes_refuses_a_snapshot_without_its_summary(
    sessions: SessionFactory, team: TeamKey
) -> None:
    with pytest.raises(ApplicationError, match="summary") as raised:
        Recorder(sessions).record_changes(RecordInput(snapshot(team, 1, StepStatus.OPEN, [], [])))
    assert raised.value.non_retryable


def test_a_partial_snapshot_that_skips_a_version_is_refused_and_writes_nothing(
    sessions: SessionFactory, team: TeamKey
) -> None:
    """The store lost a version (restored from a backup): the changes alone would leave it
    wrong, so the recorder refuses them and the workflow sends everything."""
    recorder = Recorder(sessions)
    first = snapshot(team, 1, StepStatus.OPEN, [], [])
    first.summary = summary_of(first.steps)
    assert recorder.record_changes(RecordInput(first)).applied
    skipped = dataclasses.replace(
        first, version=3, steps=[dataclasses.replace(first.steps[0], status=StepStatus.DONE)]
    )
    skipped.summary = summary_of(skipped.steps)
    assert not recorder.record_changes(RecordInput(skipped)).applied
    whole = dataclasses.replace(skipped, version=4, summary=None)
    assert recorder.record(RecordInput(whole)).applied
    with sessions() as session:
        hire = session.get(Hire, first.hire_id)
        assert hire is not None and hire.version == 4 and hire.steps_done == 1
