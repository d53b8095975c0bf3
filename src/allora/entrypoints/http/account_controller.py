"""The account page and checkout's saved billing details (contract section "Account")."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, put
from litestar.di import NamedDependency
from litestar.params import JSONBody

from allora.application.get_billing_details import GetBillingDetails
from allora.application.save_billing_details import SaveBillingDetails
from allora.application.update_account import UpdateAccount
from allora.domain.users import User
from allora.entrypoints.http.access import SIGNED_IN, session_token
from allora.entrypoints.http.account_bodies import (
    AccountUpdateBody,
    AccountUpdatedOut,
    BillingBody,
    BillingOut,
)
from allora.entrypoints.http.clients import client_address
from allora.entrypoints.http.errors import documented
from allora.entrypoints.http.strict_json import StrictJSON
from allora.entrypoints.http.users_bodies import UserOut


class AccountController(Controller):
    path = "/api/account"
    tags = ["Account"]
    opt = SIGNED_IN

    @patch(
        "/update",
        dto=StrictJSON[AccountUpdateBody],
        return_dto=None,
        responses=documented(400, 401, 403, 413, 422, 429),
    )
    async def update(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[AccountUpdateBody],
        actor: NamedDependency[User],
        update_account: NamedDependency[UpdateAccount],
    ) -> AccountUpdatedOut:
        """Changes the signed-in user's name, email and phone and, with `currentPassword`, the
        password (`""` or absent keeps it); a new password ends the user's other sessions."""
        user = await update_account(
            actor=actor,
            token=session_token(request),
            client=client_address(request),
            name=data.name,
            email=data.email,
            phone=data.phone,
            current_password=data.currentPassword,
            new_password=data.newPassword,
        )
        return AccountUpdatedOut("Account updated", UserOut.of(user))

    @get("/billing", responses=documented(401))
    async def billing(
        self, actor: NamedDependency[User], get_billing_details: NamedDependency[GetBillingDetails]
    ) -> BillingOut | None:
        """The signed-in user's saved billing details, or `null` when none are saved."""
        details = await get_billing_details(actor=actor)
        return BillingOut.of(details) if details else None

    @put(
        "/billing",
        dto=StrictJSON[BillingBody],
        return_dto=None,
        responses=documented(400, 401, 413),
    )
    async def save_billing(
        self,
        data: JSONBody[BillingBody],
        actor: NamedDependency[User],
        save_billing_details: NamedDependency[SaveBillingDetails],
    ) -> BillingOut:
        """Saves the signed-in user's billing details for faster check-out (replacing any)."""
        details = await save_billing_details(
            actor=actor,
            first_name=data.firstName,
            street_address=data.streetAddress,
            city=data.city,
            phone=data.phone,
            email=data.email,
            company_name=data.companyName,
            apartment=data.apartment,
        )
        return BillingOut.of(details)
