"""A filtered listing's total is reused only under the catalogue version it was counted in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from allora.adapters.sql.filtered_totals import FilteredTotals


class HandVersion:
    def __init__(self) -> None:
        self.value: int | None = 1

    def current(self) -> int | None:
        return self.value


def test_a_total_is_reused_while_its_version_holds_and_never_after() -> None:
    version = HandVersion()
    totals = FilteredTotals(version)
    counted_under = totals.version()
    totals.put("wool", counted_under, 7)
    assert totals.get("wool", totals.version()) == 7
    assert totals.get("linen", totals.version()) is None

    version.value = 2  # the catalogue changed
    assert totals.get("wool", totals.version()) is None
    totals.put("wool", totals.version(), 8)
    assert totals.get("wool", totals.version()) == 8


def test_nothing_is_kept_or_reused_while_changes_cannot_be_observed() -> None:
    version = HandVersion()
    totals = FilteredTotals(version)
    totals.put("wool", totals.version(), 7)
    version.value = None
    assert totals.get("wool", totals.version()) is None
    totals.put("linen", totals.version(), 3)
    version.value = 1
    assert totals.get("linen", totals.version()) is None, "counted while unobserved"
    assert totals.get("wool", totals.version()) == 7


def test_a_total_counted_under_an_older_version_is_not_used_under_the_new_one() -> None:
    """The version is read before counting: a count that raced a change is filed under the
    version before it, which is no longer current once the change is heard of."""
    version = HandVersion()
    totals = FilteredTotals(version)
    before = totals.version()
    version.value = 2  # the change's notice arrives while the count runs
    totals.put("wool", before, 7)
    assert totals.get("wool", totals.version()) is None


@given(st.lists(st.integers(0, 30), max_size=200), st.integers(0, 8))
def test_at_most_max_entries_are_kept_the_least_recently_used_leave_first(
    keys: list[int], max_entries: int
) -> None:
    totals = FilteredTotals(HandVersion(), max_entries)
    recent: list[int] = []
    for key in keys:
        if totals.get(key, 1) is None:
            totals.put(key, 1, key * 10)
        if key in recent:
            recent.remove(key)
        recent.append(key)
    kept = recent[-max_entries:] if max_entries else []
    for key in set(keys):
        expected = key * 10 if key in kept else None
        assert totals.get(key, 1) == expected
