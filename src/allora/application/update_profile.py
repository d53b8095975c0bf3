"""UpdateProfile: a user changes their own name, email and phone."""

from __future__ import annotations

from allora.application.ports import UnitOfWork, UnitOfWorkFactory
from allora.domain.errors import AlreadyTaken, Banned, NotAuthenticated, taken_message
from allora.domain.users import Profile, User


class UpdateProfile:
    """Rules: fields valid as at sign-up (400); none taken by another account (422); no
    banned email or phone (403)."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, actor: User, name: str, email: str, phone: str) -> User:
        profile = Profile.parse(name, email, phone)
        async with self._uow() as uow:
            updated = await with_new_profile(uow, actor, profile)
            await uow.users.save(updated)
            await uow.commit()
        return updated


async def with_new_profile(uow: UnitOfWork, actor: User, profile: Profile) -> User:
    """The actor's account as it is now, with `profile`, once the rules every profile change
    obeys hold (the account page's `UpdateAccount` changes it under the same rules)."""
    current = await uow.users.get(actor.id)
    if current is None:
        raise NotAuthenticated("Session ended, sign in again")
    await uow.bans.hold()
    if await uow.bans.is_banned(profile.email, profile.phone):
        raise Banned()
    if taken := await uow.users.taken_fields(profile, other_than=actor.id):
        raise AlreadyTaken(taken_message(taken))
    return current.with_profile(profile)
