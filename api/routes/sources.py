"""The sources every rule rests on: the title, publisher, address and dates of each."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path

from api.eligibility_io import source_out
from api.schemas import SourceOut, SourcesOut
from pathways.sources import SOURCES, UnknownSourceError, source

router = APIRouter(prefix="/api/v1/sources", tags=["sources"])


@router.get("", response_model=SourcesOut)
async def list_sources() -> SourcesOut:
    """Every source a finding, step, fee or deadline cites, by key: follow ``url`` to read it.
    ``page_date`` is the page's own date (null when it shows none); ``effective`` is when the
    policy it states took effect, where known."""
    return SourcesOut(items=[source_out(s) for s in SOURCES.values()])


@router.get("/{source_key}", response_model=SourceOut)
async def get_source(source_key: Annotated[str, Path(max_length=40)]) -> SourceOut:
    """One source by its key (or another name it goes by, e.g. the review's ESDC-REQ for G2)."""
    try:
        return source_out(source(source_key))
    except UnknownSourceError:
        raise HTTPException(
            404, f"no source {source_key!r}; GET /api/v1/sources lists them"
        ) from None
