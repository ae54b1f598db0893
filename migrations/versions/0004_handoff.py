"""Handoff: professionals, patches, lead assignments, handoffs and their threads, console
sessions and login attempts (see bot/handoff/staff_models.py).

Revision ID: 0004_handoff
Revises: 0003_directory
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_handoff"
down_revision = "0003_directory"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "professionals",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("job_title", sa.String(120), nullable=False),
        sa.Column("organisation", sa.String(160), nullable=False),
        sa.Column("phone", sa.String(20)),
        sa.Column("email", sa.String(254)),
        sa.Column("area", sa.String(32), nullable=False),
        sa.Column("working_hours", sa.JSON(), nullable=False),
        sa.Column("caseload_cap", sa.Integer(), nullable=False),
        sa.Column("is_team", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("on_leave", sa.Boolean(), nullable=False),
        _ts("created_at", False),
    )
    op.create_table(
        "patches",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("professional_id", sa.String(36), sa.ForeignKey("professionals.id"), nullable=False),
        sa.Column("district", sa.String(8), nullable=False),
        sa.UniqueConstraint("professional_id", "district", name="uq_patches_professional_district"),
    )
    op.create_index("ix_patches_professional_id", "patches", ["professional_id"])
    op.create_index("ix_patches_district", "patches", ["district"])
    op.create_table(
        "lead_assignments",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("families.id"), nullable=False),
        sa.Column("professional_id", sa.String(36), sa.ForeignKey("professionals.id"), nullable=False),
        _ts("started_at", False),
        _ts("ended_at"),
        sa.Column("reason", sa.String(160), nullable=False),
        sa.Column("by_kind", sa.String(16), nullable=False),
        sa.Column("by_id", sa.String(36)),
        _ts("family_told_at"),
    )
    op.create_index("ix_lead_assignments_family_id", "lead_assignments", ["family_id"])
    op.create_index("ix_lead_assignments_professional_id", "lead_assignments", ["professional_id"])
    op.create_table(
        "handoffs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("families.id")),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("people.id")),
        sa.Column("sender_key", sa.String(80), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("contact_enc", sa.Text()),
        sa.Column("area", sa.String(32), nullable=False),
        sa.Column("district", sa.String(8)),
        sa.Column("trigger", sa.String(32), nullable=False),
        sa.Column("urgency", sa.String(8), nullable=False),
        sa.Column("risk_kind", sa.String(24)),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("assigned_to_id", sa.String(36), sa.ForeignKey("professionals.id"), nullable=False),
        sa.Column("contact_by", sa.String(8), nullable=False),
        _ts("due_by", False),
        sa.Column("packet_enc", sa.Text(), nullable=False),
        _ts("created_at", False),
        _ts("updated_at", False),
        _ts("escalated_at"),
        sa.Column("escalated_from_id", sa.String(36), sa.ForeignKey("professionals.id")),
        _ts("accepted_at"),
        sa.Column("accepted_by_id", sa.String(36), sa.ForeignKey("professionals.id")),
        sa.Column("taken_over_by_id", sa.String(36), sa.ForeignKey("professionals.id")),
        _ts("closed_at"),
        sa.Column("closed_by_id", sa.String(36), sa.ForeignKey("professionals.id")),
        sa.Column("outcome", sa.String(255)),
    )
    op.create_index("ix_handoffs_family_id", "handoffs", ["family_id"])
    op.create_index("ix_handoffs_sender_key", "handoffs", ["sender_key"])
    op.create_index("ix_handoffs_assigned_to_id", "handoffs", ["assigned_to_id"])
    op.create_index("ix_handoffs_status_created", "handoffs", ["status", "created_at"])
    op.create_table(
        "handoff_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("handoff_id", sa.String(36), sa.ForeignKey("handoffs.id"), nullable=False),
        _ts("at", False),
        sa.Column("direction", sa.String(12), nullable=False),
        sa.Column("author_id", sa.String(36)),
        sa.Column("body_enc", sa.Text(), nullable=False),
        sa.Column("outbox_id", sa.Integer()),
    )
    op.create_index("ix_handoff_messages_handoff_id", "handoff_messages", ["handoff_id"])
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("professional_id", sa.String(36), sa.ForeignKey("professionals.id"), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        _ts("created_at", False),
        _ts("last_seen_at", False),
    )
    op.create_index("ix_console_sessions_professional_id", "console_sessions", ["professional_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        _ts("at", False),
    )
    op.create_index("ix_login_attempts_key_at", "login_attempts", ["key_hash", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_attempts_key_at", table_name="login_attempts")
    op.drop_table("login_attempts")
    op.drop_index("ix_console_sessions_professional_id", table_name="console_sessions")
    op.drop_table("console_sessions")
    op.drop_index("ix_handoff_messages_handoff_id", table_name="handoff_messages")
    op.drop_table("handoff_messages")
    for name in ("ix_handoffs_status_created", "ix_handoffs_assigned_to_id", "ix_handoffs_sender_key",
                 "ix_handoffs_family_id"):
        op.drop_index(name, table_name="handoffs")
    op.drop_table("handoffs")
    op.drop_index("ix_lead_assignments_professional_id", table_name="lead_assignments")
    op.drop_index("ix_lead_assignments_family_id", table_name="lead_assignments")
    op.drop_table("lead_assignments")
    op.drop_index("ix_patches_district", table_name="patches")
    op.drop_index("ix_patches_professional_id", table_name="patches")
    op.drop_table("patches")
    op.drop_table("professionals")
