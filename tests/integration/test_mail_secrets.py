"""The secret-keyed adapters: reset codes, their digests, and sealed outbox bodies."""

from __future__ import annotations

import base64
import re

import pytest

from allora.adapters.secrets import AesGcmMailSealer, HmacKeyedHasher, random_code

KEY, OTHER = "k" * 40, "o" * 40


def test_codes_are_six_ascii_digits_and_vary() -> None:
    codes = {random_code() for _ in range(200)}
    assert all(re.fullmatch(r"[0-9]{6}", code) for code in codes)
    assert len(codes) > 150


def test_digests_depend_on_the_key_and_never_show_the_code() -> None:
    digest = HmacKeyedHasher(KEY).digest("user:123456")
    assert digest == HmacKeyedHasher(KEY).digest("user:123456")
    assert digest != HmacKeyedHasher(OTHER).digest("user:123456")
    assert digest != HmacKeyedHasher(KEY).digest("user:123457")
    assert "123456" not in digest
    assert len(digest) == 64


def test_sealed_bodies_open_only_with_their_key_and_untouched() -> None:
    text = '{"text": "Your code is 123456", "html": "<p>Zoë</p>"}'
    sealed = AesGcmMailSealer(KEY).seal(text)
    assert "123456" not in sealed
    assert sealed != AesGcmMailSealer(KEY).seal(text)  # a fresh nonce each time
    assert AesGcmMailSealer(KEY).unseal(sealed) == text
    with pytest.raises(ValueError, match="cannot unseal"):
        AesGcmMailSealer(OTHER).unseal(sealed)
    raw = bytearray(base64.b64decode(sealed))
    raw[-1] ^= 1
    with pytest.raises(ValueError, match="cannot unseal"):
        AesGcmMailSealer(KEY).unseal(base64.b64encode(bytes(raw)).decode())
    with pytest.raises(ValueError, match="cannot unseal"):
        AesGcmMailSealer(KEY).unseal("not base64 at all!")
