"""Billing details: the checkout form's fields, checked once, every failure named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allora.domain.billing import BillingDetails
from allora.domain.errors import InvalidInput

VALID = {
    "first_name": "Ann",
    "street_address": "1 Main Street",
    "city": "Springfield",
    "phone": "5550001234",
    "email": "Ann@Example.com",
}


def test_valid_details_are_trimmed_and_the_email_lower_cased() -> None:
    details = BillingDetails.parse(**{**VALID, "first_name": "  Ann "}, company_name=" Acme ")
    assert details.first_name == "Ann"
    assert details.company_name == "Acme"
    assert details.apartment is None
    assert details.email.value == "ann@example.com"


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_optional_fields_missing_or_blank_are_no_value(blank: str | None) -> None:
    details = BillingDetails.parse(**VALID, company_name=blank, apartment=blank)
    assert (details.company_name, details.apartment) == (None, None)


def test_every_bad_field_is_reported_under_its_contract_name() -> None:
    with pytest.raises(InvalidInput) as refused:
        BillingDetails.parse(
            first_name=" ",
            street_address="x" * 101,
            city="",
            phone="12",
            email="not-an-email",
            company_name="c" * 101,
            apartment="a" * 101,
        )
    assert [e.field for e in refused.value.errors] == [
        "firstName",
        "companyName",
        "streetAddress",
        "apartment",
        "city",
        "phone",
        "email",
    ]


@given(st.text(max_size=120))
def test_first_name_is_accepted_exactly_when_1_to_100_storable_characters(raw: str) -> None:
    text = raw.strip()
    storable = "\x00" not in text and not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    acceptable = storable and 1 <= len(text) <= 100
    if not acceptable:
        with pytest.raises(InvalidInput) as refused:
            BillingDetails.parse(**{**VALID, "first_name": raw})
        assert [e.field for e in refused.value.errors] == ["firstName"]
        return
    assert BillingDetails.parse(**{**VALID, "first_name": raw}).first_name == text
