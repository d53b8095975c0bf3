"""How production tells a random signing secret from a typed or padded one.

A secret that signs every session must be guessed by nobody, so its length alone is not enough:
`"a" * 32`, `"changeme" * 4` or `"bench-secret-" + "b" * 40` are long and trivially guessed. The
rule refuses what a person types and accepts what a generator prints: random strings of 32 or more
characters (`secrets.token_urlsafe(32)`, `openssl rand -hex 16` or `-base64 32`) essentially never
repeat an 8-character stretch (32 hex characters: about one draw in ten million) and never
use fewer than 8 distinct characters, while a repeated word, a run of one character or a counted
sequence (`abcdefgh...`, `12345678...`) always does one of these.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

MIN_SECRET_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 8
REPEAT_WINDOW = 8


def weak_secret_reason(secret: str) -> str | None:
    """Why `secret` is too easy to guess, or None when it passes the rule above."""
    if len(secret) < MIN_SECRET_LENGTH:
        return f"it is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(secret)) < MIN_DISTINCT_CHARACTERS:
        return f"it uses fewer than {MIN_DISTINCT_CHARACTERS} distinct characters"
    if _repeats(secret):
        return f"a stretch of {REPEAT_WINDOW} characters occurs twice in it (a repeated pattern)"
    steps = [ord(after) - ord(before) for before, after in pairwise(secret)]
    if _repeats(steps):
        return "it follows a regular sequence (like abcdefgh or 13579)"
    return None


def _repeats(items: Sequence[object]) -> bool:
    """True when some window of `REPEAT_WINDOW` consecutive items occurs twice (overlaps count)."""
    seen: set[tuple[object, ...]] = set()
    for start in range(len(items) - REPEAT_WINDOW + 1):
        window = tuple(items[start : start + REPEAT_WINDOW])
        if window in seen:
            return True
        seen.add(window)
    return False
