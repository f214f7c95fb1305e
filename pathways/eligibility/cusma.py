"""CUSMA Professionals (PATHWAYS.md 2.1, 2.4): one function per rule."""

from __future__ import annotations

from pathways.cusma_professions import Credential, Profession, Route, profession
from pathways.eligibility.model import (
    DEGREES,
    POST_SECONDARY,
    Candidate,
    Education,
    Finding,
    Met,
    Position,
    present,
)

CUSMA_CITIZENS = frozenset({"US", "MX"})

SOURCE = "CUSMA-PRO"
SOURCE_APP2 = "APP2"

_ROUTE_WORDS = {
    Route.BACCALAUREATE: "a baccalaureate or Licenciatura degree",
    Route.DIPLOMA_3_YEARS: "a post-secondary diploma (from a Canadian or US institution) or "
    "certificate (the Mexican equivalent) plus {years} years' experience",
    Route.LICENCE: "a state, provincial or federal licence",
    Route.DESIGNATION: "one of: {names}",
    Route.EXPERIENCE: "{years} years' experience",
    Route.TECHNICIAN: "the scientific technician rule",
}
# Routes through an educational program: the program must be related to the profession.
_PROGRAM_ROUTES = frozenset({Route.BACCALAUREATE, Route.DIPLOMA_3_YEARS})
LICENCIATURA = "licenciatura"
DIPLOMA_COUNTRIES = frozenset({"CA", "US"})
CERTIFICATE_COUNTRY = "MX"
# NOC 2021 programming occupations: not an Appendix 2 profession (REVIEW-2026-12 defect 6).
PROGRAMMING_NOCS = frozenset({"21230", "21232", "21234"})
COMPUTER_SYSTEMS_ANALYST = "computer_systems_analyst"
MANAGEMENT_CONSULTANT = "management_consultant"
SOURCE_MC = "MC"
SOURCE_REL = "APP2, CUSMA-REL"


def findings(candidate: Candidate, position: Position) -> list[Finding]:
    """Citizenship, the Appendix 2 profession, its credential from a related program, the job
    as the profession's work, pre-arranged employment (and the consultant's limits)."""
    found = profession(position.cusma_profession) if position.cusma_profession else None
    return present(
        citizenship(candidate, "cusma"),
        appendix_2_profession(position, found),
        credential(candidate, found) if found is not None else None,
        job(position, found) if found is not None else None,
        management_consultant(found),
        employment(position),
    )


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
    """One of the profession's credentials, through a program related to it."""
    routes = [
        _ROUTE_WORDS[c.route].format(years=c.years, names=", ".join(c.names))
        + (f" ({c.note})" if c.note else "")
        for c in found.credentials
    ]
    outcomes = [_route_met(candidate, c) for c in found.credentials]
    needs = f"{found.title} needs " + "; or ".join(routes).rstrip(".") + "."
    qualified = [c for c, (o, _) in zip(found.credentials, outcomes, strict=True) if o is True]
    if qualified and all(c.note for c in qualified):  # e.g. "in hotel/restaurant management"
        return Finding(
            "cusma_credential",
            Met.EVIDENCE,
            f"The credential may meet the rule, with proof of: {qualified[0].note}. {needs}",
            SOURCE_APP2,
            missing=f"proof of {qualified[0].note}",
        )
    if any(not _through_a_program(candidate, c) for c in qualified):
        return Finding(
            "cusma_credential", Met.YES, f"The credential meets the rule: {needs}", SOURCE_APP2
        )
    if qualified:
        return related_program(candidate, found, needs)
    why = " ".join(w for _, w in outcomes if w)
    if any(o is None for o, _ in outcomes):
        return Finding(
            "cusma_credential",
            Met.EVIDENCE,
            f"{needs} {why}".strip(),
            SOURCE_APP2,
            missing=_unknown(candidate),
        )
    return Finding(
        "cusma_credential",
        Met.NO,
        f"{needs} The candidate has none of these. {why}".strip(),
        SOURCE_APP2,
    )


def _through_a_program(candidate: Candidate, route: Credential) -> bool:
    """The route was met through an educational program (a degree, a diploma, a
    Licenciatura), not a licence, a designation held or years of experience."""
    if route.route in _PROGRAM_ROUTES:
        return True
    held = {_norm(d) for d in candidate.designations}
    return route.route == Route.DESIGNATION and not held & {_norm(n) for n in route.names}


def _unknown(candidate: Candidate) -> str:
    if candidate.education in POST_SECONDARY and not candidate.credential_country:
        return "the country of the institution that granted the candidate's highest credential"
    return "the candidate's education, licence, designations and years of experience"


def related_program(candidate: Candidate, found: Profession, needs: str) -> Finding:
    """The credential must come from an educational program related to the profession."""
    studied = candidate.degree_field.strip()
    rule = (
        f"The credential must come from a related educational program: for {found.title}, "
        + (", ".join(found.fields) if found.fields else "a program in the profession's field")
        + "."
    )
    if not studied:
        return Finding(
            "cusma_credential",
            Met.EVIDENCE,
            f"{rule} {needs}",
            SOURCE_REL,
            missing="the field of study of the candidate's degree or diploma",
        )
    if is_related(studied, found):
        return Finding(
            "cusma_credential",
            Met.YES,
            f"The credential meets the rule: {_education_words(candidate)} in {studied}, a "
            f"program related to {found.title}. {needs}",
            SOURCE_REL,
        )
    return Finding(
        "cusma_credential",
        Met.EVIDENCE,
        f"{studied} is not a program hirepath knows as related to {found.title}; an officer "
        f"refuses a credential from an unrelated program. {rule} {needs}",
        SOURCE_REL,
        missing=f"a transcript and course list showing that {studied} is related to {found.title}",
    )


def is_related(studied: str, found: Profession) -> bool:
    """The field of study names one of the profession's related programs (or, for a
    profession with none listed, shares a word stem with its title: psychology, psychologist)."""
    text = " ".join(_words(studied))
    if found.fields:
        return any(f" {field} " in f" {text} " for field in found.fields)
    stems = {w[:6] for w in _words(found.title) if len(w) >= 6}
    return any(w[:6] in stems for w in _words(studied) if len(w) >= 6)


def _words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() or ch == "." else " " for ch in text.lower()).split()


def _education_words(candidate: Candidate) -> str:
    names = {
        Education.DIPLOMA: "a post-secondary diploma",
        Education.CERTIFICATE: "a post-secondary certificate",
        Education.BACHELOR: "a bachelor's or Licenciatura",
        Education.MASTER: "a master's",
        Education.DOCTORATE: "a doctorate",
    }
    return names.get(candidate.education, "a credential") if candidate.education else "a credential"


def _route_met(candidate: Candidate, route: Credential) -> tuple[bool | None, str]:
    """Whether the candidate meets one route (None: not known), and why not, in words."""
    experience = candidate.years_experience
    if route.route == Route.BACCALAUREATE:
        return (None if candidate.education is None else candidate.education in DEGREES), ""
    if route.route == Route.DIPLOMA_3_YEARS:
        if candidate.education is None or experience is None:
            return None, ""
        if candidate.education in DEGREES:
            return experience >= route.years, ""
        if candidate.education not in POST_SECONDARY:
            return False, ""
        where = _diploma_where(candidate)
        if where is not True:
            return where, _diploma_why(candidate)
        return experience >= route.years, ""
    if route.route == Route.LICENCE:
        return candidate.licence, ""
    if route.route == Route.DESIGNATION:
        return _designation_met(candidate, route.names)
    if route.route == Route.EXPERIENCE:
        return (None if experience is None else experience >= route.years), ""
    return None, ""  # the technician rule is a judgement on evidence


def _diploma_where(candidate: Candidate) -> bool | None:
    """A diploma from a Canadian or US institution; a certificate from a Mexican one."""
    country = candidate.credential_country
    if not country:
        return None
    if candidate.education == Education.DIPLOMA:
        return country in DIPLOMA_COUNTRIES
    return country == CERTIFICATE_COUNTRY


def _diploma_why(candidate: Candidate) -> str:
    country = candidate.credential_country or "an unknown country"
    if candidate.education == Education.DIPLOMA:
        return (
            f"The diploma route needs a diploma from a Canadian or US institution; the "
            f"candidate's is from {country}."
        )
    return (
        f"The certificate route needs the Mexican post-secondary certificate; the "
        f"candidate's is from {country}."
    )


def _designation_met(candidate: Candidate, names: tuple[str, ...]) -> tuple[bool | None, str]:
    """A named designation or degree held; the Licenciatura is the Mexican degree only."""
    have = {_norm(d) for d in candidate.designations}
    wanted = {_norm(n) for n in names}
    if have & wanted:
        return True, ""
    if LICENCIATURA in wanted and candidate.education in DEGREES:
        if candidate.credential_country == "MX":
            return True, ""
        why = (
            "The Licenciatura is the Mexican degree: a degree from elsewhere needs the licence "
            "instead"
        )
        if not candidate.credential_country:
            return None, why + " (where the degree is from is not said)."
        return False, f"{why} (the candidate's degree is from {candidate.credential_country})."
    if not candidate.designations and candidate.education is None:
        return None, ""
    return False, ""


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


def job(position: Position, found: Profession) -> Finding:
    """The job must be professional-level work of the profession: programming is not Computer
    Systems Analyst (officers refuse pure programming roles filed as one)."""
    note = f" {found.title}: {found.note}" if found.note else ""
    duties = f"the job's duties, showing professional-level work of a {found.title}"
    if found.key == COMPUTER_SYSTEMS_ANALYST and position.noc in PROGRAMMING_NOCS:
        return Finding(
            "cusma_job",
            Met.EVIDENCE,
            f"NOC {position.noc} is a programming occupation. Programmers are not a CUSMA "
            f"profession, and officers refuse roles that are purely programming filed as "
            f"Computer Systems Analyst.{note}",
            SOURCE_REL,
            missing=f"{duties} (analysis and design of systems, not programming)",
        )
    if position.noc in found.nocs:
        return Finding(
            "cusma_job",
            Met.YES,
            f"NOC {position.noc} is among the occupations whose work is a {found.title}'s "
            f"(NOC {', '.join(found.nocs)}); the duties must be professional-level work of the "
            "profession.",
            SOURCE_REL,
        )
    usual = f" (usually NOC {', '.join(found.nocs)})" if found.nocs else ""
    return Finding(
        "cusma_job",
        Met.EVIDENCE,
        f"NOC {position.noc} is not a usual occupation for {found.title}{usual}: the duties "
        f"must be professional-level work of the profession.{note}",
        SOURCE_REL,
        missing=duties,
    )


def management_consultant(found: Profession | None) -> Finding | None:
    """A management consultant salaried by the client fills only a supernumerary temporary
    position: a warning before filing."""
    if found is None or found.key != MANAGEMENT_CONSULTANT:
        return None
    return Finding(
        "cusma_management_consultant",
        Met.EVIDENCE,
        "Management consultants are usually independent consultants or employees of a "
        "consulting firm under contract with the Canadian client. As a salaried employee of "
        "the Canadian client, a management consultant may fill only a supernumerary temporary "
        "position, never an existing or newly created position.",
        SOURCE_MC,
        missing="the consulting contract (independent consultant or consulting firm), or, for "
        "a salaried employee of the client, proof the position is supernumerary and temporary",
    )
