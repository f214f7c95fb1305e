"""The ASGI entry point: `uvicorn api.main:app` (settings from HIREPATH_* variables)."""

from __future__ import annotations

from api.app import create_app
from core.settings import Settings

app = create_app(Settings())
