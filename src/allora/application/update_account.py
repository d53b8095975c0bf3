"""UpdateAccount: the account page changes the profile and, optionally, the password."""

from __future__ import annotations

from dataclasses import replace

from allora.application.attempts import count_attempt
from allora.application.ports import (
    AttemptLimiter,
    PasswordHasher,
    TokenIssuer,
    UnitOfWorkFactory,
)
from allora.application.update_profile import with_new_profile
from allora.domain.errors import InvalidInput, NotAuthenticated, Validation
from allora.domain.password_reset import WrongCurrentPassword, parse_new_password
from allora.domain.sessions import SessionId
from allora.domain.users import Profile, User


class UpdateAccount:
    """Rules: name, email and phone valid as at sign-up and a strong `newPassword`, all checked
    together (400); `newPassword` needs `currentPassword` (400); empty or absent passwords keep
    the password (a `currentPassword` alone is not checked). The current password is checked as
    a sign-in is: it counts against the client's sign-in limit and, before the check, as a
    failure for the account's email, forgotten when right (429 past either limit); wrong, 403.
    No detail banned (403) nor another account's (422). A new password ends every other session
    of the user; the request's own (named by `token`) stays valid."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        per_client: AttemptLimiter,
        failures_per_email: AttemptLimiter,
    ) -> None:
        self._uow, self._hasher, self._tokens = uow, hasher, tokens
        self._per_client, self._failures_per_email = per_client, failures_per_email

    async def __call__(
        self,
        *,
        actor: User,
        token: str | None,
        client: str,
        name: str,
        email: str,
        phone: str,
        current_password: str | None = None,
        new_password: str | None = None,
    ) -> User:
        check = Validation()
        profile = check(lambda: Profile.parse(name, email, phone))
        secret = check(lambda: parse_new_password(new_password)) if new_password else None
        if new_password and not current_password:
            check(lambda: _required("currentPassword", "to change the password"))
        check.raise_if_failed()
        assert profile is not None
        password_hash = None
        if secret is not None and current_password:
            await self._check_current(actor, current_password, client)
            password_hash = await self._hasher.hash(secret.value)
        async with self._uow() as uow:
            updated = await with_new_profile(uow, actor, profile)
            if password_hash is not None:
                updated = replace(updated, password_hash=password_hash)
            await uow.users.save(updated)
            if password_hash is not None:
                await uow.sessions.remove_all_but(actor.id, keep=self._session_of(token))
            await uow.commit()
        return updated

    async def _check_current(self, actor: User, password: str, client: str) -> None:
        await count_attempt(self._per_client, client)
        email = actor.profile.email.value
        await count_attempt(self._failures_per_email, email)
        if not await self._hasher.verify(actor.password_hash, password):
            raise WrongCurrentPassword()
        await self._failures_per_email.forget(email)

    def _session_of(self, token: str | None) -> SessionId | None:
        if not token:
            return None
        try:
            return self._tokens.read(token)
        except NotAuthenticated:
            return None


def _required(field: str, why: str) -> None:
    raise InvalidInput.for_field(field, f"{field} is required {why}")
