"""Schemathesis hooks (SCHEMATHESIS_HOOKS): every generated string in a body or a query gets a
control character, NUL first among them, the bytes an outside probe used to wedge a hire on
PostgreSQL."""

from __future__ import annotations

from typing import Any

import schemathesis

# NUL, other C0 controls, DEL and a C1 control.
CONTROLS = ("\x00", "\x01", "\x08", "\x1b", "\x7f", "\x85", "\x00")


def spiked(value: Any) -> Any:
    if isinstance(value, str):
        control = CONTROLS[len(value) % len(CONTROLS)]
        middle = len(value) // 2
        return value[:middle] + control + value[middle:]
    if isinstance(value, list):
        return [spiked(v) for v in value]
    if isinstance(value, dict):
        return {k: spiked(v) for k, v in value.items()}
    return value


@schemathesis.hook
def map_body(context: Any, body: Any) -> Any:
    return spiked(body)


@schemathesis.hook
def map_query(context: Any, query: Any) -> Any:
    return spiked(query)
