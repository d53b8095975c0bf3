"""accounts and mail: saved billing details, password reset codes, the mail outbox

Billing details are one row per user. A reset code is kept only as a keyed digest, one live
code per user. The outbox holds mail until an SMTP server accepted it: a relay claims a
pending row by moving its `due_at` to the end of a lease and stamping `claim`. On PostgreSQL a
trigger notifies the `allora_outbox` channel when rows are inserted; the notice is delivered
when (and only if) the inserting transaction commits, so a waiting worker wakes for mail that
exists. SQLite workers poll.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 11:00:00
"""

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "allora_outbox"
_GUID = advanced_alchemy.types.guid.GUID(length=16)
_WHEN = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)
_PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", _GUID, nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("due_at", _WHEN, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=7), nullable=False),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("sent_at", _WHEN, nullable=True),
        sa.Column("claim", _GUID, nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'parked')", name=op.f("ck_outbox_status")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbox_attempts")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index(
        "ix_outbox_pending_due",
        "outbox",
        ["due_at"],
        postgresql_where=_PENDING,
        sqlite_where=_PENDING,
    )
    op.create_index("ix_outbox_status_created", "outbox", ["status", "created_at"])
    op.create_table(
        "billing_details",
        sa.Column("user_id", _GUID, nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("company_name", sa.String(length=100), nullable=True),
        sa.Column("street_address", sa.String(length=100), nullable=False),
        sa.Column("apartment", sa.String(length=100), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=15), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_billing_details_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_billing_details")),
    )
    op.create_table(
        "password_resets",
        sa.Column("user_id", _GUID, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.CheckConstraint("failures BETWEEN 0 AND 5", name=op.f("ck_password_resets_failures")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_password_resets_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_password_resets")),
    )
    if _postgres():
        op.execute(
            f"""
            CREATE FUNCTION allora_outbox_posted() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('{CHANNEL}', '');
                RETURN NULL;
            END $$
            """
        )
        op.execute(
            "CREATE TRIGGER outbox_posted AFTER INSERT ON outbox"
            " FOR EACH STATEMENT EXECUTE FUNCTION allora_outbox_posted()"
        )


def downgrade() -> None:
    if _postgres():
        op.execute("DROP TRIGGER outbox_posted ON outbox")
        op.execute("DROP FUNCTION allora_outbox_posted()")
    op.drop_table("password_resets")
    op.drop_table("billing_details")
    op.drop_index("ix_outbox_status_created", table_name="outbox")
    op.drop_index("ix_outbox_pending_due", table_name="outbox")
    op.drop_table("outbox")


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"
