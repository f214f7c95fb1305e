"""Jinja environments for everything the API shows in words.

``text`` renders plain strings for JSON (event summaries); ``html`` autoescapes
for pages. Both read the same templates.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from core.template_filters import register_filters


@lru_cache(maxsize=8)
def environment(templates_dir: Path, *, html: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        # text: for JSON, where HTML escaping would corrupt names like O'Brien
        autoescape=select_autoescape(["html", "j2"]) if html else False,  # noqa: S701
        trim_blocks=True,
        lstrip_blocks=True,
    )
    register_filters(env)
    return env
