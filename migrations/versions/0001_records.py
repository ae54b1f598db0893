"""Care record, conversation state, outbox and SMS opt-outs.

Revision ID: 0001_records
Revises:
Create Date: 2026-11-24
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_records"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "families",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("families.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name_enc", sa.Text),
        sa.Column("relation", sa.String(32)),
        sa.Column("phone_hash", sa.String(64), unique=True),
        sa.Column("phone_enc", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("invited_by_id", sa.String(36), sa.ForeignKey("people.id")),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("confirmed_at", TZ),
        sa.Column("removed_at", TZ),
    )
    op.create_index("ix_people_family_id", "people", ["family_id"])
    op.create_table(
        "facts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("families.id"), nullable=False),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("people.id")),
        sa.Column("category", sa.String(24), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("key_enc", sa.Text, nullable=False),
        sa.Column("value_enc", sa.Text, nullable=False),
        sa.Column("detail_enc", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("superseded_by_id", sa.String(36), sa.ForeignKey("facts.id")),
        sa.Column("said_by_kind", sa.String(16), nullable=False),
        sa.Column("said_by_id", sa.String(36)),
        sa.Column("said_at", TZ, nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("ended_at", TZ),
        sa.Column("ended_by_id", sa.String(36)),
    )
    op.create_index("ix_facts_family_status", "facts", ["family_id", "status"])
    op.create_index("ix_facts_family_key", "facts", ["family_id", "key_hash"])
    op.create_table(
        "consents",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("families.id"), nullable=False),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("people.id"), nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("given_at", TZ, nullable=False),
        sa.Column("method", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("withdrawn_at", TZ),
        sa.Column("withdrawn_method", sa.String(128)),
    )
    op.create_index("ix_consents_family_id", "consents", ["family_id"])
    op.create_index("ix_consents_person_id", "consents", ["person_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor_kind", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.String(64)),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("family_id", sa.String(36)),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(36)),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("purpose", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_family_id", "audit_log", ["family_id"])
    op.create_table(
        "conversation_states",
        sa.Column("sender_key", sa.String(80), primary_key=True),
        sa.Column("awaiting", sa.String(32)),
        sa.Column("context_enc", sa.Text),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("idempotency_key", sa.String(128), unique=True),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("to_hash", sa.String(64), nullable=False),
        sa.Column("to_enc", sa.Text, nullable=False),
        sa.Column("body_enc", sa.Text, nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", TZ, nullable=False),
        sa.Column("last_error", sa.String(255)),
        sa.Column("provider_sid", sa.String(64), unique=True),
        sa.Column("segments", sa.Integer),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("sent_at", TZ),
        sa.Column("delivered_at", TZ),
    )
    op.create_index("ix_outbox_to_hash", "outbox", ["to_hash"])
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"])
    op.create_table(
        "sms_opt_outs",
        sa.Column("phone_hash", sa.String(64), primary_key=True),
        sa.Column("phone_enc", sa.Text),
        sa.Column("opted_out_at", TZ, nullable=False),
    )


def downgrade() -> None:
    for table in ("sms_opt_outs", "outbox", "conversation_states", "audit_log", "consents", "facts",
                  "people", "families"):
        op.drop_table(table)
