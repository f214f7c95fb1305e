"""Rendering an email from templates/email/<kind>.txt and <kind>.html.

The .txt template sets the subject (``{% set subject = ... %}``); both are
rendered from the same context. HTML is autoescaped, so a candidate's name
with markup shows as text.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from contracts.activities import MailContext
from core.template_filters import register_filters

# Emails about no one hire (their context is their own): not among the hire notices' kinds.
TEAM_KINDS = frozenset({"digest"})


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


class EmailRenderer:
    def __init__(self, templates_dir: Path, base_url: str) -> None:
        self._env = Environment(
            loader=FileSystemLoader(templates_dir),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        register_filters(self._env)
        self._base_url = base_url.rstrip("/")

    def kinds(self) -> set[str]:
        """The hire notices' kinds: every email template but the layouts and TEAM_KINDS."""
        names = self._env.list_templates(extensions=["txt"])
        return {
            Path(n).stem
            for n in names
            if n.startswith("email/") and not Path(n).stem.startswith("_")
        } - TEAM_KINDS

    def render(self, kind: str, context: MailContext) -> RenderedEmail:
        values: dict[str, Any] = asdict(context)
        values["hire_url"] = f"{self._base_url}/hires/{context.hire_id}"
        return self.render_values(kind, values)

    def render_values(self, kind: str, values: dict[str, Any]) -> RenderedEmail:
        """templates/email/<kind>.txt and .html from these values, and ``base_url`` (the
        pages' address, for links)."""
        values = {**values, "base_url": self._base_url}
        text_module = self._env.get_template(f"email/{kind}.txt").make_module(values)
        subject = re.sub(r"\s+", " ", str(getattr(text_module, "subject", ""))).strip()
        if not subject:
            raise ValueError(f"templates/email/{kind}.txt sets no subject")
        html = self._env.get_template(f"email/{kind}.html").render(values, subject=subject)
        return RenderedEmail(subject=subject[:250], text=str(text_module).strip() + "\n", html=html)
