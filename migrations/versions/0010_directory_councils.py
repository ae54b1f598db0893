"""Several councils in one directory: local authorities, the postcode table, each
organisation's and service's council, full-text search over services (SQLite FTS5, a
PostgreSQL GIN index on a tsvector expression), and the council feeds pulled on a schedule.

Revision ID: 0010_directory_councils
Revises: 0007_directory_history
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_directory_councils"
down_revision = "0008_reliability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "local_authorities",
        sa.Column("code", sa.String(16), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
    )
    op.create_table(
        "postcodes",
        sa.Column("postcode", sa.String(8), primary_key=True),
        sa.Column("district", sa.String(4), nullable=False),
        sa.Column("local_authority_code", sa.String(16)),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
    )
    op.create_index("ix_postcodes_district", "postcodes", ["district"])
    op.create_index("ix_postcodes_local_authority_code", "postcodes", ["local_authority_code"])
    for table in ("organizations", "services"):
        op.add_column(table, sa.Column("local_authority_code", sa.String(16)))
        op.create_index(f"ix_{table}_local_authority_code", table, ["local_authority_code"])
    op.create_table(
        "service_search",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("service_id", sa.String(255), sa.ForeignKey("services.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("local_authority_code", sa.String(16)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.UniqueConstraint("service_id"),
    )
    op.create_index("ix_service_search_local_authority_code", "service_search", ["local_authority_code"])
    # The same statements as bot/directory/fulltext.py (copied: a migration must not change later).
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DDL:
            op.execute(statement)
    else:
        op.execute("CREATE INDEX IF NOT EXISTS ix_service_search_document ON service_search "
                   "USING gin (to_tsvector('english'::regconfig, title || ' ' || body))")
    op.create_table(
        "directory_feeds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("local_authority_code", sa.String(16), nullable=False),
        sa.Column("every_hours", sa.Float, nullable=False),
        sa.Column("skip_invalid", sa.Boolean, nullable=False),
        sa.Column("remove_missing", sa.Boolean, nullable=False),
        sa.Column("next_pull_at", sa.DateTime(timezone=True)),
        sa.Column("last_pull_at", sa.DateTime(timezone=True)),
        sa.Column("last_status", sa.String(16)),
        sa.Column("last_pages", sa.Integer),
        sa.Column("last_services", sa.Integer),
        sa.Column("last_counts", sa.JSON),
        sa.Column("last_skipped", sa.JSON),
        sa.Column("last_errors", sa.JSON),
        sa.UniqueConstraint("url"),
    )
    op.create_index("ix_directory_feeds_local_authority_code", "directory_feeds", ["local_authority_code"])
    # Documents for the services already in the directory.
    from bot.directory import fulltext

    fulltext.refresh(op.get_bind())


SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS service_search_fts USING fts5(title, body, local_authority_code, "
    "content='service_search', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS service_search_ai AFTER INSERT ON service_search BEGIN "
    "INSERT INTO service_search_fts(rowid, title, body, local_authority_code) "
    "VALUES (new.id, new.title, new.body, new.local_authority_code); END",
    "CREATE TRIGGER IF NOT EXISTS service_search_ad AFTER DELETE ON service_search BEGIN "
    "INSERT INTO service_search_fts(service_search_fts, rowid, title, body, local_authority_code) "
    "VALUES ('delete', old.id, old.title, old.body, old.local_authority_code); END",
    "CREATE TRIGGER IF NOT EXISTS service_search_au AFTER UPDATE ON service_search BEGIN "
    "INSERT INTO service_search_fts(service_search_fts, rowid, title, body, local_authority_code) "
    "VALUES ('delete', old.id, old.title, old.body, old.local_authority_code); "
    "INSERT INTO service_search_fts(rowid, title, body, local_authority_code) "
    "VALUES (new.id, new.title, new.body, new.local_authority_code); END",
)


def downgrade() -> None:
    op.drop_table("directory_feeds")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS service_search_fts")
    op.drop_table("service_search")
    for table in ("services", "organizations"):
        op.drop_index(f"ix_{table}_local_authority_code", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("local_authority_code")
    op.drop_table("postcodes")
    op.drop_table("local_authorities")
