"""SaveBillingDetails and GetBillingDetails: one saved set per user, only their own."""

from __future__ import annotations

import pytest

from allora.application.get_billing_details import GetBillingDetails
from allora.application.save_billing_details import SaveBillingDetails
from allora.application.sessions import SignedIn
from allora.domain.errors import InvalidInput, NotAuthenticated
from tests.unit.fakes import FakeDatabase

pytestmark = pytest.mark.anyio

FORM = {
    "first_name": "Ann",
    "street_address": "1 Main Street",
    "city": "Springfield",
    "phone": "5550001234",
    "email": "Ann@Example.com",
}


async def test_nothing_saved_reads_as_none(
    get_billing_details: GetBillingDetails, member: SignedIn
) -> None:
    assert await get_billing_details(actor=member.user) is None


async def test_a_save_replaces_the_one_set_and_only_its_owner_reads_it(
    save_billing_details: SaveBillingDetails,
    get_billing_details: GetBillingDetails,
    admin: SignedIn,
    member: SignedIn,
    database: FakeDatabase,
) -> None:
    first = await save_billing_details(actor=member.user, **FORM, company_name="Acme")
    assert await get_billing_details(actor=member.user) == first
    second = await save_billing_details(actor=member.user, **{**FORM, "city": "Shelbyville"})
    assert await get_billing_details(actor=member.user) == second
    assert (second.city, second.company_name, second.email.value) == (
        "Shelbyville",
        None,
        "ann@example.com",
    )
    assert list(database.billing) == [member.user.id]
    assert await get_billing_details(actor=admin.user) is None


async def test_invalid_fields_are_all_named_and_nothing_is_saved(
    save_billing_details: SaveBillingDetails, member: SignedIn, database: FakeDatabase
) -> None:
    with database.unchanged(), pytest.raises(InvalidInput) as raised:
        await save_billing_details(
            actor=member.user, **{**FORM, "first_name": "", "phone": "12", "email": "x@"}
        )
    assert [e.field for e in raised.value.errors] == ["firstName", "phone", "email"]


async def test_a_vanished_account_saves_nothing(
    save_billing_details: SaveBillingDetails, member: SignedIn, database: FakeDatabase
) -> None:
    del database.users[member.user.id]
    with database.unchanged(), pytest.raises(NotAuthenticated):
        await save_billing_details(actor=member.user, **FORM)
