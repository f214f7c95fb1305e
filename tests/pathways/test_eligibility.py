"""Screening, rule by rule (PATHWAYS.md sections 1 to 4): for each rule a case that meets it
and one that does not, with the reason a user reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

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
    screen_all,
    spouse_open_work_permit,
)
from pathways.ict import Capacity

TODAY = date(2026, 12, 1)
BASE_CANDIDATE = Candidate(
    citizenships=("IN",), education=Education.BACHELOR, years_experience=Decimal(6)
)
BASE_POSITION = Position(
    noc="21231", wage_amount=Decimal(120_000), wage_per=WagePer.YEAR, province="ON"
)


def job(days: int, *, ends_ago: int = 0, full_time: bool = True) -> RelatedEmployment:
    """A job with the multinational outside Canada (in India) of ``days`` days."""
    end = TODAY - timedelta(days=ends_ago)
    return RelatedEmployment(
        start=end - timedelta(days=days),
        end=None if ends_ago == 0 else end,
        full_time=full_time,
        country="IN",
    )


def per_year(amount: int) -> dict[str, Any]:
    """A position's wage fields, for ``replace``: ``amount`` a year, at 40 hours a week."""
    return {"wage_amount": Decimal(amount), "wage_per": WagePer.YEAR, "hours_per_week": Decimal(40)}


def per_hour(amount: str) -> dict[str, Any]:
    """A position's wage fields, for ``replace``: ``amount`` an hour, at 40 hours a week."""
    return {"wage_amount": Decimal(amount), "wage_per": WagePer.HOUR, "hours_per_week": Decimal(40)}


MGR = {"ict_capacity": Capacity.MANAGER, "employer_relationship": Relationship.SUBSIDIARY}
SK = {
    "ict_capacity": Capacity.SPECIALIZED_KNOWLEDGE,
    "employer_relationship": Relationship.SUBSIDIARY,
}

# (id, pathway, category, candidate changes, position changes, rule, met, reason)
RULES: list[tuple[str, str, str, dict[str, Any], dict[str, Any], str, Met, str]] = [
    # GTS Category B: the occupation list and its wage floors (1.2)
    ("b-listed", "gts", "B", {}, {}, "gts_b_occupation", Met.YES,
     "NOC 21231 is on the Global Talent Occupations List (in force since 2022-12-22): Software engineers and designers."),
    ("b-unlisted", "gts", "B", {}, {"noc": "11100"}, "gts_b_occupation", Met.NO,
     "NOC 11100 is not on the Global Talent Occupations List (Category B); consider Category A with a partner's referral."),
    ("b-floor-met", "gts", "B", {}, {"noc": "22222", **per_hour("41.03")}, "gts_b_wage_floor", Met.YES,
     "The wage ($41.03/h at 40 hours a week: $85,342 a year) meets the Category B floor of $41.03/h for NOC 22222."),
    ("b-floor-missed", "gts", "B", {}, {"noc": "22222", **per_year(85_000)}, "gts_b_wage_floor", Met.NO,
     "The wage ($85,000 a year at 40 hours a week: $40.87/h) is below the Category B floor for NOC 22222: $41.03/h "
     "(the hourly floor governs)."),
    ("b-prevailing", "gts", "B", {}, {}, "gts_b_wage_floor", Met.EVIDENCE,
     "The wage ($120,000 a year at 40 hours a week: $57.69/h) must be at least the prevailing wage for NOC 21231 "
     "(Job Bank regional median) at every work location."),
    # GTS Category A: unique and specialized (1.1)
    ("a-wage-met", "gts", "A", {}, {"noc": "11100", "gts_a_approved_this_year": 0, **per_year(80_000)}, "gts_a_wage",
     Met.YES, "The base pay ($80,000 a year at 40 hours a week: $38.46/h) meets the floor for the employer's 1st "
     "Category A position in 2026: at least $80,000 and $38.46/h (the first 2 positions approved in a calendar year)."),
    ("a-wage-missed", "gts", "A", {}, {"noc": "11100", **per_year(79_999)}, "gts_a_wage", Met.NO,
     "The base pay ($79,999 a year at 40 hours a week: $38.46/h) is below the floor for any Category A position: at "
     "least $80,000 and $38.46/h."),
    ("a-expertise-met", "gts", "A", {"education": Education.MASTER, "years_experience": Decimal(1)}, {"noc": "11100"},
     "gts_a_expertise", Met.YES,
     "An advanced degree in the specialization or at least 5 years of specialized experience: the candidate has it."),
    ("a-expertise-missed", "gts", "A", {"years_experience": Decimal(2)}, {"noc": "11100"}, "gts_a_expertise", Met.NO,
     "A unique and specialized position needs an advanced degree in the specialization and/or at least 5 years of "
     "specialized experience; the candidate has bachelor and 2 years."),
    ("a-listed-is-b", "gts", "A", {}, {}, "gts_a_listed_is_b", Met.NO,
     "NOC 21231 is on the Global Talent Occupations List, so ESDC processes it as Category B even with a referral."),
    # CUSMA: citizenship (2.1)
    ("cusma-us", "cusma", "T36", {"citizenships": ("US",)}, {"cusma_profession": "computer_systems_analyst"},
     "cusma_citizenship", Met.YES, "A citizen of the United States."),
    ("cusma-mx", "cusma", "T36", {"citizenships": ("MX", "ES")}, {"cusma_profession": "computer_systems_analyst"},
     "cusma_citizenship", Met.YES, "A citizen of Mexico."),
    ("cusma-pr", "cusma", "T36", {"citizenships": ("IN",), "permanent_residences": ("US",)},
     {"cusma_profession": "computer_systems_analyst"}, "cusma_citizenship", Met.NO,
     "CUSMA needs US or Mexican citizenship; US and Mexican permanent residents are excluded."),
    # CUSMA: profession and credential (2.4)
    ("cusma-profession", "cusma", "T36", {"citizenships": ("US",)}, {"cusma_profession": "engineer"},
     "cusma_profession", Met.YES, "Engineer is an Appendix 2 profession."),
    ("cusma-not-a-profession", "cusma", "T36", {"citizenships": ("US",)}, {"cusma_profession": "software_developer"},
     "cusma_profession", Met.NO, "'software_developer' is not one of the 63 CUSMA Appendix 2 professions."),
    ("cusma-diploma-3y", "cusma", "T36",
     {"citizenships": ("US",), "education": Education.DIPLOMA, "years_experience": Decimal(3),
      "credential_country": "US", "degree_field": "Computer Science"},
     {"cusma_profession": "computer_systems_analyst"}, "cusma_credential", Met.YES,
     "The credential meets the rule: a post-secondary diploma in Computer Science, a program related to Computer "
     "Systems Analyst. Computer Systems Analyst needs a baccalaureate or Licenciatura degree; or a post-secondary "
     "diploma (from a Canadian or US institution) or certificate (the Mexican equivalent) plus 3 years' experience."),
    ("cusma-diploma-2y", "cusma", "T36",
     {"citizenships": ("US",), "education": Education.DIPLOMA, "years_experience": Decimal(2),
      "credential_country": "US"},
     {"cusma_profession": "computer_systems_analyst"}, "cusma_credential", Met.NO,
     "Computer Systems Analyst needs a baccalaureate or Licenciatura degree; or a post-secondary diploma (from a "
     "Canadian or US institution) or certificate (the Mexican equivalent) plus 3 years' experience. The candidate "
     "has none of these."),
    ("cusma-licence", "cusma", "T36", {"citizenships": ("MX",), "education": Education.DIPLOMA, "licence": True},
     {"cusma_profession": "engineer"}, "cusma_credential", Met.YES,
     "The credential meets the rule: Engineer needs a baccalaureate or Licenciatura degree; or a state, provincial "
     "or federal licence."),
    ("cusma-designation", "cusma", "T36",
     {"citizenships": ("US",), "education": Education.SECONDARY, "designations": ("CPA",)},
     {"cusma_profession": "accountant"}, "cusma_credential", Met.YES,
     "The credential meets the rule: Accountant needs a baccalaureate or Licenciatura degree; or one of: C.P.A., "
     "C.A., C.G.A., C.M.A."),
    ("cusma-consultant-4y", "cusma", "T36",
     {"citizenships": ("US",), "education": Education.DIPLOMA, "years_experience": Decimal(4)},
     {"cusma_profession": "management_consultant"}, "cusma_credential", Met.NO,
     "Management Consultant needs a baccalaureate or Licenciatura degree; or 5 years' experience (5 years as a "
     "management consultant or in a field of the consulting agreement). The candidate has none of these."),
    ("cusma-employed", "cusma", "T36", {"citizenships": ("US",)}, {"cusma_profession": "engineer"},
     "cusma_employment", Met.YES, "Pre-arranged employment with a Canadian enterprise."),
    ("cusma-self-employed", "cusma", "T36", {"citizenships": ("US",)},
     {"cusma_profession": "engineer", "self_employed": True}, "cusma_employment", Met.NO,
     "CUSMA professionals need pre-arranged employment with a Canadian enterprise: no self-employment."),
    # ICT: 1 year in the last 3 (3.1)
    ("ict-1in3-met", "ict", "C62", {"related_employment": job(800)}, MGR, "ict_one_in_three", Met.YES,
     "801 continuous days, full time, outside Canada (2024-09-22 to 2026-12-01) in the 3 years before the "
     "application (2023-12-02 to 2026-12-01): at least 365 needed."),
    ("ict-1in3-exactly-a-year", "ict", "C62", {"related_employment": job(364)}, MGR, "ict_one_in_three", Met.YES,
     "365 continuous days, full time, outside Canada (2025-12-02 to 2026-12-01) in the 3 years before the "
     "application (2023-12-02 to 2026-12-01): at least 365 needed."),
    ("ict-1in3-short", "ict", "C62", {"related_employment": job(300)}, MGR, "ict_one_in_three", Met.NO,
     "Only 301 continuous days, full time, outside Canada in the 3 years before the application (2023-12-02 to "
     "2026-12-01); the rule needs 1 continuous year (365 days), full time."),
    ("ict-1in3-left", "ict", "C62", {"related_employment": job(700, ends_ago=30)}, MGR, "ict_one_in_three", Met.NO,
     "The worker must be employed by the multinational now, with the home job held for the return; the last job "
     "ended on 2026-11-01, before the application (2026-12-01)."),
    ("ict-1in3-part-time", "ict", "C62", {"related_employment": job(800, full_time=False)}, MGR, "ict_one_in_three",
     Met.NO, "The year must be full time; part-time work does not add up to it."),
    ("ict-affiliate", "ict", "C62", {"related_employment": job(800)},
     {**MGR, "employer_relationship": Relationship.AFFILIATE}, "ict_relationship", Met.YES,
     "The Canadian employer is an affiliate: a qualifying relationship."),
    ("ict-client", "ict", "C62", {"related_employment": job(800)},
     {**MGR, "employer_relationship": Relationship.OTHER}, "ict_relationship", Met.NO,
     "A client, supplier, contract, licence or franchise relationship (or a small stake or shared directors) is not "
     "a qualifying relationship: parent, subsidiary, branch or affiliate only."),
    # ICT: capacity and TEER (3.1, 3.3)
    ("ict-manager-teer0", "ict", "C62", {"related_employment": job(800)}, {**MGR, "noc": "20012"},
     "ict_capacity_teer", Met.YES, "A manager role in TEER 0."),
    ("ict-executive-teer1", "ict", "C62", {"related_employment": job(800)},
     {**MGR, "ict_capacity": Capacity.EXECUTIVE, "noc": "21231"}, "ict_capacity_teer", Met.NO,
     "Executives are TEER 0 and managers TEER 1; NOC 21231 is TEER 1."),
    ("ict-manager-teer2", "ict", "C62", {"related_employment": job(800)}, {**MGR, "noc": "22222"},
     "ict_capacity_teer", Met.NO, "Executives are TEER 0 and managers TEER 1; NOC 22222 is TEER 2."),
    ("ict-sk-teer2", "ict", "C63", {"related_employment": job(800)}, {**SK, "noc": "22222"},
     "ict_capacity_teer", Met.YES, "A specialized-knowledge role in TEER 2 (0 to 2 expected)."),
    ("ict-sk-teer4", "ict", "C63", {"related_employment": job(800)}, {**SK, "noc": "64100"},
     "ict_capacity_teer", Met.EVIDENCE,
     "Specialized-knowledge roles are expected in TEER 0 to 2; NOC 64100 is TEER 4, which IRCC reviews closely."),
    # ICT: specialized knowledge from significant, recent experience (3.2)
    ("ict-sk-2y", "ict", "C63", {"related_employment": job(800)}, SK, "ict_specialized_experience", Met.YES,
     "801 days in the organization in the last 3 years; specialized knowledge needs significant (about 2 years) and "
     "recent experience."),
    ("ict-sk-18m", "ict", "C63", {"related_employment": job(540)}, SK, "ict_specialized_experience", Met.EVIDENCE,
     "541 days in the organization in the last 3 years; specialized knowledge needs significant (about 2 years) and "
     "recent experience."),
    # who needs no permit at all
    ("canadian", "gts", "B", {"citizenships": ("CA",)}, {}, "canadian", Met.NO,
     "A Canadian citizen or permanent resident needs no work permit."),
    # what the rules cannot decide without evidence
    ("b-quebec", "gts", "B", {}, {"province": "QC"}, "gts_b_wage_floor", Met.EVIDENCE,
     "In Quebec, MIFI's wage floor applies instead of ESDC's; the wage is $120,000 a year at 40 hours a week: "
     "$57.69/h; ESDC's floor for NOC 21231 is the prevailing wage, which does not decide here."),
    ("b-sub-occupation", "gts", "B", {}, {"noc": "52120", **per_year(90_000)}, "gts_b_sub_occupation",
     Met.EVIDENCE, "Only part of NOC 52120 is on the list (Digital media designers). At least 3 years in a listed skill "
     "(3D modelling, compositing, rigging, UI/UX, VR/AR, pipeline development, ...)."),
    ("cusma-no-credential-data", "cusma", "T36", {"citizenships": ("MX",), "education": None, "years_experience": None},
     {"cusma_profession": "dentist"}, "cusma_credential", Met.EVIDENCE,
     "Dentist needs one of: D.D.S., D.M.D., Doctor en Odontologia; or a state, provincial or federal licence."),
    ("cusma-licenciatura", "cusma", "T36",
     {"citizenships": ("MX",), "education": Education.BACHELOR, "credential_country": "MX",
      "degree_field": "Psicología (Psychology)"},
     {"cusma_profession": "psychologist"}, "cusma_credential", Met.YES,
     "The credential meets the rule: a bachelor's or Licenciatura in Psicología (Psychology), a program related to "
     "Psychologist. Psychologist needs a state, provincial or federal licence; or one of: Licenciatura."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("pathway", "category", "candidate", "position", "rule", "met", "reason"),
    [row[1:] for row in RULES],
    ids=[row[0] for row in RULES],
)
def test_rule(
    pathway: str,
    category: str,
    candidate: dict[str, Any],
    position: dict[str, Any],
    rule: str,
    met: Met,
    reason: str,
) -> None:
    verdict = screen(
        pathway,
        category,
        replace(BASE_CANDIDATE, **candidate),
        replace(BASE_POSITION, **position),
        TODAY,
    )
    [finding] = [f for f in verdict.findings if f.rule == rule]
    assert (finding.met, finding.reason) == (met, reason)
    if met == Met.NO:
        assert verdict.status == Status.NOT_ELIGIBLE and reason in verdict.reasons_not_met


# Rules that only ever hold a hire back: their passing case is their absence.
ONE_WAY = {"gts_a_listed_is_b", "canadian", "gts_b_sub_occupation"}


def test_every_rule_has_a_case_each_way() -> None:
    outcomes: dict[str, set[Met]] = {}
    for row in RULES:
        outcomes.setdefault(row[5], set()).add(row[6])
    for rule, seen in outcomes.items():
        assert seen - {Met.YES}, rule
        if rule not in ONE_WAY:
            assert Met.YES in seen, rule
    plain = {f.rule for f in screen("gts", "B", BASE_CANDIDATE, BASE_POSITION, TODAY).findings}
    unlisted = screen("gts", "A", BASE_CANDIDATE, replace(BASE_POSITION, noc="11100"), TODAY)
    assert not plain & ONE_WAY and "gts_a_listed_is_b" not in {f.rule for f in unlisted.findings}


@pytest.mark.parametrize(
    ("pathway", "noc", "met", "reason"),
    [
        (
            "ict",
            "21231",
            Met.YES,
            "A TEER 1 LMIA-exempt job: two-week processing when applying online from outside Canada.",
        ),
        (
            "cusma",
            "52120",
            Met.NO,
            "NOC 52120 is TEER 2: no two-week processing (LMIA-exempt jobs need TEER 0 or 1).",
        ),
        (
            "gts",
            "22222",
            Met.YES,
            "A GTS LMIA: two-week processing when applying online from outside Canada.",
        ),
    ],
)
def test_two_week_processing(pathway: str, noc: str, met: Met, reason: str) -> None:
    position = replace(BASE_POSITION, noc=noc, ict_capacity=Capacity.SPECIALIZED_KNOWLEDGE)
    category = {"ict": "C63", "cusma": "T36", "gts": "B"}[pathway]
    gss = screen(pathway, category, BASE_CANDIDATE, position, TODAY).two_week_processing
    assert gss is not None and (gss.met, gss.reason) == (met, reason)


@pytest.mark.parametrize(
    ("citizenships", "visa_exempt", "residence", "pathway", "border"),
    [
        (("US",), None, "", "gts", True),
        (("US",), None, "CA", "cusma", True),  # US citizens are exempt from the end of flagpoling
        (("MX",), True, "", "cusma", False),  # the safer reading (PATHWAYS.md 6.9)
        (("MX", "ES"), True, "", "cusma", False),  # under CUSMA they travel as Mexican citizens
        (("MX", "ES"), True, "", "gts", True),  # elsewhere, on the visa-exempt passport
        (("FR",), True, "", "gts", True),
        (("FR",), True, "CA", "gts", False),  # flagpoling ended 2024-12-23 [FLAG]
        (("IN",), None, "", "gts", False),
        (("IN",), False, "", "gts", False),
    ],
)
def test_where_the_worker_may_apply(
    citizenships: tuple[str, ...],
    visa_exempt: bool | None,
    residence: str,
    pathway: str,
    border: bool,
) -> None:
    candidate = replace(
        BASE_CANDIDATE, citizenships=citizenships, visa_exempt=visa_exempt, residence=residence
    )
    category = {"gts": "B", "cusma": "T36"}[pathway]
    assert screen(pathway, category, candidate, BASE_POSITION, TODAY).may_apply_at_border is border


@pytest.mark.parametrize(
    ("noc", "months", "met", "reason"),
    [
        (
            "21231",
            36,
            Met.YES,
            "The spouse may get an open work permit: TEER 1 job, permit of 36 months (at least 16 "
            "needed when the spouse applies; apply with the worker for the two-week processing).",
        ),
        (
            "21231",
            12,
            Met.NO,
            "No spouse's open work permit: the worker's permit runs 12 months, and it must be valid "
            "at least 16 months when the spouse applies.",
        ),
        (
            "22220",
            36,
            Met.YES,
            "The spouse may get an open work permit: TEER 2 job in a listed group (22XXX), permit "
            "of 36 months (at least 16 needed when the spouse applies; apply with the worker for the two-week processing).",
        ),
        (
            "52120",
            36,
            Met.NO,
            "No spouse's open work permit: NOC 52120 (TEER 2, arts) is likely not on the list: the "
            "safer reading.",
        ),
        ("12010", 36, Met.NO, "No spouse's open work permit: TEER 2 jobs in 12XXX are excluded."),
        ("64100", 36, Met.NO, "No spouse's open work permit: TEER 4 jobs (4 and 5) are excluded."),
    ],
)
def test_spouse_open_work_permit(noc: str, months: int, met: Met, reason: str) -> None:
    finding = spouse_open_work_permit(replace(BASE_POSITION, noc=noc), months)
    assert (finding.met, finding.reason) == (met, reason)


def test_screen_all_gives_a_verdict_per_pathway_and_category() -> None:
    candidate = replace(
        BASE_CANDIDATE,
        citizenships=("US",),
        related_employment=job(800),
        degree_field="Computer Science",
    )
    position = replace(BASE_POSITION, cusma_profession="computer_systems_analyst")
    verdicts = {(v.pathway, v.category): v.status for v in screen_all(candidate, position, TODAY)}
    assert set(verdicts) == {
        ("gts", "A"),
        ("gts", "B"),
        ("cusma", "T36"),
        ("ict", "C61"),
        ("ict", "T37"),
        ("ict", "T38"),
    }
    assert verdicts[("cusma", "T36")] == Status.ELIGIBLE
    assert verdicts[("gts", "A")] == Status.NOT_ELIGIBLE  # listed occupation: Category B
