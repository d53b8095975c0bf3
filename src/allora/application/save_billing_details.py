"""SaveBillingDetails: the checkout form's billing fields, kept for faster check-out next time."""

from __future__ import annotations

from allora.application.ports import Clock, UnitOfWorkFactory
from allora.domain.billing import BillingDetails
from allora.domain.errors import NotAuthenticated
from allora.domain.users import User


class SaveBillingDetails:
    """Rules: every field valid, all failures reported together (400, see `BillingDetails`);
    one saved set per user, replaced by each save."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow, clock

    async def __call__(
        self,
        *,
        actor: User,
        first_name: str,
        street_address: str,
        city: str,
        phone: str,
        email: str,
        company_name: str | None = None,
        apartment: str | None = None,
    ) -> BillingDetails:
        details = BillingDetails.parse(
            first_name=first_name,
            street_address=street_address,
            city=city,
            phone=phone,
            email=email,
            company_name=company_name,
            apartment=apartment,
        )
        async with self._uow() as uow:
            if await uow.users.get(actor.id) is None:
                raise NotAuthenticated("Session ended, sign in again")
            await uow.billing.save(actor.id, details, self._clock.now())
            await uow.commit()
        return details
