"""The initial workspace: snapshots, audit log, version counter, boundaries and the tidy tables.

The tidy tables' columns are a frozen copy of dsdash.schema.TABLES as of this migration (not the
live schema): a later change to the schema needs a new migration.

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SQL_TYPES = {"str": sa.Text, "int": sa.BigInteger, "float": sa.Float, "date": sa.Date}
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

#: Table → (column, kind), frozen.
TIDY = {
    "sites": (("site_id", "str"), ("site_name", "str"), ("site_name_ar", "str"), ("admin1_code", "str"), ("admin1_name", "str"), ("admin2_code", "str"), ("admin2_name", "str"), ("admin3_name", "str"), ("latitude", "float"), ("longitude", "float"), ("site_type", "str"), ("site_type_basis", "str"), ("site_group", "str"), ("coordination_area", "str"), ("source", "str")),
    "population": (("site_id", "str"), ("population_group", "str"), ("households", "int"), ("individuals", "int"), ("individuals_method", "str"), ("reference_date", "date"), ("dtm_round", "int"), ("source", "str")),
    "presence": (("partner", "str"), ("partner_type", "str"), ("funded_by", "str"), ("scope", "str"), ("scope_id", "str"), ("service", "str"), ("start_date", "date"), ("end_date", "date"), ("dates_as_stated", "str"), ("status", "str"), ("handover_to", "str"), ("note", "str"), ("source", "str")),
    "needs": (("scope", "str"), ("scope_id", "str"), ("service", "str"), ("severity", "str"), ("severity_basis", "str"), ("note", "str"), ("reported_on", "date"), ("source", "str")),
    "fvm": (("period_start", "date"), ("period_end", "date"), ("period_label", "str"), ("indicator", "str"), ("value", "int"), ("unit", "str"), ("admin1_code", "str"), ("note", "str"), ("source", "str")),
    "movements": (("origin_name", "str"), ("origin_admin1_code", "str"), ("origin_latitude", "float"), ("origin_longitude", "float"), ("destination_name", "str"), ("destination_admin1_code", "str"), ("destination_latitude", "float"), ("destination_longitude", "float"), ("households", "int"), ("individuals", "int"), ("period_start", "date"), ("period_end", "date"), ("source", "str")),
    "index_rounds": (("index", "str"), ("round", "int"), ("period_start", "date"), ("period_end", "date"), ("publication", "str"), ("locations_assessed", "int"), ("locations_severe", "int"), ("population_severe", "int"), ("share_severe", "float"), ("note", "str"), ("source", "str")),
    "national_series": (("dtm_round", "int"), ("reference_date", "date"), ("population_group", "str"), ("individuals", "int"), ("source", "str")),
    "hotspots": (("admin1_code", "str"), ("admin1_name", "str"), ("admin3_name", "str"), ("coordination_area", "str"), ("reference_year", "int"), ("note", "str"), ("source", "str")),
    "hotspot_totals": (("admin1_code", "str"), ("admin1_name", "str"), ("returnees_in_hotspots", "int"), ("reference_year", "int"), ("source", "str")),
    "caseload": (("group", "str"), ("population", "str"), ("individuals", "int"), ("share_pct", "float"), ("note", "str"), ("source", "str")),
    "return_obstacles": (("category", "int"), ("category_name", "str"), ("obstacle", "str"), ("fvm_response", "str"), ("source", "str")),
    "breakdowns": (("site_id", "str"), ("population_group", "str"), ("reference_date", "date"), ("dimension", "str"), ("category", "str"), ("category_code", "str"), ("households", "int"), ("source", "str")),
}
#: Columns kept beyond the schema's (the importer's name resolution of presence sheets).
EXTRA = {"presence": (("resolve", "str"), ("source_row", "int"))}


def upgrade() -> None:
    op.create_table(
        "snapshots",
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
    )
    op.create_table(
        "audit_log",
        sa.Column("id", ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("snapshot_ids", sa.Text, nullable=False),
        sa.Column("why", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "workspace",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "boundaries",
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), primary_key=True, autoincrement=False),
        sa.Column("row_no", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("level", sa.Text, nullable=False),
        sa.Column("pcode", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("admin1_code", sa.Text),
        sa.Column("geometry", sa.LargeBinary),
        sqlite_with_rowid=False,
    )
    for name, columns in TIDY.items():
        cols = [sa.Column(c, SQL_TYPES[k]()) for c, k in columns + EXTRA.get(name, ())]
        op.create_table(
            name,
            sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), primary_key=True, autoincrement=False),
            sa.Column("row_no", sa.Integer, primary_key=True, autoincrement=False),
            *cols,
            sqlite_with_rowid=False,  # SQLite: rows clustered on (snapshot_id, row_no)
        )
    op.execute(sa.text("INSERT INTO workspace (id, version) VALUES (1, 0)"))


def downgrade() -> None:
    for name in reversed(list(TIDY)):
        op.drop_table(name)
    for name in ("boundaries", "workspace", "audit_log", "snapshots"):
        op.drop_table(name)
