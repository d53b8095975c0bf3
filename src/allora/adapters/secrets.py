"""Keyed secrets from the server secret: reset codes and their digests, sealed outbox bodies."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12


def _subkey(secret: str, purpose: bytes) -> bytes:
    """One key per use, derived from the server secret, so no two uses share a key."""
    return hmac.new(secret.encode(), purpose, hashlib.sha256).digest()


def random_code() -> str:
    """Six decimal digits from the operating system's CSPRNG, leading zeros included."""
    return f"{secrets.randbelow(10**6):06d}"


class HmacKeyedHasher:
    """HMAC-SHA256 under a key derived from the server secret: a stolen database alone does
    not let anyone test the million possible codes."""

    def __init__(self, secret: str) -> None:
        self._key = _subkey(secret, b"allora password reset codes v1")

    def digest(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()


class AesGcmMailSealer:
    """AES-256-GCM with a random nonce per message: confidential and tamper-evident."""

    def __init__(self, secret: str) -> None:
        self._aead = AESGCM(_subkey(secret, b"allora outbox bodies v1"))

    def seal(self, text: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode(), None)
        return base64.b64encode(nonce + sealed).decode("ascii")

    def unseal(self, sealed: str) -> str:
        try:
            raw = base64.b64decode(sealed.encode("ascii"), validate=True)
            opened = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None)
            return opened.decode()
        except (InvalidTag, ValueError, UnicodeError) as error:
            raise ValueError("cannot unseal: another key, or tampered with") from error
