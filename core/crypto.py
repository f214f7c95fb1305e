"""Encryption: Temporal payloads (a payload codec) and documents at rest, with AES-GCM.

Keys come from settings as ``id:base64key`` pairs; the current key encrypts, every key
decrypts, so a key can rotate: add the new one, make it current, keep the old one as long
as anything written with it may be read (Temporal's retention, the documents).
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"


class CryptoKeyError(ValueError):
    pass


@dataclass(frozen=True)
class Keyring:
    """Named AES-256 keys; ``current`` encrypts, any decrypts."""

    current: str
    keys: dict[str, bytes]

    @classmethod
    def parse(cls, spec: str, current: str) -> Keyring:
        keys: dict[str, bytes] = {}
        for part in (p.strip() for p in spec.split(",") if p.strip()):
            name, _, encoded = part.partition(":")
            try:
                key = base64.b64decode(encoded, validate=True)
            except ValueError as err:
                raise CryptoKeyError(f"key {name!r} is not base64") from err
            if not name or len(key) != 32:
                raise CryptoKeyError(f"key {name!r} must be 32 bytes (AES-256), base64")
            keys[name] = key
        if not keys:
            raise CryptoKeyError("no keys")
        if current not in keys:
            raise CryptoKeyError(f"the current key {current!r} is not among the keys")
        return cls(current, keys)

    @staticmethod
    def new_key() -> str:
        return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()

    def cipher(self, key_id: str) -> AESGCM:
        try:
            return AESGCM(self.keys[key_id])
        except KeyError:
            raise CryptoKeyError(
                f"no key {key_id!r} to decrypt with: keep old keys after rotating"
            ) from None


class EncryptionCodec(PayloadCodec):
    """Encrypts every payload (workflow and activity inputs, results, failures' details), so
    names and emails never sit in Temporal's store in plain text. Unencrypted payloads (from
    before encryption was on) are read as they are."""

    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        cipher = self._keyring.cipher(self._keyring.current)
        out = []
        for payload in payloads:
            nonce = os.urandom(12)
            data = nonce + cipher.encrypt(nonce, payload.SerializeToString(), None)
            out.append(
                Payload(
                    metadata={"encoding": ENCODING, KEY_ID: self._keyring.current.encode()},
                    data=data,
                )
            )
        return out

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        out = []
        for payload in payloads:
            if payload.metadata.get("encoding") != ENCODING:
                out.append(payload)
                continue
            key_id = payload.metadata.get(KEY_ID, b"").decode()
            plain = self._keyring.cipher(key_id).decrypt(payload.data[:12], payload.data[12:], None)
            decoded = Payload()
            decoded.ParseFromString(plain)
            out.append(decoded)
        return out


# ---- documents at rest: chunked AES-GCM, streamed ----
#
# file  = b"HPD1" | key-id length (1 byte) | key id | nonce prefix (8 bytes) | chunk...
# chunk = length of ciphertext (4 bytes, big-endian) | ciphertext
# Each chunk's nonce is the prefix and its 4-byte index; its associated data is the index
# and whether it is the last chunk, so chunks cannot be reordered, dropped or cut short.

MAGIC = b"HPD1"
CHUNK = 1024 * 1024


class DocumentSealer:
    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring

    def header(self) -> tuple[bytes, AESGCM, bytes]:
        key_id = self._keyring.current.encode()
        prefix = os.urandom(8)
        head = MAGIC + bytes([len(key_id)]) + key_id + prefix
        return head, self._keyring.cipher(self._keyring.current), prefix

    @staticmethod
    def seal_chunk(cipher: AESGCM, prefix: bytes, index: int, chunk: bytes, last: bool) -> bytes:
        sealed = cipher.encrypt(
            prefix + struct.pack(">I", index), chunk, struct.pack(">I?", index, last)
        )
        return struct.pack(">I", len(sealed)) + sealed

    def open_stream(self, path: os.PathLike[str] | str) -> Iterator[bytes]:
        """Decrypt a stored document a chunk at a time."""
        with open(path, "rb") as handle:
            if handle.read(4) != MAGIC:
                raise ValueError("not an encrypted hirepath document")
            key_id = handle.read(handle.read(1)[0]).decode()
            cipher = self._keyring.cipher(key_id)
            prefix = handle.read(8)
            index = 0
            pending = handle.read(4)
            while pending:
                (size,) = struct.unpack(">I", pending)
                sealed = handle.read(size)
                pending = handle.read(4)
                last = not pending
                yield cipher.decrypt(
                    prefix + struct.pack(">I", index), sealed, struct.pack(">I?", index, last)
                )
                index += 1


async def rechunk(
    chunks: AsyncIterator[bytes], size: int = CHUNK
) -> AsyncIterator[tuple[bytes, bool]]:
    """``chunks`` as pieces of ``size`` bytes, each with whether it is the last one."""
    buffer = b""
    pending: bytes | None = None
    async for chunk in chunks:
        buffer += chunk
        while len(buffer) >= size:
            if pending is not None:
                yield pending, False
            pending, buffer = buffer[:size], buffer[size:]
    if buffer:
        if pending is not None:
            yield pending, False
        pending = buffer
    if pending is not None:
        yield pending, True
