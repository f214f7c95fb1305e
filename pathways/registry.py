"""Every published version of every pathway.

A hire records the version it started under and keeps it to its end, so a
published version is never edited: a change in the rules is a new version with
its effective date (tests/pathways/test_registry.py holds each version's digest).
"""

from __future__ import annotations

from datetime import date

from pathways.gts import GTS_2025_11
from pathways.model import Pathway

VERSIONS: dict[str, tuple[Pathway, ...]] = {
    "gts": (GTS_2025_11,),
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
    return max(in_force or versions, key=lambda p: p.effective)


def version(key: str, version: str) -> Pathway:
    for pathway in VERSIONS.get(key, ()):
        if pathway.version == version:
            return pathway
    raise UnknownPathwayError(f"{key}@{version}")
