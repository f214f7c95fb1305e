"""The projected plan: each remaining step's earliest and expected dates, counted from today
with each step's standard and the holiday calendar; a late step moves every later date."""

from __future__ import annotations

from datetime import date

from pathways import registry
from pathways.calendar import service_standard_due
from pathways.deadlines import due_date
from pathways.eligibility import facts_of
from pathways.plan import StepNow, project
from testkit.samples import hire_input

GTS = registry.current("gts")
HIRE = hire_input(team_id="t", name="Plan")
FACTS = facts_of(HIRE.candidate, HIRE.position, HIRE.category)
KEYS = [s.key for s in GTS.steps_for(FACTS)]


def steps(
    open_key: str, due_on: date, fields: dict[str, dict[str, str]] | None = None
) -> list[StepNow]:
    at = KEYS.index(open_key)
    owners = {s.key: s.owner.value for s in GTS.steps}
    return [
        StepNow(
            key,
            "done" if n < at else "open" if n == at else "pending",
            owners[key],
            due_on if n == at else None,
            (fields or {}).get(key, {}),
        )
        for n, key in enumerate(KEYS)
    ]


def test_every_remaining_step_gets_dates_and_the_permit_comes_after_the_last() -> None:
    today = date(2026, 12, 3)
    plan = project(GTS, FACTS, steps("prepare_lmia", date(2026, 12, 17)), today, date(2027, 3, 1))
    assert [p.key for p in plan.steps] == KEYS
    first, submit, esdc = plan.steps[:3]
    assert (first.earliest, first.expected) == (today, date(2026, 12, 17))
    # the employer could submit today; ESDC then takes its standard of 10 business days
    assert submit.earliest == today
    assert esdc.earliest == service_standard_due(today, 10)
    assert esdc.expected == service_standard_due(submit.expected, 10)
    for before, after in zip(plan.steps, plan.steps[1:], strict=False):
        assert after.earliest >= before.earliest and after.expected >= before.expected
    assert plan.permit_expected == plan.steps[-1].expected
    assert plan.permit_earliest == plan.steps[-1].earliest < plan.permit_expected
    assert plan.days_late_for_start == (plan.permit_expected - date(2027, 3, 1)).days > 0


def test_a_late_step_moves_every_later_date_and_is_marked() -> None:
    due = date(2026, 12, 17)
    on_time = project(GTS, FACTS, steps("prepare_lmia", due), date(2026, 12, 10), None)
    late = project(GTS, FACTS, steps("prepare_lmia", due), date(2027, 1, 8), None)
    assert not on_time.steps[0].late and late.steps[0].late
    assert late.steps[0].expected == date(2027, 1, 8)  # not in the past: today at the soonest
    assert late.permit_expected is not None and on_time.permit_expected is not None
    assert late.permit_expected > on_time.permit_expected
    assert late.days_late_for_start == 0  # no planned start date given


def test_a_recorded_date_anchors_the_next_deadline() -> None:
    submitted = date(2026, 12, 1)
    recorded = {"submit_lmia": {"submitted_on": submitted.isoformat()}}
    plan = project(
        GTS, FACTS, steps("lmia_decision", date(2026, 12, 15), recorded), date(2026, 12, 3), None
    )
    send = next(p for p in plan.steps if p.key == "send_lmia_to_worker")
    assert plan.steps[0].key == "lmia_decision" and plan.steps[0].expected == date(2026, 12, 15)
    assert send.earliest == date(2026, 12, 15)  # ESDC's open step: its standard
    rule = GTS.step("send_lmia_to_worker").deadline_for(FACTS)
    assert send.expected == due_date(rule, date(2026, 12, 15))  # counted from ESDC's date


def test_a_step_without_a_published_standard_can_be_done_the_day_it_opens() -> None:
    """CBSA's 30 days are a travel window hirepath suggests, not a standard: at the earliest,
    the permit comes the day IRCC's standard ends."""
    today = date(2026, 12, 3)
    plan = project(GTS, FACTS, steps("prepare_lmia", date(2026, 12, 17)), today, None)
    ircc, cbsa = plan.steps[-2], plan.steps[-1]
    assert (ircc.key, cbsa.key) == ("work_permit_decision", "port_of_entry")
    assert cbsa.earliest == ircc.earliest
    assert cbsa.expected > ircc.expected  # the travel window still counts when expected


def test_cusma_and_ict_hires_are_planned_and_the_border_route_skips_irccs_decision() -> None:
    today = date(2026, 12, 3)
    for key, arguments in (
        ("cusma", {"category": "T36", "citizenships": ("US",)}),
        ("ict", {"category": "C62"}),
    ):
        pathway = registry.current(key)
        hire = hire_input(team_id="t", name="Plan", pathway=key, **arguments)
        facts = facts_of(hire.candidate, hire.position, hire.category)
        keys = [s.key for s in pathway.steps_for(facts)]
        owners = {s.key: s.owner.value for s in pathway.steps}
        now = [
            StepNow(k, "open" if n == 0 else "pending", owners[k], today if n == 0 else None)
            for n, k in enumerate(keys)
        ]
        plan = project(pathway, facts, now, today, None)
        assert [p.key for p in plan.steps] == keys, key
        assert plan.permit_earliest is not None and plan.permit_expected is not None
        assert today <= plan.permit_earliest <= plan.permit_expected, key
        # the worker is recorded as applying at the border: no IRCC decision in the plan
        at = keys.index("work_permit_application")
        border = [
            StepNow(k, "done" if n < at else "open" if n == at else "pending", owners[k],
                    today if n == at else None, outcome="port_of_entry" if n == at else "")
            for n, k in enumerate(keys)
        ]  # fmt: skip
        assert "work_permit_decision" not in [p.key for p in project(
            pathway, facts, border, today, None
        ).steps]  # fmt: skip
