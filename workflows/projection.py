"""The hire as the store shows it: the workflow's changes, its timeline events, and the
projections that write them (the recorder activity), with the read-your-writes handshake.

Only the main loop projects. An update changes the state and counts a change, then waits
(:meth:`Projection.caught_up`) until the main loop is idle, having reacted to the change
(opened the next step, say) and projected it, so its caller reads what it wrote."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import partial

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, FailureError

from workflows import patches, search
from workflows.state import HireState

with workflow.unsafe.imports_passed_through():
    from contracts.activities import ActivityName, RecordInput, RecordResult
    from contracts.hire import ClockState, Event, HireSnapshot, StepState, summary_of

# A worker that dies mid-activity is noticed when the activity's start-to-close timeout
# passes; then the activity is retried elsewhere (idempotently).
RECORD_TIMEOUT = timedelta(seconds=15)
RECORD_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30)
)
# The projection runs as a local activity first (no round trip through Temporal's matching,
# and its input stays out of the history), bounded at 4 s, inside the workflow task's timeout
# (5 s for hires started since 2026-12-03, 10 s before; the SDK heartbeats a task whose local
# activity runs past 80% of it); if the store is down it falls back to a regular activity with the retry above, so
# an outage costs a few history events per hire rather than a heartbeat every few seconds.
LOCAL_RECORD_TIMEOUT = timedelta(seconds=2)
LOCAL_RECORD_LIMIT = timedelta(seconds=4)
LOCAL_RECORD_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    maximum_interval=timedelta(seconds=2),
    maximum_attempts=4,
)


class Projection:
    """Counts the hire's changes and what has been projected of them, numbers its events,
    and writes snapshots to the store in version order."""

    def __init__(self) -> None:
        self.changes = 0  # every change to the state counts one
        self.projected = 0  # the changes the store has seen
        self.idle = False  # the main loop is waiting (it has reacted to every change)
        self.version = 0  # of the last snapshot sent; only grows
        self.refused = 0  # projections the store refused for good
        self._seq = 0  # the timeline's numbering (events and the emails' lines)
        self._pending: list[Event] = []
        # the steps and clocks as the store holds them (copies), for partial projections
        self._recorded_steps: dict[str, StepState] = {}
        self._recorded_clocks: dict[str, ClockState] = {}
        self._indexed: tuple[str, str, datetime | None] | None = None  # search attributes

    def resume(self, version: int, seq: int) -> None:
        """Go on from a previous run's numbering: the store holds ``version``, with nothing
        left to project."""
        self.version, self._seq = version, seq
        self.changes = self.projected = 1

    @property
    def seq(self) -> int:
        return self._seq

    # ---- changes and events ----

    def changed(self) -> None:
        self.changes += 1

    def changed_since(self, seen: int) -> bool:
        return self.changes != seen

    @property
    def behind(self) -> bool:
        """Some change has not reached the store yet."""
        return self.projected < self.changes

    def event(
        self,
        kind: str,
        actor: str = "",
        step: str = "",
        item: str = "",
        data: dict[str, str] | None = None,
    ) -> int:
        """Add a line to the hire's timeline (written with the next projection)."""
        seq = self.reserve_seq()
        self._pending.append(
            Event(seq, workflow.now(), kind, actor or "system", step, item, data or {})
        )
        return seq

    def reserve_seq(self) -> int:
        """A timeline number for a line someone else writes (an email's, by the notifier)."""
        self._seq += 1
        return self._seq

    # ---- waiting ----

    async def rest(
        self, limit: timedelta | None, *, wake: Callable[[], bool] | None = None
    ) -> None:
        """Wait idle until the next change (or ``wake`` says so), or for ``limit`` at most
        (None: no limit)."""
        seen = self.changes
        self.idle = True
        condition = partial(self.changed_since, seen)
        if wake is not None:
            condition = partial(_either, condition, wake)
        try:
            await workflow.wait_condition(condition, timeout=limit)
        except TimeoutError:
            pass
        finally:
            self.idle = False

    async def caught_up(self, change: int) -> None:
        """Wait until the main loop has reacted to ``change`` and projected it."""
        await workflow.wait_condition(lambda: self.idle and self.projected >= max(change, 1))

    # ---- writing ----

    def _index(self, state: HireState) -> None:
        """Upsert the hire's searchable status, step and next due date when they change."""
        if not state.input.search_attributes:
            return
        summary = summary_of(state.steps)
        indexed = (state.status.value, summary.current_step, summary.next_due_at)
        if indexed != self._indexed and workflow.patched(patches.SEARCH_ATTRIBUTES):
            workflow.upsert_search_attributes(search.updates(*indexed))
            self._indexed = indexed

    async def project(self, state: HireState, *, whole: bool = False) -> None:
        """Write the hire's current state to the store (only the main loop calls this)."""
        target = self.changes
        self.version += 1
        state.updated_at = workflow.now()
        events, self._pending = self._pending, []
        changes_only = not whole and workflow.patched(patches.RECORD_CHANGES)
        if changes_only:  # copies: what is sent is what the store will hold
            steps = [copy.deepcopy(s) for s in state.steps if self._recorded_steps.get(s.key) != s]
            clocks = [
                copy.deepcopy(c) for c in state.clocks if self._recorded_clocks.get(c.key) != c
            ]
        else:
            steps, clocks = state.steps, state.clocks
        self._index(state)
        snapshot = _snapshot(state, steps, clocks, self.version, events, changes_only)
        name = ActivityName.RECORD_CHANGES if changes_only else ActivityName.RECORD
        try:
            recorded = await _record(name, RecordInput(snapshot))
        except FailureError as err:
            self._pending = events + self._pending
            if not _non_retryable(err):
                raise
            # The store refused this state for good (a data error): say so loudly, and let
            # the hire go on; the next projection sends a whole snapshot.
            workflow.logger.error("the store refused projection %s: %s", self.version, err)
            self.refused += 1
            self.projected = max(self.projected, target)
            return
        except BaseException:
            self._pending = events + self._pending
            raise
        if changes_only and not recorded.applied:
            # The store does not hold the version before this one (restored from a backup,
            # say), so the changes alone would leave it wrong: send everything, once.
            self._recorded_steps.clear()
            self._recorded_clocks.clear()
            self._pending = events + self._pending
            await self.project(state, whole=True)
            return
        if changes_only:
            self._recorded_steps.update((s.key, s) for s in steps)
            self._recorded_clocks.update((c.key, c) for c in clocks)
        # After a reset the store numbered this snapshot on from its own: go on from there.
        self.version = max(self.version, recorded.version)
        self._seq = max(self._seq, recorded.last_seq)
        # The store keeps every document an item received; the state keeps only the latest,
        # so a hire's state does not grow with each upload.
        _latest_documents(state.steps)
        _latest_documents(self._recorded_steps.values())
        self.projected = max(self.projected, target)


# What a snapshot says as the hire's input says it.
_FROM_INPUT = (
    "hire_id", "team_id", "pathway", "rules_version", "category", "candidate", "position",
    "hr_owner", "manager", "request_hash", "screening",
)  # fmt: skip


def _latest_documents(steps: Iterable[StepState]) -> None:
    for step in steps:
        for item in step.items:
            if len(item.documents) > 1:
                del item.documents[:-1]


def _either(first: Callable[[], bool], second: Callable[[], bool]) -> bool:
    return first() or second()


async def _record(name: str, input: RecordInput) -> RecordResult:
    if workflow.patched(patches.LOCAL_PROJECTION):
        try:
            return await workflow.execute_local_activity(
                name,
                input,
                result_type=RecordResult,
                start_to_close_timeout=LOCAL_RECORD_TIMEOUT,
                schedule_to_close_timeout=LOCAL_RECORD_LIMIT,
                retry_policy=LOCAL_RECORD_RETRY,
            )
        except FailureError as err:  # a local activity's failure comes unwrapped, or wrapped
            if _non_retryable(err):
                raise
            workflow.logger.warning("projection falls back to a regular activity: %s", err)
    return await workflow.execute_activity(
        name,
        input,
        result_type=RecordResult,
        start_to_close_timeout=RECORD_TIMEOUT,
        retry_policy=RECORD_RETRY,
    )


def _non_retryable(err: FailureError) -> bool:
    cause = err.cause if isinstance(err, ActivityError) else err
    return isinstance(cause, ApplicationError) and cause.non_retryable


def _snapshot(
    state: HireState,
    steps: list[StepState],
    clocks: list[ClockState],
    version: int,
    events: list[Event],
    partial: bool,
) -> HireSnapshot:
    same = {name: getattr(state.input, name) for name in _FROM_INPUT}
    return HireSnapshot(
        **same,
        status=state.status,
        steps=steps,
        clocks=clocks,
        created_at=state.created_at,
        updated_at=state.updated_at,
        version=version,
        closed_at=state.closed_at,
        new_events=events,
        summary=summary_of(state.steps) if partial else None,
        run_id=workflow.info().run_id,
    )
