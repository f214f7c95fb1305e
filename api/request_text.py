"""Control characters in the URL and in the pages' forms, refused before any route sees them
(the rule: api.plain_text; JSON bodies are checked by their models, api.schemas)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlsplit

from fastapi.exceptions import RequestValidationError
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import JSON_PATHS
from api.human_errors import summary, unkept_text
from api.plain_text import refused_character
from api.web.session import flash

FORMS = (b"application/x-www-form-urlencoded", b"multipart/form-data")
LOCAL_PATH = re.compile(r"/(?!/)[!-~]*")  # a path on this site, printable ASCII only


def _first_problem(
    pairs: Iterable[tuple[str, str]], whole: str, *, multi_line: bool
) -> tuple[str, str]:
    """The first (field, problem) in ``pairs`` (``whole`` if a name is at fault), or ("", "")."""
    for name, value in pairs:
        if problem := refused_character(name):
            return whole, f"a name {problem}"
        if problem := refused_character(value, multi_line=multi_line):
            return name, problem
    return "", ""


class PlainText:
    """The URL: a control character in a query parameter is a 422 naming it; in the path, a
    route's parameter is named by ``plain_path``, and a static file's path is refused here.

    A posted form: a page's form flashes the problem by field and goes back to the page it
    came from, as the pages do with other invalid input; under the JSON paths it is a 422.
    Tabs and line breaks pass in a form (a reason may span lines); the models refuse them where
    a value is one line, such as a name. Nothing is changed either way."""

    def __init__(self, app: ASGIApp, mounts: tuple[str, ...]) -> None:
        self.app = app
        self.mounts = tuple(f"{m.rstrip('/')}/" for m in mounts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        name, problem = self._url_problem(scope)
        if problem:
            await _refuse(send, name, problem)
            return
        content_type = dict(scope["headers"]).get(b"content-type", b"")
        if (
            scope["method"] != "POST"
            or not content_type.startswith(FORMS)
            or scope["path"].endswith("/documents")  # an upload: its fields have patterns
        ):
            await self.app(scope, receive, send)
            return
        body = await _read_all(receive)
        if body is None:  # the client went away, or api.limits refused the body
            return
        name, problem = await _form_problem(scope, body)
        if not problem:
            await self.app(scope, _replay(body, receive), send)
        elif scope["path"].startswith(JSON_PATHS) or _headers(scope).get("x-requested-with"):
            await _refuse(send, name, problem)
        else:
            await _back_with_flash(scope, send, summary({name: unkept_text(problem)}))

    def _url_problem(self, scope: Scope) -> tuple[str, str]:
        path: str = scope["path"]
        if path.startswith(self.mounts) and (problem := refused_character(path)):
            return "path", problem  # static files: no parameter to name (a route names its own)
        query = scope.get("query_string", b"").decode("utf-8", "replace")
        return _first_problem(parse_qsl(query, keep_blank_values=True), "query", multi_line=False)


def plain_path(request: Request) -> None:
    """Every route's path parameters, checked before the route's own (an app dependency)."""
    for name, value in request.path_params.items():
        if problem := refused_character(str(value)):
            raise RequestValidationError(
                [{"type": "control_character", "loc": ("path", name), "msg": problem}]
            )


async def _read_all(receive: Receive) -> bytes | None:
    """The whole body (api.limits, further out, bounds it), or None if it never came."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives ``body`` once, then whatever the client sends next."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _form_problem(scope: Scope, body: bytes) -> tuple[str, str]:
    """The first field of the form whose text cannot be kept (files pass: their names are
    cleaned when stored), or ("", "") also when the form cannot be read (the route says so)."""

    async def nothing_more() -> Message:
        return {"type": "http.disconnect"}

    request = Request(scope, _replay(body, nothing_more))
    try:
        form = await request.form()
    except Exception:  # malformed: the route answers it as it would have
        return "", ""
    try:
        fields = [(n, v) for n, v in form.multi_items() if isinstance(v, str)]
        return _first_problem(fields, "form", multi_line=True)
    finally:
        await form.close()


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


async def _back_with_flash(scope: Scope, send: Send, message: str) -> None:
    """303 back to the page the form came from (this site's only), the problem flashed."""
    request = Request(scope)
    if "session" in scope:
        flash(request, message, "error")
    came_from = urlsplit(request.headers.get("referer", ""))
    target = came_from.path + (f"?{came_from.query}" if came_from.query else "")
    if came_from.netloc != request.headers.get("host") or not LOCAL_PATH.fullmatch(target):
        target = "/"
    headers = [(b"location", target.encode()), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 303, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _refuse(send: Send, name: str, problem: str) -> None:
    said = {name: unkept_text(problem)}  # the field's name stays in "fields"
    body = json.dumps({"detail": summary(said), "fields": said}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 422, "headers": headers})
    await send({"type": "http.response.body", "body": body})
