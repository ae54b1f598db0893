"""Directory indexes on optional links index only the rows that have a link (see
bot.directory.models.OPTIONAL_LINK_INDEXES): SQLite's planner, misled by an index holding one key
(NULL) for nearly every row, scanned whole tables for a service's contacts' phones.

Revision ID: 0015_sparse_link_indexes
Revises: 0014_own_words
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_sparse_link_indexes"
down_revision = "0014_own_words"
branch_labels = None
depends_on = None

# (table, index, column), as they stood when this migration was written.
INDEXES = [
    ("accessibility", "ix_accessibility_location_id", "location_id"),
    ("addresses", "ix_addresses_location_id", "location_id"),
    ("attributes", "ix_attributes_link_id", "link_id"),
    ("attributes", "ix_attributes_taxonomy_term_id", "taxonomy_term_id"),
    ("contacts", "ix_contacts_location_id", "location_id"),
    ("contacts", "ix_contacts_organization_id", "organization_id"),
    ("contacts", "ix_contacts_service_at_location_id", "service_at_location_id"),
    ("contacts", "ix_contacts_service_id", "service_id"),
    ("cost_options", "ix_cost_options_service_id", "service_id"),
    ("funding", "ix_funding_organization_id", "organization_id"),
    ("funding", "ix_funding_service_id", "service_id"),
    ("languages", "ix_languages_location_id", "location_id"),
    ("languages", "ix_languages_phone_id", "phone_id"),
    ("languages", "ix_languages_service_id", "service_id"),
    ("locations", "ix_locations_organization_id", "organization_id"),
    ("metadata", "ix_metadata_resource_id", "resource_id"),
    ("organization_identifiers", "ix_organization_identifiers_organization_id", "organization_id"),
    ("organizations", "ix_organizations_parent_organization_id", "parent_organization_id"),
    ("phones", "ix_phones_contact_id", "contact_id"),
    ("phones", "ix_phones_location_id", "location_id"),
    ("phones", "ix_phones_organization_id", "organization_id"),
    ("phones", "ix_phones_service_at_location_id", "service_at_location_id"),
    ("phones", "ix_phones_service_id", "service_id"),
    ("programs", "ix_programs_organization_id", "organization_id"),
    ("required_documents", "ix_required_documents_service_id", "service_id"),
    ("schedules", "ix_schedules_location_id", "location_id"),
    ("schedules", "ix_schedules_service_at_location_id", "service_at_location_id"),
    ("schedules", "ix_schedules_service_id", "service_id"),
    ("service_areas", "ix_service_areas_service_at_location_id", "service_at_location_id"),
    ("service_areas", "ix_service_areas_service_id", "service_id"),
    ("service_at_location", "ix_service_at_location_location_id", "location_id"),
    ("service_at_location", "ix_service_at_location_service_id", "service_id"),
    ("services", "ix_services_organization_id", "organization_id"),
    ("taxonomy_terms", "ix_taxonomy_terms_parent_id", "parent_id"),
    ("taxonomy_terms", "ix_taxonomy_terms_taxonomy_id", "taxonomy_id"),
]


def _recreate(where: bool) -> None:
    for table, index, column in INDEXES:
        op.drop_index(index, table_name=table)
        condition = {"sqlite_where": sa.text(f"{column} IS NOT NULL"),
                     "postgresql_where": sa.text(f"{column} IS NOT NULL")} if where else {}
        op.create_index(index, table, [column], **condition)
    # Dropping an index drops its statistics; the next import's ANALYZE takes them afresh.


def upgrade() -> None:
    _recreate(where=True)


def downgrade() -> None:
    _recreate(where=False)
