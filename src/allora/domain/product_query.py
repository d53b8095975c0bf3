"""The product listing's filters and order, as a shopper writes them in the query."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import partial

from allora.domain.errors import Validation
from allora.domain.fields import parse_catalogue_text, parse_choice
from allora.domain.money import parse_price, read_decimal


class ProductSort(StrEnum):
    NEWEST = "newest"
    PRICE = "price"
    PRICE_DESC = "-price"
    SCORE = "score"


@dataclass(frozen=True, slots=True)
class ProductQuery:
    """Filters and order of the product listing."""

    category: str | None = None
    text: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    sort: ProductSort = ProductSort.NEWEST

    @classmethod
    def parse(
        cls,
        category: str | None,
        q: str | None,
        min_price: str | None,
        max_price: str | None,
        sort: str | None,
    ) -> ProductQuery:
        check = Validation()
        low = None if min_price is None else check(partial(_price_text, "min_price", min_price))
        high = None if max_price is None else check(partial(_price_text, "max_price", max_price))
        order = check(partial(parse_choice, "sort", sort or "newest", ProductSort))
        text = partial(parse_catalogue_text, low=0)
        words = None if q is None else check(partial(text, "q", q, high=200))
        kind = None if category is None else check(partial(text, "category", category, high=100))
        check.raise_if_failed()
        assert order is not None
        return cls(kind or None, words or None, low, high, order)


def _price_text(field: str, text: str) -> Decimal:
    """A price bound written in the query, blanks around it ignored."""
    return parse_price(field, read_decimal(field, text.strip()), allow_zero=True)
