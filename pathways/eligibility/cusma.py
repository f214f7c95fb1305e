"""CUSMA Professionals (PATHWAYS.md 2.1, 2.4): one function per rule."""

from __future__ import annotations

from pathways.cusma_professions import Profession, Route, profession
from pathways.eligibility.model import (
    DEGREES,
    POST_SECONDARY,
    Candidate,
    Finding,
    Met,
    Position,
)

CUSMA_CITIZENS = frozenset({"US", "MX"})

SOURCE = "visaserve, iclimmigration (PATHWAYS.md 2.1)"
SOURCE_APP2 = "APP2 (PATHWAYS.md 2.4)"

_ROUTE_WORDS = {
    Route.BACCALAUREATE: "a baccalaureate or Licenciatura degree",
    Route.DIPLOMA_3_YEARS: "a post-secondary diploma or certificate plus {years} years' experience",
    Route.LICENCE: "a state, provincial or federal licence",
    Route.DESIGNATION: "one of: {names}",
    Route.EXPERIENCE: "{years} years' experience",
    Route.TECHNICIAN: "the scientific technician rule",
}


def findings(candidate: Candidate, position: Position) -> list[Finding]:
    """Citizenship, the Appendix 2 profession and its credential, pre-arranged employment."""
    found = profession(position.cusma_profession) if position.cusma_profession else None
    return [
        citizenship(candidate, "cusma"),
        appendix_2_profession(position, found),
        *([credential(candidate, found)] if found is not None else []),
        employment(position),
    ]


def citizenship(candidate: Candidate, code: str) -> Finding:
    citizen = sorted(CUSMA_CITIZENS & set(candidate.citizenships))
    if citizen:
        return Finding(
            f"{code}_citizenship",
            Met.YES,
            "A citizen of "
            + " and ".join({"US": "the United States", "MX": "Mexico"}[c] for c in citizen)
            + ".",
            SOURCE,
        )
    if CUSMA_CITIZENS & set(candidate.permanent_residences):
        return Finding(
            f"{code}_citizenship",
            Met.NO,
            "CUSMA needs US or Mexican citizenship; US and Mexican permanent residents are excluded.",
            SOURCE,
        )
    return Finding(f"{code}_citizenship", Met.NO, "CUSMA needs US or Mexican citizenship.", SOURCE)


def appendix_2_profession(position: Position, found: Profession | None) -> Finding:
    if not position.cusma_profession:
        return Finding(
            "cusma_profession",
            Met.EVIDENCE,
            "The job must be one of the 63 CUSMA Appendix 2 professions.",
            SOURCE_APP2,
            missing="the Appendix 2 profession (position.cusma_profession)",
        )
    if found is None:
        return Finding(
            "cusma_profession",
            Met.NO,
            f"{position.cusma_profession!r} is not one of the 63 CUSMA Appendix 2 professions.",
            SOURCE_APP2,
        )
    return Finding(
        "cusma_profession", Met.YES, f"{found.title} is an Appendix 2 profession.", SOURCE_APP2
    )


def credential(candidate: Candidate, found: Profession) -> Finding:
    routes = [
        _ROUTE_WORDS[c.route].format(years=c.years, names=", ".join(c.names))
        + (f" ({c.note})" if c.note else "")
        for c in found.credentials
    ]
    outcomes = [_credential_met(candidate, c.route, c.years, c.names) for c in found.credentials]
    needs = f"{found.title} needs " + "; or ".join(routes).rstrip(".") + "."
    qualified = [c for c, o in zip(found.credentials, outcomes, strict=True) if o is True]
    if qualified and all(c.note for c in qualified):  # e.g. "in hotel/restaurant management"
        return Finding(
            "cusma_credential",
            Met.EVIDENCE,
            f"The credential may meet the rule, with proof of: {qualified[0].note}. {needs}",
            SOURCE_APP2,
            missing=f"proof of {qualified[0].note}",
        )
    if qualified:
        return Finding(
            "cusma_credential", Met.YES, f"The credential meets the rule: {needs}", SOURCE_APP2
        )
    if any(o is None for o in outcomes):
        return Finding(
            "cusma_credential",
            Met.EVIDENCE,
            needs,
            SOURCE_APP2,
            missing="the candidate's education, licence, designations and years of experience",
        )
    return Finding(
        "cusma_credential", Met.NO, f"{needs} The candidate has none of these.", SOURCE_APP2
    )


def _credential_met(
    candidate: Candidate, route: Route, years: int, names: tuple[str, ...]
) -> bool | None:
    experience = candidate.years_experience
    if route == Route.BACCALAUREATE:
        return None if candidate.education is None else candidate.education in DEGREES
    if route == Route.DIPLOMA_3_YEARS:
        if candidate.education is None or experience is None:
            return None
        return candidate.education in POST_SECONDARY and experience >= years
    if route == Route.LICENCE:
        return candidate.licence
    if route == Route.DESIGNATION:
        have = {_norm(d) for d in candidate.designations}
        if candidate.education in DEGREES:
            have.add(_norm("Licenciatura"))  # a baccalaureate here includes the Licenciatura
        if have & {_norm(n) for n in names}:
            return True
        return None if not candidate.designations and candidate.education is None else False
    if route == Route.EXPERIENCE:
        return None if experience is None else experience >= years
    return None  # the technician rule is a judgement on evidence


def _norm(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def employment(position: Position) -> Finding:
    if position.self_employed:
        return Finding(
            "cusma_employment",
            Met.NO,
            "CUSMA professionals need pre-arranged employment with a Canadian enterprise: no self-employment.",
            SOURCE,
        )
    return Finding(
        "cusma_employment", Met.YES, "Pre-arranged employment with a Canadian enterprise.", SOURCE
    )
