"""The workspace's tables, as SQLAlchemy Core objects (what the queries use).

The database itself is created and changed only by the Alembic migrations in
``migrations/versions/`` (each lists its tables explicitly); ``tests/unit/store`` checks that a
migrated database has exactly these tables and columns, so a change to :data:`dsdash.schema.TABLES`
needs a new migration.

- ``snapshots``: one imported file (or one table of the embedded seed): provenance, load report,
  counts and state (``added``, ``published``, ``withdrawn``).
- ``audit_log``: every add, publish, withdraw and supersede: who, when, what, why.
- ``workspace``: one row, the version counter that every add, publish and withdraw moves.
- one tidy table per table of :data:`dsdash.schema.TABLES`, same name and columns, keyed by
  ``(snapshot_id, row_no)`` (the row's place in its snapshot): a snapshot's rows lie together
  (SQLite: a WITHOUT ROWID table clustered on the key; no second index to maintain on insert);
  presence also keeps the importer's ``resolve`` and ``source_row`` (names resolved against the
  sites of the published workspace).
- ``boundaries``: COD-AB areas of a boundaries file (geometry as WKB).
- ``exit_events`` (migration 0002): a partner's exit confirmed, its planned end extended, or its
  service handed over; who recorded it and when (:meth:`dsdash.store.Store.record_exit_event`).
"""

from __future__ import annotations

import sqlalchemy as sa

from dsdash.schema import TABLES

#: SQL type of each column kind of :mod:`dsdash.schema`.
SQL_TYPES = {"str": sa.Text, "int": sa.BigInteger, "float": sa.Float, "date": sa.Date}
#: Columns a stored table keeps beyond the schema's: (stored name, kind, the importer's column name).
EXTRA_COLUMNS = {"presence": (("resolve", "str", "resolve"), ("source_row", "int", "row"))}
#: An integer primary key that is SQLite's rowid there and BIGINT elsewhere.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

metadata = sa.MetaData()

snapshots = sa.Table(
    "snapshots", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("size_bytes", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.Text, nullable=False),
    sa.Column("reference_date", sa.Date),
    sa.Column("dtm_round", sa.Integer),
    sa.Column("population_group", sa.Text),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("adds_locations", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("supersedes", sa.Integer, sa.ForeignKey("snapshots.id")),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("report_json", sa.Text, nullable=False),
    sa.Column("rows_in", sa.BigInteger, nullable=False),
    sa.Column("rows_accepted", sa.BigInteger, nullable=False),
    sa.Column("rows_rejected", sa.BigInteger, nullable=False),
    sa.Column("locations", sa.BigInteger),
    sa.Column("households", sa.BigInteger),
    sa.Column("individuals", sa.BigInteger),
    sa.Column("sharing", sa.Text),  # migration 0003: public, restricted, confidential (empty: its tables' default)
    sa.Column("organisation", sa.Text),  # 0003: the organisation of who added it
    sa.Column("tables", sa.Text),  # 0003: the tables it holds rows of, comma-separated
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("who", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("snapshot_ids", sa.Text, nullable=False),
    sa.Column("why", sa.Text, nullable=False, server_default=""),
)

workspace = sa.Table(
    "workspace", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
)

boundaries = sa.Table(
    "boundaries", metadata,
    sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), primary_key=True, autoincrement=False),
    sa.Column("row_no", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("level", sa.Text, nullable=False),
    sa.Column("pcode", sa.Text),
    sa.Column("name", sa.Text),
    sa.Column("admin1_code", sa.Text),
    sa.Column("geometry", sa.LargeBinary),
    sqlite_with_rowid=False,
)

exit_events = sa.Table(
    "exit_events", metadata,
    sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
    sa.Column("partner", sa.Text, nullable=False),
    sa.Column("service", sa.Text),
    sa.Column("scope_id", sa.Text),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("end_date", sa.Date, nullable=False),
    sa.Column("handover_to", sa.Text),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("recorded_by", sa.Text, nullable=False),
)

users = sa.Table(  # migration 0003: who may do what (dsdash.access)
    "users", metadata,
    sa.Column("email", sa.Text, primary_key=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("organisation", sa.Text),
    sa.Column("areas", sa.Text, nullable=False, server_default=""),
    sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("added_by", sa.Text, nullable=False),
)

settings = sa.Table(  # migration 0003: unknown_role, public
    "settings", metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


def _tidy(name: str) -> sa.Table:
    cols = [sa.Column(c.name, SQL_TYPES[c.kind]()) for c in TABLES[name].columns]
    cols += [sa.Column(stored, SQL_TYPES[kind]()) for stored, kind, _ in EXTRA_COLUMNS.get(name, ())]
    return sa.Table(
        name, metadata,
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), primary_key=True, autoincrement=False),
        sa.Column("row_no", sa.Integer, primary_key=True, autoincrement=False),
        *cols,
        sqlite_with_rowid=False,
    )


#: Table name → its stored tidy table.
TIDY: dict[str, sa.Table] = {name: _tidy(name) for name in TABLES}
