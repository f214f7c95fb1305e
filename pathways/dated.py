"""Rules dated by when they took effect: a table is rows, each in force from a date until the
day a later row replaced it.

``effective`` is the policy's own date (the occupation list took effect 2022-12-22, not the
2025-11-20 of the page it was read from). Where a page does not give the policy's date,
``effective`` is the earliest date hirepath knows the rule was in force (the page's date) and
``known_from_page`` says so: screening never applies a rule before it, and says it holds no
rule for an earlier date rather than apply a later one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Dated(Generic[T]):
    value: T
    effective: date  # the first day it applies
    ends: date | None = None  # the first day it no longer applies (None: still in force)
    page_date: date | None = None  # the date of the page it was read from
    known_from_page: bool = False  # ``effective`` is the page's date: the policy's is not known

    def in_force(self, on: date) -> bool:
        return self.effective <= on and (self.ends is None or on < self.ends)


def in_force(rows: Sequence[Dated[T]], on: date) -> Dated[T] | None:
    """The row in force on ``on`` (of two, the later listed), or None before any took effect."""
    found = [row for row in rows if row.in_force(on)]
    return found[-1] if found else None


def first_effective(rows: Sequence[Dated[T]]) -> Dated[T]:
    """The earliest row: what screening names when it holds no rule for an earlier date."""
    return min(rows, key=lambda row: row.effective)
