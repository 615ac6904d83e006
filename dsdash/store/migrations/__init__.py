"""Alembic migrations of the workspace (run by :func:`dsdash.store.core.migrate`, never by hand)."""
