"""A shared spool: inbound messages keep their (encrypted) words until answered, so any replica
replays them; web chat messages are kept too, with their later replies until delivered.

Revision ID: 0013_shared_spool
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_shared_spool"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=8), nullable=False, server_default="sms"))
        batch.add_column(sa.Column("body_enc", sa.Text(), nullable=True))
        batch.add_column(sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_inbound_messages_kept", "inbound_messages", ["channel", "status"])


def downgrade() -> None:
    op.drop_index("ix_inbound_messages_kept", table_name="inbound_messages")
    with op.batch_alter_table("inbound_messages") as batch:
        batch.drop_column("delivered_at")
        batch.drop_column("arrived_at")
        batch.drop_column("body_enc")
        batch.drop_column("channel")
