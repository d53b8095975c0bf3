"""CheckHealth: can the shop reach its database?"""

from __future__ import annotations

import logging

from allora.application.ports import UnitOfWorkFactory

logger = logging.getLogger(__name__)


class CheckHealth:
    """Rules: healthy when a transaction can be opened and a trivial query answers."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self) -> bool:
        try:
            async with self._uow() as uow:
                await uow.ping()
        except Exception:  # any failure of the database means "unhealthy", never a 500
            logger.exception("health check failed")
            return False
        return True
