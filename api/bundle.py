"""One hire's inspection bundle: a ZIP with every document (decrypted), the hire as the API
shows it, the timeline in Eastern time, the rules and sources each deadline came from, a
README for the inspector and a manifest with every file's SHA-256.

The ZIP is written to a spooled temporary file (in memory while small, on disk beyond), a
document a chunk at a time, in a worker thread; the response then streams that file. Only
the caller's team's hire is read, so nothing of another team can be in it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from fastapi.responses import StreamingResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api import presenters
from api.deps import Caller
from api.eligibility_io import source_out
from api.hire_commands import require_hire
from api.schemas import EventOut
from api.templating import environment
from core.template_filters import eastern, short_date
from pathways import registry
from pathways.model import DeadlineRule, as_plain
from pathways.sources import without_domain_notes
from store.db import release
from store.files import DocumentFiles, display_name
from store.models import Document, HireEvent, Team
from store.queries import HireRecord, list_events

log = logging.getLogger("hirepath.api")

SPOOL_BYTES = 16 * 1024 * 1024  # beyond this, the ZIP being built goes to disk
CHUNK = 1024 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # as the hires list's CSV (OWASP's list)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


@dataclass(frozen=True)
class BundleSource:
    """What a bundle is made of, read from the store for the caller's team."""

    record: HireRecord
    events: list[EventOut]
    team_id: str
    team_name: str
    made_by: str
    made_at: datetime


@dataclass
class _Entries:
    """The ZIP being written, and what the manifest says of each file in it."""

    archive: zipfile.ZipFile
    made_at: datetime
    files: list[dict[str, Any]] = field(default_factory=list)

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, eastern(self.made_at).timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def add_chunks(self, path: str, chunks: Iterable[bytes], **about: Any) -> str:
        digest = hashlib.sha256()
        size = 0
        with self.archive.open(self._info(path), "w", force_zip64=True) as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        self.files.append({"path": path, "size": size, "sha256": digest.hexdigest(), **about})
        return digest.hexdigest()

    def add(self, path: str, data: bytes) -> None:
        self.add_chunks(path, [data])

    def add_json(self, path: str, value: Any) -> None:
        self.add(path, (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode())


def gather(
    session: Session, caller: Caller, hire_id: str, templates_dir: Path, now: datetime
) -> BundleSource:
    """The caller's hire (404 if it is not theirs), its whole timeline and the team's name."""
    record = require_hire(session, caller, hire_id)
    rows: list[HireEvent] = []
    while page := list_events(session, hire_id=hire_id, after=rows[-1].seq if rows else 0):
        rows += page
    team = session.get(Team, caller.team_id)
    release(session)
    return BundleSource(
        record=record,
        events=presenters.events(rows, record, templates_dir),
        team_id=caller.team_id,
        team_name=team.name if team else "",
        made_by=caller.actor,
        made_at=now,
    )


def build(source: BundleSource, documents: DocumentFiles, templates_dir: Path) -> IO[bytes]:
    """The bundle as a ZIP in a temporary file, positioned at its start (blocking: run it in
    a thread). The caller closes it."""
    out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            entries = _Entries(archive, source.made_at)
            missing = _documents(entries, source.record, documents)
            detail = presenters.detail(source.record, source.made_at)
            entries.add_json("hire.json", detail.model_dump(mode="json"))
            entries.add_json("timeline.json", [_event(e) for e in source.events])
            entries.add("timeline.csv", _timeline_csv(source.events))
            entries.add_json("rules.json", rules(source.record))
            readme = environment(templates_dir, html=False).get_template("bundle/README.txt")
            text = readme.render(source=source, hire=detail, files=entries.files, missing=missing)
            entries.add("README.txt", text.encode())
            entries.add_json("manifest.json", _manifest(source, entries.files, missing))
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def _documents(entries: _Entries, record: HireRecord, documents: DocumentFiles) -> list[str]:
    """Each document under documents/<item>/<name>, decrypted; the ids of those whose file is
    missing from the store's disk."""
    order = {item.key: n for n, item in enumerate(record.items)}
    ordered = sorted(record.documents, key=lambda d: (order.get(d.item_key, 0), d.uploaded_at))
    taken: set[str] = set()
    missing: list[str] = []
    for document in ordered:
        path = documents.locate(document.sha256)
        if path is None:
            missing.append(document.id)
            continue
        name = _unique(f"documents/{_safe(document.item_key)}/{_safe(document.filename)}", taken)
        about = _about(document)
        digest = entries.add_chunks(name, documents.sealer.open_stream(path), **about)
        if digest != document.sha256:
            entries.files[-1]["as_uploaded"] = False
            log.warning(
                "bundle of %s: document %s differs from its upload", record.hire.id, document.id
            )
    return missing


def _about(document: Document) -> dict[str, Any]:
    return {
        "document_id": document.id,
        "item": document.item_key,
        "uploaded_at": document.uploaded_at.isoformat(),
        "as_uploaded": True,
    }


def _safe(name: str) -> str:
    """A name every system unpacks: no path, control or reserved characters, no leading dot,
    at most 120 characters with its extension kept."""
    cleaned = _UNSAFE.sub("_", display_name(name)).strip(" .") or "document"
    stem, dot, extension = cleaned.rpartition(".")
    if not dot or len(extension) > 10:
        return cleaned[:120]
    return f"{stem[: 119 - len(extension)]}.{extension}"


def _unique(path: str, taken: set[str]) -> str:
    """``path``, or with -2, -3... before its extension when taken (in any case)."""
    stem, dot, extension = path.rpartition(".")
    if not dot or "/" in extension:
        stem, dot, extension = path, "", ""
    candidate, n = path, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{extension}"
    taken.add(candidate.lower())
    return candidate


def _event(event: EventOut) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "at_eastern": eastern(event.at).isoformat(),
        "when": short_date(event.at),
        "kind": event.kind,
        "actor": event.actor,
        "step": event.step,
        "item": event.item,
        "summary": event.summary,
        "data": event.data,
    }


def _timeline_csv(events: list[EventOut]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["seq", "when (Eastern)", "at (UTC)", "what", "who", "step", "item", "kind"])
    for e in events:
        row = [short_date(e.at), e.at.isoformat(), e.summary, e.actor, e.step, e.item, e.kind]
        writer.writerow([e.seq, *(_cell(v) for v in row)])
    return ("\ufeff" + text.getvalue()).encode()  # with a BOM, so Excel shows accents


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _sources(sources: Iterable[Any]) -> list[dict[str, Any]]:
    return [source_out(s).model_dump(mode="json") for s in presenters.cited(tuple(sources))]


def _rule(rule: DeadlineRule) -> dict[str, Any]:
    """How a deadline is counted, as plain data (its sources are given beside it)."""
    plain = {k: v for k, v in as_plain(rule).items() if k != "sources"}
    plain["note"] = without_domain_notes(rule.note)
    return plain


def rules(record: HireRecord) -> dict[str, Any]:
    """The pathway version the hire runs under; for each of its steps the deadline rule that
    applies to this hire and the sources it rests on; the fees' and clocks' sources."""
    hire = record.hire
    pathway = registry.version(hire.pathway, hire.rules_version)
    facts = presenters.facts_of(hire)
    specs = {s.key: s for s in pathway.steps}
    steps = []
    for row in record.steps:
        spec = specs.get(row.key)
        rule = spec.deadline_for(facts) if spec else None
        steps.append(
            {
                "key": row.key,
                "title": row.title,
                "owner": row.owner,
                "status": row.status,
                "due_on": row.due_on.isoformat() if row.due_on else None,
                "deadline": without_domain_notes(row.deadline_note),
                "deadline_changed_by_hr": row.deadline_changed,
                "deadline_rule": _rule(rule) if rule else None,
                "sources": _sources([*spec.sources, *rule.sources]) if spec and rule else [],
            }
        )
    return {
        "pathway": pathway.key,
        "title": pathway.title,
        "version": pathway.version,
        "category": hire.category,
        "steps": steps,
        "fees": [
            {"key": f.key, "title": f.title, "sources": _sources(f.sources)} for f in pathway.fees
        ],
        "clocks": [
            {"key": c.key, "title": c.title, "sources": _sources(c.sources)} for c in pathway.clocks
        ],
        "sources": [
            source_out(s).model_dump(mode="json") for s in presenters.pathway_sources(pathway)
        ],
        "definition": presenters.describe(pathway),
    }


def _manifest(
    source: BundleSource, files: list[dict[str, Any]], missing: list[str]
) -> dict[str, Any]:
    return {
        "hire_id": source.record.hire.id,
        "team": {"id": source.team_id, "name": source.team_name},
        "made_at": source.made_at.isoformat(),
        "made_at_eastern": eastern(source.made_at).isoformat(),
        "made_by": source.made_by,
        "rules_version": f"{source.record.hire.pathway}@{source.record.hire.rules_version}",
        "hash": "sha256",
        "files": files,
        "missing_documents": missing,
    }


def filename(hire_id: str, made_at: datetime) -> str:
    return f"{hire_id}-bundle-{eastern(made_at).date().isoformat()}.zip"


def _streamed(file: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := file.read(CHUNK):
            yield chunk
    finally:
        file.close()


async def download(
    *,
    session: Session,
    caller: Caller,
    hire_id: str,
    documents: DocumentFiles,
    templates_dir: Path,
    now: datetime,
) -> StreamingResponse:
    """The caller's hire's bundle as an attachment (404 for a hire not theirs), built off
    the event loop."""
    source = gather(session, caller, hire_id, templates_dir, now)
    file = await run_in_threadpool(build, source, documents, templates_dir)
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    log.info("inspection bundle of %s made: %d bytes", hire_id, size)
    return StreamingResponse(
        _streamed(file),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{filename(hire_id, now)}"',
            "Content-Length": str(size),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
