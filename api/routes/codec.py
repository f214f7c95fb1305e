"""The payload codec over HTTP, for operators: the Temporal UI's "codec endpoint" and the
Temporal CLI's ``--codec-endpoint``.

Payloads in Temporal are encrypted (core.crypto) and this endpoint decrypts any of them, every
team's alike, so no team credential opens it: only the operators' own token
(``HIREPATH_CODEC_TOKEN``, sent as ``Authorization: Bearer <token>``; the CLI's
``--codec-auth``), compared in constant time; wrong ones count towards the client's limit
(api.deps.refused). Without a token configured, /codec is a 404.
It is not part of the teams' API and not in its OpenAPI document.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from api.deps import SettingsDep, require_operator_token
from core.crypto import EncryptionCodec

router = APIRouter(prefix="/codec", tags=["codec"], include_in_schema=False)

operator_bearer = HTTPBearer(
    auto_error=False, scheme_name="codec token", description="HIREPATH_CODEC_TOKEN (operators)"
)


def codec_operator(
    request: Request,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(operator_bearer)],
) -> None:
    """Only the operators' codec token opens the codec; without one configured it is not here."""
    expected = settings.codec_token.get_secret_value()
    if not expected:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Not Found")
    require_operator_token(request, credentials, expected, "codec", "HIREPATH_CODEC_TOKEN")


Operator = Depends(codec_operator)


def _payloads(body: dict[str, Any]) -> Payloads:
    try:
        return json_format.ParseDict(body, Payloads())
    except json_format.ParseError as err:
        raise HTTPException(422, f"payloads: {err}") from None


@router.post("/decode", dependencies=[Operator])
async def decode(
    settings: SettingsDep,
    body: Annotated[dict[str, Any], Body(examples=[{"payloads": []}])],
) -> dict[str, Any]:
    """Decrypt payloads: `{"payloads": [{"metadata": {...}, "data": "..."}]}` (proto JSON)."""
    codec = EncryptionCodec(settings.payload_keyring())
    try:
        decoded = await codec.decode(list(_payloads(body).payloads))
    except Exception as err:  # a wrong key or tampered data: say so, without details
        raise HTTPException(422, "payloads could not be decrypted") from err
    return json_format.MessageToDict(Payloads(payloads=decoded))


@router.post("/encode", dependencies=[Operator])
async def encode(
    settings: SettingsDep,
    body: Annotated[dict[str, Any], Body(examples=[{"payloads": []}])],
) -> dict[str, Any]:
    """Encrypt payloads with the current key (the UI uses it to send signals and queries)."""
    codec = EncryptionCodec(settings.payload_keyring())
    encoded = await codec.encode(list(_payloads(body).payloads))
    return json_format.MessageToDict(Payloads(payloads=encoded))
