"""RequestPasswordReset: mail a one-time code to the account's address."""

from __future__ import annotations

from allora.application.attempts import count_attempt
from allora.application.outbox import Outbox
from allora.application.ports import (
    AttemptLimiter,
    Clock,
    CodeGenerator,
    KeyedHasher,
    UnitOfWorkFactory,
)
from allora.domain.mail_texts import reset_code_mail
from allora.domain.password_reset import CODE_LIFETIME, ResetCode
from allora.domain.users import Email, UserId


def code_digest(hasher: KeyedHasher, user_id: UserId, code: str) -> str:
    """The stored form of a code: keyed, and bound to its account."""
    return hasher.digest(f"{user_id}:{code}")


class RequestPasswordReset:
    """Rules: a well-formed email (400); at most the client limit a minute from one address and
    3 requests an hour for one email, account or not (429); otherwise the same answer whether or
    not an account has that email. For an account, a fresh 6-digit code replaces (voids) any
    earlier one, valid 15 minutes, stored only as a keyed digest, and is mailed to the account's
    address through the outbox, in the same transaction: no code without its mail."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        codes: CodeGenerator,
        hasher: KeyedHasher,
        outbox: Outbox,
        clock: Clock,
        per_client: AttemptLimiter,
        per_email: AttemptLimiter,
    ) -> None:
        self._uow, self._codes, self._hasher, self._outbox = uow, codes, hasher, outbox
        self._clock, self._per_client, self._per_email = clock, per_client, per_email

    async def __call__(self, *, email: str, client: str) -> None:
        await count_attempt(self._per_client, client)
        address = Email.parse(email)
        await count_attempt(self._per_email, address.value)
        async with self._uow() as uow:
            user = await uow.users.get_by_email(address)
            if user is None:
                return
            code = self._codes()
            digest = code_digest(self._hasher, user.id, code)
            await uow.password_resets.replace(ResetCode.issue(user.id, digest, self._clock.now()))
            minutes = int(CODE_LIFETIME.total_seconds() // 60)
            mail = reset_code_mail(user.profile.email, user.profile.name.value, code, minutes)
            await self._outbox.post(uow, mail)
            await uow.commit()
