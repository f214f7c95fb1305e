"""Every finding, step, fee and deadline names sources a user can follow (pathways.sources)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathways import registry
from pathways.cusma_professions import PROFESSIONS
from pathways.eligibility import (
    Candidate,
    Education,
    Finding,
    Position,
    RelatedEmployment,
    Relationship,
    WagePer,
    screen_all,
    spouse_finding,
    spouse_open_work_permit,
)
from pathways.ict import Capacity
from pathways.model import Source
from pathways.sources import SOURCES, UnknownSourceError, cited, keys_in, without_domain_notes

TODAY = date(2026, 12, 1)


def assert_followable(finding: Finding) -> None:
    """The finding names at least one source, and each is an entry with an address."""
    entries = cited(finding.source)
    assert entries, f"{finding.rule} cites nothing: {finding.reason}"
    assert finding.source == ", ".join(finding.source_keys), finding.source  # keys alone
    for entry in entries:
        assert entry.url.startswith(("https://", "http://")), entry
        assert SOURCES[entry.key] == entry


countries = st.lists(
    st.sampled_from(["US", "MX", "IN", "FR", "BR", "CN", "GB", "CA", "DE"]),
    min_size=1,
    max_size=3,
    unique=True,
)
nocs = st.sampled_from(
    ["20012", "21231", "21211", "21232", "22222", "22220", "52120", "51120", "11100", "64100",
     "12010", "21320", "41400", "99999"]
)  # fmt: skip
maybe = st.one_of


@settings(max_examples=400, deadline=None)
@given(
    citizenships=countries,
    permanent_residences=st.lists(st.sampled_from(["CA", "US", "MX"]), max_size=1),
    education=maybe(st.none(), st.sampled_from(list(Education))),
    years=maybe(st.none(), st.decimals(min_value=0, max_value=40, places=1)),
    licence=maybe(st.none(), st.booleans()),
    job_days=maybe(st.none(), st.integers(min_value=0, max_value=2000)),
    left_days_ago=maybe(st.none(), st.integers(min_value=0, max_value=400)),
    spouse=st.booleans(),
    visa_exempt=maybe(st.none(), st.booleans()),
    residence=st.sampled_from(["", "CA", "US", "IN"]),
    noc=nocs,
    amount=st.decimals(min_value=Decimal("10"), max_value=Decimal("400000"), places=2),
    per=st.sampled_from(list(WagePer)),
    province=st.sampled_from(["ON", "QC", "BC", "AB", ""]),
    start_in=maybe(st.none(), st.integers(min_value=-60, max_value=400)),
    months=maybe(st.none(), st.integers(min_value=1, max_value=72)),
    profession=maybe(st.none(), st.sampled_from([p.key for p in PROFESSIONS] + ["juggler"])),
    capacity=maybe(st.none(), st.sampled_from(list(Capacity))),
    relationship=maybe(st.none(), st.sampled_from(list(Relationship))),
    self_employed=st.booleans(),
    stints=st.lists(
        st.tuples(st.integers(1, 3000), st.integers(0, 3000), st.booleans()), max_size=3
    ),
    degree_field=st.sampled_from(["", "computer science", "history", "accounting"]),
    credential_country=st.sampled_from(["", "US", "MX", "CA", "IN"]),
    prior_ict_months=maybe(st.none(), st.integers(min_value=0, max_value=100)),
    approved_this_year=maybe(st.none(), st.integers(min_value=0, max_value=5)),
    referral=maybe(st.none(), st.booleans()),
    applies_in=maybe(st.none(), st.integers(min_value=-30, max_value=200)),
    screened_on=st.dates(min_value=date(2016, 1, 1), max_value=date(2027, 12, 31)),
)
def test_every_finding_of_every_verdict_has_a_source_with_an_address(**given_: Any) -> None:
    g = dataclasses.make_dataclass("G", list(given_))(**given_)
    today = g.screened_on
    job = None
    if g.job_days is not None:
        left = today - timedelta(days=g.left_days_ago) if g.left_days_ago is not None else None
        job = RelatedEmployment(start=today - timedelta(days=g.job_days), end=left)
    stints = tuple(
        RelatedEmployment(
            start=today - timedelta(days=began),
            end=today - timedelta(days=ended) if ended < began else None,
            full_time=full,
        )
        for began, ended, full in g.stints
    )
    candidate = Candidate(
        citizenships=tuple(g.citizenships), permanent_residences=tuple(g.permanent_residences),
        education=g.education, years_experience=g.years, licence=g.licence,
        related_employment=job, spouse=g.spouse, visa_exempt=g.visa_exempt,
        residence=g.residence, employment=stints, degree_field=g.degree_field,
        credential_country=g.credential_country, prior_ict_months=g.prior_ict_months,
    )  # fmt: skip
    position = Position(
        noc=g.noc, wage_amount=g.amount, wage_per=g.per, province=g.province,
        start_date=today + timedelta(days=g.start_in) if g.start_in is not None else None,
        duration_months=g.months, cusma_profession=g.profession, ict_capacity=g.capacity,
        employer_relationship=g.relationship, self_employed=g.self_employed,
        gts_a_approved_this_year=g.approved_this_year, gts_a_referral=g.referral,
        application_date=today + timedelta(days=g.applies_in) if g.applies_in is not None else None,
    )  # fmt: skip
    for verdict in screen_all(candidate, position, today):
        for finding in verdict.findings:
            assert_followable(finding)
        if verdict.two_week_processing is not None:
            assert_followable(verdict.two_week_processing)
    assert_followable(spouse_open_work_permit(position, g.months or 0, today))
    spouse = spouse_finding(candidate, position, g.months, today)
    if spouse is not None:
        assert_followable(spouse)


def test_a_canadian_or_permanent_resident_is_told_why_by_the_act() -> None:
    position = Position(noc="21231", wage_amount=Decimal(150000), wage_per=WagePer.YEAR)
    for person in (Candidate(citizenships=("CA",)), Candidate(permanent_residences=("CA",))):
        for verdict in screen_all(person, position, TODAY):
            (finding,) = verdict.findings
            (act,) = cited(finding.source)
            assert act.url == "https://laws-lois.justice.gc.ca/eng/acts/i-2.5/"
            assert "s. 2(1)" in act.title and "s. 30(1)" in act.title


def sources_in(value: Any) -> Iterator[Source]:
    if isinstance(value, Source):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from sources_in(getattr(value, f.name))
    elif isinstance(value, tuple | list | frozenset):
        for item in value:
            yield from sources_in(item)


@pytest.mark.parametrize(
    "pathway", [p for versions in registry.VERSIONS.values() for p in versions], ids=str
)
def test_every_source_a_published_pathway_cites_is_in_the_table(pathway: Any) -> None:
    cited_keys = {s.key for s in sources_in(pathway)}
    assert cited_keys, pathway.version
    assert cited_keys <= set(SOURCES), cited_keys - set(SOURCES)
    for step in pathway.steps:
        assert step.sources or step.deadline.sources, f"{pathway.version}: {step.key}"
    for fee in pathway.fees:
        assert fee.sources, f"{pathway.version}: {fee.key}"


@pytest.mark.parametrize(
    ("citation", "keys"),
    [
        ("G2 (PATHWAYS.md 1.2)", ("G2",)),  # as findings wrote them, and hires stored them
        ("G1, G2 (PATHWAYS.md 1.1)", ("G1", "G2")),
        ("SP1, SP2 (PATHWAYS.md 4)", ("SP1", "SP2")),
        ("visaserve, iclimmigration (PATHWAYS.md 2.1)", ("CUSMA-PRO",)),
        ("[I5], [I8]", ("I5", "I8")),
        ("ESDC-REQ; QC-MIFI", ("G2", "QC-MIFI")),  # the review's names
        ("IRPA", ("IRPA",)),
    ],
)
def test_a_citation_names_its_keys_whichever_way_it_was_written(
    citation: str, keys: tuple[str, ...]
) -> None:
    assert keys_in(citation) == keys


def test_a_key_not_in_the_table_is_an_error_not_a_silent_blank() -> None:
    with pytest.raises(UnknownSourceError):
        cited("G2, NOPE")


def test_each_entry_says_what_it_is_who_publishes_it_and_is_not_dated_in_the_future() -> None:
    for key, entry in SOURCES.items():
        assert entry.key == key and entry.title and entry.publisher and entry.supports, key
        for day in (entry.page_date, entry.effective):
            assert day is None or day <= TODAY, key
        assert "PATHWAYS" not in entry.title + entry.supports + entry.note, key


def test_notes_shown_to_users_lose_the_domain_notes_references() -> None:
    texts = [n for versions in registry.VERSIONS.values() for p in versions for n in p.notes]
    texts += [p.note for p in PROFESSIONS if p.note]
    assert any("PATHWAYS.md" in t for t in texts)  # there is something to clean
    for text in texts:
        clean = without_domain_notes(text)
        assert "PATHWAYS" not in clean and clean.strip(), text
    assert without_domain_notes("Floor governs (PATHWAYS.md 6.4).") == "Floor governs."
