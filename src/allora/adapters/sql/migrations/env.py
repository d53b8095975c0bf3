"""Alembic environment: runs on the connection `allora.adapters.sql.migrate` hands over."""

from alembic import context

from allora.adapters.sql.schema_compare import compare_type, include_name
from allora.adapters.sql.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=compare_type,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
