"""Text the store can keep, wherever a request carries it: no control characters (Unicode
category Cc: NUL, escape, form feed, ...; tabs and line breaks only in multi-line text such as
a reason) and no unpaired surrogates. PostgreSQL refuses a NUL for good, so a hire whose name
held one could never be projected again.

The JSON models check every string they are given (api.schemas.Strict, by field); the
api.request_text middleware checks the URL and the pages' forms before any route sees them.
"""

from __future__ import annotations

import re

_ANY = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def refused_character(text: str, *, multi_line: bool = False) -> str:
    """Why ``text`` cannot be kept, or "" if it can (tab, CR and LF pass in multi-line text)."""
    found = (_BUT_LINES if multi_line else _ANY).search(text)
    if found is None:
        return ""
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        return f"must be valid text (found an unpaired surrogate, U+{code:04X})"
    if multi_line:
        return (
            "must not contain control characters other than tabs and line breaks "
            f"(found U+{code:04X})"
        )
    return f"must not contain control characters (found U+{code:04X})"
