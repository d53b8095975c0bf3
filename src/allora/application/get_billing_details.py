"""GetBillingDetails: what the checkout form is filled with."""

from __future__ import annotations

from allora.application.ports import UnitOfWorkFactory
from allora.domain.billing import BillingDetails
from allora.domain.users import User


class GetBillingDetails:
    """Rules: a user sees only their own saved set; None when they saved none."""

    def __init__(self, reader: UnitOfWorkFactory) -> None:
        self._reader = reader

    async def __call__(self, *, actor: User) -> BillingDetails | None:
        async with self._reader() as uow:
            return await uow.billing.get(actor.id)
