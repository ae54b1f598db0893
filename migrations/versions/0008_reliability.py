"""Reliability: answered turns (each message answered once) and messages kept for later.

inbound_messages gains the 'queued' status (no answer could be made: kept, answered later) and
an owner (only the claim working on a message may finish it); answered_turns records each
message's replies in the same transaction as what the turn changed.

Revision ID: 0008_reliability
Revises: 0007_directory_history
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_reliability"
down_revision = "0007_directory_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages") as batch:
        batch.add_column(sa.Column("owner", sa.String(length=32), nullable=True))
        batch.drop_constraint("ck_inbound_messages_status", type_="check")
        batch.create_check_constraint("ck_inbound_messages_status", "status IN ('processing', 'queued', 'done')")
    op.create_table(
        "answered_turns",
        sa.Column("turn_key", sa.String(length=64), primary_key=True),
        sa.Column("replies_enc", sa.Text(), nullable=False),
        sa.Column("by_outbox", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_answered_turns_answered_at", "answered_turns", ["answered_at"])


def downgrade() -> None:
    op.drop_index("ix_answered_turns_answered_at", table_name="answered_turns")
    op.drop_table("answered_turns")
    op.execute("UPDATE inbound_messages SET status = 'processing' WHERE status = 'queued'")
    with op.batch_alter_table("inbound_messages") as batch:
        batch.drop_constraint("ck_inbound_messages_status", type_="check")
        batch.create_check_constraint("ck_inbound_messages_status", "status IN ('processing', 'done')")
        batch.drop_column("owner")
