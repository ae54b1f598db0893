"""The carer's own words: notes kept whole, encrypted, with provenance, attached to the people they mention.

Revision ID: 0014_own_words
Revises: 0013_shared_spool
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_own_words"
down_revision = "0013_shared_spool"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("family_id", sa.String(36), sa.ForeignKey("families.id"), nullable=False),
        sa.Column("text_enc", sa.Text, nullable=False),
        sa.Column("rest_enc", sa.Text),
        sa.Column("said_by_kind", sa.String(16), nullable=False),
        sa.Column("said_by_id", sa.String(36)),
        sa.Column("said_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
    )
    op.create_index("ix_notes_family_said", "notes", ["family_id", "said_at"])
    op.create_table(
        "note_subjects",
        sa.Column("note_id", sa.String(36), sa.ForeignKey("notes.id"), primary_key=True),
        sa.Column("person_id", sa.String(36), sa.ForeignKey("people.id"), primary_key=True),
    )
    op.create_index("ix_note_subjects_person", "note_subjects", ["person_id"])


def downgrade() -> None:
    op.drop_table("note_subjects")
    op.drop_table("notes")
