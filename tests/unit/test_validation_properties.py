"""What the validators accept is exactly what the contract (API.md, "Auth", "Conventions") allows.

Each oracle restates a rule from the contract character by character, without regular expressions
and without calling `allora.domain`, so the oracle and the code cannot share a mistake.
"""

from __future__ import annotations

import string
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from allora.domain.errors import InvalidInput
from allora.domain.paging import Page
from allora.domain.users import Email, Password, Phone, UserName

PROPERTY = settings(max_examples=200, deadline=None)

# --- the oracles, from the contract's words -------------------------------------------------

NAME_CHARS = frozenset(string.ascii_lowercase + string.digits + "_-")
ASCII_DIGITS = frozenset(string.digits)
SPECIALS = frozenset("@$!%*?&")
LOCAL_CHARS = frozenset(string.ascii_letters + string.digits + ".!#$%&'*+/=?^_`{|}~-")
LABEL_CHARS = frozenset(string.ascii_letters + string.digits + "-")


def name_allowed(text: str) -> bool:
    """3-15 of [a-z0-9_-]."""
    return 3 <= len(text) <= 15 and all(c in NAME_CHARS for c in text)


def phone_allowed(text: str) -> bool:
    """10-15 ASCII digits."""
    return 10 <= len(text) <= 15 and all(c in ASCII_DIGITS for c in text)


def password_allowed(text: str) -> bool:
    """8-256 characters with an ASCII upper, lower and digit and one of @$!%*?&."""
    return (
        8 <= len(text) <= 256
        and any(c in string.ascii_uppercase for c in text)
        and any(c in string.ascii_lowercase for c in text)
        and any(c in string.digits for c in text)
        and any(c in SPECIALS for c in text)
    )


def label_allowed(label: str) -> bool:
    """A WHATWG domain label: 1-63 letters, digits or hyphens, no hyphen at either end."""
    return (
        1 <= len(label) <= 63
        and all(c in LABEL_CHARS for c in label)
        and label[0] != "-"
        and label[-1] != "-"
    )


def email_allowed(text: str) -> bool:
    """WHATWG address syntax, local part 1-64, a dotted domain, 254 characters at most."""
    if len(text) > 254 or text.count("@") != 1:
        return False
    local, domain = text.split("@")
    labels = domain.split(".")
    return (
        1 <= len(local) <= 64
        and all(c in LOCAL_CHARS for c in local)
        and len(labels) >= 2
        and all(label_allowed(label) for label in labels)
    )


def accepted(parse: Callable[[object], object], field: str, raw: object) -> bool:
    """Whether `parse` takes `raw`; a refusal must be an `InvalidInput` naming `field` alone."""
    try:
        parse(raw)
    except InvalidInput as error:
        refusal = error
    else:
        return True
    assert [failure.field for failure in refusal.errors] == [field]
    return False


# --- strategies: arbitrary text, the valid forms, and near misses of them --------------------

# Characters a validator may confuse with valid ones: Unicode letters and digits that `isalpha`,
# `isdigit` or case folding would let through, whitespace and separators.
LOOKALIKES = (
    "\u017f\u0131\u0130\u212a\u00df\ufb01\u00e9\u00f1\u00b5\u212b"  # long s, dotless i, Kelvin, ...
    "\uff41\uff5a\uff21\uff3a\uff10\uff19"  # full-width a z A Z 0 9
    "\u0663\u06f4\u00b2\u00b9\u00bd"  # Arabic-Indic digits, superscripts, a fraction
    "\u00a0\u2003\u200b \t\n\r\x00.,;:@+#/\\\"'<>()[]"
)


def neighbours(allowed: str) -> str:
    """The characters one code point away from an allowed one: where off-by-one ranges leak."""
    near_points = {ord(c) + step for c in allowed for step in (-1, 1)}
    return "".join(sorted(chr(p) for p in near_points if p >= 0 and chr(p) not in allowed))


def tempting(allowed: str) -> st.SearchStrategy[str]:
    """A character a validator might confuse with an allowed one, or any character at all."""
    return st.one_of(
        st.sampled_from(neighbours(allowed) + LOOKALIKES),
        st.sampled_from(allowed),
        st.characters(),
    )


@st.composite
def mutated(draw: st.DrawFn, valid: st.SearchStrategy[str], allowed: str) -> str:
    """`valid` text after one to three insertions, deletions or replacements."""
    text = draw(valid)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        operation = draw(st.sampled_from(("insert", "delete", "replace")))
        if operation == "delete":
            text = text[:at] + text[at + 1 :]
        else:
            rest = text[at:] if operation == "insert" else text[at + 1 :]
            text = text[:at] + draw(tempting(allowed)) + rest
    return text


def near(valid: st.SearchStrategy[str], allowed: str, max_size: int) -> st.SearchStrategy[str]:
    """Near-valid text: mutations of valid text, and short strings of tempting characters."""
    return st.one_of(
        valid,
        mutated(valid, allowed),
        st.lists(tempting(allowed), max_size=max_size).map("".join),
    )


VALID_NAMES = st.from_regex(r"[a-z0-9_-]{3,15}", fullmatch=True)
NEAR_NAMES = near(VALID_NAMES, "".join(sorted(NAME_CHARS)), 18)

VALID_PHONES = st.from_regex(r"[0-9]{10,15}", fullmatch=True)
NEAR_PHONES = near(VALID_PHONES, string.digits, 18)
DIGIT_RUNS = st.text(alphabet=string.digits, max_size=18)


@st.composite
def strong_passwords(draw: st.DrawFn, max_filler: int = 20) -> str:
    """One of each required class, shuffled into arbitrary (Unicode) filler."""
    required = [
        draw(st.sampled_from(string.ascii_uppercase)),
        draw(st.sampled_from(string.ascii_lowercase)),
        draw(st.sampled_from(string.digits)),
        draw(st.sampled_from(sorted(SPECIALS))),
    ]
    filler = list(draw(st.text(min_size=4, max_size=max_filler)))
    return "".join(draw(st.permutations(required + filler)))


NEAR_PASSWORDS = near(strong_passwords(), string.ascii_letters + string.digits + "@$!%*?&", 12)
# Around the 256 limit: a strong password padded to 244-268 characters.
LONG_PASSWORDS = st.builds(
    lambda password, pad: password + "x" * pad,
    strong_passwords(max_filler=8),
    st.integers(236, 256),
)

ALNUM = string.ascii_letters + string.digits
LOCAL_PARTS = st.text(alphabet=sorted(LOCAL_CHARS), min_size=1, max_size=64)
LABELS = st.one_of(
    st.sampled_from(ALNUM),
    st.builds(
        lambda first, middle, last: first + middle + last,
        st.sampled_from(ALNUM),
        st.text(alphabet=sorted(LABEL_CHARS), max_size=61),
        st.sampled_from(ALNUM),
    ),
)


def address(local: str, labels: list[str]) -> str:
    return f"{local}@{'.'.join(labels)}"


WELL_FORMED = st.builds(address, LOCAL_PARTS, st.lists(LABELS, min_size=2, max_size=5))


@st.composite
def label_of(draw: st.DrawFn, size: int) -> str:
    """A valid domain label of exactly `size` (1-63) characters."""
    if size == 1:
        return draw(st.sampled_from(ALNUM))
    middle = draw(st.text(alphabet=ALNUM + "-", min_size=size - 2, max_size=size - 2))
    return draw(st.sampled_from(ALNUM)) + middle + draw(st.sampled_from(ALNUM))


@st.composite
def well_formed_of_length(draw: st.DrawFn, lengths: st.SearchStrategy[int]) -> str:
    """A well-formed address (valid local part, two or more valid labels) of a drawn length."""
    length = draw(lengths)
    local_size = draw(st.integers(1, min(64, length - 4)))
    domain_size = length - local_size - 1
    count = max(2, -(-(domain_size + 1) // 64))  # enough labels of at most 63
    letters = domain_size - (count - 1)
    sizes = [letters // count + (1 if i < letters % count else 0) for i in range(count)]
    local = draw(st.text(alphabet=sorted(LOCAL_CHARS), min_size=local_size, max_size=local_size))
    text = address(local, [draw(label_of(size)) for size in sizes])
    assert len(text) == length
    return text


# Well-formed addresses on both sides of the 254 limit.
LONG_WELL_FORMED = well_formed_of_length(st.integers(230, 300))
OVER_LIMIT = well_formed_of_length(st.integers(255, 400))
# One label around the 63-character limit.
LONG_LABEL = st.builds(
    lambda local, label, tld: f"{local}@{label}.{tld}",
    st.sampled_from(["a", "x.y"]),
    st.text(alphabet=ALNUM, min_size=60, max_size=66),
    st.sampled_from(["com", "co"]),
)
WITHIN_LIMIT = st.one_of(
    WELL_FORMED.filter(lambda text: len(text) <= 254),
    well_formed_of_length(st.integers(5, 254)),
    well_formed_of_length(st.integers(240, 254)),
)
NEAR_EMAILS = near(WELL_FORMED, "".join(sorted(LOCAL_CHARS | {"@"})), 24)

EXACTLY_254 = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 61
NON_TEXT = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.binary(),
    st.just(b"alice"),
    st.just(5551234567),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)


# --- names ------------------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(st.text(), NEAR_NAMES))
@example("abc")
@example("ab")
@example("a" * 15)
@example("a" * 16)
@example("Abc")
@example("abc\n")
def test_a_name_is_accepted_exactly_when_the_contract_allows_it(text: str) -> None:
    assert accepted(UserName.parse, "name", text) == name_allowed(text)


@PROPERTY
@given(VALID_NAMES)
def test_a_valid_name_is_kept_as_given(text: str) -> None:
    assert UserName.parse(text).value == text


# --- phones -----------------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(st.text(), NEAR_PHONES, DIGIT_RUNS))
@example("1" * 9)
@example("1" * 10)
@example("1" * 15)
@example("1" * 16)
@example("١٢٣٤٥٦٧٨٩٠")  # Arabic-Indic digits: digits, but not ASCII
@example("\uff15\uff15\uff15\uff11\uff12\uff13\uff14\uff15\uff16\uff17")  # full-width digits
def test_a_phone_is_accepted_exactly_when_the_contract_allows_it(text: str) -> None:
    assert accepted(Phone.parse, "phone", text) == phone_allowed(text)


@PROPERTY
@given(VALID_PHONES)
def test_a_valid_phone_is_kept_as_given(text: str) -> None:
    assert Phone.parse(text).value == text


# --- passwords --------------------------------------------------------------------------------


@PROPERTY
@given(st.one_of(st.text(), NEAR_PASSWORDS, LONG_PASSWORDS))
@example("Secret1!")
@example("Secre1!")
@example("SECRET1!")
@example("secret1!")
@example("Secretx!")
@example("Secret12")
@example("Secret1#")
@example("\uff21bcdef1!")  # a full-width capital is no ASCII upper-case letter
@example("Aa1!" + "x" * 252)
@example("Aa1!" + "x" * 253)
def test_a_password_is_accepted_exactly_when_the_contract_allows_it(text: str) -> None:
    assert accepted(Password.parse, "password", text) == password_allowed(text)


@PROPERTY
@given(strong_passwords(max_filler=252))
def test_a_strong_password_is_kept_as_given(text: str) -> None:
    assert Password.parse(text).value == text


# --- emails -----------------------------------------------------------------------------------


@PROPERTY
@given(WITHIN_LIMIT)
@example(EXACTLY_254)
@example("A@B.C")
@example("user.name+tag@sub.example-shop.co")
def test_every_well_formed_address_is_accepted_lower_case(text: str) -> None:
    email = Email.parse(text)
    assert email.value == text.lower()
    assert Email.parse(email.value) == email


@PROPERTY
@given(st.one_of(st.text(), NEAR_EMAILS, WELL_FORMED, LONG_WELL_FORMED, LONG_LABEL))
@example(EXACTLY_254 + "d")
@example("a@" + "b" * 63 + ".c")
@example("a@" + "b" * 64 + ".c")
@example("a@b")
@example("a@-b.c")
@example("a@b-.c")
@example("@b.c")
@example("a@b.c\n")
@example("a" * 65 + "@b.c")
def test_an_email_is_accepted_exactly_when_the_contract_allows_it(text: str) -> None:
    assert accepted(Email.parse, "email", text) == email_allowed(text)


@PROPERTY
@given(st.one_of(st.text(), NEAR_EMAILS))
def test_parsing_an_email_is_idempotent(text: str) -> None:
    try:
        once = Email.parse(text)
    except InvalidInput:
        return
    assert once.value == once.value.lower()
    assert Email.parse(once.value) == once


@PROPERTY
@given(st.one_of(st.text(), WELL_FORMED, st.builds(lambda a, b: a + b, LOCAL_PARTS, LABELS)))
def test_an_email_without_exactly_one_at_sign_is_rejected(text: str) -> None:
    if text.count("@") == 1:
        text = text.replace("@", "")
    assert not accepted(Email.parse, "email", text)


@PROPERTY
@given(WELL_FORMED, st.data())
def test_an_email_with_a_second_at_sign_is_rejected(text: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(text)))
    assert not accepted(Email.parse, "email", text[:at] + "@" + text[at:])


@PROPERTY
@given(WELL_FORMED, st.sampled_from(" \t\n\r\u00a0\u2003\u3000"), st.data())
def test_an_email_with_a_space_is_rejected(text: str, space: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(text)))
    assert not accepted(Email.parse, "email", text[:at] + space + text[at:])


@PROPERTY
@given(LOCAL_PARTS, st.lists(LABELS, min_size=1, max_size=4), st.data())
def test_an_email_with_an_empty_label_is_rejected(
    local: str, labels: list[str], data: st.DataObject
) -> None:
    labels.insert(data.draw(st.integers(0, len(labels))), "")
    assert not accepted(Email.parse, "email", address(local, labels))


@PROPERTY
@given(OVER_LIMIT)
@example(EXACTLY_254 + "d")
def test_an_email_longer_than_254_is_rejected(text: str) -> None:
    assert not accepted(Email.parse, "email", text)


# --- every field: each tempting character at each place, exhaustively -------------------------


@pytest.mark.parametrize(
    ("parse", "field", "allowed_by_contract", "valid", "alphabet"),
    [
        pytest.param(UserName.parse, "name", name_allowed, "a_9", NAME_CHARS, id="name"),
        pytest.param(Phone.parse, "phone", phone_allowed, "5551234567", ASCII_DIGITS, id="phone"),
        pytest.param(
            Password.parse,
            "password",
            password_allowed,
            "Ab1@xyz!",
            frozenset(string.ascii_letters + string.digits) | SPECIALS,
            id="password",
        ),
        pytest.param(
            Email.parse, "email", email_allowed, "a.b@c-d.ef", LOCAL_CHARS | {"@"}, id="email"
        ),
    ],
)
def test_each_tempting_character_anywhere_is_judged_as_the_contract_says(
    parse: Callable[[object], object],
    field: str,
    allowed_by_contract: Callable[[str], bool],
    valid: str,
    alphabet: frozenset[str],
) -> None:
    allowed = "".join(sorted(alphabet))
    assert allowed_by_contract(valid)
    for char in neighbours(allowed) + LOOKALIKES + allowed:
        for at in range(len(valid) + 1):
            for text in (valid[:at] + char + valid[at:], valid[:at] + char + valid[at + 1 :]):
                assert accepted(parse, field, text) == allowed_by_contract(text), repr(text)


# --- every field: only text -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parse", "field"),
    [
        (UserName.parse, "name"),
        (Email.parse, "email"),
        (Phone.parse, "phone"),
        (Password.parse, "password"),
    ],
)
@PROPERTY
@given(raw=NON_TEXT)
def test_anything_but_text_is_invalid_input(
    parse: Callable[[object], object], field: str, raw: object
) -> None:
    assert not accepted(parse, field, raw)


# --- paging -----------------------------------------------------------------------------------


@PROPERTY
@given(
    st.one_of(st.integers(), st.integers(-2, 202)),
    st.one_of(st.integers(), st.integers(-2, 2)),
)
@example(1, 0)
@example(200, 0)
@example(0, 0)
@example(201, 0)
@example(50, -1)
@example(0, -1)
@example(50, 2**31 - 1)
@example(50, 2**31)
def test_a_page_is_accepted_exactly_when_limit_and_offset_are_in_range(
    limit: int, offset: int
) -> None:
    bad = {"limit"} if not 1 <= limit <= 200 else set()
    bad |= {"offset"} if not 0 <= offset <= 2**31 - 1 else set()  # a 32-bit SQL OFFSET
    try:
        page = Page.parse(limit, offset)
    except InvalidInput as error:
        named = {failure.field for failure in error.errors}
        assert bad
        assert named
        assert named <= bad
    else:
        assert not bad
        assert (page.limit, page.offset) == (limit, offset)
