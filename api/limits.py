"""Request sizes, enforced before anything reads the request (ASGI middleware, outside the
routes and so before the API key is checked).

- The address (path and query string): over 8 KiB is answered 414.
- The body: a document upload is bounded by HIREPATH_MAX_UPLOAD_BYTES (plus a little for the
  form around the file), the codec's payloads by CODEC_BODY_BYTES, every other body (JSON, a
  page's form) by HIREPATH_MAX_BODY_BYTES. A body over its bound is answered 413 as soon as
  its Content-Length says so, or, sent without one (chunked), as soon as the bytes read so far
  pass it: a 1 GiB body is never held in memory or spooled to disk first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import JSON_PATHS

MULTIPART_ALLOWANCE = 64 * 1024  # the form's other fields and boundaries
MAX_TARGET_BYTES = 8 * 1024  # path and query string
# The Temporal UI sends whole payloads to decode; Temporal refuses one over 2 MiB, and base64
# in JSON adds a third.
CODEC_BODY_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    status: int
    detail: str
    field: str
    page: str  # what a page says instead


def _target_bytes(scope: Scope) -> int:
    raw: bytes = scope.get("raw_path") or scope["path"].encode()
    path = raw.split(b"?", 1)[0]  # some servers and test clients include the query here
    query: bytes = scope.get("query_string", b"")
    return len(path) + (len(query) + 1 if query else 0)


class RequestLimits:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    def _body_limit(self, scope: Scope) -> tuple[int, Refusal]:
        if scope["method"] == "POST" and scope["path"].endswith("/documents"):
            mb = self.max_upload_bytes // (1024 * 1024)
            return self.max_upload_bytes + MULTIPART_ALLOWANCE, Refusal(
                413,
                f"file: file is larger than {self.max_upload_bytes} bytes",
                "file",
                f"The file is larger than {mb} MB. Go back and choose a smaller one.",
            )
        limit = CODEC_BODY_BYTES if scope["path"].startswith("/codec/") else self.max_body_bytes
        return limit, Refusal(
            413,
            f"body: the request body is larger than {limit} bytes",
            "body",
            "The form is too large to send. Go back and shorten it.",
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _target_bytes(scope) > MAX_TARGET_BYTES:
            detail = f"the address (path and query) is longer than {MAX_TARGET_BYTES} bytes"
            page = "The address is too long. Go back and try a shorter search."
            await _refuse(scope, send, Refusal(414, detail, "query", page))
            return
        limit, refusal = self._body_limit(scope)
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            await _refuse(scope, send, refusal)
            return
        seen = 0
        refused = False

        async def counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit and not refused:
                    refused = True
                    await _refuse(scope, send, refusal)
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if not refused:
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not refused:
                raise


async def _refuse(scope: Scope, send: Send, refusal: Refusal) -> None:
    """The refusal as JSON under the JSON paths, as a short page elsewhere; the connection
    closes, as the rest of the body is not read."""
    if scope["path"].startswith(JSON_PATHS):
        body = json.dumps({"detail": refusal.detail, "fields": {refusal.field: "too large"}})
        kind = b"application/json"
    else:
        body = f"<!doctype html><title>Too large</title><p>{refusal.page}</p>"
        kind = b"text/html; charset=utf-8"
    encoded = body.encode()
    start: dict[str, Any] = {
        "type": "http.response.start",
        "status": refusal.status,
        "headers": [
            (b"content-type", kind),
            (b"content-length", str(len(encoded)).encode()),
            (b"connection", b"close"),
        ],
    }
    await send(start)
    await send({"type": "http.response.body", "body": encoded})
