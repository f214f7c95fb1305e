"""Every published version of every pathway.

A hire records the version it started under and keeps it to its end, so a
published version is never edited: a change in the rules is a new version with
its effective date (tests/pathways/test_registry.py holds each version's digest).
"""

from __future__ import annotations

from datetime import date

from pathways.cusma import CUSMA_2025, CUSMA_2025_R2
from pathways.gts import GTS_2025_11, GTS_2025_11_R2, GTS_2025_11_R3
from pathways.ict import ICT_2025, ICT_2025_R2
from pathways.model import Pathway

# Oldest first; of two versions in force on a date, the later one listed is current.
VERSIONS: dict[str, tuple[Pathway, ...]] = {
    "gts": (GTS_2025_11, GTS_2025_11_R2, GTS_2025_11_R3),
    "cusma": (CUSMA_2025, CUSMA_2025_R2),
    "ict": (ICT_2025, ICT_2025_R2),
}


class UnknownPathwayError(KeyError):
    pass


def keys() -> tuple[str, ...]:
    return tuple(VERSIONS)


def current(key: str, on: date | None = None) -> Pathway:
    """The version in force on ``on`` (the latest when ``on`` is None)."""
    versions = VERSIONS.get(key)
    if not versions:
        raise UnknownPathwayError(key)
    in_force = [p for p in versions if on is None or p.effective <= on]
    return (in_force or list(versions))[-1]


def version(key: str, version: str) -> Pathway:
    for pathway in VERSIONS.get(key, ()):
        if pathway.version == version:
            return pathway
    raise UnknownPathwayError(f"{key}@{version}")
