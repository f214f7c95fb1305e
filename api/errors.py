"""Naming the field a validation problem is about, the same way for the API and the pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

LOCATIONS = ("body", "query", "path", "header", "form")


def field_name(loc: Sequence[Any]) -> str:
    """("body", "position", "noc") -> "position.noc"."""
    parts = [str(p) for p in loc if p not in LOCATIONS]
    return ".".join(parts) or "body"
