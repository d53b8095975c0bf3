"""catalogue change notices: PostgreSQL announces committed catalogue changes

Every process caches public catalogue responses and must forget them when another process
changes the catalogue. Triggers raise a NOTIFY on the `allora_catalogue` channel, which
PostgreSQL delivers only when (and if) the changing transaction commits, whoever wrote it: the
API, the CLI or a migration. Comments count only when an accepted one is involved, because
pending and rejected comments are never shown publicly. SQLite needs nothing: its processes
watch `PRAGMA data_version`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 15:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "allora_catalogue"
_WHOLE_TABLES = ("products", "product_variants", "product_images")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION allora_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '');
            RETURN NULL;
        END $$
        """
    )
    for table in _WHOLE_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
            f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION allora_catalogue_changed()"
        )
    shown = {
        "INSERT": "NEW.status = 'accepted'",
        "UPDATE": "OLD.status = 'accepted' OR NEW.status = 'accepted'",
        "DELETE": "OLD.status = 'accepted'",
    }
    for event, condition in shown.items():
        op.execute(
            f"CREATE TRIGGER comments_{event.lower()}_shown AFTER {event} ON comments"
            f" FOR EACH ROW WHEN ({condition}) EXECUTE FUNCTION allora_catalogue_changed()"
        )
    op.execute(
        "CREATE TRIGGER comments_truncated AFTER TRUNCATE ON comments"
        " FOR EACH STATEMENT EXECUTE FUNCTION allora_catalogue_changed()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _WHOLE_TABLES:
        op.execute(f"DROP TRIGGER {table}_changed ON {table}")
    for name in ("insert_shown", "update_shown", "delete_shown", "truncated"):
        op.execute(f"DROP TRIGGER comments_{name} ON comments")
    op.execute("DROP FUNCTION allora_catalogue_changed()")
