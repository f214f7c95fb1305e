"""The kinds of refusal an update validator raises (``ApplicationError.type``); the API maps
each to its HTTP status."""

from __future__ import annotations

NOT_FOUND = "NotFound"  # 404: no such step or item in this hire
CONFLICT = "Conflict"  # 409: not now (the step is not open, the hire has ended, ...)
INVALID = "Invalid"  # 422: the input itself is wrong; the details name the field
TOO_MANY = "TooMany"  # 429: too many actions on this hire in the last hour; try later
