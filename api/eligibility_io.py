"""From API requests to the pure screening rules (pathways.eligibility) and back."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from api.schemas import (
    CandidateProfile,
    FindingOut,
    HireCreate,
    PositionProfile,
    SourceOut,
    VerdictOut,
)
from contracts.hire import Screening, ScreeningFinding
from pathways import eligibility, registry
from pathways.eligibility import (
    Candidate,
    Finding,
    Position,
    RelatedEmployment,
    Verdict,
    WagePer,
)
from pathways.ict import (
    ALIASES,
    CUSMA_CITIZENS,
    CUSMA_EXEC_MANAGER,
    CUSMA_SPECIALIZED,
    Capacity,
    code_matches,
    ict_codes,
)
from pathways.sources import SOURCES, SourceInfo, keys_in, without_domain_notes

CUSMA_CODES = frozenset({CUSMA_EXEC_MANAGER, CUSMA_SPECIALIZED, "T24"})

# The request field each rule is about, so a refusal names it.
FIELD_OF_RULE = {
    "gts_category": "category",
    "gts_b_occupation": "position.noc",
    "gts_b_wage_floor": "position.wage",
    "gts_a_listed_is_b": "category",
    "gts_a_wage": "position.wage",
    "gts_a_expertise": "candidate.education",
    "gts_a_referral": "position.gts_a_referral",
    "cusma_citizenship": "candidate.citizenships",
    "cusma_profession": "position.cusma_profession",
    "cusma_credential": "candidate.education",
    "cusma_employment": "position.self_employed",
    "ict_one_in_three": "candidate.employment",
    "ict_relationship": "position.employer_relationship",
    "ict_capacity_teer": "position.noc",
    "ict_specialized_experience": "candidate.employment",
    "ict_capacity": "position.ict_capacity",
    "ict_cap": "candidate.prior_ict_months",
    "cusma_job": "position.noc",
    "cusma_management_consultant": "position.cusma_profession",
}


class CategoryError(ValueError):
    """The category does not fit the pathway or the position; names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def candidate_of(profile: CandidateProfile) -> Candidate:
    """The candidate as the rules and the hire see it (a screening has no name or email)."""
    jobs = ([profile.related_employment] if profile.related_employment else []) + list(
        profile.employment
    )
    return Candidate(
        name=getattr(profile, "name", ""),
        email=str(getattr(profile, "email", "")),
        citizenships=tuple(profile.citizenships),
        permanent_residences=tuple(profile.permanent_residences),
        visa_exempt=profile.visa_exempt,
        education=profile.education,
        licence=profile.licence,
        designations=tuple(profile.designations),
        years_experience=profile.years_experience,
        related_employment=None,
        spouse=profile.spouse_accompanying,
        residence=profile.residence or "",
        phone=getattr(profile, "phone", ""),
        preferred_language=getattr(profile, "preferred_language", None) or "",
        employment=tuple(
            RelatedEmployment(j.start, j.end, j.full_time, j.country or "") for j in jobs
        ),
        degree_field=profile.degree_field,
        credential_country=profile.credential_country or "",
        prior_ict_months=profile.prior_ict_months,
    )


def position_of(profile: PositionProfile) -> Position:
    """The job as the rules and the hire see it (a screening has no title)."""
    return Position(
        title=getattr(profile, "title", ""),
        noc=profile.noc,
        wage_amount=profile.wage.amount,
        wage_per=WagePer(profile.wage.per),
        hours_per_week=profile.hours_per_week,
        province=profile.province,
        start_date=profile.start_date,
        duration_months=profile.duration_months,
        cusma_profession=profile.cusma_profession,
        ict_capacity=profile.ict_capacity,
        employer_relationship=profile.employer_relationship,
        self_employed=profile.self_employed,
        gts_a_approved_this_year=profile.gts_a_approved_this_year,
        gts_a_referral=profile.gts_a_referral,
        application_date=profile.application_date,
    )


def resolve_category(body: HireCreate) -> str:
    """The hire's category code: given (GTS), the current one for a superseded alias
    (CUSMA T23 -> T36), or derived from the transfer's capacity (ICT)."""
    pathway = registry.current(body.pathway)
    if body.pathway == "ict":
        capacity = body.position.ict_capacity
        if capacity is None:
            raise CategoryError(
                "position.ict_capacity", "an Intra-Company Transfer needs the transfer's capacity"
            )
        return _ict_category(body.category, capacity, tuple(body.candidate.citizenships))
    if body.category is None:
        if len(pathway.categories) == 1:
            return pathway.categories[0].key
        options = " or ".join(c.key for c in pathway.categories)
        raise CategoryError("category", f"{pathway.title} needs a category: {options}")
    found = pathway.category(body.category)
    if found is None:
        options = ", ".join(c.key for c in pathway.categories)
        raise CategoryError("category", f"Use a {pathway.title} category: {options}")
    return found.key


# Findings hires kept before each had a source: the source the rule cites now.
SOURCE_OF_RULE = {"canadian": "IRPA"}


def source_out(info: SourceInfo) -> SourceOut:
    return SourceOut(**asdict(info))


def sources_out(citation: str) -> list[SourceOut]:
    """The sources a citation names ("G2", "SP1, SP2", or a hire's older "G2 (PATHWAYS.md
    1.2)"). A key not in the table is left out; tests/pathways/test_sources.py keeps every
    key screening and the pathways cite in it."""
    return [source_out(SOURCES[key]) for key in keys_in(citation) if key in SOURCES]


def stored_finding_out(
    rule: str, met: str, reason: str, source: str, missing: str = ""
) -> FindingOut:
    """A finding as the API shows it, from screening or from a hire's stored screening: its
    sources resolved, its text without the domain notes' references."""
    sources = sources_out(source or SOURCE_OF_RULE.get(rule, ""))
    return FindingOut(
        rule=rule,
        met=met,
        reason=without_domain_notes(reason),
        source=", ".join(s.key for s in sources),
        missing=without_domain_notes(missing),
        sources=sources,
    )


def _ict_category(given: str | None, capacity: Capacity, citizenships: tuple[str, ...]) -> str:
    """The transfer's code: the one given if it fits the capacity (a US or Mexican citizen may
    file C62/C63 or T37/T38), else the first that fits; a superseded alias picks its family."""
    options = ict_codes(capacity, citizenships)
    if not given:
        return options[0]
    chosen = next((code for code in options if code_matches(given, code)), None)
    if chosen is not None:
        return chosen
    known = sorted({c.key for c in registry.current("ict").categories} | set(ALIASES))
    if given not in known:
        raise CategoryError("category", f"Use one of the transfer codes: {', '.join(known)}")
    if given in CUSMA_CODES and not CUSMA_CITIZENS & set(citizenships):
        raise CategoryError(
            "category",
            f"T37 and T38 are for US and Mexican citizens (CUSMA); this transfer is {options[0]}",
        )
    raise CategoryError(
        "category",
        f"Code {given} does not fit a {capacity.value.replace('_', ' ')} transfer of this "
        f"worker: it is {' or '.join(options)}",
    )


def finding_out(finding: Finding) -> FindingOut:
    return stored_finding_out(
        finding.rule, finding.met.value, finding.reason, finding.source, finding.missing
    )


def verdict_out(verdict: Verdict, spouse: Finding | None = None) -> VerdictOut:
    return VerdictOut(
        spouse=finding_out(spouse) if spouse else None,
        pathway=verdict.pathway,
        category=verdict.category,
        status=verdict.status.value,
        findings=[finding_out(f) for f in verdict.findings],
        missing=list(verdict.missing),
        may_apply_at_border=verdict.may_apply_at_border,
        two_week_processing=finding_out(verdict.two_week_processing)
        if verdict.two_week_processing
        else None,
    )


def screening_of(verdict: Verdict) -> Screening:
    """The verdict as the hire keeps it (workflow input, then the store)."""
    gss = verdict.two_week_processing
    return Screening(
        status=verdict.status.value,
        findings=[_kept(f) for f in verdict.findings],
        may_apply_at_border=verdict.may_apply_at_border,
        two_week_processing=_kept(gss) if gss else None,
    )


def _kept(finding: Finding) -> ScreeningFinding:
    """A finding as the hire keeps it: its sources by key alone."""
    return ScreeningFinding(
        **{**asdict(finding), "met": finding.met.value, "source": ", ".join(finding.source_keys)}
    )


def screen_hire(
    body: HireCreate, candidate: Candidate, position: Position, category: str, today: date
) -> Verdict:
    return eligibility.screen(body.pathway, category, candidate, position, today)


def fields_not_met(verdict: Verdict) -> dict[str, str]:
    fields: dict[str, str] = {}
    for finding in verdict.findings:
        if finding.met == eligibility.Met.NO:
            fields.setdefault(FIELD_OF_RULE.get(finding.rule, "body"), finding.reason)
    return fields
