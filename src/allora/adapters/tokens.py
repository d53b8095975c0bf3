"""Session tokens: HS256 JWTs naming a server-side session."""

from __future__ import annotations

from uuid import UUID

import jwt

from allora.domain.errors import NotAuthenticated
from allora.domain.sessions import Session, SessionId

_ALGORITHM = "HS256"


class JwtTokenIssuer:
    def __init__(self, secret: str) -> None:
        self._secret = secret

    def issue(self, session: Session) -> str:
        claims = {
            "sid": str(session.id),
            "sub": str(session.user_id),
            "iat": int(session.created_at.timestamp()),
            "exp": int(session.expires_at.timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM)

    def read(self, token: str) -> SessionId:
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=[_ALGORITHM], options={"require": ["exp", "sid"]}
            )
            return SessionId(UUID(str(claims["sid"])))
        except (jwt.PyJWTError, ValueError) as error:
            raise NotAuthenticated("Invalid or expired session") from error
