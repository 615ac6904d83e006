"""Exit events: what an editor recorded about a partner's planned end (issue 15).

One row per event: a partner's exit confirmed (the actual last day of service), its planned
end extended (the new planned end), or its service handed over to another body (the last day,
and to whom). ``service`` and ``scope_id`` narrow the event to some of the partner's rows
(empty: all of them). Who recorded it and when are kept here and in the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "exit_events",
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


def downgrade() -> None:
    op.drop_table("exit_events")
