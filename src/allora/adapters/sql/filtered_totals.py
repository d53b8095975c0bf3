"""Totals of filtered listings, counted once per catalogue version.

A text or price filter has no total kept by triggers, and counting its matches is most of what
a search costs on a large catalogue (a common word at 100,000 products: some 15,000 rows
rechecked, ~20 ms of the database's time). A total cannot change while the catalogue does not,
so a process keeps the totals it counted under the catalogue version they were counted in and
uses one only while that version is still current: as exact as the response cache, and kept
even when that cache is off.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from allora.adapters.session_cache import ChangeVersion


class FilteredTotals:
    """The last `max_entries` filters' totals, each with the version it was counted under."""

    def __init__(self, version: ChangeVersion, max_entries: int = 4096) -> None:
        self._version = version
        self._max_entries = max_entries
        self._totals: OrderedDict[Hashable, tuple[int, int]] = OrderedDict()

    def version(self) -> int | None:
        """The version to count under now (read before counting: a total counted while the
        catalogue changes is filed under the older version, which is then no longer used)."""
        return self._version.current()

    def get(self, key: Hashable, version: int | None) -> int | None:
        """The total of `key` if it was counted under `version`, else None."""
        if version is None:
            return None
        kept = self._totals.get(key)
        if kept is None or kept[0] != version:
            return None
        self._totals.move_to_end(key)
        return kept[1]

    def put(self, key: Hashable, version: int | None, total: int) -> None:
        if version is None or self._max_entries == 0:
            return
        self._totals[key] = (version, total)
        self._totals.move_to_end(key)
        while len(self._totals) > self._max_entries:
            self._totals.popitem(last=False)
