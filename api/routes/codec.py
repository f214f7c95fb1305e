"""The payload codec over HTTP, for the Temporal UI (its "codec endpoint" setting).

Payloads in Temporal are encrypted (core.crypto); an operator who may read them points
the Temporal UI here. Behind the API's auth: a team's API key (Bearer) or a signed-in page
session (the UI's "include cross-origin credentials").
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials
from google.protobuf import json_format
from sqlmodel import Session
from temporalio.api.common.v1 import Payloads

from api.deps import (
    Caller,
    SettingsDep,
    SignInRequired,
    bearer,
    get_caller,
    get_session,
    page_caller,
)
from core.crypto import EncryptionCodec

router = APIRouter(prefix="/codec", tags=["codec"])


def codec_caller(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    if credentials is not None:
        return get_caller(session, credentials)
    try:
        return page_caller(request, session)
    except SignInRequired:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "send an API key, or sign in",
            headers={"WWW-Authenticate": "Bearer"},
        ) from None


def _payloads(body: dict[str, Any]) -> Payloads:
    try:
        return json_format.ParseDict(body, Payloads())
    except json_format.ParseError as err:
        raise HTTPException(422, f"payloads: {err}") from None


@router.post("/decode")
async def decode(
    settings: SettingsDep,
    caller: Annotated[Caller, Depends(codec_caller)],
    body: Annotated[dict[str, Any], Body(examples=[{"payloads": []}])],
) -> dict[str, Any]:
    """Decrypt payloads: `{"payloads": [{"metadata": {...}, "data": "..."}]}` (proto JSON)."""
    codec = EncryptionCodec(settings.payload_keyring())
    try:
        decoded = await codec.decode(list(_payloads(body).payloads))
    except Exception as err:  # a wrong key or tampered data: say so, without details
        raise HTTPException(422, "payloads could not be decrypted") from err
    return json_format.MessageToDict(Payloads(payloads=decoded))


@router.post("/encode")
async def encode(
    settings: SettingsDep,
    caller: Annotated[Caller, Depends(codec_caller)],
    body: Annotated[dict[str, Any], Body(examples=[{"payloads": []}])],
) -> dict[str, Any]:
    """Encrypt payloads with the current key (the UI uses it to send signals and queries)."""
    codec = EncryptionCodec(settings.payload_keyring())
    encoded = await codec.encode(list(_payloads(body).payloads))
    return json_format.MessageToDict(Payloads(payloads=encoded))
