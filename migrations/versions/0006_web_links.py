"""Linking a web chat session to a family member: one-time codes (hashed) and session links.

Revision ID: 0006_web_links
Revises: 0005_reports
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_web_links"
down_revision = "0005_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_codes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("sender_hash", sa.String(64), nullable=False),
        sa.Column("phone_hash", sa.String(64), nullable=False),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("people.id", ondelete="CASCADE")),
        sa.Column("salt", sa.String(32), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True)),
        sa.Column("voided_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_web_codes_sender_hash", "web_codes", ["sender_hash"])
    op.create_index("ix_web_codes_phone_hash", "web_codes", ["phone_hash"])
    op.create_index("ix_web_codes_created_at", "web_codes", ["created_at"])
    op.create_table(
        "web_links",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("sender_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_web_links_person_id", "web_links", ["person_id"])


def downgrade() -> None:
    op.drop_table("web_links")
    op.drop_table("web_codes")
