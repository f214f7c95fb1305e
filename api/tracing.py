"""The API's requests as OpenTelemetry spans, when tracing is configured (core/telemetry.py).

Each request's span is the parent of the Temporal calls it makes (the tracing interceptor on
the client), so one trace runs from the HTTP request through the workflow's update to its
activities. A span says which route was called, never with what: the URL and path are the
route's template (a calendar link's token or a query's owner never leave), and the client's
address and user agent are blanked.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.routing import Match, Mount

from core.settings import Settings
from core.telemetry import tracer_provider

# Not traced: probes, scrapes and static files (many, and alike).
UNTRACED = "healthz,readyz,metrics,static,docs-assets"

# Attributes the ASGI instrumentation copies from the request (old and new conventions).
PATHS = ("http.target", "url.path")
URLS = ("http.url", "url.full")
BLANKED = (
    "url.query",
    "net.peer.ip",
    "net.peer.port",
    "client.address",
    "client.port",
    "http.client_ip",
    "http.user_agent",
    "user_agent.original",
)


def instrument(app: FastAPI, settings: Settings) -> None:
    """Trace the app's requests if tracing is on; nothing otherwise."""
    provider = tracer_provider(settings, "hirepath-api")
    if provider is None:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    def scrub(span: Any, scope: dict[str, Any]) -> None:
        if span is None or not span.is_recording():
            return
        template = route_template(app, scope)
        present = getattr(span, "attributes", None) or {}
        for key in PATHS:
            if key in present:
                span.set_attribute(key, template)
        for key in URLS:
            if key in present:
                span.set_attribute(key, f"{scope.get('scheme', 'http')}://hirepath{template}")
        for key in BLANKED:
            if key in present:
                span.set_attribute(key, "")

    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        excluded_urls=UNTRACED,
        server_request_hook=scrub,
        exclude_spans=["receive", "send"],
    )


def route_template(app: FastAPI, scope: dict[str, Any]) -> str:
    """The template of the route ``scope`` would reach ("/api/v1/hires/{hire_id}"), a mount's
    prefix, or "unmatched"."""
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            path = getattr(route, "path", "")
            return f"{path}/..." if isinstance(route, Mount) else str(path)
    return "unmatched"
