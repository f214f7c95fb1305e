"""A hire's inspection bundle: one ZIP with its documents, decisions, timeline, screening,
rules and sources, and a manifest of every file's SHA-256 (api.bundle)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api import bundle
from api.deps import CallerDep, DocumentsDep, HireId, SessionDep, SettingsDep
from api.routes.hires import ERRORS

router = APIRouter(prefix="/api/v1/hires", tags=["hires"])


@router.get(
    "/{hire_id}/bundle",
    response_class=StreamingResponse,
    responses={
        **ERRORS,
        200: {"content": {"application/zip": {}}, "description": "The bundle, as a ZIP"},
    },
)
async def get_bundle(
    hire_id: HireId,
    session: SessionDep,
    documents: DocumentsDep,
    settings: SettingsDep,
    caller: CallerDep,
) -> StreamingResponse:
    """For an inspection by ESDC or IRCC: every document of the hire (decrypted), `hire.json`
    (as `GET /api/v1/hires/{id}`), `timeline.json` and `timeline.csv` (UTC and Eastern time),
    `rules.json` (each step's deadline rule and its sources), `README.txt` and
    `manifest.json` (each file's path, size and SHA-256; the hire, team, when and by whom)."""
    return await bundle.download(
        session=session,
        caller=caller,
        hire_id=hire_id,
        documents=documents,
        templates_dir=settings.templates_dir,
        now=datetime.now(UTC),
    )
