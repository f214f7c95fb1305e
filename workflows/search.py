"""Search attributes: how operators find hires in Temporal's UI and visibility queries
(`HirePathway = 'gts' AND HireStatus = 'active' AND HireNextDue < '2027-01-06T00:00:00Z'`).

Never anything personal: they are stored unencrypted (the payload codec does not apply).
The pathway is set when the hire starts; its status, current step and next due date are
upserted by the workflow when they change (``HireInput.search_attributes``, patched)."""

from __future__ import annotations

from datetime import datetime

from temporalio.common import (
    SearchAttributeKey,
    SearchAttributePair,
    SearchAttributeUpdate,
    TypedSearchAttributes,
)

PATHWAY = SearchAttributeKey.for_keyword("HirePathway")
STATUS = SearchAttributeKey.for_keyword("HireStatus")
STEP = SearchAttributeKey.for_keyword("HireStep")
NEXT_DUE = SearchAttributeKey.for_datetime("HireNextDue")
ALL = (PATHWAY, STATUS, STEP, NEXT_DUE)


def at_start(pathway: str) -> TypedSearchAttributes:
    return TypedSearchAttributes([SearchAttributePair(PATHWAY, pathway)])


def updates(
    status: str, step: str, next_due: datetime | None
) -> list[SearchAttributeUpdate[str] | SearchAttributeUpdate[datetime]]:
    return [
        STATUS.value_set(status),
        STEP.value_set(step),
        NEXT_DUE.value_set(next_due) if next_due else NEXT_DUE.value_unset(),
    ]


def dev_server_flags() -> list[str]:
    """`temporal server start-dev` flags that register them."""
    kinds = {"KEYWORD": "Keyword", "DATETIME": "Datetime"}
    return [
        flag
        for key in ALL
        for flag in ("--search-attribute", f"{key.name}={kinds[key.indexed_value_type.name]}")
    ]
