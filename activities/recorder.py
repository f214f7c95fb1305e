"""The recorder: projects a hire's state into the store, idempotently and in version order."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import store_errors
from activities.reconciler import HALTED_SEQ
from contracts.activities import ActivityName, RecordInput, RecordResult
from contracts.hire import (
    ClockState,
    DocumentRef,
    Event,
    HireSnapshot,
    ItemState,
    StepState,
    summary_of,
)
from store.db import SessionFactory, session_scope
from store.hire_facts import candidate_json, position_json
from store.models import Document, Hire, HireClock, HireEvent, HireItem, HireStep
from store.search import folded
from store.text import storable


class Recorder:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    @activity.defn(name=ActivityName.RECORD)
    def record(self, input: RecordInput) -> RecordResult:
        """A whole snapshot: every step and clock (hires started before record_changes)."""
        return self._record(input)

    @activity.defn(name=ActivityName.RECORD_CHANGES)
    def record_changes(self, input: RecordInput) -> RecordResult:
        """A partial snapshot: the hire, its summary, and the steps and clocks that changed."""
        if input.snapshot.summary is None:
            raise ApplicationError("record_changes needs a summary", non_retryable=True)
        return self._record(input)

    def _record(self, input: RecordInput) -> RecordResult:
        snapshot = storable(input.snapshot)
        last_seq = 0
        with store_errors(), session_scope(self._sessions) as session:
            before = session.get(Hire, snapshot.hire_id)
            by_run = before.run_id if before is not None else ""
            applied = _claim(session, snapshot)
            if not applied and (taken := _take_over(session, snapshot)) is not None:
                snapshot, applied = taken, True
            if applied and _reset_run(session, snapshot, by_run):
                snapshot = _renumbered(session, snapshot)
                last_seq = snapshot.new_events[-1].seq
            hire = session.get(Hire, snapshot.hire_id)
            if applied:
                _write_hire(session, hire, snapshot)
                session.flush()
                _write_steps(session, snapshot)
            if applied or hire is not None:
                _insert_events(session, snapshot)
        return RecordResult(version=snapshot.version, applied=applied, last_seq=last_seq)


def _claim(session: Session, snapshot: HireSnapshot) -> bool:
    """Take this version for the hire, atomically: True when the store held an older one
    (or none). A conditional UPDATE, because SQLite ignores SELECT ... FOR UPDATE: a late
    retry of an older version finds nothing to update and writes nothing.

    A partial snapshot (only what changed) needs the store to hold exactly the version
    before it; otherwise nothing is written and the workflow sends a whole one."""
    partial = snapshot.summary is not None
    older = (
        col(Hire.version) == snapshot.version - 1
        if partial
        else col(Hire.version) < snapshot.version
    )
    claimed = session.execute(
        sa.update(Hire)
        .where(col(Hire.id) == snapshot.hire_id, older)
        .values(version=snapshot.version)
    )
    if claimed.rowcount == 1:  # type: ignore[attr-defined]
        return True
    missing = session.get(Hire, snapshot.hire_id) is None
    return missing and (not partial or snapshot.version == 1)  # new: the INSERT claims it


def _take_over(session: Session, snapshot: HireSnapshot) -> HireSnapshot | None:
    """A whole snapshot from a later run of the workflow than the one that wrote the store's
    version (an operator reset it to an earlier point, so its versions restarted from there)
    takes the store over at the store's next version. None when it is not that (a late retry
    of an earlier version, say: it carries an earlier time)."""
    if snapshot.summary is not None or not snapshot.run_id:
        return None
    hire = session.get(Hire, snapshot.hire_id)
    if hire is None or not hire.run_id or hire.run_id == snapshot.run_id:
        return None
    if snapshot.updated_at <= hire.updated_at:
        return None
    claimed = session.execute(
        sa.update(Hire)
        .where(col(Hire.id) == snapshot.hire_id, col(Hire.version) == hire.version)
        .values(version=hire.version + 1)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return dataclasses.replace(snapshot, version=hire.version + 1)


def _last_seq(session: Session, hire_id: str) -> int:
    last = session.execute(
        sa.select(sa.func.max(col(HireEvent.seq))).where(
            col(HireEvent.hire_id) == hire_id, col(HireEvent.seq) < HALTED_SEQ
        )
    ).scalar()
    return int(last or 0)


def _reset_run(session: Session, snapshot: HireSnapshot, by_run: str) -> bool:
    """Events from a run other than the one that wrote the store, numbered at or below the
    store's last: a run reset to an earlier point (a continued run goes on from the carried
    numbering, so its events never are)."""
    if not snapshot.new_events or not by_run or by_run == snapshot.run_id:
        return False
    return snapshot.new_events[0].seq <= _last_seq(session, snapshot.hire_id)


def _renumbered(session: Session, snapshot: HireSnapshot) -> HireSnapshot:
    """The reset run's events numbered after the store's last, its own line first."""
    base = _last_seq(session, snapshot.hire_id) + 1
    reset = Event(base, snapshot.updated_at, "workflow_reset", "system")
    events = [dataclasses.replace(e, seq=base + n) for n, e in enumerate(snapshot.new_events, 1)]
    return dataclasses.replace(snapshot, new_events=[reset, *events])


def _write_hire(session: Session, hire: Hire | None, s: HireSnapshot) -> None:
    summary = s.summary or summary_of(s.steps)
    values: dict[str, Any] = {
        "team_id": s.team_id,
        "pathway": s.pathway,
        "category": s.category,
        "rules_version": s.rules_version,
        "status": s.status.value,
        "candidate_name": s.candidate.name,
        "search_name": folded(s.candidate.name)[:200],
        "candidate_email": s.candidate.email,
        "candidate": candidate_json(s.candidate),
        "position_title": s.position.title,
        "noc": s.position.noc,
        "province": s.position.province,
        "position": position_json(s.position),
        "screening": dataclasses.asdict(s.screening) if s.screening else {},
        "hr_owner_name": s.hr_owner.name,
        "hr_owner_email": s.hr_owner.email,
        "manager_name": s.manager.name,
        "manager_email": s.manager.email,
        "current_step": summary.current_step,
        "steps_done": summary.steps_done,
        "steps_total": summary.steps_total,
        "next_due_at": summary.next_due_at,
        "next_due_step": summary.next_due_step,
        "request_hash": s.request_hash,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "closed_at": s.closed_at,
        "version": s.version,
        "run_id": s.run_id,
    }
    expires = _permit_expiry(s.steps)
    if expires is not None or s.summary is None:  # a partial snapshot may not carry the step
        values["permit_expires_on"] = expires
    if hire is None:
        session.add(Hire(id=s.hire_id, **values))
    else:
        for name, value in values.items():
            setattr(hire, name, value)


def _permit_expiry(steps: list[StepState]) -> date | None:
    """The issued permit's expiry: the last step with an ``expires_on`` decision field (what
    the workflow tracks)."""
    for step in reversed(steps):
        raw = step.fields.get("expires_on")
        if raw:
            try:
                return date.fromisoformat(str(raw))
            except ValueError:
                return None
    return None


def _write_steps(session: Session, s: HireSnapshot) -> None:
    """Bring the hire's step, item, clock and document rows to the snapshot: one read per
    table, then only the rows that changed are written (the session tracks the changes)."""
    steps = {r.key: r for r in session.exec(select(HireStep).where(HireStep.hire_id == s.hire_id))}
    items = {r.key: r for r in session.exec(select(HireItem).where(HireItem.hire_id == s.hire_id))}
    clocks = {
        r.key: r for r in session.exec(select(HireClock).where(HireClock.hire_id == s.hire_id))
    }
    known_docs = set(session.exec(select(Document.id).where(Document.hire_id == s.hire_id)).all())
    ordinals = _Ordinals(steps, items, whole=s.summary is None)
    new: dict[type[Any], list[Any]] = {}  # rows to insert, in one statement per table
    for position, step in enumerate(s.steps):
        ordinal = ordinals.step(position, step.key)
        _upsert(new, steps.get(step.key), HireStep, **_step_values(s.hire_id, step, ordinal))
        for item in step.items:
            ordinal = ordinals.item(item.key)
            values = _item_values(s.hire_id, step.key, item, ordinal)
            _upsert(new, items.get(item.key), HireItem, **values)
            for doc in item.documents:
                if doc.id not in known_docs:
                    known_docs.add(doc.id)
                    new.setdefault(Document, []).append(_document_row(s.hire_id, item.key, doc))
    for clock in s.clocks:
        _upsert(new, clocks.get(clock.key), HireClock, **_clock_values(s.hire_id, clock))
    _insert_all(session, new)


class _Ordinals:
    """Rows' positions. A whole snapshot (every hire's first projection is one) gives them;
    a partial one keeps the stored positions, and places a row it has not seen last."""

    def __init__(
        self, steps: dict[str, HireStep], items: dict[str, HireItem], *, whole: bool
    ) -> None:
        self._steps, self._items, self._whole = steps, items, whole
        self._next_step, self._next_item = len(steps), len(items) + 1
        self._item = 0

    def step(self, position: int, key: str) -> int:
        known = self._steps.get(key)
        if self._whole:
            return position
        if known:
            return known.ordinal
        self._next_step += 1
        return self._next_step - 1

    def item(self, key: str) -> int:
        self._item += 1
        known = self._items.get(key)
        if self._whole:
            return self._item
        if known:
            return known.ordinal
        self._next_item += 1
        return self._next_item - 1


def _step_values(hire_id: str, step: StepState, ordinal: int) -> dict[str, Any]:
    return {
        "hire_id": hire_id,
        "key": step.key,
        "ordinal": ordinal,
        "title": step.title,
        "owner": step.owner,
        "status": step.status.value,
        "service_standard": step.service_standard,
        "deadline_note": step.deadline_note,
        "decision_outcomes": list(step.decision_outcomes),
        "opened_at": step.opened_at,
        "due_on": step.due_on,
        "due_at": step.due_at,
        "deadline_changed": step.deadline_changed,
        "completed_at": step.completed_at,
        "outcome": step.outcome,
        "fields": dict(step.fields),
        "decided_by": step.decided_by,
    }


def _item_values(hire_id: str, step_key: str, item: ItemState, ordinal: int) -> dict[str, Any]:
    return {
        "hire_id": hire_id,
        "key": item.key,
        "step_key": step_key,
        "ordinal": ordinal,
        "title": item.title,
        "description": item.description,
        "owner": item.owner,
        "required": item.required,
        "status": item.status.value,
        "reason": item.reason,
        "updated_at": item.updated_at,
    }


def _document_row(hire_id: str, item_key: str, doc: DocumentRef) -> Document:
    return Document(
        id=doc.id,
        hire_id=hire_id,
        item_key=item_key,
        sha256=doc.sha256,
        filename=doc.filename,
        content_type=doc.content_type,
        size=doc.size,
        uploaded_at=doc.uploaded_at,
        uploaded_by=doc.uploaded_by,
    )


def _clock_values(hire_id: str, clock: ClockState) -> dict[str, Any]:
    return {
        "hire_id": hire_id,
        "key": clock.key,
        "title": clock.title,
        "status": clock.status.value,
        "stops_after_step": clock.stops_after_step,
        "at_risk_day": clock.at_risk_day,
        "target_day": clock.target_day,
        "started_on": clock.started_on,
        "stopped_on": clock.stopped_on,
        "elapsed_days": clock.elapsed_days,
    }


def _insert_all(session: Session, new: dict[type[Any], list[Any]]) -> None:
    """One multi-row INSERT per table (the ORM would add them one at a time)."""
    for model in (HireStep, HireItem, Document, HireClock, HireEvent):  # parents first
        rows = new.get(model)
        if rows:
            session.execute(sa.insert(model), [row.model_dump() for row in rows])


def _upsert(new: dict[type[Any], list[Any]], row: Any, model: type[Any], **values: Any) -> None:
    """A new row joins ``new``; a stored one gets only the values that differ (no UPDATE
    when none do)."""
    if row is None:
        new.setdefault(model, []).append(model(**values))
        return
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def _insert_events(session: Session, s: HireSnapshot) -> None:
    if not s.new_events:
        return
    seqs = [e.seq for e in s.new_events]
    existing = set(
        session.exec(
            select(HireEvent.seq).where(HireEvent.hire_id == s.hire_id, HireEvent.seq.in_(seqs))  # type: ignore[attr-defined]
        ).all()
    )
    rows = [
        HireEvent(
            hire_id=s.hire_id,
            seq=event.seq,
            at=event.at,
            kind=event.kind,
            actor=event.actor,
            step=event.step,
            item=event.item,
            data=dict(event.data),
        )
        for event in s.new_events
        if event.seq not in existing
    ]
    _insert_all(session, {HireEvent: rows})
