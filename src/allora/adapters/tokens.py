"""Session tokens: HS256 JWTs naming a server-side session."""

from __future__ import annotations

import time
from collections import OrderedDict
from uuid import UUID

import jwt

from allora.domain.errors import NotAuthenticated
from allora.domain.sessions import Session, SessionId

_ALGORITHM = "HS256"
VERIFIED_TOKENS = 10_000


class JwtTokenIssuer:
    """Issues and reads tokens. A token once verified is remembered with its session and
    expiry (at most `remembered` of them, the least recently used dropped first): verifying
    it again would give the same answer, and cost most of a cached request. Its expiry is
    still checked on every read, as PyJWT checks it (expired once `exp <= now`)."""

    def __init__(self, secret: str, remembered: int = VERIFIED_TOKENS) -> None:
        self._secret, self._remembered = secret, remembered
        self._verified: OrderedDict[str, tuple[SessionId, float]] = OrderedDict()

    def issue(self, session: Session) -> str:
        claims = {
            "sid": str(session.id),
            "sub": str(session.user_id),
            "iat": int(session.created_at.timestamp()),
            "exp": int(session.expires_at.timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM)

    def read(self, token: str) -> SessionId:
        known = self._verified.get(token)
        if known is None:
            known = self._verify(token)
        else:
            self._verified.move_to_end(token)
        session_id, expires = known
        if expires <= time.time():
            self._verified.pop(token, None)
            raise NotAuthenticated("Invalid or expired session")
        return session_id

    def _verify(self, token: str) -> tuple[SessionId, float]:
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=[_ALGORITHM], options={"require": ["exp", "sid"]}
            )
            known = SessionId(UUID(str(claims["sid"]))), float(claims["exp"])
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise NotAuthenticated("Invalid or expired session") from error
        if self._remembered > 0:
            self._verified[token] = known
            while len(self._verified) > self._remembered:
                self._verified.popitem(last=False)
        return known
