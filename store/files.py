"""Uploaded documents on disk, encrypted, named by a keyed hash of their content, their type
checked by content; and the collection of files no document names."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import fcntl
import hashlib
import hmac
import os
import re
import time
import unicodedata
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from core.crypto import DocumentSealer, rechunk

# Magic numbers of the accepted types; the uploaded name and header are ignored.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
ACCEPTED = "PDF, PNG or JPEG"


class TooLargeError(Exception):
    pass


class UnsupportedTypeError(Exception):
    pass


class EmptyFileError(Exception):
    pass


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str
    path: Path


def sniff(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def display_name(uploaded: str | None) -> str:
    """A safe name to show: the last path part, printable characters only, at most 200."""
    name = (uploaded or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable())
    return name.strip()[:200] or "document"


NAME_CONTEXT = b"hirepath document file names v1"
PENDING = ".upload-"  # an upload not yet accepted: .upload-<document id>
LOCK = ".lock"


@dataclass(frozen=True)
class Pending:
    """An upload written under a temporary name, until its hire accepts it."""

    document_id: str
    stored: StoredFile


@dataclass(frozen=True)
class Collected:
    temporary: int = 0  # uploads never accepted, deleted
    unreferenced: int = 0  # files no document row names, deleted
    finished: int = 0  # accepted uploads whose move was interrupted, moved into place
    unreadable: int = 0  # files these keys cannot open: kept


def _name_keys(sealer: DocumentSealer) -> list[bytes]:
    """A key per document key (the current one first) for naming files by a keyed hash."""
    keyring = sealer._keyring
    ids = [keyring.current, *sorted(k for k in keyring.keys if k != keyring.current)]
    return [hmac.digest(keyring.keys[i], NAME_CONTEXT, "sha256") for i in ids]


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


class DocumentFiles:
    """Documents on disk, encrypted (core.crypto.DocumentSealer), named by a keyed hash of
    the content (HMAC-SHA256 under a key derived from the document keys), never by the
    uploaded name: a name says nothing about the content. Files stored under the content's
    plain hash, before, are still read. Directories 0700, files 0600.

    An upload is written under a temporary name and moved to its final name only once its
    hire accepted it (:meth:`keep`), or deleted (:meth:`discard`). Files are shared by
    content, so nothing here deletes a final file; :meth:`collect` removes what no row
    names."""

    def __init__(self, root: Path, max_bytes: int, sealer: DocumentSealer) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.sealer = sealer
        self._name_keys = _name_keys(sealer)

    def _names(self, sha256: str) -> list[str]:
        """Every name a document with this content may have: under each key, then the old
        plain hash."""
        keyed = [hmac.new(k, sha256.encode(), hashlib.sha256).hexdigest() for k in self._name_keys]
        return [*keyed, sha256]

    def _path(self, name: str) -> Path:
        return self.root / name[:2] / name

    def path_for(self, sha256: str) -> Path:
        """Where a document with this content is stored: found under any name, else where
        it would be written now."""
        return self.locate(sha256) or self._path(self._names(sha256)[0])

    def locate(self, sha256: str) -> Path | None:
        return next((p for n in self._names(sha256) if (p := self._path(n)).exists()), None)

    async def save(self, chunks: AsyncIterator[bytes], document_id: str) -> Pending:
        """Stream ``chunks`` to a temporary file, refusing more than ``max_bytes`` or an
        unknown type (nothing is left behind then).

        Reading is async; the disk writes run in a thread, a chunk at a time, so the
        whole file is never held in memory and the event loop never blocks on disk.
        """
        if not _ID.fullmatch(document_id):
            raise ValueError("a document id is a UUID")
        path = self.root / f"{PENDING}{document_id}"
        file = await asyncio.to_thread(_create, path)
        try:
            try:
                digest, size, head = await self._write(file, chunks)
            finally:
                await asyncio.to_thread(file.close)
            if size == 0:
                raise EmptyFileError("file is empty")
            content_type = sniff(head)
            if content_type is None:
                raise UnsupportedTypeError(
                    f"file is not a {ACCEPTED} document (checked by its content)"
                )
        except BaseException:
            await asyncio.to_thread(path.unlink, missing_ok=True)
            raise
        stored = StoredFile(sha256=digest, size=size, content_type=content_type, path=path)
        return Pending(document_id, stored)

    async def _write(self, file: BinaryIO, chunks: AsyncIterator[bytes]) -> tuple[str, int, bytes]:
        digest = hashlib.sha256()
        size = 0
        head = b""
        header, cipher, prefix = self.sealer.header()
        await asyncio.to_thread(file.write, header)
        index = 0
        async for chunk, last in rechunk(_limited(chunks, self.max_bytes)):
            size += len(chunk)
            if len(head) < 16:
                head += chunk[: 16 - len(head)]
            digest.update(chunk)
            sealed = self.sealer.seal_chunk(cipher, prefix, index, chunk, last)
            await asyncio.to_thread(file.write, sealed)
            index += 1
        return digest.hexdigest(), size, head

    def keep(self, pending: Pending) -> StoredFile:
        """The hire accepted the upload: move it to its final name (replacing a file of the
        same content, which is as good)."""
        final = self._path(self._names(pending.stored.sha256)[0])
        with self._lock(exclusive=False):
            _private_dir(final.parent)
            try:
                os.replace(pending.stored.path, final)
            except FileNotFoundError:
                if not final.exists():  # else the collector moved it in meanwhile
                    raise
        return dataclasses.replace(pending.stored, path=final)

    def discard(self, pending: Pending) -> None:
        """The hire refused the upload: delete it (its temporary file only)."""
        pending.stored.path.unlink(missing_ok=True)

    def read(self, sha256: str) -> Iterator[bytes]:
        """The document's bytes, decrypted a chunk at a time."""
        return self.sealer.open_stream(self.path_for(sha256))

    def exists(self, sha256: str) -> bool:
        return self.locate(sha256) is not None

    @contextlib.contextmanager
    def _lock(self, *, exclusive: bool) -> Iterator[None]:
        """Uploads moving into place (shared) against the collector deleting (exclusive)."""
        _private_dir(self.root)
        fd = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)

    def collect(self, rows: Mapping[str, str], older_than: timedelta) -> Collected:
        """Delete what no document row names, if untouched for ``older_than`` (to spare
        uploads in flight): temporary files of uploads never accepted, and final files of
        no row's content. ``rows`` maps every document row's id to its content hash. An
        accepted upload whose move to its final name was cut short is moved now."""
        if not self.root.exists():
            return Collected()
        cutoff = time.time() - older_than.total_seconds()
        named = {name for sha in set(rows.values()) for name in self._names(sha)}
        counts = dict.fromkeys(("temporary", "unreferenced", "finished", "unreadable"), 0)
        for path in sorted(self.root.glob(f"{PENDING}*")):
            document_id = path.name.removeprefix(PENDING)
            if document_id in rows:
                self.keep(Pending(document_id, _stored(rows[document_id], path)))
                counts["finished"] += 1
            elif _delete_if_older(path, cutoff, self._lock):
                counts["temporary"] += 1
        for path in sorted(p for p in self.root.glob("??/*") if p.name not in named):
            if not self._opens(path):
                counts["unreadable"] += 1
            elif _delete_if_older(path, cutoff, self._lock):
                counts["unreferenced"] += 1
        for shard in self.root.glob("??"):
            with contextlib.suppress(OSError):
                shard.rmdir()  # only if empty
        return Collected(**counts)

    def _opens(self, path: Path) -> bool:
        """Whether these keys open the file (its first chunk), so it is one of ours: with
        the wrong keys every file would look unreferenced."""
        try:
            for _ in self.sealer.open_stream(path):
                break
        except Exception:
            return False
        return True


_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _create(path: Path) -> BinaryIO:
    _private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "wb")


def _stored(sha256: str, path: Path) -> StoredFile:
    return StoredFile(sha256=sha256, size=0, content_type="", path=path)


def _delete_if_older(
    path: Path, cutoff: float, lock: Callable[..., contextlib.AbstractContextManager[None]]
) -> bool:
    """Delete ``path`` if it was last written before ``cutoff``, checked again under the
    lock, so an upload moved into place meanwhile (a fresh file) is spared."""
    with lock(exclusive=True):
        try:
            if path.stat().st_mtime >= cutoff:
                return False
            path.unlink()
        except FileNotFoundError:
            return False
    return True


async def _limited(chunks: AsyncIterator[bytes], max_bytes: int) -> AsyncIterator[bytes]:
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise TooLargeError(f"file is larger than {max_bytes} bytes")
        yield chunk
