"""Creating an account, shared by sign-up and the `create-admin` command."""

from __future__ import annotations

from dataclasses import dataclass

from allora.application.ports import Clock, IdGenerator, PasswordHasher, UnitOfWork
from allora.domain.errors import AlreadyTaken, Banned, Validation, taken_message
from allora.domain.users import Password, Profile, Role, User, UserId


@dataclass(frozen=True, slots=True)
class NewAccount:
    """Validated sign-up fields; the password is already hashed."""

    profile: Profile
    password_hash: str


class Registrar:
    """Validates and hashes new accounts, then inserts them under the shop's rules."""

    def __init__(self, hasher: PasswordHasher, clock: Clock, ids: IdGenerator) -> None:
        self._hasher, self._clock, self._ids = hasher, clock, ids

    async def prepare(self, *, name: str, email: str, phone: str, password: str) -> NewAccount:
        """Every field failure at once (400); hashing runs before any transaction opens."""
        check = Validation()
        profile = check(lambda: Profile.parse(name, email, phone))
        secret = check(lambda: Password.parse(password))
        check.raise_if_failed()
        assert profile and secret  # noqa: PT018 - narrowing for mypy
        return NewAccount(profile, await self._hasher.hash(secret.value))

    async def register(self, uow: UnitOfWork, account: NewAccount, role: Role | None) -> User:
        """Refuses banned or taken details; without a forced role the first account is ADMIN."""
        profile = account.profile
        await uow.bans.hold()
        if await uow.bans.is_banned(profile.email, profile.phone):
            raise Banned()
        if taken := await uow.users.taken_fields(profile, other_than=None):
            raise AlreadyTaken(taken_message(taken))
        first = await uow.users.claim_first_account()
        user = User(
            id=UserId(self._ids()),
            profile=profile,
            role=role or (Role.ADMIN if first else Role.USER),
            password_hash=account.password_hash,
            created_at=self._clock.now(),
        )
        await uow.users.add(user)
        return user
