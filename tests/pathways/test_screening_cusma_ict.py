"""CUSMA and ICT screening never says "eligible" where an officer would refuse (issue 12;
REVIEW-2026-12.md defects 6, 7, 14, 15, 16, 17, 22 and P1): one table per defect, each row
a case with the finding and the words a user reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.eligibility_io import candidate_of, resolve_category
from api.schemas import CandidateProfile, HireCreate
from pathways.cusma_professions import PROFESSIONS, profession
from pathways.eligibility import (
    Candidate,
    Education,
    Met,
    Position,
    RelatedEmployment,
    Relationship,
    Status,
    WagePer,
    screen,
)
from pathways.ict import Capacity
from testkit.samples import hire_body

TODAY = date(2026, 12, 1)
US_GRAD = Candidate(
    citizenships=("US",),
    education=Education.BACHELOR,
    years_experience=Decimal(6),
    degree_field="Computer Science",
    credential_country="US",
)
ANALYST = Position(
    noc="21222",
    wage_amount=Decimal(110_000),
    wage_per=WagePer.YEAR,
    province="ON",
    cusma_profession="computer_systems_analyst",
)


def finding(verdict: Any, rule: str) -> Any:
    [found] = [f for f in verdict.findings if f.rule == rule]
    return found


def cusma(candidate: dict[str, Any], position: dict[str, Any]) -> Any:
    return screen(
        "cusma", "T36", replace(US_GRAD, **candidate), replace(ANALYST, **position), TODAY
    )


def check(found: Any, met: Met, words: tuple[str, ...], missing: str = "") -> None:
    assert found.met == met, found
    for word in words:
        assert word in found.reason, (word, found.reason)
    if met == Met.EVIDENCE:
        assert missing in found.missing and found.missing, found
    else:
        assert found.missing == ""


# Defect 6: the degree's field of study must be a related program.
# (id, candidate changes, profession, met, words in the reason, words in what to provide)
FIELD_OF_STUDY = [
    ("field-related", {"degree_field": "Computer Science"}, "computer_systems_analyst", Met.YES,
     ("Computer Science", "related"), ""),
    ("field-not-said", {"degree_field": ""}, "computer_systems_analyst", Met.EVIDENCE,
     ("related educational program",), "field of study"),
    ("field-unrelated", {"degree_field": "Medieval History"}, "computer_systems_analyst", Met.EVIDENCE,
     ("Medieval History", "not a program hirepath knows as related"), "transcript"),
    ("engineer-field", {"degree_field": "Electrical Engineering"}, "engineer", Met.YES,
     ("Electrical Engineering",), ""),
    ("diploma-field-unrelated", {"education": Education.DIPLOMA, "degree_field": "Culinary Arts"},
     "computer_systems_analyst", Met.EVIDENCE, ("Culinary Arts",), "transcript"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("candidate", "key", "met", "words", "missing"),
    [row[1:] for row in FIELD_OF_STUDY],
    ids=[row[0] for row in FIELD_OF_STUDY],
)
def test_defect_6_the_credential_is_from_a_related_program(
    candidate: dict[str, Any], key: str, met: Met, words: tuple[str, ...], missing: str
) -> None:
    noc = {"engineer": "21311"}.get(key, "21222")
    verdict = cusma(candidate, {"cusma_profession": key, "noc": noc})
    check(finding(verdict, "cusma_credential"), met, words, missing)
    if met != Met.YES:
        assert verdict.status != Status.ELIGIBLE


# Defect 6: the job must be the profession's work; programming is not Computer Systems Analyst.
# (id, profession, NOC, wage, met, words in the reason)
JOB_AND_PROFESSION = [
    ("csa-analyst", "computer_systems_analyst", "21222", 110_000, Met.YES,
     ("NOC 21222", "Computer Systems Analyst")),
    ("csa-programmer", "computer_systems_analyst", "21232", 40_000, Met.EVIDENCE,
     ("NOC 21232", "programming", "refuse", "Roles that are purely programming are scrutinised.")),
    ("csa-systems-developer", "computer_systems_analyst", "21230", 90_000, Met.EVIDENCE,
     ("NOC 21230", "programming")),
    ("csa-web-developer", "computer_systems_analyst", "21234", 90_000, Met.EVIDENCE,
     ("NOC 21234", "programming")),
    ("engineer-computer", "engineer", "21311", 110_000, Met.YES, ("NOC 21311", "Engineer")),
    ("engineer-programmer", "engineer", "21232", 110_000, Met.EVIDENCE,
     ("NOC 21232", "not a usual occupation for Engineer", "Software or computer engineering")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("key", "noc", "wage", "met", "words"),
    [row[1:] for row in JOB_AND_PROFESSION],
    ids=[row[0] for row in JOB_AND_PROFESSION],
)
def test_defect_6_the_job_is_the_professions_work(
    key: str, noc: str, wage: int, met: Met, words: tuple[str, ...]
) -> None:
    field = {"engineer": "Computer Engineering"}.get(key, "Computer Science")
    verdict = cusma(
        {"degree_field": field}, {"cusma_profession": key, "noc": noc, "wage_amount": Decimal(wage)}
    )
    check(finding(verdict, "cusma_job"), met, words, "duties")
    assert (verdict.status == Status.ELIGIBLE) == (met == Met.YES)


# Defect 7: a management consultant salaried by the client: a supernumerary temporary position only.
def test_defect_7_management_consultant_is_warned_before_filing() -> None:
    verdict = cusma(
        {"degree_field": "Business Administration"},
        {"cusma_profession": "management_consultant", "noc": "11201"},
    )
    check(
        finding(verdict, "cusma_management_consultant"),
        Met.EVIDENCE,
        ("salaried employee of the Canadian client", "supernumerary", "temporary",
         "existing or newly created position"),
        "consulting",
    )  # fmt: skip
    assert verdict.status == Status.NEEDS_EVIDENCE
    analyst = cusma({}, {})
    assert not [f for f in analyst.findings if f.rule == "cusma_management_consultant"]


# Defect 15: "licence or Licenciatura": the degree route is the Mexican Licenciatura only.
# (id, candidate changes, profession, met, words in the reason)
LICENCIATURA = [
    ("us-bachelor-no-licence", {"credential_country": "US", "licence": False}, "psychologist", Met.NO,
     ("Licenciatura", "Mexican", "licence")),
    ("us-bachelor-nurse", {"credential_country": "US", "licence": False}, "registered_nurse", Met.NO,
     ("Licenciatura", "Mexican")),
    ("mx-licenciatura", {"citizenships": ("MX",), "credential_country": "MX", "licence": False},
     "psychologist", Met.YES, ("Licenciatura",)),
    ("us-licensed", {"credential_country": "US", "licence": True}, "registered_nurse", Met.YES, ("licence",)),
    ("country-not-said", {"credential_country": "", "licence": False}, "psychologist", Met.EVIDENCE,
     ("Licenciatura",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("candidate", "key", "met", "words"),
    [row[1:] for row in LICENCIATURA],
    ids=[row[0] for row in LICENCIATURA],
)
def test_defect_15_licenciatura_is_the_mexican_degree(
    candidate: dict[str, Any], key: str, met: Met, words: tuple[str, ...]
) -> None:
    verdict = cusma(
        {"degree_field": "Psychology", **candidate}, {"cusma_profession": key, "noc": "31200"}
    )
    check(finding(verdict, "cusma_credential"), met, words, "country")


# Defect 17: the diploma is from a Canadian or US institution; the certificate is Mexican.
# (id, education, country, met, words in the reason)
DIPLOMA = [
    ("us-diploma", Education.DIPLOMA, "US", Met.YES, ("diploma",)),
    ("ca-diploma", Education.DIPLOMA, "CA", Met.YES, ("diploma",)),
    ("indian-diploma", Education.DIPLOMA, "IN", Met.NO, ("Canadian or US institution", "IN")),
    ("mx-certificate", Education.CERTIFICATE, "MX", Met.YES, ("certificate",)),
    ("us-certificate", Education.CERTIFICATE, "US", Met.NO, ("Mexican", "US")),
    ("diploma-country-not-said", Education.DIPLOMA, "", Met.EVIDENCE, ("Canadian or US institution",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("education", "country", "met", "words"),
    [row[1:] for row in DIPLOMA],
    ids=[row[0] for row in DIPLOMA],
)
def test_defect_17_the_diploma_route_needs_a_north_american_institution(
    education: Education, country: str, met: Met, words: tuple[str, ...]
) -> None:
    verdict = cusma(
        {"education": education, "credential_country": country, "years_experience": Decimal(4)}, {}
    )
    check(finding(verdict, "cusma_credential"), met, words, "country")
    if met == Met.NO:
        assert verdict.status == Status.NOT_ELIGIBLE


# Defect 22: Actuary is under Mathematician (NAFTA Free Trade Commission, 2003-10-07).
# (id, degree field, met)
ACTUARY = [
    ("actuarial-science", "Actuarial Science", Met.YES),
    ("statistics", "Statistics", Met.YES),
    ("unrelated", "Fine Arts", Met.EVIDENCE),
]


@pytest.mark.parametrize(
    ("field", "met"), [row[1:] for row in ACTUARY], ids=[row[0] for row in ACTUARY]
)
def test_defect_22_actuary_is_a_mathematician(field: str, met: Met) -> None:
    mathematician = profession("mathematician")
    assert mathematician is not None and "Actuary" in mathematician.title
    assert "2003-10-07" in mathematician.note and len(PROFESSIONS) == 63
    verdict = cusma({"degree_field": field}, {"cusma_profession": "mathematician", "noc": "21210"})
    check(finding(verdict, "cusma_credential"), met, (field,), "transcript")
    check(finding(verdict, "cusma_job"), Met.YES, ("NOC 21210",))


# ---- Intra-Company Transfers ----

MANAGER = Position(
    noc="20012",
    wage_amount=Decimal(150_000),
    wage_per=WagePer.YEAR,
    province="ON",
    ict_capacity=Capacity.MANAGER,
    employer_relationship=Relationship.SUBSIDIARY,
)
WORKER = Candidate(citizenships=("IN",), education=Education.BACHELOR, prior_ict_months=0)


def stint(
    start: str, end: str | None = None, country: str = "IN", full_time: bool = True
) -> RelatedEmployment:
    return RelatedEmployment(
        date.fromisoformat(start), date.fromisoformat(end) if end else None, full_time, country
    )


# Defect 16 and P1: employed now, and one continuous full-time year outside Canada in the 3
# years before the application (not before today); the year need not be the current job.
# (id, stints, application date, met, words in the reason)
ONE_IN_THREE = [
    ("current-two-years", (stint("2024-10-01"),), None, Met.YES, ("792 continuous days", "outside Canada", "365")),
    ("rehired-after-a-qualifying-year", (stint("2025-01-01", "2026-02-01"), stint("2026-09-01")), None, Met.YES,
     ("397 continuous days", "2025-01-01", "2026-02-01")),
    ("year-in-canada", (stint("2024-01-01", country="CA"),), None, Met.NO,
     ("outside Canada", "in Canada does not count")),
    ("not-employed-now", (stint("2023-01-01", "2026-06-30"),), None, Met.NO, ("employed by the multinational now",)),
    ("part-time", (stint("2023-01-01", full_time=False),), None, Met.NO, ("full time",)),
    ("year-before-the-application-window", (stint("2024-01-01", "2025-02-01"), stint("2026-11-01")),
     date(2027, 6, 1), Met.NO, ("2027-06-01", "246")),
    ("same-year-measured-from-today", (stint("2024-01-01", "2025-02-01"), stint("2026-11-01")), None, Met.YES,
     ("398 continuous days",)),
    ("country-not-said", (stint("2024-01-01", country=""),), None, Met.EVIDENCE, ("outside Canada",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("stints", "applies", "met", "words"),
    [row[1:] for row in ONE_IN_THREE],
    ids=[row[0] for row in ONE_IN_THREE],
)
def test_defect_16_one_year_in_three_outside_canada_before_the_application(
    stints: tuple[RelatedEmployment, ...], applies: date | None, met: Met, words: tuple[str, ...]
) -> None:
    verdict = screen(
        "ict",
        "C62",
        replace(WORKER, employment=stints),
        replace(MANAGER, application_date=applies),
        TODAY,
    )
    check(finding(verdict, "ict_one_in_three"), met, words, "country")
    if met == Met.NO:
        assert verdict.status == Status.NOT_ELIGIBLE


# Defect 16: prior ICT time in Canada counts against the cap, across codes.
# (id, code, capacity, months already, duration, met, words in the reason)
CAP = [
    ("manager-first", "C62", Capacity.MANAGER, 0, 36, Met.YES, ("0 months", "84")),
    ("manager-at-cap", "C62", Capacity.MANAGER, 84, 24, Met.NO, ("84 months", "7 years", "1 year")),
    ("sk-at-cap", "C63", Capacity.SPECIALIZED_KNOWLEDGE, 60, 12, Met.NO, ("60 months", "5 years")),
    ("t38-at-cap", "T38", Capacity.SPECIALIZED_KNOWLEDGE, 60, 12, Met.NO, ("60 months", "5 years")),
    ("sk-short-of-cap", "C63", Capacity.SPECIALIZED_KNOWLEDGE, 48, 36, Met.YES, ("12 months", "36")),
    ("not-said", "C62", Capacity.MANAGER, None, 36, Met.EVIDENCE, ("7 years",)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "capacity", "months", "duration", "met", "words"),
    [row[1:] for row in CAP],
    ids=[row[0] for row in CAP],
)
def test_defect_16_prior_ict_time_counts_against_the_cap(
    code: str,
    capacity: Capacity,
    months: int | None,
    duration: int,
    met: Met,
    words: tuple[str, ...],
) -> None:
    citizens = ("US",) if code.startswith("T") else ("IN",)
    verdict = screen(
        "ict",
        code,
        replace(WORKER, citizenships=citizens, employment=(stint("2023-01-01"),), prior_ict_months=months),
        replace(MANAGER, noc="21231" if capacity == Capacity.SPECIALIZED_KNOWLEDGE else "20012",
                ict_capacity=capacity, duration_months=duration),
        TODAY,
    )  # fmt: skip
    check(finding(verdict, "ict_cap"), met, words, "months")
    if met == Met.NO:
        assert verdict.status == Status.NOT_ELIGIBLE


# Defect 14: US and Mexican citizens choose C62/C63 or T37/T38, with the difference explained.
# (id, citizenships, capacity, code asked, code kept)
CODES = [
    ("us-c63", ["US"], "specialized_knowledge", "C63", "C63"),
    ("us-t38", ["US"], "specialized_knowledge", "T38", "T38"),
    ("us-default", ["US"], "specialized_knowledge", None, "T38"),
    ("mx-c62", ["MX"], "manager", "C62", "C62"),
    ("us-t24", ["US"], "manager", "T24", "T37"),
    ("us-c12", ["US"], "manager", "C12", "C62"),
    ("in-c63", ["IN"], "specialized_knowledge", "C63", "C63"),
]


@pytest.mark.parametrize(
    ("citizens", "capacity", "asked", "kept"), [r[1:] for r in CODES], ids=[r[0] for r in CODES]
)
def test_defect_14_us_and_mexican_citizens_may_file_either_code(
    citizens: list[str], capacity: str, asked: str | None, kept: str
) -> None:
    body = hire_body(name="Alex Doe")
    body["pathway"], body["category"] = "ict", asked
    body["candidate"]["citizenships"] = citizens
    body["position"]["ict_capacity"] = capacity
    assert resolve_category(HireCreate.model_validate(body)) == kept


def test_defect_14_indian_citizen_is_refused_a_cusma_code() -> None:
    body = hire_body(name="Alex Doe")
    body["pathway"], body["category"] = "ict", "T38"
    body["position"]["ict_capacity"] = "specialized_knowledge"
    with pytest.raises(ValueError, match="T37 and T38 are for US and Mexican citizens"):
        resolve_category(HireCreate.model_validate(body))


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("C63", ("C63", "mandatory", "T38", "same cap")),
        ("T38", ("T38", "not always required", "C63", "same cap")),
    ],
)
def test_defect_14_the_wage_finding_explains_the_choice(code: str, words: tuple[str, ...]) -> None:
    verdict = screen(
        "ict",
        code,
        replace(WORKER, citizenships=("US",), employment=(stint("2023-01-01"),)),
        replace(MANAGER, noc="21231", ict_capacity=Capacity.SPECIALIZED_KNOWLEDGE),
        TODAY,
    )
    check(finding(verdict, "ict_wage"), Met.EVIDENCE, words, "Job Bank")


# The request: several stints; the old single `related_employment` is read as one stint.
def test_the_old_single_related_employment_is_one_stint() -> None:
    old = CandidateProfile.model_validate(
        {"citizenships": ["IN"], "related_employment": {"start": "2024-01-01", "full_time": True}}
    )
    new = CandidateProfile.model_validate(
        {
            "citizenships": ["IN"],
            "employment": [
                {"start": "2022-01-01", "end": "2023-03-01", "country": "in"},
                {"start": "2024-01-01", "country": "IN"},
            ],
            "degree_field": "Computer Science",
            "credential_country": "us",
            "prior_ict_months": 14,
        }
    )
    assert candidate_of(old).stints == (RelatedEmployment(date(2024, 1, 1)),)
    assert candidate_of(new).stints == (
        RelatedEmployment(date(2022, 1, 1), date(2023, 3, 1), True, "IN"),
        RelatedEmployment(date(2024, 1, 1), None, True, "IN"),
    )
    assert candidate_of(new).credential_country == "US"
    assert candidate_of(new).prior_ict_months == 14


# ---- The property: never "eligible" while a finding is unmet or needs evidence ----

DAYS = st.integers(min_value=0, max_value=2000)


@st.composite
def stints(draw: st.DrawFn) -> tuple[RelatedEmployment, ...]:
    jobs = []
    for _ in range(draw(st.integers(0, 3))):
        start = TODAY - timedelta(days=draw(DAYS))
        ended = draw(st.one_of(st.none(), st.integers(0, 1500)))
        end = None if ended is None else min(start + timedelta(days=ended), TODAY)
        jobs.append(
            RelatedEmployment(
                start, end, draw(st.booleans()), draw(st.sampled_from(["", "CA", "IN", "US"]))
            )
        )
    return tuple(jobs)


@settings(max_examples=300, deadline=None)
@given(
    pathway_code=st.sampled_from([("cusma", "T36"), ("ict", "C61"), ("ict", "C62"), ("ict", "C63"),
                                  ("ict", "T37"), ("ict", "T38")]),
    citizens=st.sampled_from([("US",), ("MX",), ("IN",), ("US", "IN")]),
    education=st.one_of(st.none(), st.sampled_from(list(Education))),
    field=st.sampled_from(["", "Computer Science", "History", "Actuarial Science", "Psychology"]),
    country=st.sampled_from(["", "US", "CA", "MX", "IN"]),
    licence=st.one_of(st.none(), st.booleans()),
    years=st.one_of(st.none(), st.decimals(0, 20, places=1)),
    key=st.sampled_from([p.key for p in PROFESSIONS]),
    noc=st.sampled_from(["21222", "21232", "21230", "21311", "21210", "20012", "11201", "31200"]),
    capacity=st.sampled_from(list(Capacity)),
    jobs=stints(),
    months=st.one_of(st.none(), st.integers(0, 100)),
)  # fmt: skip
def test_no_screening_is_eligible_while_a_finding_is_not_met(
    pathway_code: tuple[str, str], citizens: tuple[str, ...], education: Education | None,
    field: str, country: str, licence: bool | None, years: Decimal | None, key: str, noc: str,
    capacity: Capacity, jobs: tuple[RelatedEmployment, ...], months: int | None,
) -> None:  # fmt: skip
    pathway, code = pathway_code
    candidate = Candidate(
        citizenships=citizens, education=education, degree_field=field, credential_country=country,
        licence=licence, years_experience=years, employment=jobs, prior_ict_months=months,
    )  # fmt: skip
    position = replace(
        ANALYST, noc=noc, cusma_profession=key, ict_capacity=capacity, duration_months=36
    )
    verdict = screen(pathway, code, candidate, position, TODAY)
    if verdict.status == Status.ELIGIBLE:
        assert all(f.met == Met.YES for f in verdict.findings)
        assert all(f.missing == "" for f in verdict.findings)
    for f in verdict.findings:
        assert f.reason and (f.met != Met.EVIDENCE or f.missing), f
