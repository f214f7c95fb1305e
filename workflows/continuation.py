"""Continue-as-new: a hire's run ends and the next starts from the carried state, so its
history stays short however long it lives (a permit tracked for years) and however many
actions HR takes (Temporal caps a run at 2,000 updates and warns at 10,240 events)."""

from __future__ import annotations

import dataclasses

from temporalio import workflow

from workflows import patches
from workflows.clocks import Clocks
from workflows.notices import Notices
from workflows.projection import Projection
from workflows.state import HireState

with workflow.unsafe.imports_passed_through():
    from contracts.hire import HireInput

# Well before Temporal's warnings; each run starts from the carried state.
CONTINUE_AFTER_EVENTS = 2_000
CONTINUE_AFTER_ACTIONS = 500


class Continuation:
    def __init__(
        self, state: HireState, projection: Projection, notices: Notices, clocks: Clocks
    ) -> None:
        self._state = state
        self._projection = projection
        self._notices = notices
        self._clocks = clocks

    def wanted(self) -> bool:
        """The run's history has grown long (asked at the main loop's rests only)."""
        info = workflow.info()
        long = (
            info.is_continue_as_new_suggested()
            or info.get_current_history_length() >= CONTINUE_AFTER_EVENTS
            or self._state.actions_this_run >= CONTINUE_AFTER_ACTIONS
        )
        return long and workflow.patched(patches.CONTINUE_AS_NEW)

    def ready(self) -> bool:
        """Nothing in flight that a new run could not pick up: every change projected, every
        update answered, every email sent (the clocks' waits are picked up again)."""
        return (
            not self._projection.behind
            and workflow.all_handlers_finished()
            and self._clocks.sending == 0
            and all(t.done() for t in self._notices.tasks if t not in self._clocks.runners)
        )

    def next_input(self) -> HireInput:
        carry = self._state.carry(self._projection.version, self._projection.seq)
        return dataclasses.replace(self._state.input, carry=carry)
