"""Carers' reports of wrong directory data.

Revision ID: 0005_reports
Revises: 0004_handoff
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_reports"
down_revision = "0004_handoff"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_reports",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("service_id", sa.String(255), sa.ForeignKey("services.id", ondelete="SET NULL")),
        sa.Column("service_name", sa.Text),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("words_enc", sa.Text),
        sa.Column("context", sa.JSON),
        sa.Column("reporter_key", sa.String(80)),
        sa.Column("reporter_phone_enc", sa.Text),
        sa.Column("notify", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("resolution_note", sa.Text),
        sa.Column("resolved_by", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_service_reports_service_id", "service_reports", ["service_id"])
    op.create_index("ix_service_reports_status", "service_reports", ["status"])


def downgrade() -> None:
    op.drop_table("service_reports")
