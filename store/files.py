"""Uploaded documents on disk, stored by content hash, their type checked by content."""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
import unicodedata
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
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


@dataclass
class _Partial:
    """An upload being written: kept under its hash, or discarded."""

    path: Path
    file: BinaryIO

    @classmethod
    def open(cls, root: Path) -> _Partial:
        root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=root, prefix=".upload-")
        return cls(Path(name), os.fdopen(fd, "wb"))

    def keep_as(self, final: Path) -> None:
        self.file.close()
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path, final)

    def discard(self) -> None:
        self.file.close()
        self.path.unlink(missing_ok=True)


class DocumentFiles:
    """Documents on disk, encrypted (core.crypto.DocumentSealer), named by the content's
    hash, never by the uploaded name."""

    def __init__(self, root: Path, max_bytes: int, sealer: DocumentSealer) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.sealer = sealer

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    async def save(self, chunks: AsyncIterator[bytes]) -> StoredFile:
        """Stream ``chunks`` to disk, refusing more than ``max_bytes`` or an unknown type.

        Reading is async; the disk writes run in a thread, a chunk at a time, so the
        whole file is never held in memory and the event loop never blocks on disk.
        """
        partial = await asyncio.to_thread(_Partial.open, self.root)
        try:
            digest = hashlib.sha256()
            size = 0
            head = b""
            header, cipher, prefix = self.sealer.header()
            await asyncio.to_thread(partial.file.write, header)
            index = 0
            async for chunk, last in rechunk(_limited(chunks, self.max_bytes)):
                size += len(chunk)
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                digest.update(chunk)
                sealed = self.sealer.seal_chunk(cipher, prefix, index, chunk, last)
                await asyncio.to_thread(partial.file.write, sealed)
                index += 1
            if size == 0:
                raise EmptyFileError("file is empty")
            content_type = sniff(head)
            if content_type is None:
                raise UnsupportedTypeError(
                    f"file is not a {ACCEPTED} document (checked by its content)"
                )
            sha = digest.hexdigest()
            final = self.path_for(sha)
            await asyncio.to_thread(partial.keep_as, final)
            return StoredFile(sha256=sha, size=size, content_type=content_type, path=final)
        finally:
            await asyncio.to_thread(partial.discard)

    def read(self, sha256: str) -> Iterator[bytes]:
        """The document's bytes, decrypted a chunk at a time."""
        return self.sealer.open_stream(self.path_for(sha256))

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()


async def _limited(chunks: AsyncIterator[bytes], max_bytes: int) -> AsyncIterator[bytes]:
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise TooLargeError(f"file is larger than {max_bytes} bytes")
        yield chunk
