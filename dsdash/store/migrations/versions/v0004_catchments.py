"""The catchments table (issue 16): a user's ABC/JCF catchments, read by dsdash.importers.catchments.

A published catchments snapshot replaces the bundled ``data/catchments.csv`` (dsdash.catchments).
Its columns are a frozen copy of dsdash.schema.CATCHMENTS as of this migration.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ("catchment", "kind", "replaces", "admin1_code", "admin2_code", "admin2_name", "basis", "reasoning",
           "source", "file")


def upgrade() -> None:
    op.create_table(
        "catchments",
        sa.Column("snapshot_id", sa.Integer, sa.ForeignKey("snapshots.id"), primary_key=True, autoincrement=False),
        sa.Column("row_no", sa.Integer, primary_key=True, autoincrement=False),
        *[sa.Column(c, sa.Text) for c in COLUMNS],
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("catchments")
