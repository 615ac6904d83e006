"""The workspace: every imported file kept as an immutable snapshot, one published view.

A SQL store (SQLAlchemy 2 Core; schema by the Alembic migrations in ``migrations/``):

- **Where.** ``open_store(url)``: ``url``, else ``$DSDASH_DATABASE_URL``, else the embedded
  SQLite file :func:`default_url` (``$DSDASH_HOME/workspace.sqlite``, else
  ``~/.local/share/dsdash/workspace.sqlite``; WAL mode). A team shares one PostgreSQL:
  ``DSDASH_DATABASE_URL=postgresql+psycopg://user:password@host/dbname``. Engine-specific code
  lives in :mod:`dsdash.store.dialect` only.
- **Snapshots.** One imported file: its accepted rows (the tidy tables, with a ``snapshot_id``),
  its load report and its provenance (file name, SHA-256, size, who, when, kind, reference date,
  DTM round, population group, note). Immutable: a correction is a new snapshot (a later Master
  List of the same round supersedes the earlier one by the composition rules; ``supersedes``
  names an explicit correction). The same bytes are stored once (:attr:`AddResult.duplicate_of`).
- **Seed.** A new workspace starts with the embedded data as its first published snapshots, one
  per file of ``data/`` (kind ``embedded``: sites, population, presence, needs, FVM, index rounds,
  national series …), so each can be withdrawn on its own.
- **Published.** Each snapshot is added, published or withdrawn. The published workspace is
  the published snapshots composed by :func:`dsdash.compose.compose` (the rules are there); a
  published snapshot whose place another took is listed as ``superseded``. Nothing is deleted.
- **Audit log.** Every seed, add, publish and withdraw: who (``$DSDASH_USER`` or the OS user),
  when, what, why; and every supersede (the published snapshots a publish put out of the
  composition, and by which). :meth:`Store.published_as_of` replays it.
- **Version.** A counter every add, publish and withdraw moves (:meth:`Store.version`): a cache key.
- **Transactions.** Each add is one transaction; writers take one lock (SQLite ``BEGIN IMMEDIATE``,
  a PostgreSQL advisory lock), so concurrent publishes queue and both land; readers read in one
  transaction (a consistent state while a publish runs).

Example:
    >>> import tempfile, os
    >>> store = open_store("sqlite:///" + os.path.join(tempfile.mkdtemp(), "w.sqlite"))
    >>> int(store.published_dataset().population["individuals"].sum()) == int(
    ...     __import__("dsdash.dataset").dataset.load_embedded().population["individuals"].sum())
    True
"""

from dsdash.store.core import (
    LOG_COLUMNS, SNAPSHOT_COLUMNS, AddResult, Store, StoreError, current_user, default_path, default_url,
    open_store, resolve_url, restore_store, url_of,
)

__all__ = ["Store", "StoreError", "AddResult", "open_store", "restore_store", "default_url", "default_path",
           "resolve_url", "current_user", "url_of", "SNAPSHOT_COLUMNS", "LOG_COLUMNS"]
