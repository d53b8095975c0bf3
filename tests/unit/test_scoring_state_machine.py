"""A product's score is the mean of its accepted comments' scores, rounded half-up to 2 decimals.

The oracle computes with `Fraction`s and never calls `mean_score`, so the two cannot share a
rounding mistake; the state machine drives the real use cases on fakes and reads the score back
the way a client does, through `GetProduct`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from uuid import UUID

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from allora.application.create_product import Upload
from allora.application.moderation import CommentModeration as Moderation
from allora.domain.comments import CommentId, CommentStatus
from allora.domain.errors import Forbidden, NotFound
from allora.domain.products import ProductId, mean_score
from allora.domain.users import Role
from tests.unit.fake_images import image
from tests.unit.shop import World, product_fields, read_json

PRODUCTS = 3
PROPERTY = settings(max_examples=150, deadline=None)


def rounded_mean(scores: Sequence[int]) -> Decimal:
    """The contract's score, from exact fractions: half-up to cents, 0 when there is none."""
    if not scores:
        return Decimal(0)
    return rounded_fraction(sum(scores), len(scores))


def rounded_fraction(total: int, count: int) -> Decimal:
    cents = math.floor(Fraction(total, count) * 100 + Fraction(1, 2))
    return Decimal(cents).scaleb(-2)


# --- mean_score against the oracle ---------------------------------------------------------------


@PROPERTY
@given(st.lists(st.integers(1, 5), max_size=300))
@example([1] * 7 + [2])  # 1.125: half-up gives 1.13, half-even and truncation 1.12
@example([5, 4, 4])  # 4.333...: 4.33, never 4.34
@example([1, 2, 2])  # 1.666...: 1.67, never 1.66
@example([])
def test_mean_score_is_the_half_up_rounded_mean(scores: list[int]) -> None:
    score = mean_score(sum(scores), len(scores))
    assert score == rounded_mean(scores)
    assert score.as_tuple().exponent == -2  # always shown with cents, "4.50" and "0.00"
    assert (score == 0) if not scores else (1 <= score <= 5)


@st.composite
def totals(draw: st.DrawFn) -> tuple[int, int]:
    """The sum and number of any count of scores from 1 to 5."""
    count = draw(st.integers(1, 10**12))
    return draw(st.integers(count, 5 * count)), count


@PROPERTY
@given(totals())
@example((9, 8))  # 1.125
@example((4_999_999, 1_000_000))  # 4.999999: rounds to 5.00
@example((1_004_999, 1_000_000))  # 1.004999: rounds to 1.00
def test_mean_score_matches_exact_fractions_for_any_number_of_comments(
    total_and_count: tuple[int, int],
) -> None:
    total, count = total_and_count
    assert mean_score(total, count) == rounded_fraction(total, count)


def test_no_accepted_comment_means_a_score_of_zero() -> None:
    assert mean_score(0, 0) == 0
    assert str(mean_score(0, 0)) == "0.00"


# --- the use cases, step by step ----------------------------------------------------------------


@dataclass
class Modelled:
    """What the test believes about one live comment."""

    product: ProductId
    score: int
    status: CommentStatus


class CommentModeration(RuleBasedStateMachine):
    """Comments added, accepted, rejected and deleted in any order on a few products."""

    comments: Bundle[CommentId] = Bundle("comments")

    def __init__(self) -> None:
        super().__init__()
        self.world = World()
        self.admin = self.world.person(1, Role.ADMIN)
        self.member = self.world.person(2)
        self.products = [self._new_product(n) for n in range(PRODUCTS)]
        self.model: dict[CommentId, Modelled] = {}
        self.deleted: set[CommentId] = set()

    def _new_product(self, n: int) -> ProductId:
        create = self.world.shop.create_product
        fields = product_fields(name=f"Product {n}")
        return self.world.run(create(actor=self.admin, fields=fields, uploads=[Upload(image())])).id

    def teardown(self) -> None:
        self.world.close()

    @rule(
        target=comments,
        product=st.integers(0, PRODUCTS - 1),
        score=st.integers(1, 5),
        signed_in=st.booleans(),
    )
    def add_comment(self, product: int, score: int, signed_in: bool) -> CommentId:
        author = self.member if signed_in else None
        add = self.world.shop.add_comment
        product_id = self.products[product]
        comment = self.world.run(
            add(
                client="192.0.2.1",
                author=author,
                username="ann",
                email="ann@example.com",
                body="Lovely",
                score=score,
                product_id=str(product_id),
            )
        )
        assert comment.status is CommentStatus.PENDING
        assert comment.author_id == (author.id if author else None)
        self.model[comment.id] = Modelled(product_id, score, CommentStatus.PENDING)
        return comment.id

    @rule(comment=comments)
    def approve(self, comment: CommentId) -> None:
        self._moderate(comment, CommentStatus.ACCEPTED)

    @rule(comment=comments)
    def reject(self, comment: CommentId) -> None:
        self._moderate(comment, CommentStatus.REJECTED)

    @rule(comment=comments)
    def delete(self, comment: CommentId) -> None:
        if comment in self.deleted:
            with pytest.raises(NotFound):
                self.world.run(
                    self.world.shop.delete_comment(actor=self.admin, comment_id=str(comment))
                )
            return
        self.world.run(self.world.shop.delete_comment(actor=self.admin, comment_id=str(comment)))
        del self.model[comment]
        self.deleted.add(comment)

    def _moderate(self, comment: CommentId, status: CommentStatus) -> None:
        shop = self.world.shop
        action = shop.approve_comment if status is CommentStatus.ACCEPTED else shop.reject_comment
        if comment in self.deleted:
            with pytest.raises(NotFound):
                self.world.run(action(actor=self.admin, comment_id=str(comment)))
            return
        self.world.run(action(actor=self.admin, comment_id=str(comment)))
        self.model[comment].status = status

    @rule(comment=comments, action=st.sampled_from(["approve", "reject", "delete"]))
    def a_member_cannot_moderate(self, comment: CommentId, action: str) -> None:
        shop = self.world.shop
        use_cases: dict[str, Moderation] = {
            "approve": shop.approve_comment,
            "reject": shop.reject_comment,
            "delete": shop.delete_comment,
        }
        with pytest.raises(Forbidden):
            self.world.run(use_cases[action](actor=self.member, comment_id=str(comment)))

    @rule(unknown=st.uuids(version=4))
    def an_unknown_comment_is_not_found(self, unknown: UUID) -> None:
        with pytest.raises(NotFound):
            self.world.run(
                self.world.shop.approve_comment(actor=self.admin, comment_id=str(unknown))
            )

    @invariant()
    def each_score_is_the_rounded_mean_of_the_accepted_scores(self) -> None:
        for product in self.products:
            page = read_json(self.world.run(self.world.shop.get_product(product_id=str(product))))
            accepted = {
                cid: m.score
                for cid, m in self.model.items()
                if m.product == product and m.status is CommentStatus.ACCEPTED
            }
            assert page["score"] == rounded_mean(list(accepted.values()))
            assert 0 <= page["score"] <= 5
            assert {c["id"] for c in page["comments"]} == {str(cid) for cid in accepted}

    @invariant()
    def the_stored_comments_are_the_modelled_ones(self) -> None:
        stored = {cid: c.status for cid, c in self.world.database.comments.items()}
        assert stored == {cid: m.status for cid, m in self.model.items()}


CommentModeration.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None
)
TestCommentModeration = CommentModeration.TestCase


# --- order independence -------------------------------------------------------------------------

DECISIONS = st.sampled_from([CommentStatus.ACCEPTED, CommentStatus.REJECTED, CommentStatus.PENDING])


def final_score(decisions: Sequence[tuple[int, CommentStatus]], order: Iterable[int]) -> Decimal:
    """Adds one comment per decision, then applies the decisions in `order` (pending: none)."""
    world = World()
    try:
        admin = world.person(1, Role.ADMIN)
        shop = world.shop
        product = world.run(
            shop.create_product(actor=admin, fields=product_fields(), uploads=[Upload(image())])
        )
        ids = [
            world.run(
                shop.add_comment(
                    client="192.0.2.1",
                    author=None,
                    username="ann",
                    email="a@example.com",
                    body="Hi",
                    score=score,
                    product_id=str(product.id),
                )
            ).id
            for score, _ in decisions
        ]
        for i in order:
            decision = decisions[i][1]
            if decision is CommentStatus.ACCEPTED:
                world.run(shop.approve_comment(actor=admin, comment_id=str(ids[i])))
            elif decision is CommentStatus.REJECTED:
                world.run(shop.reject_comment(actor=admin, comment_id=str(ids[i])))
        score: Decimal = read_json(world.run(shop.get_product(product_id=str(product.id))))["score"]
        return score
    finally:
        world.close()


@settings(max_examples=75, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), DECISIONS), min_size=1, max_size=10), st.data())
def test_the_final_score_does_not_depend_on_the_order_of_the_decisions(
    decisions: list[tuple[int, CommentStatus]], data: st.DataObject
) -> None:
    order = data.draw(st.permutations(range(len(decisions))), label="order")
    accepted = [score for score, decision in decisions if decision is CommentStatus.ACCEPTED]
    in_order = final_score(decisions, range(len(decisions)))
    shuffled = final_score(decisions, order)
    assert in_order == shuffled == rounded_mean(accepted)
