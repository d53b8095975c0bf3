# ruff: noqa: S608  (SQL built from constants: the document expression of catalogue_json)
"""product documents: each product's JSON kept by PostgreSQL, for the catalogue's reads

A public product read wrote every product's JSON from its row, its images and its variants on
every request: two correlated subqueries a product, about two thirds of the database's time for
a page of 20. `product_documents` keeps that JSON (the read model of the catalogue views), and
triggers rewrite a product's document in the same statement that changes the product, one of
its images or one of its variants, whoever writes (API, CLI or SQL). The image URL prefix is a
setting of the reader, so a document holds a mark in its place (`catalogue_json.MEDIA_MARK`).

A rewrite first takes the product rows' lock, in id order (as checkout and product updates
already do), then reads them in a new statement: two transactions changing one product's
variants cannot both write a document from what they saw before the other committed. It reads
a few products by key, and its plans are kept for the session: planned while a bulk load's
tables were still small (and never analysed), they scanned every product per statement, so it
may not scan at all.

SQLite keeps no documents: its views encode entities in Python.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 17:40:00
"""

from collections.abc import Sequence

from alembic import op

# The document SQL of this revision's code: a later change to the JSON replaces the function
# in a migration of its own.
from allora.adapters.sql.catalogue_json import product_document

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTS = ("product_images", "product_variants")
_EVENTS = {"added": ("INSERT", "NEW"), "changed": ("UPDATE", "NEW"), "removed": ("DELETE", "OLD")}


def _upgrade() -> list[str]:
    statements = [
        """
        CREATE TABLE product_documents (
            product_id uuid PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
            body text NOT NULL
        )
        """,
        f"""
        CREATE FUNCTION allora_document(ids uuid[]) RETURNS void LANGUAGE plpgsql
        SET enable_seqscan = off AS $$
        BEGIN
            PERFORM 1 FROM products WHERE id = ANY (ids) ORDER BY id FOR NO KEY UPDATE;
            INSERT INTO product_documents AS d (product_id, body)
                SELECT p.id, {product_document("p")} FROM products p WHERE p.id = ANY (ids)
            ON CONFLICT (product_id) DO UPDATE SET body = EXCLUDED.body
                WHERE d.body IS DISTINCT FROM EXCLUDED.body;
        END $$
        """,
        """
        CREATE FUNCTION allora_document_products() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM allora_document(ARRAY(SELECT id FROM changed));
            RETURN NULL;
        END $$
        """,
        """
        CREATE FUNCTION allora_document_parts() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM allora_document(ARRAY(SELECT DISTINCT product_id FROM changed));
            RETURN NULL;
        END $$
        """,
    ]
    for name in ("added", "changed"):
        event, rows = _EVENTS[name]
        statements.append(
            f"CREATE TRIGGER products_documented_{name} AFTER {event} ON products"
            f" REFERENCING {rows} TABLE AS changed"
            " FOR EACH STATEMENT EXECUTE FUNCTION allora_document_products()"
        )
    for table in _PARTS:
        for name, (event, rows) in _EVENTS.items():
            statements.append(
                f"CREATE TRIGGER {table}_documented_{name} AFTER {event} ON {table}"
                f" REFERENCING {rows} TABLE AS changed"
                " FOR EACH STATEMENT EXECUTE FUNCTION allora_document_parts()"
            )
    statements.append(
        f"INSERT INTO product_documents (product_id, body)"
        f" SELECT p.id, {product_document('p')} FROM products p"
    )
    return statements


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _upgrade():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in ("added", "changed"):
        op.execute(f"DROP TRIGGER products_documented_{name} ON products")
    for table in _PARTS:
        for name in _EVENTS:
            op.execute(f"DROP TRIGGER {table}_documented_{name} ON {table}")
    for function in ("allora_document_parts()", "allora_document_products()"):
        op.execute(f"DROP FUNCTION {function}")
    op.execute("DROP FUNCTION allora_document(uuid[])")
    op.execute("DROP TABLE product_documents")
