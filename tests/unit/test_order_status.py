"""The order status machine: every transition, allowed or refused, for an ADMIN, the owner and
another user (API.md, "Orders": status rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import product
from uuid import UUID

import pytest

from allora.domain.billing import BillingDetails
from allora.domain.errors import Forbidden
from allora.domain.orders import Order, OrderId, OrderStatus, TransitionRefused
from allora.domain.users import Profile, Role, User, UserId

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
P, PAID, S, D, C = (
    OrderStatus.PENDING,
    OrderStatus.PAID,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.CANCELLED,
)
ALLOWED = {(P, PAID), (P, C), (PAID, S), (PAID, C), (S, D)}
EVERY_PAIR = list(product(OrderStatus, OrderStatus))


def person(n: int, role: Role = Role.USER) -> User:
    profile = Profile.parse(f"user{n}", f"user{n}@example.com", f"5550000{n:03d}")
    return User(UserId(UUID(int=n)), profile, role, "hashed:x", NOW)


OWNER, OTHER, ADMIN = person(1), person(2), person(3, Role.ADMIN)
BILLING = BillingDetails.parse(
    first_name="Ann", street_address="1 Main St", city="Rome", phone="5551234567",
    email="ann@example.com",
)  # fmt: skip


def order(status: OrderStatus) -> Order:
    zero = Decimal("0.00")
    return Order(
        OrderId(UUID(int=99)), OWNER.id, status, (), zero, None, zero, zero, BILLING, NOW, NOW
    )


def test_the_allowed_transitions_are_exactly_the_contracts() -> None:
    later = NOW + timedelta(hours=1)
    for current, target in EVERY_PAIR:
        if (current, target) in ALLOWED:
            moved = order(current).moved_to(target, ADMIN, later)
            assert (moved.status, moved.updated_at, moved.created_at) == (target, later, NOW)
        else:
            with pytest.raises(TransitionRefused):
                order(current).moved_to(target, ADMIN, later)


@pytest.mark.parametrize("status", list(OrderStatus))
def test_moving_to_the_status_it_has_is_a_conflict(status: OrderStatus) -> None:
    with pytest.raises(TransitionRefused, match="already"):
        order(status).moved_to(status, ADMIN, NOW)


@pytest.mark.parametrize(("current", "target"), EVERY_PAIR)
def test_the_owner_may_only_cancel_a_pending_order(
    current: OrderStatus, target: OrderStatus
) -> None:
    if (current, target) == (P, C):
        assert order(current).moved_to(target, OWNER, NOW).status is C
    else:
        with pytest.raises(Forbidden):
            order(current).moved_to(target, OWNER, NOW)


@pytest.mark.parametrize(("current", "target"), EVERY_PAIR)
def test_another_user_may_change_nothing(current: OrderStatus, target: OrderStatus) -> None:
    with pytest.raises(Forbidden):
        order(current).moved_to(target, OTHER, NOW)


def test_a_banned_admin_acts_as_a_user() -> None:
    banned = ADMIN.as_banned()
    with pytest.raises(Forbidden):
        order(P).moved_to(PAID, banned, NOW)


def test_who_sees_an_order() -> None:
    assert order(P).visible_to(OWNER)
    assert order(P).visible_to(ADMIN)
    assert not order(P).visible_to(OTHER)


def test_only_cancelled_orders_hold_no_stock() -> None:
    assert {status for status in OrderStatus if order(status).holds_stock} == {P, PAID, S, D}
