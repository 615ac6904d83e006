"""Alembic environment: runs on the connection that :func:`dsdash.store.core.migrate` passes in
``config.attributes["connection"]`` (already in a transaction holding the migration lock)."""

from alembic import context


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=None, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


try:
    _config = context.config
except (NameError, AttributeError):  # imported outside Alembic (the architecture test imports every module)
    _config = None
if _config is not None:
    run()
