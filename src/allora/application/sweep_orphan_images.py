"""SweepOrphanImages: removes image files no product names, left behind by crashes."""

from __future__ import annotations

from datetime import timedelta

from allora.application.ports import Clock, ImageStore, StoredImage, UnitOfWorkFactory

GRACE_PERIOD = timedelta(hours=1)


class SweepOrphanImages:
    """Rules: a stored image that no product references, and an unfinished write (a `.part`
    left by a process killed mid-upload), are removed once older than the grace period (an
    hour); anything younger is kept whatever it is, since an upload writes its files before
    its product is committed. Returns what it removed, oldest first; a dry run removes
    nothing and returns the same. Run by `allora media sweep` and at start-up."""

    def __init__(
        self,
        reader: UnitOfWorkFactory,
        images: ImageStore,
        clock: Clock,
        grace: timedelta = GRACE_PERIOD,
    ) -> None:
        self._reader, self._images, self._clock, self._grace = reader, images, clock, grace

    async def __call__(self, *, dry_run: bool = False) -> list[StoredImage]:
        cutoff = self._clock.now() - self._grace
        old = [stored for stored in await self._images.stored() if stored.modified < cutoff]
        images = [stored.name for stored in old if not stored.partial]
        referenced: set[str] = set()
        if images:  # listed before the query: a product committed after it names young files
            async with self._reader() as uow:
                referenced = await uow.products.referenced_images(images)
        orphans = sorted(
            (stored for stored in old if stored.name not in referenced),
            key=lambda stored: (stored.modified, stored.name),
        )
        if not dry_run:
            for orphan in orphans:
                await self._images.delete(orphan.name)
        return orphans
