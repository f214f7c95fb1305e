"""Presenters: store rows and rules into API responses and page values (the pages reuse them)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from api.eligibility_io import finding_out, source_out, stored_finding_out
from api.schemas import (
    CandidateOut,
    ClockOut,
    DecisionOut,
    DocumentOut,
    EventOut,
    FeeOut,
    FeesOut,
    FindingOut,
    HireDetail,
    HireListItem,
    ItemOut,
    PersonOut,
    PositionOut,
    ProgressOut,
    StepOut,
    VerdictOut,
)
from api.templating import environment
from contracts.hire import HireStatus, StepStatus
from pathways import eligibility, registry
from pathways.calendar import eastern_date, end_of, morning_of
from pathways.cusma_professions import PROFESSIONS
from pathways.eligibility import (
    months_between,
    permit_months,
    spouse_finding,
)
from pathways.model import HireFacts, Pathway, Source, Step, as_plain
from pathways.plan import Plan, StepNow, project
from pathways.sources import SOURCES, SourceInfo, without_domain_notes
from store.hire_facts import candidate_of, position_of
from store.models import Document, Hire, HireClock, HireEvent, HireItem, HireStep
from store.queries import HireRecord


def progress(hire: Hire) -> ProgressOut:
    percent = round(100 * hire.steps_done / hire.steps_total) if hire.steps_total else 0
    return ProgressOut(done=hire.steps_done, total=hire.steps_total, percent=percent)


def is_overdue(hire: Hire, now: datetime) -> bool:
    return (
        hire.status == HireStatus.ACTIVE and hire.next_due_at is not None and hire.next_due_at < now
    )


def summary(hire: Hire, now: datetime) -> HireListItem:
    return HireListItem(
        id=hire.id,
        pathway=hire.pathway,
        category=hire.category,
        status=hire.status,
        candidate_name=hire.candidate_name,
        position_title=hire.position_title,
        hr_owner_name=hire.hr_owner_name,
        hr_owner_email=hire.hr_owner_email,
        current_step=hire.current_step,
        permit_expires_on=hire.permit_expires_on,
        progress=progress(hire),
        next_due_at=hire.next_due_at,
        next_due_on=eastern_date(hire.next_due_at - timedelta(microseconds=1))
        if hire.next_due_at
        else None,
        next_due_step=hire.next_due_step,
        overdue=is_overdue(hire, now),
        created_at=hire.created_at,
        updated_at=hire.updated_at,
    )


def document_out(doc: Document) -> DocumentOut:
    return DocumentOut(
        id=doc.id,
        item=doc.item_key,
        filename=doc.filename,
        content_type=doc.content_type,
        size=doc.size,
        sha256=doc.sha256,
        uploaded_at=doc.uploaded_at,
        uploaded_by=doc.uploaded_by,
        url=f"/api/v1/hires/{doc.hire_id}/documents/{doc.id}",
    )


def facts_of(hire: Hire) -> HireFacts:
    return eligibility.facts_of(candidate_of(hire), position_of(hire), hire.category)


def screening(hire: Hire) -> VerdictOut | None:
    """The verdict the hire was started on (none for hires started before screening was kept)."""
    stored = hire.screening
    if not stored:
        return None
    gss = stored.get("two_week_processing")
    findings = [_stored(f) for f in stored.get("findings", [])]
    return VerdictOut(
        pathway=hire.pathway,
        category=hire.category,
        status=stored["status"],
        findings=findings,
        missing=[f.missing for f in findings if f.missing],
        may_apply_at_border=stored.get("may_apply_at_border", False),
        two_week_processing=_stored(gss) if gss else None,
    )


def _stored(finding: dict[str, Any]) -> FindingOut:
    keep = ("rule", "met", "reason", "source", "missing")
    return stored_finding_out(**{k: finding[k] for k in keep if k in finding})


def cited(sources: tuple[Source, ...]) -> list[SourceInfo]:
    """The table's entries for a part of a pathway's sources, each once."""
    keys = dict.fromkeys(s.key for s in sources if s.key in SOURCES)
    return [SOURCES[key] for key in keys]


def step_sources(step: Step | None) -> list[SourceInfo]:
    """What a step and its deadline rest on."""
    return cited(step.sources + step.deadline.sources) if step else []


def pathway_sources(pathway: Pathway) -> list[SourceInfo]:
    """Every source a pathway cites anywhere: its own, its steps', items', fees' and clocks'."""
    parts = [*pathway.sources, *(s for clock in pathway.clocks for s in clock.sources)]
    for step in pathway.steps:
        parts += [*step.sources, *step.deadline.sources]
        parts += [s for item in step.items for s in item.sources]
    parts += [s for fee in pathway.fees for s in fee.sources]
    return cited(tuple(parts))


def spouse(hire: Hire, steps: list[HireStep], now: datetime) -> FindingOut | None:
    """Whether the worker's spouse may get an open work permit: from the job, and from how long
    the permit still runs (as issued), or can run (as planned, within the category's limit),
    under the rule in force today; none when the worker needs no permit."""
    pathway = registry.version(hire.pathway, hire.rules_version)
    category = pathway.category(hire.category)
    position = position_of(hire)
    months = permit_months(
        position.duration_months, category.max_permit_years if category else None
    )
    for step in steps:
        expires = step.fields.get("expires_on")
        if expires:
            months = max(months_between(eastern_date(now), date.fromisoformat(expires)), 0)
    found = spouse_finding(candidate_of(hire), position, months, eastern_date(now))
    return finding_out(found) if found else None


def fees(hire: Hire) -> FeesOut:
    pathway = registry.version(hire.pathway, hire.rules_version)
    items = [
        FeeOut(
            key=f.key,
            title=f.title,
            amount_cents=f.amount_cents,
            payer=f.payer.value,
            per=f.per,
            note=f.note,
            sources=[source_out(s) for s in cited(f.sources)],
        )
        for f in pathway.fees_for(facts_of(hire))
    ]
    totals: dict[str, int] = defaultdict(int)
    for fee in items:
        totals[fee.payer] += fee.amount_cents or 0  # a fee that varies is listed, not added
    return FeesOut(items=items, totals_cents=dict(totals))


def _step_out(
    step: HireStep,
    items: list[HireItem],
    docs: dict[str, list[Document]],
    now: datetime,
    spec: Step | None = None,
) -> StepOut:
    return StepOut(
        key=step.key,
        title=step.title,
        owner=step.owner,
        status=step.status,
        service_standard=step.service_standard,
        deadline_note=without_domain_notes(step.deadline_note),
        opened_at=step.opened_at,
        due_on=step.due_on,
        due_at=step.due_at,
        overdue=step.status == StepStatus.OPEN and step.due_at is not None and step.due_at < now,
        deadline_changed=step.deadline_changed,
        completed_at=step.completed_at,
        decision=DecisionOut(
            outcomes=list(step.decision_outcomes),
            outcome=step.outcome,
            fields={k: str(v) for k, v in step.fields.items()},
            decided_by=step.decided_by,
        )
        if step.decision_outcomes
        else None,
        items=[
            ItemOut(
                key=item.key,
                title=item.title,
                description=item.description,
                owner=item.owner,
                required=item.required,
                status=item.status,
                reason=item.reason,
                updated_at=item.updated_at,
                documents=[document_out(d) for d in docs.get(item.key, [])],
            )
            for item in items
        ],
        sources=[source_out(s) for s in step_sources(spec)],
    )


def detail(record: HireRecord, now: datetime) -> HireDetail:
    hire = record.hire
    pathway = registry.version(hire.pathway, hire.rules_version)
    docs: dict[str, list[Document]] = defaultdict(list)
    for doc in record.documents:
        docs[doc.item_key].append(doc)
    items_by_step: dict[str, list[HireItem]] = defaultdict(list)
    for item in record.items:
        items_by_step[item.step_key].append(item)
    return HireDetail(
        id=hire.id,
        pathway=hire.pathway,
        pathway_title=pathway.title,
        category=hire.category,
        rules_version=hire.rules_version,
        status=hire.status,
        candidate=_candidate_out(hire),
        position=_position_out(hire),
        hr_owner=PersonOut(name=hire.hr_owner_name, email=hire.hr_owner_email),
        manager=PersonOut(name=hire.manager_name, email=hire.manager_email),
        current_step=hire.current_step,
        progress=progress(hire),
        next_due_at=hire.next_due_at,
        overdue=is_overdue(hire, now),
        steps=[
            _step_out(s, items_by_step[s.key], docs, now, pathway.step(s.key)) for s in record.steps
        ],
        clocks=[_clock_out(c, now) for c in record.clocks],
        fees=fees(hire),
        screening=screening(hire),
        spouse=spouse(hire, record.steps, now),
        created_at=hire.created_at,
        updated_at=hire.updated_at,
        closed_at=hire.closed_at,
        version=hire.version,
    )


def _candidate_out(hire: Hire) -> CandidateOut:
    candidate = candidate_of(hire)
    return CandidateOut(
        name=candidate.name,
        email=candidate.email,
        citizenships=list(candidate.citizenships),
        residence=candidate.residence or None,
        visa_exempt=candidate.visa_exempt,
        spouse_accompanying=candidate.spouse,
        phone=candidate.phone,
        preferred_language=candidate.preferred_language,
    )


def _position_out(hire: Hire) -> PositionOut:
    position = position_of(hire)
    return PositionOut(
        title=position.title,
        noc=position.noc,
        wage_amount=str(position.wage_amount),
        wage_per=position.wage_per.value,
        hours_per_week=str(position.hours_per_week),
        province=position.province,
        start_date=position.start_date,
        duration_months=position.duration_months,
    )


def _clock_out(clock: HireClock, now: datetime) -> ClockOut:
    return ClockOut(
        key=clock.key,
        title=clock.title,
        status=clock.status,
        started_on=clock.started_on,
        stopped_on=clock.stopped_on,
        elapsed_days=_elapsed(clock.started_on, clock.stopped_on, clock.elapsed_days, now),
        at_risk_day=clock.at_risk_day,
        target_day=clock.target_day,
    )


def _elapsed(started: Any, stopped: Any, recorded: int | None, now: datetime) -> int | None:
    """Days on a clock: fixed once stopped, counted to today while it runs."""
    if started is None:
        return None
    if stopped is not None:
        return recorded
    return (eastern_date(now) - started).days


def events(rows: list[HireEvent], record: HireRecord, templates_dir: Path) -> list[EventOut]:
    macro = environment(templates_dir, html=False).get_template("events.j2").module.summary  # type: ignore[attr-defined]
    steps = {s.key: s.title for s in record.steps}
    items = {i.key: i.title for i in record.items}
    pathway = registry.version(record.hire.pathway, record.hire.rules_version)
    decided = [
        (step.key, o) for step in pathway.steps if step.decision for o in step.decision.outcomes
    ]
    outcomes = {f"{key}:{o.key}": o.title for key, o in decided}
    fields = {f"{key}:{f.key}": f.title for key, o in decided for f in o.fields}
    return [
        EventOut(
            seq=e.seq,
            at=e.at,
            kind=e.kind,
            actor=e.actor,
            step=e.step,
            item=e.item,
            data={k: str(v) for k, v in e.data.items()},
            summary=str(macro(e, steps, items, outcomes, fields)).strip(),
        )
        for e in rows
    ]


def describe(pathway: Pathway) -> dict[str, Any]:
    """A pathway's definition as plain data, with which steps an authority decides, and each
    source resolved to its entry (title, publisher, address, dates)."""
    body: dict[str, Any] = as_plain(pathway)
    for step, raw in zip(pathway.steps, body["steps"], strict=True):
        raw["authority"] = step.owner.is_authority
    if pathway.key == "cusma":
        body["professions"] = as_plain(PROFESSIONS)
    resolved: dict[str, Any] = _resolved(body)
    return resolved


def _resolved(value: Any) -> Any:
    """Sources as their entries, and text without the domain notes' references."""
    if isinstance(value, dict):
        out = {k: _resolved(v) for k, v in value.items() if k != "sources"}
        if "sources" in value:
            keys = dict.fromkeys(s["key"] for s in value["sources"] if s["key"] in SOURCES)
            out["sources"] = [source_out(SOURCES[k]).model_dump(mode="json") for k in keys]
        return out
    if isinstance(value, list):
        return [_resolved(v) for v in value]
    return without_domain_notes(value) if isinstance(value, str) else value


def plan(record: HireRecord, now: datetime) -> Plan:
    """The hire's remaining steps with their earliest and expected dates (pathways.plan)."""
    hire = record.hire
    pathway = registry.version(hire.pathway, hire.rules_version)
    steps = [
        StepNow(
            s.key, s.status, s.owner, s.due_on, {k: str(v) for k, v in s.fields.items()}, s.outcome
        )
        for s in record.steps
    ]
    start = position_of(hire).start_date
    return project(pathway, facts_of(hire), steps, eastern_date(now), start)


def timeline(detail: HireDetail, now: datetime, planned: Plan | None = None) -> dict[str, Any]:
    """Positions (0-1000) on one time axis, for the hire page's SVG: each step's bar as it
    happened, its deadline, and (drawn apart) what the plan projects for what remains."""
    ahead = {p.key: p for p in planned.steps} if planned else {}
    start = detail.created_at
    ends = (
        [now]
        + [s.due_at for s in detail.steps if s.due_at]
        + [s.completed_at for s in detail.steps if s.completed_at]
        + [end_of(p.expected) for p in ahead.values()]
    )
    end = max(ends) + timedelta(days=1)
    span = (end - start).total_seconds() or 1.0

    def x(when: datetime | None) -> float:
        return 0.0 if when is None else round(1000 * (when - start).total_seconds() / span, 1)

    rows: list[dict[str, Any]] = []
    for step in detail.steps:
        row: dict[str, Any] = {"step": step, "bar": None, "due": None, "projected": None}
        future = ahead.get(step.key)
        if future is not None:
            begin = now if future.open else morning_of(future.opens_expected)
            finish = max(end_of(future.expected), begin)
            row["projected"] = (x(begin), max(x(finish) - x(begin), 6))
            row["plan"] = future
        if step.opened_at is not None:
            done = step.completed_at or now
            row["bar"] = (x(step.opened_at), max(x(done) - x(step.opened_at), 6))
            row["due"] = x(step.due_at) if step.due_at else None
        rows.append(row)
    return {"rows": rows, "now": x(now), "start": eastern_date(start), "end": eastern_date(end)}
