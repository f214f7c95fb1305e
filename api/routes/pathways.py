"""The pathways' definitions: everything a generic client needs to drive a hire."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from api.presenters import describe
from pathways import registry

router = APIRouter(prefix="/api/v1/pathways", tags=["pathways"])


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
