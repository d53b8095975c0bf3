"""Reading the outbox as a test: the mail a use case posted, opened with the server's key."""

from __future__ import annotations

import json
import re

from sqlalchemy import select, text

from allora.adapters.secrets import AesGcmMailSealer
from allora.adapters.sql.tables import OutboxRow
from tests.integration.conftest import Shop

CODE = re.compile(r"code is ([0-9]{6})")


async def outbox_rows(shop: Shop) -> list[OutboxRow]:
    async with shop.container.engine.connect() as connection:
        result = await connection.execute(select(OutboxRow).order_by(OutboxRow.created_at))
        return list(result.all())  # type: ignore[arg-type]


async def mailed_texts(shop: Shop, to: str) -> list[str]:
    """The text parts of the pending mails to `to`, oldest first."""
    sealer = AesGcmMailSealer(shop.settings.secret_key)
    async with shop.container.engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT body FROM outbox WHERE recipient = :to AND status = 'pending'"
                " ORDER BY created_at"
            ),
            {"to": to},
        )
        return [json.loads(sealer.unseal(body))["text"] for (body,) in rows]


async def mailed_code(shop: Shop, to: str) -> str:
    """The reset code in the latest mail to `to`."""
    texts = await mailed_texts(shop, to)
    assert texts, f"no mail to {to}"
    found = CODE.search(texts[-1])
    assert found, texts[-1]
    return found.group(1)
