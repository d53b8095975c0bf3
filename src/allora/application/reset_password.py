"""ResetPassword: a mailed code sets a new password and signs the request in."""

from __future__ import annotations

import hmac
from dataclasses import replace

from allora.application.attempts import count_attempt
from allora.application.ports import (
    AttemptLimiter,
    Clock,
    KeyedHasher,
    PasswordHasher,
    UnitOfWorkFactory,
)
from allora.application.request_password_reset import code_digest
from allora.application.sessions import SessionOpener, SignedIn
from allora.domain.errors import Banned, Validation
from allora.domain.password_reset import (
    InvalidResetCode,
    parse_new_password,
    parse_reset_code,
)
from allora.domain.users import Email


class ResetPassword:
    """Rules: at most the client limit a minute from one address (429); email, code (6 digits)
    and a strong `newPassword` checked together (400); an unknown email, or a code that is wrong,
    expired, used or voided, is one 401; the code is compared in constant time, and each wrong
    guess counts: the fifth voids it. With the right code, a banned account, email or phone is
    403 (the code stays). Otherwise the password is replaced, the code used up, every session of
    the user ended and a new one opened for this request, in one transaction."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        passwords: PasswordHasher,
        hasher: KeyedHasher,
        sessions: SessionOpener,
        clock: Clock,
        per_client: AttemptLimiter,
    ) -> None:
        self._uow, self._passwords, self._hasher = uow, passwords, hasher
        self._sessions, self._clock, self._per_client = sessions, clock, per_client

    async def __call__(self, *, email: str, code: str, new_password: str, client: str) -> SignedIn:
        await count_attempt(self._per_client, client)
        check = Validation()
        address = check(lambda: Email.parse(email))
        check(lambda: parse_reset_code(code))
        secret = check(lambda: parse_new_password(new_password))
        check.raise_if_failed()
        assert address is not None
        assert secret is not None
        # Hashed before the transaction opens: SQLite's writer lock is not held while it runs.
        password_hash = await self._passwords.hash(secret.value)
        async with self._uow() as uow:
            user = await uow.users.get_by_email(address)
            reset = await uow.password_resets.lock(user.id) if user else None
            if user is None or reset is None or not reset.usable(self._clock.now()):
                raise InvalidResetCode()
            if not hmac.compare_digest(reset.digest, code_digest(self._hasher, user.id, code)):
                await uow.password_resets.save_failures(reset.with_failure())
                await uow.commit()
                raise InvalidResetCode()
            profile = user.profile
            if user.banned or await uow.bans.is_banned(profile.email, profile.phone):
                raise Banned()
            await uow.password_resets.remove(user.id)
            updated = replace(user, password_hash=password_hash)
            await uow.users.save(updated)
            await uow.sessions.remove_all_of([user.id])
            token = await self._sessions.open(uow, updated)
            await uow.commit()
        return SignedIn(updated, token)
