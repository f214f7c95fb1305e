"""What the store cannot hold: PostgreSQL refuses a NUL character in text and JSON (SQLite
takes it), so a NUL that slipped past the API's checks would make every write of the hire
fail. Writers pass their values through :func:`storable` first."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")

NUL, REPLACEMENT = "\x00", "\ufffd"


def storable(value: T) -> T:
    """``value`` with every NUL in its strings (in lists, tuples, dicts and dataclasses,
    however deep) replaced by U+FFFD; what has none is returned as it is."""
    return _scrub(value)


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(NUL, REPLACEMENT) if NUL in value else value
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_scrub(v) for v in value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _scrub(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
        return dataclasses.replace(value, **changes)
    return value
