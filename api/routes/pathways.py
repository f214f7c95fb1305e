"""The pathways' definitions: everything a generic client needs to drive a hire."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from pathways import registry
from pathways.cusma_professions import PROFESSIONS
from pathways.model import Pathway, as_plain

router = APIRouter(prefix="/api/v1/pathways", tags=["pathways"])


def describe(pathway: Pathway) -> dict[str, Any]:
    body: dict[str, Any] = as_plain(pathway)
    for step, raw in zip(pathway.steps, body["steps"], strict=True):
        raw["authority"] = step.owner.is_authority
    if pathway.key == "cusma":
        body["professions"] = as_plain(PROFESSIONS)
    return body


@router.get("")
async def list_pathways() -> dict[str, Any]:
    """Each pathway's current version: categories, steps (owner, deadline, checklist,
    decision outcomes and their fields), fees, SLA clocks and sources."""
    return {"items": [describe(registry.current(key)) for key in registry.keys()]}


@router.get("/{key}")
async def get_pathway(key: str) -> dict[str, Any]:
    try:
        return describe(registry.current(key))
    except registry.UnknownPathwayError:
        raise HTTPException(
            404, f"no pathway {key!r}; known: {', '.join(registry.keys())}"
        ) from None
