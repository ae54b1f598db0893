"""PostgreSQL keeps each service's search document as a stored, generated tsvector column with
the title's words weighted above the body's, indexed with GIN (bot.directory.fulltext). Ranking
then reads the stored words instead of parsing every matching text again. SQLite's FTS5 table is
unchanged.

Revision ID: 0016_stored_search_documents
Revises: 0015_sparse_link_indexes
Create Date: 2026-12-01
"""
from alembic import op

revision = "0016_stored_search_documents"
down_revision = "0015_sparse_link_indexes"
branch_labels = None
depends_on = None

# As bot/directory/fulltext.py had them when this was written (a migration must not change later).
DOCUMENT = ("setweight(to_tsvector('english'::regconfig, title), 'A') || "
            "setweight(to_tsvector('english'::regconfig, body), 'D')")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_service_search_document")
    op.execute(f"ALTER TABLE service_search ADD COLUMN IF NOT EXISTS document tsvector "
               f"GENERATED ALWAYS AS ({DOCUMENT}) STORED")
    op.execute("CREATE INDEX IF NOT EXISTS ix_service_search_document ON service_search USING gin (document)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_service_search_document")
    op.execute("ALTER TABLE service_search DROP COLUMN IF EXISTS document")
    op.execute("CREATE INDEX IF NOT EXISTS ix_service_search_document ON service_search "
               "USING gin (to_tsvector('english'::regconfig, title || ' ' || body))")
