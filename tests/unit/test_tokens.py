"""Session tokens: a token verified once is remembered, but never past its expiry, and only a
genuine one is remembered."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt
import pytest

from allora.adapters.tokens import JwtTokenIssuer
from allora.domain.errors import NotAuthenticated
from allora.domain.sessions import Session, SessionId
from allora.domain.users import UserId

SECRET = "unit-test-secret-" + "t" * 32


def session(n: int, lifetime: timedelta = timedelta(hours=1)) -> Session:
    now = datetime.now(UTC)
    return Session.start(SessionId(UUID(int=n)), UserId(UUID(int=99)), now, lifetime)


def test_a_remembered_token_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    issuer = JwtTokenIssuer(SECRET)
    opened = session(1)
    token = issuer.issue(opened)
    assert issuer.read(token) == opened.id
    expiry = int(opened.expires_at.timestamp())
    monkeypatch.setattr(time, "time", lambda: expiry - 0.5)
    assert issuer.read(token) == opened.id
    monkeypatch.setattr(time, "time", lambda: float(expiry))
    with pytest.raises(NotAuthenticated):
        issuer.read(token)


def test_a_remembered_token_is_not_decoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    issuer = JwtTokenIssuer(SECRET)
    token = issuer.issue(session(1))
    issuer.read(token)
    decodes = []
    real = jwt.decode

    def counted(*args: Any, **kwargs: Any) -> Any:
        decodes.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counted)
    for _ in range(3):
        issuer.read(token)
    assert decodes == []


def test_forged_tokens_are_refused_every_time_and_memory_is_bounded() -> None:
    issuer = JwtTokenIssuer(SECRET, remembered=2)
    other = JwtTokenIssuer("another-secret-" + "o" * 32)
    forged = other.issue(session(1))
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            issuer.read(forged)
    genuine = [issuer.issue(session(n)) for n in range(2, 6)]
    assert [issuer.read(token) for token in genuine] == [UUID(int=n) for n in range(2, 6)]
    assert len(issuer._verified) == 2
    assert issuer.read(genuine[0]) == UUID(int=2), "a forgotten token is verified again"


def test_an_expired_token_is_refused_before_it_is_remembered() -> None:
    issuer = JwtTokenIssuer(SECRET)
    token = issuer.issue(session(1, lifetime=timedelta(seconds=-5)))
    with pytest.raises(NotAuthenticated):
        issuer.read(token)
    assert len(issuer._verified) == 0
