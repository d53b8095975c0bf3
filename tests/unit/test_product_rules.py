"""The product rules of the contract (API.md, "Products"): details, variants, prices and queries.

Oracles restate the contract's words (six colours, six sizes, `#RGB`/`#RRGGBB`, cents) without
calling the code under test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import TypeVar

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from allora.domain.errors import InvalidInput
from allora.domain.fields import parse_whole, read_whole
from allora.domain.money import parse_price, read_decimal
from allora.domain.product_query import ProductQuery, ProductSort
from allora.domain.products import (
    ColorName,
    ProductDetails,
    Size,
    VariantDetails,
    VariantInput,
    parse_variants,
)
from tests.unit.shop import changes

T = TypeVar("T")
PROPERTY = settings(max_examples=100, deadline=None)

COLOURS = ("black", "white", "blue", "red", "green", "yellow")
SIZES = ("XS", "S", "M", "L", "XL", "XXL")
HEX_DIGITS = "0123456789abcdefABCDEF"
VARIANT_FIELDS = ("colorName", "colorHex", "size", "stock", "price")
DETAILS: dict[str, object] = {
    "name": "Linen shirt",
    "price": "19.99",
    "description": "A light linen shirt",
    "category": "tops",
    "stock": "5",
    "discount": "10",
}
SHIRT = ProductDetails("Linen shirt", Decimal("19.99"), "A light linen shirt", "tops", 5, 10)


def outcome(parse: Callable[[], T]) -> T | list[str]:
    """What `parse` returns, or the fields its `InvalidInput` names."""
    try:
        return parse()
    except InvalidInput as error:
        return [e.field for e in error.errors]


def refused_fields(parse: Callable[[], object]) -> list[str]:
    """The fields an `InvalidInput` names; fails the test if `parse` accepts."""
    with pytest.raises(InvalidInput) as raised:
        parse()
    return [error.field for error in raised.value.errors]


def cents_text(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


# The domain parses numbers; an edge that carries text (a multipart form, a query) reads its
# numbers first. These helpers do what such an edge does, so each rule is checked from text
# and from JSON numbers alike.


def price_of(field: str, raw: object, *, allow_zero: bool) -> Decimal:
    number = read_decimal(field, raw.strip()) if isinstance(raw, str) else raw
    return parse_price(field, number, allow_zero=allow_zero)


def entry(raw: Mapping[str, object], where: str = "v") -> VariantInput:
    """A variant written with the contract's keys, its text numbers read for `where`."""
    keys = {"colorName": "color_name", "colorHex": "color_hex", "size": "size"}
    typed: dict[str, object] = {keys[k]: v for k, v in raw.items() if k in keys}
    for key, read in (("stock", read_whole), ("price", read_decimal)):
        value = raw.get(key)
        if value == "":
            value = None
        typed[key] = read(f"{where}.{key}", value) if isinstance(value, str) else value
    return VariantInput(**typed)  # type: ignore[arg-type]  # wrong types on purpose, too


def entries(raw: Sequence[Mapping[str, object]]) -> list[VariantInput]:
    return [entry(item, f"variants[{i}]") for i, item in enumerate(raw)]


def details_of(raw: Mapping[str, object]) -> ProductDetails:
    return ProductDetails.parse(changes(raw))


# --- ProductDetails -----------------------------------------------------------------------------


def test_valid_details_are_trimmed_and_exact() -> None:
    padded = {key: f"  {value}  " for key, value in DETAILS.items()}
    assert details_of(padded) == SHIRT
    assert details_of(DETAILS) == SHIRT


def test_json_numbers_are_taken_as_well_as_multipart_text() -> None:
    details = details_of({**DETAILS, "price": 19.99, "stock": 5, "discount": 10})
    assert details == SHIRT
    assert str(details.price) == "19.99"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "abc"),
        ("name", "x" * 200),
        ("description", "ten chars!"),
        ("category", "x"),
        ("stock", 0),
        ("stock", "0"),
        ("stock", " 7 "),
        ("stock", 1_000_000_000),
        ("discount", 0),
        ("discount", 100),
        ("discount", "100"),
        ("price", "0.01"),
        ("price", 999_999_999.99),
    ],
)
def test_values_on_the_boundaries_are_accepted(field: str, value: object) -> None:
    details_of({**DETAILS, field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "ab"),
        ("name", "  ab  "),
        ("name", ""),
        ("name", None),
        ("name", 123),
        ("name", "x" * 201),
        ("description", "nine char"),
        ("description", "   short   "),
        ("description", None),
        ("category", ""),
        ("category", "   "),
        ("category", None),
        ("category", 5),
        ("stock", -1),
        ("stock", "-1"),
        ("stock", "abc"),
        ("stock", "5.0"),
        ("stock", 5.0),
        ("stock", True),
        ("stock", None),
        ("stock", ""),
        ("stock", "+5"),
        ("stock", "\u0665"),  # an Arabic-Indic five
        ("stock", 1_000_000_001),
        ("discount", -1),
        ("discount", 101),
        ("discount", "101"),
        ("discount", 50.5),
        ("discount", False),
        ("discount", None),
        ("price", 0),
        ("price", "0.00"),
        ("price", -1),
        ("price", "19.999"),
        ("price", "abc"),
        ("price", None),
        ("price", True),
    ],
)
def test_each_broken_rule_names_its_field(field: str, value: object) -> None:
    assert refused_fields(lambda: details_of({**DETAILS, field: value})) == [field]


def test_every_broken_field_is_reported_at_once_in_contract_order() -> None:
    broken = {"name": "x", "price": "0", "description": "", "category": "", "stock": -1}
    expected = ["name", "price", "description", "category", "stock", "discount"]
    assert refused_fields(lambda: details_of(broken)) == expected
    assert refused_fields(lambda: details_of({})) == expected


def test_changing_some_details_keeps_the_others() -> None:
    changed = SHIRT.changed(changes({"price": 25.5, "name": "  Silk shirt "}))
    assert changed == ProductDetails(
        "Silk shirt", Decimal("25.50"), SHIRT.description, "tops", 5, 10
    )
    assert SHIRT.changed(changes({})) == SHIRT


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "ab"), ("price", "19.999"), ("stock", -1), ("discount", 101), ("category", "")],
)
def test_a_change_is_validated_as_at_creation(field: str, value: object) -> None:
    assert refused_fields(lambda: SHIRT.changed(changes({field: value}))) == [field]


CHANGES = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["Wool coat", "Cap", "x" * 200]),
        "price": st.integers(1, 10**11 - 1),
        "description": st.sampled_from(["A warm wool coat", "0123456789"]),
        "category": st.sampled_from(["coats", "c"]),
        "stock": st.integers(0, 10**9),
        "discount": st.integers(0, 100),
    },
)


@PROPERTY
@given(CHANGES)
def test_changed_replaces_exactly_the_given_fields(given: dict[str, object]) -> None:
    raw = {
        key: cents_text(value) if key == "price" and isinstance(value, int) else value
        for key, value in given.items()
    }
    changed = SHIRT.changed(changes(raw))
    for key in DETAILS:
        expected = getattr(SHIRT, key) if key not in given else given[key]
        if key == "price" and key in given:
            assert isinstance(expected, int)
            expected = Decimal(expected).scaleb(-2)
        assert getattr(changed, key) == expected, key


# --- prices -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (19.99, "19.99"),
        ("19.99", "19.99"),
        (" 19.99 ", "19.99"),
        (20, "20.00"),
        ("20", "20.00"),
        (0.1, "0.10"),
        ("0.5", "0.50"),
        (1.1, "1.10"),
        (Decimal("7.1"), "7.10"),
        (999_999_999.99, "999999999.99"),
    ],
)
def test_a_price_is_exact(raw: object, text: str) -> None:
    """Never float noise: 19.99 is Decimal("19.99"), not 19.989999999999998436805981327779591."""
    price = price_of("price", raw, allow_zero=False)
    assert type(price) is Decimal
    assert str(price) == text
    assert price == Decimal(text)


NOT_PRICES: list[object] = [
    "19.999",
    19.999,
    0.001,
    "1e-3",
    "abc",
    "",
    "   ",
    "NaN",
    "nan",
    float("nan"),
    "Infinity",
    "-Infinity",
    "inf",
    float("inf"),
    float("-inf"),
    True,
    False,
    None,
    [19.99],
    {"amount": 19.99},
    b"19.99",
    -5,
    "-0.01",
    1e9,
    "1000000000",
    0.1 + 0.2,  # 0.30000000000000004
]


@pytest.mark.parametrize("allow_zero", [False, True])
@pytest.mark.parametrize("raw", NOT_PRICES)
def test_anything_else_is_no_price(raw: object, allow_zero: bool) -> None:
    assert refused_fields(lambda: price_of("cost", raw, allow_zero=allow_zero)) == ["cost"]


@pytest.mark.parametrize("zero", [0, 0.0, "0", "0.00", Decimal(0)])
def test_zero_is_a_variant_price_but_no_product_price(zero: object) -> None:
    assert refused_fields(lambda: price_of("price", zero, allow_zero=False)) == ["price"]
    assert price_of("price", zero, allow_zero=True) == Decimal("0.00")


@PROPERTY
@given(st.integers(1, 10**11 - 1))
@example(1999)
@example(10**11 - 1)
def test_every_amount_of_cents_is_read_exactly_from_any_form(cents: int) -> None:
    exact = Decimal(cents).scaleb(-2)
    text = cents_text(cents)
    forms: list[object] = [text, float(text), exact]
    if cents % 100 == 0:
        forms.append(cents // 100)
    for form in forms:
        for allow_zero in (False, True):
            price = price_of("price", form, allow_zero=allow_zero)
            assert (price, str(price)) == (exact, text), form


@PROPERTY
@given(st.integers(1, 10**12 - 1).filter(lambda mills: mills % 10 != 0))
def test_a_third_decimal_is_refused(mills: int) -> None:
    text = f"{mills // 1000}.{mills % 1000:03d}"
    for form in (text, float(text), Decimal(text)):
        assert refused_fields(partial(price_of, "price", form, allow_zero=True)) == ["price"]


@PROPERTY
@given(st.integers(1, 10**11 - 1))
def test_a_negative_price_is_refused(cents: int) -> None:
    for form in (cents_text(-cents), -float(cents_text(cents))):
        for allow_zero in (False, True):
            refused = refused_fields(partial(price_of, "price", form, allow_zero=allow_zero))
            assert refused == ["price"]


@PROPERTY
@given(
    st.one_of(
        st.text(max_size=20),
        st.from_regex(r"\s*-?[0-9]{1,12}(\.[0-9]{0,4})?([eE][+-]?[0-9]{1,3})?\s*", fullmatch=True),
        st.floats(),
        st.integers(),
        st.decimals(),
        st.booleans(),
        st.none(),
    )
)
def test_any_input_is_a_price_in_cents_or_invalid_input(raw: object) -> None:
    """No other exception, and nothing accepted outside [0, 10^9) or with more than 2 decimals."""
    price = outcome(partial(price_of, "price", raw, allow_zero=True))
    if isinstance(price, list):
        assert price == ["price"]
        return
    assert type(price) is Decimal
    assert price.as_tuple().exponent == -2
    assert 0 <= price < 10**9
    assert not isinstance(raw, bool)


def test_a_huge_integer_price_is_invalid_input() -> None:
    assert refused_fields(lambda: price_of("price", 10**5000, allow_zero=True)) == ["price"]


@pytest.mark.parametrize("raw", ["-0", "-0.00", -0.0])
def test_a_zero_price_has_no_sign(raw: object) -> None:
    assert not price_of("price", raw, allow_zero=True).is_signed()


# --- variants -----------------------------------------------------------------------------------


def test_a_full_variant_is_parsed_to_canonical_values() -> None:
    raw = {"colorName": "black", "colorHex": "#FfF", "size": "XL", "stock": "3", "price": "0"}
    assert VariantDetails.parse(entry(raw), "v") == VariantDetails(
        ColorName.BLACK, "#fff", Size.XL, 3, Decimal("0.00")
    )


def test_each_variant_field_is_optional() -> None:
    assert VariantDetails.parse(entry({"size": "M"}), "v") == VariantDetails(size=Size.M)
    assert VariantDetails.parse(entry({"stock": 0, "price": None}), "v") == VariantDetails(stock=0)
    assert VariantDetails.parse(entry({"price": 12.5, "colorHex": ""}), "v") == VariantDetails(
        price=Decimal("12.50")
    )


BLANK_ENTRIES = st.fixed_dictionaries(
    {}, optional={key: st.sampled_from([None, ""]) for key in VARIANT_FIELDS}
)
VALID_ENTRIES = st.fixed_dictionaries(
    {"size": st.sampled_from(SIZES)},
    optional={
        "colorName": st.sampled_from(COLOURS),
        "colorHex": st.sampled_from(["#000", "#a1B2c3"]),
        "stock": st.integers(0, 10**9),
        "price": st.integers(0, 10**6).map(cents_text),
    },
)


@PROPERTY
@given(st.lists(st.tuples(st.booleans(), BLANK_ENTRIES, VALID_ENTRIES), max_size=6))
def test_entries_with_every_field_empty_are_dropped(
    written: list[tuple[bool, dict[str, object], dict[str, object]]],
) -> None:
    raw = [blank if is_blank else valid for is_blank, blank, valid in written]
    kept = [valid for is_blank, _, valid in written if not is_blank]
    variants = parse_variants(entries(raw))
    assert len(variants) == len(kept)
    for variant, valid in zip(variants, kept, strict=True):
        assert variant.size == Size(str(valid["size"]))
        assert variant.stock == valid.get("stock")
        assert variant.price == (Decimal(str(valid["price"])) if "price" in valid else None)


def variant_accepts(field: str, value: object) -> bool:
    """Whether a variant takes `value` for `field` (with a size to keep the entry non-empty)."""
    raw = {"size": "S", field: value} if field != "size" else {field: value}
    result = outcome(lambda: VariantDetails.parse(entry(raw), "v"))
    if isinstance(result, list):
        assert result == [f"v.{field}"]
        return False
    return True


def near_words(words: tuple[str, ...]) -> st.SearchStrategy[str]:
    """The words, their case changes, pieces and padding, and any text."""
    return st.one_of(
        st.sampled_from(words),
        st.sampled_from(words).map(str.upper),
        st.sampled_from(words).map(str.lower),
        st.sampled_from(words).map(str.title),
        st.sampled_from(words).map(lambda w: f" {w}"),
        st.sampled_from(words).map(lambda w: w[:-1]),
        st.text(max_size=8),
    )


@PROPERTY
@given(near_words(COLOURS))
@example("purple")
@example("grey")
@example("Black")
@example("black ")
def test_a_colour_name_is_one_of_the_six(text: str) -> None:
    assert variant_accepts("colorName", text) == (text in COLOURS or text == "")


@PROPERTY
@given(near_words(SIZES))
@example("XXXL")
@example("xl")
@example("XS ")
def test_a_size_is_one_of_the_six(text: str) -> None:
    if text == "":
        return  # blank: the entry is empty and dropped
    assert variant_accepts("size", text) == (text in SIZES)


def hex_allowed(text: str) -> bool:
    return len(text) in (4, 7) and text[0] == "#" and all(c in HEX_DIGITS for c in text[1:])


@PROPERTY
@given(
    st.one_of(
        st.from_regex(r"#[0-9a-fA-F]{1,8}", fullmatch=True),
        st.from_regex(r"#?[0-9a-zA-Z]{3,7}\n?", fullmatch=True),
        st.text(alphabet=HEX_DIGITS + "#gG \uff10\u0660", max_size=8),
    )
)
@example("#abc")
@example("#AbCdEf")
@example("#abcd")
@example("#abc\n")
def test_a_colour_hex_is_rgb_or_rrggbb(text: str) -> None:
    assert variant_accepts("colorHex", text) == (hex_allowed(text) or text == "")
    if hex_allowed(text):
        assert VariantDetails.parse(entry({"colorHex": text}), "v") == VariantDetails(
            color_hex=text.lower()
        )


@pytest.mark.parametrize(
    ("field", "value", "accepted"),
    [
        ("stock", 0, True),
        ("stock", "12", True),
        ("stock", -1, False),
        ("stock", "-1", False),
        ("stock", 1.5, False),
        ("stock", True, False),
        ("price", 0, True),
        ("price", "0.00", True),
        ("price", 9.99, True),
        ("price", -0.01, False),
        ("price", "1.005", False),
        ("price", "free", False),
        ("price", False, False),
        ("colorName", 1, False),
        ("size", ["M"], False),
    ],
)
def test_variant_values_are_checked_by_type_and_range(
    field: str, value: object, accepted: bool
) -> None:
    assert variant_accepts(field, value) == accepted


def test_variant_errors_name_the_entry_and_field_all_at_once() -> None:
    raw: list[dict[str, object]] = [
        {"size": "XXXL"},
        {"colorHex": "red", "stock": -1},
        {"colorName": "red"},
    ]
    assert refused_fields(lambda: parse_variants(entries(raw))) == [
        "variants[0].size",
        "variants[1].colorHex",
        "variants[1].stock",
    ]


def test_at_most_a_hundred_variants() -> None:
    """Malformed lists (not a list, entries that are not objects, unknown keys) are the HTTP
    edge's to refuse (test_products); the count is the domain's."""
    assert refused_fields(lambda: parse_variants(entries([{"size": "M"}] * 101))) == ["variants"]


def test_up_to_a_hundred_variants_are_taken() -> None:
    assert parse_variants(entries([{"size": "M"}] * 100)) == (VariantDetails(size=Size.M),) * 100
    assert parse_variants([]) == ()


# --- ProductQuery -------------------------------------------------------------------------------


def test_an_empty_query_lists_everything_newest_first() -> None:
    assert ProductQuery.parse(None, None, None, None, None) == ProductQuery()
    assert ProductQuery.parse("", "  ", None, None, "") == ProductQuery(sort=ProductSort.NEWEST)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ProductSort.NEWEST),
        ("price", ProductSort.PRICE),
        ("-price", ProductSort.PRICE_DESC),
        ("score", ProductSort.SCORE),
    ],
)
def test_each_sort_order_is_understood(sort: str, expected: ProductSort) -> None:
    assert ProductQuery.parse(None, None, None, None, sort).sort is expected


def test_filters_are_trimmed_and_prices_exact() -> None:
    query = ProductQuery.parse(" tops ", " linen ", "0", "19.9", "price")
    assert query == ProductQuery(
        "tops", "linen", Decimal("0.00"), Decimal("19.90"), ProductSort.PRICE
    )


@pytest.mark.parametrize(
    ("arguments", "fields"),
    [
        ((None, None, None, None, "Price"), ["sort"]),
        ((None, None, None, None, "-score"), ["sort"]),
        ((None, None, None, None, "best"), ["sort"]),
        ((None, None, "abc", None, None), ["min_price"]),
        ((None, None, "-1", None, None), ["min_price"]),
        ((None, None, "1.234", None, None), ["min_price"]),
        ((None, None, "", None, None), ["min_price"]),
        ((None, None, None, "NaN", None), ["max_price"]),
        ((None, None, None, "-0.5", None), ["max_price"]),
        ((None, None, "x", "y", "z"), ["min_price", "max_price", "sort"]),
        ((None, "q" * 201, None, None, None), ["q"]),
        (("c" * 101, None, None, None, None), ["category"]),
    ],
)
def test_a_bad_query_names_its_fields(
    arguments: tuple[str | None, str | None, str | None, str | None, str | None],
    fields: list[str],
) -> None:
    assert refused_fields(lambda: ProductQuery.parse(*arguments)) == fields


@PROPERTY
@given(st.integers(0, 10**11 - 1), st.integers(0, 10**11 - 1))
def test_price_bounds_are_read_exactly(low: int, high: int) -> None:
    query = ProductQuery.parse(None, None, cents_text(low), cents_text(high), None)
    assert (query.min_price, query.max_price) == (
        Decimal(low).scaleb(-2),
        Decimal(high).scaleb(-2),
    )


@PROPERTY
@given(st.text(max_size=12))
def test_a_sort_is_one_of_the_four_or_refused(text: str) -> None:
    query = outcome(partial(ProductQuery.parse, None, None, None, None, text))
    if isinstance(query, list):
        assert query == ["sort"]
        assert text not in ("", "newest", "price", "-price", "score")
    else:
        assert text in ("", "newest", "price", "-price", "score")
        assert query.sort.value == (text or "newest")


def test_the_domain_takes_numbers_not_text() -> None:
    """Text is read at the edge that carries it: digits in a string are no number here."""
    assert refused_fields(lambda: parse_price("price", "19.99", allow_zero=False)) == ["price"]
    assert refused_fields(lambda: parse_whole("stock", "5", 0, 10)) == ["stock"]
    assert refused_fields(lambda: VariantDetails.parse(VariantInput(stock="5"), "v")) == [  # type: ignore[arg-type]
        "v.stock"
    ]
