"""Wire types of the account page, checkout billing details and password reset."""

from __future__ import annotations

import msgspec

from allora.domain.billing import BillingDetails
from allora.entrypoints.http.users_bodies import UserOut


class AccountUpdateBody(msgspec.Struct):
    name: str
    email: str
    phone: str
    currentPassword: str | None = None
    newPassword: str | None = None


class AccountUpdatedOut(msgspec.Struct):
    message: str
    data: UserOut


class BillingBody(msgspec.Struct):
    firstName: str
    streetAddress: str
    city: str
    phone: str
    email: str
    companyName: str | None = None
    apartment: str | None = None


class BillingOut(msgspec.Struct):
    firstName: str
    companyName: str | None
    streetAddress: str
    apartment: str | None
    city: str
    phone: str
    email: str

    @classmethod
    def of(cls, details: BillingDetails) -> BillingOut:
        return cls(
            firstName=details.first_name,
            companyName=details.company_name,
            streetAddress=details.street_address,
            apartment=details.apartment,
            city=details.city,
            phone=details.phone.value,
            email=details.email.value,
        )


class ForgotPasswordBody(msgspec.Struct):
    email: str


class ResetPasswordBody(msgspec.Struct):
    email: str
    code: str
    newPassword: str
