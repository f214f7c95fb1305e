"""CUSMA Appendix 2: the 63 professions and each one's minimum credential (PATHWAYS.md 2.4).

Source [APP2]: 8 CFR 214.6(c) (the same treaty text), Temple University and Duke
University summaries, and Global Affairs Canada. Definitions from the appendix:
a post-secondary diploma is at least 2 years of post-secondary study at an accredited
Canadian or US institution; a post-secondary certificate is the Mexican equivalent; a
licence is issued by a state, provincial or federal (not local) government;
"baccalaureate" includes the Mexican Licenciatura.

Each credential must come from a program related to the profession, and the job must be the
profession's professional-level work: ``fields`` are the programs hirepath knows as related
(any other needs a transcript), ``nocs`` the NOC 2021 occupations whose work is usually the
profession's (any other needs the duties shown). Neither is part of the appendix: they are
hirepath's screening aids, and an officer judges the program and the duties.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Route(StrEnum):
    """A way to meet a profession's minimum credential."""

    BACCALAUREATE = "baccalaureate"  # Baccalaureate or Licenciatura degree (or higher)
    DIPLOMA_3_YEARS = "diploma_3_years"  # post-secondary diploma/certificate + 3 years' experience
    LICENCE = "licence"  # state/provincial/federal licence
    DESIGNATION = "designation"  # a named professional designation (e.g. CPA) or degree
    EXPERIENCE = "experience"  # years in the profession instead of a degree
    TECHNICIAN = "technician"  # the scientific technician/technologist rule


class Group(StrEnum):
    GENERAL = "general"
    MEDICAL = "medical_allied"
    SCIENTIST = "scientist"
    TEACHER = "teacher"


@dataclass(frozen=True)
class Credential:
    route: Route
    years: int = 0  # experience the route needs, if any
    names: tuple[str, ...] = ()  # designations or degrees that qualify (DESIGNATION)
    note: str = ""


@dataclass(frozen=True)
class Profession:
    key: str
    title: str
    group: Group
    credentials: tuple[Credential, ...]
    note: str = ""
    it_relevant: bool = False
    fields: tuple[str, ...] = ()  # related programs, lower case ("computer science")
    nocs: tuple[str, ...] = ()  # NOC 2021 codes whose work is usually this profession's


BACC = Credential(Route.BACCALAUREATE)
DIPLOMA = Credential(Route.DIPLOMA_3_YEARS, 3)
LICENCE = Credential(Route.LICENCE)


def _p(
    key: str,
    title: str,
    group: Group,
    *credentials: Credential,
    note: str = "",
    it: bool = False,
    fields: tuple[str, ...] = (),
    nocs: tuple[str, ...] = (),
) -> Profession:
    return Profession(key, title, group, credentials, note, it, fields, nocs)


G, M, S, T = Group.GENERAL, Group.MEDICAL, Group.SCIENTIST, Group.TEACHER

PROFESSIONS: tuple[Profession, ...] = (
    # general (25)
    _p(
        "accountant",
        "Accountant",
        G,
        BACC,
        Credential(Route.DESIGNATION, names=("C.P.A.", "C.A.", "C.G.A.", "C.M.A.")),
        fields=("accounting", "accountancy", "commerce", "finance"),
        nocs=("11100",),
    ),
    _p("architect", "Architect", G, BACC, LICENCE, fields=("architecture",), nocs=("21200",)),
    _p(
        "computer_systems_analyst",
        "Computer Systems Analyst",
        G,
        BACC,
        DIPLOMA,
        note="Roles that are purely programming are scrutinised.",
        it=True,
        fields=(
            "computer science",
            "computing",
            "computer engineering",
            "software engineering",
            "information systems",
            "information technology",
            "informatics",
            "data science",
        ),
        nocs=("21211", "21220", "21221", "21222", "21223", "21231"),
    ),
    _p(
        "disaster_relief_claims_adjuster",
        "Disaster Relief Insurance Claims Adjuster",
        G,
        Credential(
            Route.BACCALAUREATE, note="plus successful completion of disaster-claims training"
        ),
        Credential(
            Route.EXPERIENCE, 3, note="3 years in claims adjustment plus disaster-claims training"
        ),
    ),
    _p(
        "economist",
        "Economist",
        G,
        BACC,
        it=True,
        fields=("economics", "econometrics"),
        nocs=("41401",),
    ),
    _p(
        "engineer",
        "Engineer",
        G,
        BACC,
        LICENCE,
        note="Software or computer engineering qualifies when the duties are engineering.",
        it=True,
        fields=("engineering",),
        nocs=(
            "21231",
            "21300",
            "21301",
            "21310",
            "21311",
            "21320",
            "21321",
            "21322",
            "21330",
            "21331",
            "21332",
            "21390",
            "21399",
        ),
    ),
    _p("forester", "Forester", G, BACC, LICENCE),
    _p(
        "graphic_designer",
        "Graphic Designer",
        G,
        BACC,
        DIPLOMA,
        note="NOC 52120 is TEER 2: no GSS.",
        it=True,
        fields=("graphic design", "visual communication", "illustration", "design", "fine arts"),
        nocs=("52120",),
    ),
    _p(
        "hotel_manager",
        "Hotel Manager",
        G,
        Credential(Route.BACCALAUREATE, note="in hotel/restaurant management"),
        Credential(Route.DIPLOMA_3_YEARS, 3, note="in hotel/restaurant management"),
    ),
    _p(
        "industrial_designer",
        "Industrial Designer",
        G,
        BACC,
        DIPLOMA,
        it=True,
        fields=("industrial design", "product design"),
        nocs=("22211",),
    ),
    _p("interior_designer", "Interior Designer", G, BACC, DIPLOMA, fields=("interior design",)),
    _p("land_surveyor", "Land Surveyor", G, BACC, LICENCE),
    _p("landscape_architect", "Landscape Architect", G, BACC),
    _p(
        "lawyer",
        "Lawyer (including Notary in the Province of Quebec)",
        G,
        Credential(
            Route.DESIGNATION,
            names=("LL.B.", "J.D.", "LL.L.", "B.C.L.", "Licenciatura (5 years)", "bar membership"),
        ),
    ),
    _p(
        "librarian",
        "Librarian",
        G,
        Credential(Route.DESIGNATION, names=("M.L.S.", "B.L.S. (with a prior baccalaureate)")),
    ),
    _p(
        "management_consultant",
        "Management Consultant",
        G,
        BACC,
        Credential(
            Route.EXPERIENCE,
            5,
            note="5 years as a management consultant or in a field of the consulting agreement",
        ),
        note="Scrutinised.",
        it=True,
        fields=(
            "business",
            "management",
            "commerce",
            "economics",
            "administration",
            "m.b.a.",
            "mba",
        ),
        nocs=("11201",),
    ),
    _p(
        "mathematician",
        "Mathematician (including Statistician and Actuary)",
        G,
        BACC,
        note="Actuary was added under Mathematician by the NAFTA Free Trade Commission decision "
        "of 2003-10-07, carried into CUSMA: a degree in mathematics, statistics or actuarial "
        "science.",
        it=True,
        fields=("mathematics", "statistics", "actuarial science", "applied math"),
        nocs=("21210",),
    ),
    _p("range_manager", "Range Manager/Range Conservationist", G, BACC),
    _p(
        "research_assistant",
        "Research Assistant (working in a post-secondary educational institution)",
        G,
        BACC,
        it=True,
        nocs=("41201",),
    ),
    _p(
        "scientific_technician",
        "Scientific Technician/Technologist",
        G,
        Credential(
            Route.TECHNICIAN,
            note="theoretical knowledge of agricultural sciences, astronomy, biology, chemistry, "
            "engineering, forestry, geology, geophysics, meteorology or physics, the ability to "
            "solve practical problems, working in direct support of such professionals",
        ),
        it=True,
    ),
    _p("social_worker", "Social Worker", G, BACC, fields=("social work",), nocs=("41300",)),
    _p("sylviculturist", "Sylviculturist (including Forestry Specialist)", G, BACC),
    _p(
        "technical_publications_writer",
        "Technical Publications Writer",
        G,
        BACC,
        DIPLOMA,
        it=True,
        fields=("technical writing", "technical communication", "communications", "journalism"),
        nocs=("51112",),
    ),
    _p("urban_planner", "Urban Planner (including Geographer)", G, BACC),
    _p("vocational_counsellor", "Vocational Counsellor", G, BACC),
    # medical/allied (12)
    _p(
        "dentist",
        "Dentist",
        M,
        Credential(Route.DESIGNATION, names=("D.D.S.", "D.M.D.", "Doctor en Odontologia")),
        LICENCE,
    ),
    _p("dietitian", "Dietitian", M, BACC, LICENCE),
    _p(
        "medical_laboratory_technologist",
        "Medical Laboratory Technologist (Canada)/Medical Technologist (Mexico and the US)",
        M,
        BACC,
        DIPLOMA,
    ),
    _p("nutritionist", "Nutritionist", M, BACC),
    _p("occupational_therapist", "Occupational Therapist", M, BACC, LICENCE),
    _p("pharmacist", "Pharmacist", M, BACC, LICENCE),
    _p(
        "physician",
        "Physician (teaching or research only)",
        M,
        Credential(Route.DESIGNATION, names=("M.D.", "Doctor en Medicina")),
        LICENCE,
    ),
    _p("physiotherapist", "Physio/Physical Therapist", M, BACC, LICENCE),
    _p(
        "psychologist",
        "Psychologist",
        M,
        LICENCE,
        Credential(Route.DESIGNATION, names=("Licenciatura",)),
        fields=("psychology",),
        nocs=("31200",),
    ),
    _p("recreational_therapist", "Recreational Therapist", M, BACC),
    _p(
        "registered_nurse",
        "Registered Nurse",
        M,
        LICENCE,
        Credential(Route.DESIGNATION, names=("Licenciatura",)),
        fields=("nursing",),
        nocs=("31301",),
    ),
    _p(
        "veterinarian",
        "Veterinarian",
        M,
        Credential(Route.DESIGNATION, names=("D.V.M.", "D.M.V.", "Doctor en Veterinaria")),
        LICENCE,
    ),
    # scientists (23): baccalaureate
    *(
        _p(key, title, S, BACC)
        for key, title in (
            ("agriculturist", "Agriculturist (including Agronomist)"),
            ("animal_breeder", "Animal Breeder"),
            ("animal_scientist", "Animal Scientist"),
            ("apiculturist", "Apiculturist"),
            ("astronomer", "Astronomer"),
            ("biochemist", "Biochemist"),
            ("biologist", "Biologist"),
            ("chemist", "Chemist"),
            ("dairy_scientist", "Dairy Scientist"),
            ("entomologist", "Entomologist"),
            ("epidemiologist", "Epidemiologist"),
            ("geneticist", "Geneticist"),
            ("geologist", "Geologist"),
            ("geochemist", "Geochemist"),
            ("geophysicist", "Geophysicist (including Oceanographer in Mexico and the US)"),
            ("horticulturist", "Horticulturist"),
            ("meteorologist", "Meteorologist"),
            ("pharmacologist", "Pharmacologist"),
            ("physicist", "Physicist (including Oceanographer in Canada)"),
            ("plant_breeder", "Plant Breeder"),
            ("poultry_scientist", "Poultry Scientist"),
            ("soil_scientist", "Soil Scientist"),
            ("zoologist", "Zoologist"),
        )
    ),
    # teachers (3): baccalaureate
    _p("college_teacher", "College Teacher", T, BACC),
    _p("seminary_teacher", "Seminary Teacher", T, BACC),
    _p("university_teacher", "University Teacher", T, BACC),
)

BY_KEY = {p.key: p for p in PROFESSIONS}


def profession(key: str) -> Profession | None:
    return BY_KEY.get(key)
