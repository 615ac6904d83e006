"""Users and roles, workspace settings, and each snapshot's sharing class and organisation (issue 17).

- ``users``: one row per signed-in email the workspace knows: role (admin, editor, viewer,
  public), organisation and areas (an editor acts within them), who added it and when.
- ``settings``: key → value (``unknown_role``: the role a signed-in email the workspace does not
  know gets; ``public``: whether signed-out visitors see the aggregated views).
- ``snapshots.sharing``: public, restricted or confidential (empty: the default of its tables);
  ``snapshots.organisation``: the organisation of who added it; ``snapshots.tables``: the tables
  it holds rows of (comma-separated), so the policy knows which tables a class applies to.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("email", sa.Text, primary_key=True),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("organisation", sa.Text),
        sa.Column("areas", sa.Text, nullable=False, server_default=""),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.add_column("snapshots", sa.Column("sharing", sa.Text))
    op.add_column("snapshots", sa.Column("organisation", sa.Text))
    op.add_column("snapshots", sa.Column("tables", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("snapshots") as b:
        b.drop_column("tables")
        b.drop_column("organisation")
        b.drop_column("sharing")
    op.drop_table("settings")
    op.drop_table("users")
