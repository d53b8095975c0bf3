"""Billing details: who pays and where, as the checkout form asks (saved for next time, or
sent with an order)."""

from __future__ import annotations

from dataclasses import dataclass

from allora.domain.errors import Validation
from allora.domain.fields import parse_text
from allora.domain.users import Email, Phone

TEXT_MAX = 100


def _optional_text(field: str, raw: str | None) -> str | None:
    """At most 100 characters once trimmed; missing, null or blank is no value."""
    if raw is None:
        return None
    return parse_text(field, raw, 0, TEXT_MAX) or None


@dataclass(frozen=True, slots=True)
class BillingDetails:
    """`firstName`, `streetAddress` and `city` 1-100 characters; `companyName` and `apartment`
    optional, at most 100; `phone` and `email` as for sign-up."""

    first_name: str
    company_name: str | None
    street_address: str
    apartment: str | None
    city: str
    phone: Phone
    email: Email

    @classmethod
    def parse(
        cls,
        *,
        first_name: str,
        street_address: str,
        city: str,
        phone: str,
        email: str,
        company_name: str | None = None,
        apartment: str | None = None,
    ) -> BillingDetails:
        """Every field checked, all failures reported together under the contract's names."""
        check = Validation()
        parsed = (
            check(lambda: parse_text("firstName", first_name, 1, TEXT_MAX)),
            check(lambda: _optional_text("companyName", company_name)),
            check(lambda: parse_text("streetAddress", street_address, 1, TEXT_MAX)),
            check(lambda: _optional_text("apartment", apartment)),
            check(lambda: parse_text("city", city, 1, TEXT_MAX)),
            check(lambda: Phone.parse(phone)),
            check(lambda: Email.parse(email)),
        )
        check.raise_if_failed()
        first, company, street, flat, town, phone_number, address = parsed
        assert first is not None
        assert street is not None
        assert town is not None
        assert phone_number is not None
        assert address is not None
        return cls(first, company, street, flat, town, phone_number, address)
