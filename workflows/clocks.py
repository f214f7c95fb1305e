"""Service-level clocks (the GTS two-week target): started and stopped by recorded dates,
with an at-risk notice and a missed notice while they run."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from functools import partial

from temporalio import workflow

from workflows.notices import Notices
from workflows.projection import Projection
from workflows.state import HireState, today

with workflow.unsafe.imports_passed_through():
    from contracts.hire import ClockState, ClockStatus, StepState
    from pathways.deadlines import NoticeKind, clock_notices
    from pathways.model import SlaClock


class Clocks:
    def __init__(self, state: HireState, projection: Projection, notices: Notices) -> None:
        self._state = state
        self._projection = projection
        self._notices = notices
        self.sending = 0  # runners sending a notice now (a continue-as-new waits for them)
        self.runners: set[asyncio.Task[None]] = set()  # picked up again by a new run

    def resume(self) -> None:
        """Run again the clocks a previous run left running."""
        for clock in self._state.clocks:
            if clock.status in (ClockStatus.RUNNING, ClockStatus.AT_RISK):
                self.runners.add(self._notices.spawn(self._run(clock)))

    def _defn(self, key: str) -> SlaClock:
        return next(c for c in self._state.pathway.clocks if c.key == key)

    def start_after(self, step: StepState) -> None:
        """Start the clocks this step's decision starts (its date field says when)."""
        for clock in self._state.clocks:
            defn = self._defn(clock.key)
            started = step.fields.get(defn.starts.field)
            outcome_ok = not defn.starts_on_outcomes or step.outcome in defn.starts_on_outcomes
            if (
                defn.starts.step == step.key
                and started
                and outcome_ok
                and clock.status == ClockStatus.NOT_STARTED
            ):
                clock.started_on, clock.status = date.fromisoformat(started), ClockStatus.RUNNING
                self._projection.event(
                    "clock_started", step=step.key, data={"clock": clock.key, "started_on": started}
                )
                self.runners.add(self._notices.spawn(self._run(clock)))

    def stop_after(self, step: StepState) -> None:
        """Stop the clocks this step's decision stops, on its decision date."""
        for clock in self._state.clocks:
            if clock.stops_after_step == step.key and clock.started_on is not None:
                decided = step.fields.get("decided_on")
                self.stop(clock, date.fromisoformat(decided) if decided else today())

    def stop_running(self, on: date) -> None:
        """The hire ended: stop every clock still running, without a result."""
        for clock in self._state.clocks:
            if clock.status in (ClockStatus.RUNNING, ClockStatus.AT_RISK, ClockStatus.MISSED):
                self.stop(clock, on, decided=False)

    def stop(self, clock: ClockState, on: date, *, decided: bool = True) -> None:
        """Stop a clock: met or missed when its decision came, just stopped when the hire
        ended without one."""
        assert clock.started_on is not None
        clock.stopped_on = on
        clock.elapsed_days = (on - clock.started_on).days
        if not decided:
            clock.status = ClockStatus.STOPPED
        elif clock.elapsed_days <= clock.target_day:
            clock.status = ClockStatus.MET
        else:
            clock.status = ClockStatus.MISSED_FINAL
        self._projection.event(
            "clock_stopped",
            data={
                "clock": clock.key,
                "elapsed_days": str(clock.elapsed_days),
                "result": clock.status.value,
            },
        )
        self._projection.changed()

    async def _run(self, clock: ClockState) -> None:
        assert clock.started_on is not None
        defn = self._defn(clock.key)
        for notice in clock_notices(defn, clock.started_on):
            delay = notice.at - workflow.now()
            if delay > timedelta(0):
                try:
                    await workflow.wait_condition(partial(_stopped, clock), timeout=delay)
                except TimeoutError:
                    pass
            if _stopped(clock):
                return
            at_risk = notice.kind == NoticeKind.CLOCK_AT_RISK
            if at_risk and clock.status == ClockStatus.AT_RISK:
                continue  # announced by a previous run
            clock.status = ClockStatus.AT_RISK if at_risk else ClockStatus.MISSED
            clock.elapsed_days = notice.days
            self._projection.event(
                notice.kind.value, data={"clock": clock.key, "day": str(notice.days)}
            )
            self._projection.changed()
            self.sending += 1
            try:
                await self._notices.email(
                    notice.kind.value,
                    notice.key,
                    [self._state.input.hr_owner.email] if at_risk else self._state.hr_and_manager(),
                    step=self._state.step(clock.stops_after_step),
                    days=notice.days,
                    facts={
                        "clock": clock.title,
                        "started_on": clock.started_on.isoformat(),
                        "target_on": (
                            clock.started_on + timedelta(days=clock.target_day)
                        ).isoformat(),
                        "days_left": str(max(clock.target_day - notice.days, 0)),
                    },
                    due_at=notice.at,
                )
            finally:
                self.sending -= 1


def _stopped(clock: ClockState) -> bool:
    return clock.status not in (ClockStatus.RUNNING, ClockStatus.AT_RISK)
