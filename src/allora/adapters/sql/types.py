"""Column types: exact money on both databases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Dialect, Numeric
from sqlalchemy.types import TypeDecorator, TypeEngine

CENT = Decimal("0.01")


class Money(TypeDecorator[Decimal]):
    """NUMERIC(12, 2) on PostgreSQL (`digits` wide: an order's total needs more than a price);
    whole cents in an INTEGER on SQLite, whose NUMERIC is a float. Comparisons and sorting work
    on both, since bound values are converted alike."""

    impl = Numeric(12, 2)
    cache_ok = True

    def __init__(self, digits: int = 12) -> None:
        super().__init__()
        self.digits = digits

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.digits, 2))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return int((Decimal(value) / CENT).to_integral_value())

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) * CENT).quantize(CENT)
        return Decimal(value).quantize(CENT)
