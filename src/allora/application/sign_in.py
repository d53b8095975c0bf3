"""SignIn: trade an email and password for a session."""

from __future__ import annotations

from allora.application.attempts import count_attempt
from allora.application.ports import AttemptLimiter, PasswordHasher, UnitOfWorkFactory
from allora.application.sessions import SessionOpener, SignedIn
from allora.domain.errors import Banned, InvalidCredentials, InvalidInput
from allora.domain.users import Email


class SignIn:
    """Rules: every attempt counts against the client's limit and too many gives 429; 10 failed
    attempts for one email lock it (429) for the window, and a successful sign-in ends the run of
    failures; unknown email and wrong password give the same 401 after the same work; a banned
    account, email or phone gives 403.

    An attempt is counted for its email before the password is checked, so concurrent guesses
    cannot all slip past the check while the slow hash runs."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        sessions: SessionOpener,
        per_client: AttemptLimiter,
        failures_per_email: AttemptLimiter,
    ) -> None:
        self._uow, self._hasher, self._sessions = uow, hasher, sessions
        self._per_client, self._failures_per_email = per_client, failures_per_email

    async def __call__(self, *, email: str, password: str, client: str) -> SignedIn:
        await count_attempt(self._per_client, client)
        address = Email.parse(email)
        if not password:
            raise InvalidInput.for_field("password", "password is required")
        await count_attempt(self._failures_per_email, address.value)
        async with self._uow() as uow:
            user = await uow.users.get_by_email(address)
        if not await self._hasher.verify(user.password_hash if user else None, password):
            raise InvalidCredentials()
        assert user is not None
        await self._failures_per_email.forget(address.value)
        async with self._uow() as uow:
            current = await uow.users.get(user.id)
            if current is None:
                raise InvalidCredentials()
            profile = current.profile
            if current.banned or await uow.bans.is_banned(profile.email, profile.phone):
                raise Banned()
            token = await self._sessions.open(uow, current)
            await uow.commit()
        return SignedIn(current, token)
