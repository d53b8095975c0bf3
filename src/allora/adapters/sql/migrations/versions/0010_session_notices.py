"""session notices: PostgreSQL announces committed ends of sessions and changes of users

Every process keeps the sessions it has read in memory (`SessionCache`) and must forget one as
soon as another process, the CLI or plain SQL ends it or changes its user (sign-out, ban, role
or profile change, password change or reset). Triggers raise a NOTIFY on the `allora_sessions`
channel, which PostgreSQL delivers only when (and if) the changing transaction commits:
"s:<session id>" for a session deleted or changed, "u:<user id>" for a user changed or deleted,
"*" when either table is truncated. A new session needs no notice (nobody can have kept it), and
an update that leaves the user's row as it was raises none. SQLite needs nothing: its
processes watch `PRAGMA data_version`.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "allora_sessions"

_UPGRADE = [
    f"""
    CREATE FUNCTION allora_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', 's:' || OLD.id::text);
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION allora_session_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', 'u:' || OLD.id::text);
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION allora_sessions_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', '*');
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER sessions_ended AFTER DELETE ON sessions"
    " FOR EACH ROW EXECUTE FUNCTION allora_session_changed()",
    "CREATE TRIGGER sessions_changed AFTER UPDATE ON sessions"
    " FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)"
    " EXECUTE FUNCTION allora_session_changed()",
    "CREATE TRIGGER users_removed_for_sessions AFTER DELETE ON users"
    " FOR EACH ROW EXECUTE FUNCTION allora_session_user_changed()",
    "CREATE TRIGGER users_changed_for_sessions AFTER UPDATE ON users"
    " FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)"
    " EXECUTE FUNCTION allora_session_user_changed()",
    "CREATE TRIGGER sessions_truncated AFTER TRUNCATE ON sessions"
    " FOR EACH STATEMENT EXECUTE FUNCTION allora_sessions_truncated()",
    "CREATE TRIGGER users_truncated_for_sessions AFTER TRUNCATE ON users"
    " FOR EACH STATEMENT EXECUTE FUNCTION allora_sessions_truncated()",
]

_DOWNGRADE = [
    "DROP TRIGGER users_truncated_for_sessions ON users",
    "DROP TRIGGER sessions_truncated ON sessions",
    "DROP TRIGGER users_changed_for_sessions ON users",
    "DROP TRIGGER users_removed_for_sessions ON users",
    "DROP TRIGGER sessions_changed ON sessions",
    "DROP TRIGGER sessions_ended ON sessions",
    "DROP FUNCTION allora_sessions_truncated()",
    "DROP FUNCTION allora_session_user_changed()",
    "DROP FUNCTION allora_session_changed()",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _DOWNGRADE:
        op.execute(statement)
