"""Upload size, enforced while the request is read (ASGI middleware).

A document upload larger than the limit is answered 413 as soon as its Content-Length says
so, or as soon as the body read so far passes the limit: a 1 GiB upload is never spooled
to memory or disk first.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MULTIPART_ALLOWANCE = 64 * 1024  # the form's other fields and boundaries


class UploadLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.limit = max_bytes + MULTIPART_ALLOWANCE
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].endswith("/documents")
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            await self._refuse(scope, send)
            return
        seen = 0
        refused = False

        async def counted() -> Message:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit and not refused:
                    refused = True
                    await self._refuse(scope, send)
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

    async def _refuse(self, scope: Scope, send: Send) -> None:
        detail = f"file: file is larger than {self.max_bytes} bytes"
        if scope["path"].startswith("/api/"):
            body: bytes = json.dumps({"detail": detail, "fields": {"file": "too large"}}).encode()
            kind = b"application/json"
        else:
            body = (
                f"<!doctype html><title>Too large</title><p>The file is larger than "
                f"{self.max_bytes // (1024 * 1024)} MB. Go back and choose a smaller one.</p>"
            ).encode()
            kind = b"text/html; charset=utf-8"
        start: dict[str, Any] = {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
        await send(start)
        await send({"type": "http.response.body", "body": body})
