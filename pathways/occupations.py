"""Occupation tables: the Global Talent Occupations List (GTS Category B).

PATHWAYS.md 1.2, "updated December 2022", page dated 2025-11-20 [G2]; the list took effect
on 2022-12-22 (defect 23: the policy's date, not the page's). ``OCCUPATION_LISTS`` holds every
list hirepath has, each with the dates it was in force (``occupation_list_on``). The hourly
floor is binding; the annual figure is illustrative. ``None`` means the floor is
the prevailing wage (Job Bank regional median), which hirepath cannot look up:
the employer attests to it. Quebec uses MIFI floors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pathways.dated import Dated, in_force


@dataclass(frozen=True)
class Occupation:
    noc_2021: tuple[str, ...]
    noc_2016: str
    title: str
    annual_floor: int | None = None  # dollars; None = prevailing wage
    hourly_floor: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class OccupationList:
    version: str
    effective: date  # the day the list took effect
    occupations: tuple[Occupation, ...]
    page_date: date | None = None  # the date of the page it was read from

    def find(self, noc: str) -> Occupation | None:
        return next((o for o in self.occupations if noc in o.noc_2021), None)


GLOBAL_TALENT_OCCUPATIONS = OccupationList(
    version="gtol-2022-12",
    effective=date(2022, 12, 22),
    page_date=date(2025, 11, 20),
    occupations=(
        Occupation(("20012",), "0213", "Computer and information systems managers"),
        Occupation(("21300",), "2131", "Civil engineers"),
        Occupation(("21310",), "2133", "Electrical and electronics engineers"),
        Occupation(("21330",), "2143", "Mining engineers"),
        Occupation(("21390",), "2146", "Aerospace engineers"),
        Occupation(
            ("21311",), "2147", "Computer engineers (except software engineers and designers)"
        ),
        Occupation(
            ("21210",),
            "sub-2161",
            "Mathematicians and statisticians",
            note="Actuaries are excluded.",
        ),
        Occupation(
            ("21211", "21220", "21221", "21222", "21233"),
            "2171",
            "Information systems analysts and consultants",
            note="Data scientists, cybersecurity, business systems, information systems "
            "specialists, web designers.",
        ),
        Occupation(("21211", "21223"), "2172", "Database analysts and data administrators"),
        Occupation(("21231", "21211"), "2173", "Software engineers and designers"),
        Occupation(
            ("21230", "21232", "21234"),
            "2174",
            "Computer programmers and interactive media developers",
        ),
        Occupation(("21233", "21234"), "2175", "Web designers and developers"),
        Occupation(
            ("22310",),
            "2241",
            "Electrical and electronics engineering technologists and technicians",
            86_000,
            Decimal("41.35"),
        ),
        Occupation(
            ("22220",), "2281", "Computer network and web technicians", 85_000, Decimal("40.87")
        ),
        Occupation(
            ("22222",),
            "2283",
            "Information systems testing technicians",
            85_000,
            Decimal("41.03"),
            note="PATHWAYS.md 6.4: $41.03/h x 2,080 = $85,342, not $85,000; the hourly floor governs.",
        ),
        Occupation(
            ("51120",),
            "sub-5131",
            "Producer, technical, creative and artistic director and project manager "
            "(visual effects and video games)",
            85_000,
            Decimal("40.87"),
            note="At least 3 years in the listed roles, with the listed skills.",
        ),
        Occupation(
            ("52120",),
            "sub-5241",
            "Digital media designers",
            80_000,
            Decimal("38.46"),
            note="At least 3 years in a listed skill (3D modelling, compositing, rigging, UI/UX, "
            "VR/AR, pipeline development, ...).",
        ),
    ),
)


# Every list hirepath holds, oldest first, with the dates each was in force. The list of July
# 2019 (NOC 2016 codes) is not encoded: screening for a date before 2022-12-22 says so.
OCCUPATION_LISTS: tuple[Dated[OccupationList], ...] = (
    Dated(
        GLOBAL_TALENT_OCCUPATIONS,
        GLOBAL_TALENT_OCCUPATIONS.effective,
        page_date=GLOBAL_TALENT_OCCUPATIONS.page_date,
    ),
)

# NOC 2021 and its TEER categories replaced NOC 2016's skill types on this day (PATHWAYS.md
# 0.1, 0.3): a rule written in TEERs does not apply before it.
TEER_EFFECTIVE = date(2022, 11, 16)


def occupation_list_on(on: date) -> OccupationList | None:
    """The Global Talent Occupations List in force on ``on`` (None: hirepath holds none)."""
    row = in_force(OCCUPATION_LISTS, on)
    return row.value if row else None


def teer_of(noc: str) -> int | None:
    """The TEER category of a NOC 2021 code: its second digit (20012 -> 0, 21231 -> 1,
    22222 -> 2), as PATHWAYS.md section 4 maps them."""
    if len(noc) != 5 or not noc.isdigit():
        return None
    return int(noc[1])
