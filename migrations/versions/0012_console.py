"""Kinds of need a professional takes (adults, children and families, ...), for assignment.

Revision ID: 0012
Revises: 0007_directory_history
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010_directory_councils"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("professionals") as batch:
        batch.add_column(sa.Column("kinds", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("professionals") as batch:
        batch.drop_column("kinds")
