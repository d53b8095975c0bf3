"""Every operation of `GET /schema/openapi.json`, fuzzed as a visitor and as an ADMIN.

Checks (see `conftest.CHECKS`): no 5xx; every response's status code, content type, headers and
body as the schema documents them; invalid requests (negative generation) answered with a 4xx.
Each test is one pytest item with one sub-test per operation.
"""

from __future__ import annotations

import requests
import schemathesis

from tests.fuzz.conftest import FuzzCase, FuzzServer, SeededValues

anonymous = schemathesis.pytest.from_fixture("anonymous_schema")
admin = schemathesis.pytest.from_fixture("admin_schema")

SIGN_OUT = "/api/auth/signout"
UPDATE_PROFILE = {"/api/user", "/api/account/update"}


def _call_and_validate(case: FuzzCase, server: FuzzServer, token: str | None) -> None:
    """Sends `case` with the `token` cookie (if any) and validates the response; a 5xx report
    gets the server's log lines about the request."""
    if token:
        # Into the case, not beside it: the document names the cookie as the routes' security,
        # so schemathesis must see it sent (else "Missing `token`" counts as invalid input).
        case.cookies = {**(case.cookies or {}), "token": token}
    with requests.Session() as session:
        # A fresh session per case: cookies the fuzzed sign-up/sign-in set must not leak into
        # the next request (the anonymous run would stop being anonymous).
        response = case.call(session=session)
        try:
            case.validate_response(response, transport_kwargs={"session": session})
        except Exception as failure:
            if response.status_code >= 500:
                request_id = response.headers.get("x-request-id", [None])[0]
                failure.add_note(server.log_excerpt(request_id))
            raise


@anonymous.parametrize()
def test_api_as_a_visitor(
    case: FuzzCase, fuzz_server: FuzzServer, seeded_values: SeededValues
) -> None:
    seeded_values(case)
    _call_and_validate(case, fuzz_server, token=None)


@admin.parametrize()
def test_api_as_an_admin(
    case: FuzzCase, fuzz_server: FuzzServer, seeded_values: SeededValues
) -> None:
    seeded_values(case)
    if case.operation.path == SIGN_OUT:
        # Sign-out revokes the session it is sent with: give it one of its own, or every later
        # ADMIN request of the run would be a 401.
        _call_and_validate(case, fuzz_server, token=fuzz_server.sign_in_admin())
        return
    try:
        _call_and_validate(case, fuzz_server, token=fuzz_server.admin.token)
    finally:
        if case.operation.path in UPDATE_PROFILE:
            fuzz_server.refresh_admin_profile()  # its email/phone may have just changed
