"""Directory upkeep: service version history (full snapshots) and how often the bot offers each service.

Revision ID: 0007_directory_history
Revises: 0006_web_links
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_directory_history"
down_revision = "0006_web_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_versions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("service_id", sa.String(255), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("changed_fields", sa.JSON),
        sa.Column("changed_by", sa.String(64), nullable=False),
        sa.Column("changed_by_name", sa.Text),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("report_id", sa.String(36)),
    )
    op.create_index("ix_service_versions_service_number", "service_versions", ["service_id", "number"],
                    unique=True)
    op.create_index("ix_service_versions_report_id", "service_versions", ["report_id"])
    op.create_table(
        "service_usage",
        sa.Column("service_id", sa.String(255), primary_key=True),
        sa.Column("times_offered", sa.Integer, nullable=False),
        sa.Column("last_offered", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("service_usage")
    op.drop_table("service_versions")
