"""`hirepath documents collect`: delete the document files no hire names."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from core.crypto import DocumentSealer
from core.settings import Settings
from store.db import SessionFactory
from store.files import Collected, DocumentFiles
from store.models import Document

_AGE = re.compile(r"(\d+)([smhd])")
_UNIT = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_age(text: str) -> timedelta:
    """``30s``, ``15m``, ``1h``, ``7d``."""
    match = _AGE.fullmatch(text.strip())
    if match is None:
        raise ValueError("an age is a number and a unit: 30s, 15m, 1h or 7d")
    return timedelta(**{_UNIT[match.group(2)]: int(match.group(1))})


def collect(settings: Settings, sessions: SessionFactory, older_than: timedelta) -> Collected:
    files = DocumentFiles(
        settings.documents_dir,
        settings.max_upload_bytes,
        DocumentSealer(settings.document_keyring()),
    )
    with sessions() as session:
        rows = dict(session.exec(select(Document.id, Document.sha256)).all())
    return files.collect(rows, older_than)


def report(collected: Collected) -> str:
    lines = [
        f"deleted {collected.temporary} upload(s) never accepted",
        f"deleted {collected.unreferenced} file(s) no document names",
    ]
    if collected.finished:
        lines.append(f"moved {collected.finished} accepted upload(s) into place")
    if collected.unreadable:
        lines.append(f"kept {collected.unreadable} file(s) these document keys cannot open")
    return "\n".join(lines)
