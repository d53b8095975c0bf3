"""In-memory wishlists, discounts and tickets, mirroring the SQL adapters' rules and orders."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from allora.domain.discounts import (
    Discount,
    DiscountId,
    DiscountNotFound,
    DiscountUnavailable,
    Redemption,
)
from allora.domain.errors import AlreadyTaken
from allora.domain.orders import OrderId
from allora.domain.paging import Page, Paged
from allora.domain.products import Product, ProductId, ProductNotFound
from allora.domain.tickets import Ticket, TicketId
from allora.domain.users import UserId
from tests.unit.fake_constraints import check_discount, require_new, require_row

if TYPE_CHECKING:
    from tests.unit.fakes import FakeDatabase


class FakeWishlistRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def add(self, user_id: UserId, product_id: ProductId, now: datetime) -> None:
        if user_id not in self._db.users or product_id not in self._db.products:
            raise ProductNotFound()  # the adapter's reading of a foreign-key failure
        self._db.wishlists.setdefault((user_id, product_id), now)

    async def remove(self, user_id: UserId, product_id: ProductId) -> None:
        self._db.wishlists.pop((user_id, product_id), None)

    async def products_of(self, user_id: UserId, page: Page) -> Paged[Product]:
        mine = [(added, pid) for (uid, pid), added in self._db.wishlists.items() if uid == user_id]
        mine.sort(key=lambda entry: entry[1])
        mine.sort(key=lambda entry: entry[0], reverse=True)  # newest first, ties by product id
        products = [self._db.products[pid] for _, pid in mine]
        return Paged(products[page.offset : page.offset + page.limit], len(products))


class FakeDiscountRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def add(self, discount: Discount) -> None:
        require_new(discount.id, self._db.discounts, "discounts")
        check_discount(discount)
        if any(d.terms.code == discount.terms.code for d in self._db.discounts.values()):
            raise AlreadyTaken(f"code {discount.terms.code} already exists")
        self._db.discounts[discount.id] = discount

    async def get(self, discount_id: DiscountId) -> Discount | None:
        return self._db.discounts.get(discount_id)

    async def get_by_code(self, code: str) -> Discount | None:
        return next((d for d in self._db.discounts.values() if d.terms.code == code), None)

    async def listing(self, page: Page) -> Paged[Discount]:
        ordered = sorted(
            self._db.discounts.values(), key=lambda d: (d.created_at, d.id), reverse=True
        )
        return Paged(ordered[page.offset : page.offset + page.limit], len(ordered))

    async def remove(self, discount_id: DiscountId) -> None:
        self._db.discounts.pop(discount_id, None)
        self._db.redemptions = {
            key: when for key, when in self._db.redemptions.items() if key[0] != discount_id
        }
        self._db.redemption_orders = {
            key: order for key, order in self._db.redemption_orders.items() if key[0] != discount_id
        }

    async def record_redemption(
        self,
        discount_id: DiscountId,
        user_id: UserId,
        now: datetime,
        order_id: OrderId | None = None,
    ) -> None:
        if discount_id not in self._db.discounts or user_id not in self._db.users:
            raise DiscountNotFound.by_code()  # the adapter's reading of a foreign key
        require_row(order_id, self._db.orders, "orders")
        if (discount_id, user_id) in self._db.redemptions:
            raise DiscountUnavailable("You have already used this code")
        self._db.redemptions[(discount_id, user_id)] = now
        if order_id is not None:
            self._db.redemption_orders[(discount_id, user_id)] = order_id

    async def redemption_of(self, discount_id: DiscountId, user_id: UserId) -> Redemption | None:
        when = self._db.redemptions.get((discount_id, user_id))
        if when is None:
            return None
        order = self._db.redemption_orders.get((discount_id, user_id))
        return Redemption(discount_id, user_id, order, when)

    async def bind_redemption(
        self, discount_id: DiscountId, user_id: UserId, order_id: OrderId
    ) -> bool:
        key = (discount_id, user_id)
        if key not in self._db.redemptions or key in self._db.redemption_orders:
            return False
        require_row(order_id, self._db.orders, "orders")
        self._db.redemption_orders[key] = order_id
        return True

    async def release_redemption(self, order_id: OrderId, now: datetime) -> None:
        for key, holder in list(self._db.redemption_orders.items()):
            if holder == order_id:
                del self._db.redemption_orders[key]
                del self._db.redemptions[key]
                discount = self._db.discounts.get(key[0])
                if discount is not None and discount.uses > 0:
                    self._db.discounts[key[0]] = replace(
                        discount, uses=discount.uses - 1, updated_at=now
                    )

    async def use_one(self, discount_id: DiscountId, now: datetime) -> Discount | None:
        discount = self._db.discounts.get(discount_id)
        if discount is None or discount.uses >= discount.terms.max_use:
            return None
        used = replace(discount, uses=discount.uses + 1, updated_at=now)
        self._db.discounts[discount_id] = used
        return used


class FakeTicketRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self._db = db

    async def add(self, ticket: Ticket) -> None:
        require_new(ticket.id, self._db.tickets, "tickets")
        require_row(ticket.main_ticket, self._db.tickets, "tickets")
        require_row(ticket.user_id, self._db.users, "users")
        self._db.tickets[ticket.id] = ticket

    async def get(self, ticket_id: TicketId) -> Ticket | None:
        return self._db.tickets.get(ticket_id)

    async def mark_answered(self, ticket_id: TicketId) -> None:
        ticket = self._db.tickets.get(ticket_id)
        if ticket is not None:
            self._db.tickets[ticket_id] = replace(ticket, has_answer=True)

    async def threads(
        self, user_id: UserId | None, page: Page
    ) -> Paged[tuple[Ticket, list[Ticket]]]:
        tickets = self._db.tickets.values()
        mains = sorted(
            (t for t in tickets if t.main_ticket is None and user_id in {None, t.user_id}),
            key=lambda t: (t.created_at, t.id),
            reverse=True,
        )
        shown = mains[page.offset : page.offset + page.limit]
        threads = [
            (
                main,
                sorted(
                    (t for t in tickets if t.main_ticket == main.id),
                    key=lambda t: (t.created_at, t.id),
                ),
            )
            for main in shown
        ]
        return Paged(threads, len(mains))
