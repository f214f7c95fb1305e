"""The hire as the store shows it: the workflow's changes, its timeline events, and the
projections that write them (the recorder activity), with the read-your-writes handshake.

Only the main loop projects. An update changes the state and counts a change, then waits
(:meth:`Projection.caught_up`) until the main loop is idle, having reacted to the change
(opened the next step, say) and projected it, so its caller reads what it wrote."""

from __future__ import annotations

import copy
from datetime import timedelta
from functools import partial

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows import patches
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


class Projection:
    """Counts the hire's changes and what has been projected of them, numbers its events,
    and writes snapshots to the store in version order."""

    def __init__(self) -> None:
        self.changes = 0  # every change to the state counts one
        self.projected = 0  # the changes the store has seen
        self.idle = False  # the main loop is waiting (it has reacted to every change)
        self.version = 0  # of the last snapshot sent; only grows
        self._seq = 0  # the timeline's numbering (events and the emails' lines)
        self._pending: list[Event] = []
        # the steps and clocks as the store holds them (copies), for partial projections
        self._recorded_steps: dict[str, StepState] = {}
        self._recorded_clocks: dict[str, ClockState] = {}

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

    async def rest(self, limit: timedelta | None) -> None:
        """Wait idle until the next change, or for ``limit`` at most (None: no limit)."""
        seen = self.changes
        self.idle = True
        try:
            await workflow.wait_condition(partial(self.changed_since, seen), timeout=limit)
        except TimeoutError:
            pass
        finally:
            self.idle = False

    async def caught_up(self, change: int) -> None:
        """Wait until the main loop has reacted to ``change`` and projected it."""
        await workflow.wait_condition(lambda: self.idle and self.projected >= max(change, 1))

    # ---- writing ----

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
        snapshot = _snapshot(state, steps, clocks, self.version, events, changes_only)
        try:
            recorded = await workflow.execute_activity(
                ActivityName.RECORD_CHANGES if changes_only else ActivityName.RECORD,
                RecordInput(snapshot),
                result_type=RecordResult,
                start_to_close_timeout=RECORD_TIMEOUT,
                retry_policy=RECORD_RETRY,
            )
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
        self.projected = max(self.projected, target)


def _snapshot(
    state: HireState,
    steps: list[StepState],
    clocks: list[ClockState],
    version: int,
    events: list[Event],
    partial: bool,
) -> HireSnapshot:
    input = state.input
    return HireSnapshot(
        hire_id=input.hire_id,
        team_id=input.team_id,
        pathway=input.pathway,
        rules_version=input.rules_version,
        category=input.category,
        status=state.status,
        candidate=input.candidate,
        position=input.position,
        hr_owner=input.hr_owner,
        manager=input.manager,
        steps=steps,
        clocks=clocks,
        created_at=state.created_at,
        updated_at=state.updated_at,
        version=version,
        request_hash=input.request_hash,
        closed_at=state.closed_at,
        new_events=events,
        screening=input.screening,
        summary=summary_of(state.steps) if partial else None,
    )
