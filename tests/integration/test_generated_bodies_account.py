"""Hypothesis-generated bodies for the account page, billing details and password reset: each
accepted exactly when the contract's rules allow, nothing changed otherwise. The attempt
limits (429) have tests of their own; here they are out of reach but for the 3 reset requests
an hour per email, which the oracle counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import hypothesis
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from allora.adapters.secrets import HmacKeyedHasher
from allora.adapters.sql.tables import metadata
from allora.application.request_password_reset import code_digest
from allora.domain.users import UserId
from allora.entrypoints.settings import Settings
from tests.integration.conftest import PASSWORD
from tests.integration.generated_bodies import (
    EXAMPLES,
    MISSING,
    PASSWORD_SPECIALS,
    Field,
    Harness,
    Ref,
    any_emails,
    any_phones,
    around,
    assert_refused,
    fields_of,
    json_objects,
    json_values,
    malformed_bodies,
    names,
    opened_harness,
    resolved,
    user_id,
    valid_email,
    valid_name,
    valid_phone,
    valid_text,
    well_formed_emails,
    well_formed_phones,
)

MEMBER_PHONE = "5550000001"
ADMIN_PROFILE = {"name": "admin", "email": "admin@example.com", "phone": "5550000000"}
CURRENT = Ref("the member's current password")


def strong(password: object) -> bool:
    return (
        isinstance(password, str)
        and 8 <= len(password) <= 256
        and any("A" <= c <= "Z" for c in password)
        and any("a" <= c <= "z" for c in password)
        and any("0" <= c <= "9" for c in password)
        and any(c in PASSWORD_SPECIALS for c in password)
    )


def absent_or_empty(value: object) -> bool:
    return value is MISSING or value is None or value == ""


strong_passwords = st.from_regex(r"[A-Z][a-z][0-9][@$!%*?&][a-zA-Z0-9]{4,12}", fullmatch=True)
any_passwords = st.one_of(
    st.sampled_from(["", "weakpass", "Sh0rt!", "NoDigits!!", "nospecial1A"]),
    st.text(max_size=10),
    json_values,
    st.just(MISSING),
)


@st.composite
def request_bodies(draw: st.DrawFn, fields: dict[str, Field]) -> object:
    """One in eight malformed; of the others, half with only well-formed fields (which may
    still break a rule between fields), half with some fields spoiled."""
    if draw(st.integers(0, 7)) == 0:
        return draw(malformed_bodies)
    return draw(json_objects(fields, spoil=draw(st.booleans())))


@dataclass
class Member:
    """The USER the examples act as, and what the oracle knows of them across examples."""

    harness: Harness
    cookie: str
    password: str = PASSWORD
    reset_requests: Counter[str] = field(default_factory=Counter)


@pytest.fixture
def member(settings: Settings) -> Iterator[Member]:
    unlimited = replace(
        settings,
        signin_client_limit=100_000,
        signin_email_failures=100_000,
        reset_client_limit=100_000,
    )
    for opened in opened_harness(unlimited):
        yield Member(opened, opened.sign_up("member", MEMBER_PHONE))


# --- PATCH /api/account/update/ --------------------------------------------------------------

ACCOUNT: dict[str, Field] = {
    "name": (
        st.one_of(*[st.from_regex(r"[a-z0-9_-]{3,15}", fullmatch=True)] * 5, st.just("admin")),
        st.one_of(names, st.just(MISSING)),
    ),
    "email": (
        st.one_of(
            *[well_formed_emails] * 4, st.sampled_from(["ADMIN@example.com", "member@example.com"])
        ),
        any_emails,
    ),
    "phone": (st.one_of(*[well_formed_phones] * 5, st.just("5550000000")), any_phones),
    "currentPassword": (
        st.sampled_from([CURRENT, CURRENT, "", None, "Wrong1!pass", MISSING]),
        st.one_of(st.integers(), st.booleans(), st.lists(st.integers(), max_size=1)),
    ),
    "newPassword": (
        st.one_of(strong_passwords, strong_passwords, st.sampled_from(["", None, MISSING])),
        any_passwords,
    ),
}


def password_field(raw: object) -> bool:
    """A string, null or left out: anything else is a wrong type (400)."""
    return raw is MISSING or raw is None or isinstance(raw, str)


@pytest.mark.postgres
@hypothesis.settings(EXAMPLES, max_examples=30)
@given(slash=st.sampled_from(["/", ""]), body=request_bodies(ACCOUNT))
def test_account_updates_accept_exactly_what_the_rules_allow(
    member: Member, slash: str, body: object
) -> None:
    harness = member.harness
    sent = {key: fields_of(body).get(key, MISSING) for key in ACCOUNT}
    body = resolved(body, {CURRENT: member.password})
    current = member.password if sent["currentPassword"] == CURRENT else sent["currentPassword"]
    new = sent["newPassword"]
    users, sessions = harness.rows("users"), harness.rows("sessions")
    response = harness.send("PATCH", f"/api/account/update{slash}", body, member.cookie)
    event(f"status {response.status_code}")
    changing = not absent_or_empty(new)
    valid = (
        isinstance(body, dict)
        and valid_name(sent["name"])
        and valid_email(sent["email"])
        and valid_phone(sent["phone"])
        and password_field(current)
        and password_field(new)
        and (not changing or (strong(new) and not absent_or_empty(current)))
    )
    taken = valid and any(str(sent[k]).lower() == v for k, v in ADMIN_PROFILE.items())
    right = current == member.password
    if valid and changing and not right:
        assert_refused(response, 403)
    elif valid and not taken:
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        wanted = (sent["name"], str(sent["email"]).lower(), sent["phone"])
        assert (data["name"], data["email"], data["phone"]) == wanted
        assert harness.get("/api/auth/me/", member.cookie) == data  # this session stays
        if changing:
            assert isinstance(new, str)
            member.password = new
        return
    else:
        assert_refused(response, 422 if valid else 400)
    assert (harness.rows("users"), harness.rows("sessions")) == (users, sessions)


# --- PUT /api/account/billing/ ---------------------------------------------------------------


def required_text() -> Field:
    return (
        st.text(min_size=1, max_size=30).filter(lambda t: valid_text(t, 1, 100)),
        around(1, 100),
    )


def optional_text() -> Field:
    return (
        st.one_of(st.none(), st.just(""), st.text(max_size=30), st.just(MISSING)),
        around(0, 100),
    )


BILLING: dict[str, Field] = {
    "firstName": required_text(),
    "streetAddress": required_text(),
    "city": required_text(),
    "companyName": optional_text(),
    "apartment": optional_text(),
    "phone": (well_formed_phones, any_phones),
    "email": (well_formed_emails, any_emails),
}
OPTIONAL = {"companyName", "apartment"}


def shown(raw: object) -> object:
    """An optional field as the API shows it back: trimmed, blank or missing as null."""
    return raw.strip() or None if isinstance(raw, str) else None


def billing_valid(sent: dict[str, Any]) -> bool:
    for name in ("firstName", "streetAddress", "city"):
        if not valid_text(sent.get(name, MISSING), 1, 100):
            return False
    for name in OPTIONAL:
        raw = sent.get(name, MISSING)
        if not (raw is MISSING or raw is None or valid_text(raw, 0, 100)):
            return False
    return valid_phone(sent.get("phone")) and valid_email(sent.get("email"))


@pytest.mark.postgres
@EXAMPLES
@given(slash=st.sampled_from(["/", ""]), body=request_bodies(BILLING))
def test_billing_details_accept_exactly_what_the_rules_allow(
    member: Member, slash: str, body: object
) -> None:
    harness = member.harness
    before = harness.rows("billing_details")
    response = harness.send("PUT", f"/api/account/billing{slash}", body, member.cookie)
    event(f"status {response.status_code}")
    sent = fields_of(body)
    if isinstance(body, dict) and billing_valid(sent):
        assert response.status_code == 200, response.text
        wanted = {
            **{k: str(sent[k]).strip() for k in ("firstName", "streetAddress", "city", "phone")},
            **{k: shown(sent.get(k)) for k in OPTIONAL},
            "email": str(sent["email"]).lower(),
        }
        assert response.json() == wanted
        assert harness.get(f"/api/account/billing{slash}", member.cookie) == wanted
    else:
        assert_refused(response, 400)
        assert harness.rows("billing_details") == before


# --- POST /api/auth/password/forgot/ ---------------------------------------------------------

FORGOT: dict[str, Field] = {
    "email": (
        st.one_of(
            st.sampled_from(["member@example.com", "MEMBER@Example.com"]), well_formed_emails
        ),
        any_emails,
    ),
}


@pytest.mark.postgres
@EXAMPLES
@given(slash=st.sampled_from(["/", ""]), body=request_bodies(FORGOT))
def test_reset_requests_answer_alike_and_mail_only_accounts(
    member: Member, slash: str, body: object
) -> None:
    harness = member.harness
    outbox, resets = harness.rows("outbox"), harness.rows("password_resets")
    response = harness.send("POST", f"/api/auth/password/forgot{slash}", body)
    event(f"status {response.status_code}")
    email = fields_of(body).get("email", MISSING)
    if not (isinstance(body, dict) and valid_email(email)):
        assert_refused(response, 400)
        assert (harness.rows("outbox"), harness.rows("password_resets")) == (outbox, resets)
        return
    address = str(email).lower()
    member.reset_requests[address] += 1
    if member.reset_requests[address] > 3:
        assert_refused(response, 429)
        assert harness.rows("outbox") == outbox
        return
    assert response.status_code == 200, response.text
    assert response.json() == {"message": response.json()["message"]}
    added = len(harness.rows("outbox")) - len(outbox)
    assert added == (1 if address == "member@example.com" else 0)


# --- POST /api/auth/password/reset/ ----------------------------------------------------------

LIVE_CODE = "246810"
CODE = Ref("the live code")
RESET: dict[str, Field] = {
    "email": (
        st.sampled_from(["member@example.com", "Member@Example.com", "nobody@example.com"]),
        any_emails,
    ),
    "code": (
        st.one_of(st.just(CODE), st.just(CODE), st.from_regex(r"[0-9]{6}", fullmatch=True)),
        st.one_of(
            st.sampled_from(["24681", "2468100", " 246810", "246 810", "٢٤٦٨١٠", "24681a"]),
            st.integers(0, 999_999),
            json_values,
            st.just(MISSING),
        ),
    ),
    "newPassword": (strong_passwords, any_passwords),
}


def issue_live_code(member: Member) -> None:
    """A fresh code for the member, written as RequestPasswordReset stores it (digest only)."""
    harness = member.harness
    member_id = UserId(user_id(harness, member.cookie))
    digest = code_digest(HmacKeyedHasher(harness.settings.secret_key), member_id, LIVE_CODE)
    now = datetime.now(UTC)
    table = metadata.tables["password_resets"]
    harness.execute(
        table.delete(),
        table.insert().values(
            user_id=member_id,
            digest=digest,
            created_at=now,
            expires_at=now + timedelta(minutes=15),
            failures=0,
        ),
    )


@pytest.mark.postgres
@hypothesis.settings(EXAMPLES, max_examples=20)
@given(slash=st.sampled_from(["/", ""]), body=request_bodies(RESET))
def test_resets_accept_exactly_the_live_code(member: Member, slash: str, body: object) -> None:
    harness = member.harness
    issue_live_code(member)
    users, sessions = harness.rows("users"), harness.rows("sessions")
    response = harness.send(
        "POST", f"/api/auth/password/reset{slash}", resolved(body, {CODE: LIVE_CODE})
    )
    event(f"status {response.status_code}")
    harness.client.cookies.clear()
    sent = {key: fields_of(body).get(key, MISSING) for key in RESET}
    code = LIVE_CODE if sent["code"] == CODE else sent["code"]
    well_formed = (
        isinstance(body, dict)
        and valid_email(sent["email"])
        and isinstance(code, str)
        and len(code) == 6
        and all("0" <= c <= "9" for c in code)
        and strong(sent["newPassword"])
    )
    if well_formed and str(sent["email"]).lower() == "member@example.com" and code == LIVE_CODE:
        assert response.status_code == 200, response.text
        cookie = str(response.cookies["token"])
        assert harness.get("/api/auth/me/", cookie)["email"] == "member@example.com"
        assert (
            harness.request(
                "GET", "/api/auth/me/", headers={"Cookie": f"token={member.cookie}"}
            ).status_code
            == 401
        )
        member.cookie = cookie
        assert isinstance(sent["newPassword"], str)
        member.password = sent["newPassword"]
        return
    assert_refused(response, 401 if well_formed else 400)
    assert not response.cookies.get("token")
    assert (harness.rows("users"), harness.rows("sessions")) == (users, sessions)
