"""Archives kept encrypted at rest: AES-256-GCM in chunks, with a key derived from the server's
SECRET_KEY and a random salt of each export, so that neither the file alone nor the database
alone opens it.

The file: a magic line, then chunks, each `nonce (12 bytes) · length (4) · ciphertext`. Each
chunk's nonce ends with its index and its associated data says whether it is the last one: a
chunk moved, dropped, or a file cut short fails to decrypt. Writing goes straight from the
archive to the encrypted file; the clear archive never touches the disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.crypto import salted_hmac

MAGIC = b"internationale-export-1\n"
CHUNK = 1024 * 1024


class DecryptionFailed(Exception):
    pass


def key_for(salt: str, secret: str | None = None) -> bytes:
    return salted_hmac(
        "internationale.ownership.export",
        salt,
        secret=secret or settings.SECRET_KEY,
        algorithm="sha256",
    ).digest()


def _aad(index: int, last: bool) -> bytes:
    return struct.pack(">Q?", index, last)


class EncryptingWriter:
    """A write-only stream (as zipfile writes to) that encrypts into `path`, and counts the
    size and SHA-256 of what it was given."""

    def __init__(self, path: Path, salt: str) -> None:
        self._file: BinaryIO = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._file.write(MAGIC)
        self._aes = AESGCM(key_for(salt))
        self._prefix = os.urandom(4)
        self._buffer = bytearray()
        self._index = 0
        self.size = 0
        self.sha256 = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self._buffer += data
        self.size += len(data)
        self.sha256.update(data)
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        pass

    def _seal(self, data: bytes, *, last: bool) -> None:
        nonce = self._prefix + struct.pack(">Q", self._index)
        sealed = self._aes.encrypt(nonce, data, _aad(self._index, last))
        self._file.write(nonce + struct.pack(">I", len(sealed)) + sealed)
        self._index += 1

    def close(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()
        self._file.close()

    def abort(self) -> None:
        self._file.close()


def decrypted(source: Path | BinaryIO, salt: str) -> Iterator[bytes]:
    """The archive, chunk by chunk, from its path or its file opened. Raises DecryptionFailed on
    a file altered or cut short."""
    aes = AESGCM(key_for(salt))
    with open(source, "rb") if isinstance(source, Path) else contextlib.nullcontext(source) as f:
        if f.read(len(MAGIC)) != MAGIC:
            raise DecryptionFailed("not an encrypted export")
        index = 0
        while True:
            head = f.read(16)
            if not head:
                raise DecryptionFailed("cut short")
            nonce, (length,) = head[:12], struct.unpack(">I", head[12:])
            sealed = f.read(length)
            last = f.peek(1)[:1] == b"" if hasattr(f, "peek") else False
            try:
                data = aes.decrypt(nonce, sealed, _aad(index, last))
            except InvalidTag:
                raise DecryptionFailed("altered") from None
            if struct.unpack(">Q", nonce[4:])[0] != index:
                raise DecryptionFailed("out of order")
            yield data
            if last:
                return
            index += 1
