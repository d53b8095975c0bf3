"""Order mails: placed, shipped and cancelled go to the billing email through the outbox, in
the same transaction as the change; paying, delivering or a refused change sends nothing."""

from __future__ import annotations

import pytest

from allora.application.sessions import SignedIn
from allora.domain.orders import Order, OrderStatus, OutOfStock, TransitionRefused
from allora.domain.products import Product
from allora.entrypoints.wiring import UseCases
from tests.unit.fake_mail import FakeMailSealer
from tests.unit.fakes import FakeClock, FakeDatabase, SequentialIds
from tests.unit.orders_helpers import BILLING, line, stocked

pytestmark = pytest.mark.anyio


@pytest.fixture
def socks(database: FakeDatabase, ids: SequentialIds, clock: FakeClock) -> Product:
    return stocked(database, ids, clock.now(), name="Wool socks", price="2.50", stock=4)


async def place(use_cases: UseCases, who: SignedIn, product: Product, quantity: int) -> Order:
    placed = await use_cases.place_order(
        client="192.0.2.1",
        actor=who.user,
        items=[line(product, quantity)],
        billing=BILLING,
        discount_code=None,
        idempotency_key=None,
    )
    return placed.order


def mails(database: FakeDatabase, sealer: FakeMailSealer) -> list[tuple[str, str, str]]:
    """(recipient, subject, text) of every queued mail, oldest first."""
    queued = sorted(database.outbox.values(), key=lambda m: (m.created_at, str(m.id)))
    return [(m.recipient.value, m.subject, sealer.unseal(m.sealed_body)) for m in queued]


async def test_placing_an_order_mails_the_billing_email_with_its_lines(
    use_cases: UseCases,
    member: SignedIn,
    socks: Product,
    database: FakeDatabase,
    sealer: FakeMailSealer,
) -> None:
    order = await place(use_cases, member, socks, 3)
    [(to, subject, text)] = mails(database, sealer)
    assert to == BILLING.email.value != member.user.profile.email.value
    assert str(order.id) in subject
    assert "3 x Wool socks" in text
    assert f"Total: {order.total}" in text


async def test_an_order_refused_for_stock_queues_no_mail(
    use_cases: UseCases, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    with database.unchanged(), pytest.raises(OutOfStock):
        await place(use_cases, member, socks, 5)
    assert database.outbox == {}


@pytest.mark.parametrize(
    ("path", "mailed"),
    [
        ([OrderStatus.PAID], []),
        ([OrderStatus.PAID, OrderStatus.SHIPPED], ["shipped"]),
        ([OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED], ["shipped"]),
        ([OrderStatus.CANCELLED], ["cancelled"]),
        ([OrderStatus.PAID, OrderStatus.CANCELLED], ["cancelled"]),
    ],
)
async def test_shipping_and_cancelling_mail_the_buyer(
    use_cases: UseCases,
    admin: SignedIn,
    member: SignedIn,
    socks: Product,
    database: FakeDatabase,
    sealer: FakeMailSealer,
    path: list[OrderStatus],
    mailed: list[str],
) -> None:
    order = await place(use_cases, member, socks, 1)
    for status in path:
        await use_cases.change_order_status(actor=admin.user, order_id=str(order.id), status=status)
    after_placed = mails(database, sealer)[1:]
    assert [subject.rsplit(" ", 1)[-1] for _, subject, _ in after_placed] == mailed
    assert all(to == BILLING.email.value for to, _, _ in after_placed)


async def test_a_refused_status_change_queues_no_mail(
    use_cases: UseCases, admin: SignedIn, member: SignedIn, socks: Product, database: FakeDatabase
) -> None:
    order = await place(use_cases, member, socks, 1)
    with database.unchanged(), pytest.raises(TransitionRefused):
        await use_cases.change_order_status(
            actor=admin.user, order_id=str(order.id), status=OrderStatus.SHIPPED
        )
