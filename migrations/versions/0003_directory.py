# ruff: noqa: E501
"""Directory: the Open Referral HSDS 3.0 / ORUK tables (bot/directory/models.py).

Revision ID: 0003_directory
Revises: 0002_channels
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_directory"
down_revision = "0002_channels"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meta_table_descriptions',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=32), nullable=True),
    sa.Column('character_set', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('metadata',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('resource_id', sa.String(length=255), nullable=True),
    sa.Column('resource_type', sa.String(length=64), nullable=True),
    sa.Column('last_action_date', sa.String(length=64), nullable=True),
    sa.Column('last_action_type', sa.Text(), nullable=True),
    sa.Column('field_name', sa.Text(), nullable=True),
    sa.Column('previous_value', sa.Text(), nullable=True),
    sa.Column('replacement_value', sa.Text(), nullable=True),
    sa.Column('updated_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_metadata_resource_id'), 'metadata', ['resource_id'], unique=False)
    op.create_table('organizations',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('alternate_name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('website', sa.Text(), nullable=True),
    sa.Column('tax_status', sa.Text(), nullable=True),
    sa.Column('tax_id', sa.Text(), nullable=True),
    sa.Column('year_incorporated', sa.Integer(), nullable=True),
    sa.Column('legal_status', sa.Text(), nullable=True),
    sa.Column('logo', sa.Text(), nullable=True),
    sa.Column('uri', sa.Text(), nullable=True),
    sa.Column('parent_organization_id', sa.String(length=255), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_organizations_parent_organization_id'), 'organizations', ['parent_organization_id'], unique=False)
    op.create_table('taxonomies',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('uri', sa.Text(), nullable=True),
    sa.Column('version', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_taxonomies_name'), 'taxonomies', ['name'], unique=False)
    op.create_table('locations',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('location_type', sa.String(length=16), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('organization_id', sa.String(length=255), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('alternate_name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('transportation', sa.Text(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('external_identifier', sa.Text(), nullable=True),
    sa.Column('external_identifier_type', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_locations_organization_id'), 'locations', ['organization_id'], unique=False)
    op.create_table('organization_identifiers',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('organization_id', sa.String(length=255), nullable=True),
    sa.Column('identifier_scheme', sa.Text(), nullable=True),
    sa.Column('identifier_type', sa.Text(), nullable=True),
    sa.Column('identifier', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_organization_identifiers_organization_id'), 'organization_identifiers', ['organization_id'], unique=False)
    op.create_table('programs',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('organization_id', sa.String(length=255), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('alternate_name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_programs_organization_id'), 'programs', ['organization_id'], unique=False)
    op.create_table('taxonomy_terms',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('code', sa.String(length=255), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('parent_id', sa.String(length=255), nullable=True),
    sa.Column('taxonomy', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=32), nullable=True),
    sa.Column('taxonomy_id', sa.String(length=255), nullable=True),
    sa.Column('term_uri', sa.Text(), nullable=True),
    sa.Column('term', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['taxonomy_id'], ['taxonomies.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_taxonomy_terms_code'), 'taxonomy_terms', ['code'], unique=False)
    op.create_index(op.f('ix_taxonomy_terms_parent_id'), 'taxonomy_terms', ['parent_id'], unique=False)
    op.create_index(op.f('ix_taxonomy_terms_taxonomy_id'), 'taxonomy_terms', ['taxonomy_id'], unique=False)
    op.create_table('accessibility',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('location_id', sa.String(length=255), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('accessibility', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_accessibility_location_id'), 'accessibility', ['location_id'], unique=False)
    op.create_table('addresses',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('location_id', sa.String(length=255), nullable=True),
    sa.Column('attention', sa.Text(), nullable=True),
    sa.Column('address_1', sa.Text(), nullable=True),
    sa.Column('address_2', sa.Text(), nullable=True),
    sa.Column('city', sa.Text(), nullable=True),
    sa.Column('region', sa.Text(), nullable=True),
    sa.Column('state_province', sa.Text(), nullable=True),
    sa.Column('postal_code', sa.String(length=32), nullable=True),
    sa.Column('country', sa.String(length=64), nullable=True),
    sa.Column('address_type', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_addresses_location_id'), 'addresses', ['location_id'], unique=False)
    op.create_index(op.f('ix_addresses_postal_code'), 'addresses', ['postal_code'], unique=False)
    op.create_table('attributes',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('link_id', sa.String(length=255), nullable=True),
    sa.Column('taxonomy_term_id', sa.String(length=255), nullable=True),
    sa.Column('link_type', sa.String(length=64), nullable=True),
    sa.Column('link_entity', sa.String(length=64), nullable=True),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('label', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['taxonomy_term_id'], ['taxonomy_terms.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_attributes_link_id'), 'attributes', ['link_id'], unique=False)
    op.create_index(op.f('ix_attributes_taxonomy_term_id'), 'attributes', ['taxonomy_term_id'], unique=False)
    op.create_index('ix_attributes_term_entity', 'attributes', ['taxonomy_term_id', 'link_entity'], unique=False)
    op.create_table('services',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('organization_id', sa.String(length=255), nullable=True),
    sa.Column('program_id', sa.String(length=255), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('alternate_name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('interpretation_services', sa.Text(), nullable=True),
    sa.Column('application_process', sa.Text(), nullable=True),
    sa.Column('fees_description', sa.Text(), nullable=True),
    sa.Column('wait_time', sa.Text(), nullable=True),
    sa.Column('fees', sa.Text(), nullable=True),
    sa.Column('accreditations', sa.Text(), nullable=True),
    sa.Column('eligibility_description', sa.Text(), nullable=True),
    sa.Column('minimum_age', sa.Integer(), nullable=True),
    sa.Column('maximum_age', sa.Integer(), nullable=True),
    sa.Column('assured_date', sa.Date(), nullable=True),
    sa.Column('assurer_email', sa.String(length=320), nullable=True),
    sa.Column('licenses', sa.Text(), nullable=True),
    sa.Column('alert', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_services_organization_id'), 'services', ['organization_id'], unique=False)
    op.create_index('ix_services_organization_status', 'services', ['organization_id', 'status'], unique=False)
    op.create_index(op.f('ix_services_status'), 'services', ['status'], unique=False)
    op.create_table('taxonomy_term_synonyms',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('taxonomy_term_id', sa.String(length=255), nullable=False),
    sa.Column('synonym', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['taxonomy_term_id'], ['taxonomy_terms.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_taxonomy_term_synonyms_taxonomy_term_id'), 'taxonomy_term_synonyms', ['taxonomy_term_id'], unique=False)
    op.create_table('cost_options',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('service_id', sa.String(length=255), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('option', sa.Text(), nullable=True),
    sa.Column('currency', sa.String(length=8), nullable=True),
    sa.Column('amount', sa.Float(), nullable=True),
    sa.Column('amount_description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_cost_options_service_id'), 'cost_options', ['service_id'], unique=False)
    op.create_table('funding',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('organization_id', sa.String(length=255), nullable=True),
    sa.Column('service_id', sa.String(length=255), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_funding_organization_id'), 'funding', ['organization_id'], unique=False)
    op.create_index(op.f('ix_funding_service_id'), 'funding', ['service_id'], unique=False)
    op.create_table('required_documents',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('service_id', sa.String(length=255), nullable=True),
    sa.Column('document', sa.Text(), nullable=True),
    sa.Column('uri', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_required_documents_service_id'), 'required_documents', ['service_id'], unique=False)
    op.create_table('service_at_location',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('service_id', sa.String(length=255), nullable=True),
    sa.Column('location_id', sa.String(length=255), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_service_at_location_location_id'), 'service_at_location', ['location_id'], unique=False)
    op.create_index(op.f('ix_service_at_location_service_id'), 'service_at_location', ['service_id'], unique=False)
    op.create_table('contacts',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('organization_id', sa.String(length=255), nullable=True),
    sa.Column('service_id', sa.String(length=255), nullable=True),
    sa.Column('service_at_location_id', sa.String(length=255), nullable=True),
    sa.Column('location_id', sa.String(length=255), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('department', sa.Text(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_at_location_id'], ['service_at_location.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_contacts_location_id'), 'contacts', ['location_id'], unique=False)
    op.create_index(op.f('ix_contacts_organization_id'), 'contacts', ['organization_id'], unique=False)
    op.create_index(op.f('ix_contacts_service_at_location_id'), 'contacts', ['service_at_location_id'], unique=False)
    op.create_index(op.f('ix_contacts_service_id'), 'contacts', ['service_id'], unique=False)
    op.create_table('schedules',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('service_id', sa.String(length=255), nullable=True),
    sa.Column('location_id', sa.String(length=255), nullable=True),
    sa.Column('service_at_location_id', sa.String(length=255), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('dtstart', sa.Date(), nullable=True),
    sa.Column('timezone', sa.Float(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('wkst', sa.String(length=2), nullable=True),
    sa.Column('freq', sa.String(length=16), nullable=True),
    sa.Column('interval', sa.Integer(), nullable=True),
    sa.Column('byday', sa.String(length=64), nullable=True),
    sa.Column('byweekno', sa.String(length=255), nullable=True),
    sa.Column('bymonthday', sa.String(length=255), nullable=True),
    sa.Column('byyearday', sa.String(length=255), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('opens_at', sa.Time(), nullable=True),
    sa.Column('closes_at', sa.Time(), nullable=True),
    sa.Column('schedule_link', sa.Text(), nullable=True),
    sa.Column('attending_type', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_at_location_id'], ['service_at_location.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_schedules_location_id'), 'schedules', ['location_id'], unique=False)
    op.create_index(op.f('ix_schedules_service_at_location_id'), 'schedules', ['service_at_location_id'], unique=False)
    op.create_index(op.f('ix_schedules_service_id'), 'schedules', ['service_id'], unique=False)
    op.create_table('service_areas',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('service_id', sa.String(length=255), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('extent', sa.Text(), nullable=True),
    sa.Column('extent_type', sa.String(length=32), nullable=True),
    sa.Column('uri', sa.Text(), nullable=True),
    sa.Column('service_area', sa.Text(), nullable=True),
    sa.Column('service_at_location_id', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['service_at_location_id'], ['service_at_location.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_service_areas_extent', 'service_areas', ['extent'], unique=False, postgresql_using='hash')
    op.create_index(op.f('ix_service_areas_service_at_location_id'), 'service_areas', ['service_at_location_id'], unique=False)
    op.create_index(op.f('ix_service_areas_service_id'), 'service_areas', ['service_id'], unique=False)
    op.create_table('phones',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('location_id', sa.String(length=255), nullable=True),
    sa.Column('service_id', sa.String(length=255), nullable=True),
    sa.Column('organization_id', sa.String(length=255), nullable=True),
    sa.Column('contact_id', sa.String(length=255), nullable=True),
    sa.Column('service_at_location_id', sa.String(length=255), nullable=True),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('extension', sa.String(length=32), nullable=True),
    sa.Column('type', sa.String(length=32), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_at_location_id'], ['service_at_location.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_phones_contact_id'), 'phones', ['contact_id'], unique=False)
    op.create_index(op.f('ix_phones_location_id'), 'phones', ['location_id'], unique=False)
    op.create_index(op.f('ix_phones_organization_id'), 'phones', ['organization_id'], unique=False)
    op.create_index(op.f('ix_phones_service_at_location_id'), 'phones', ['service_at_location_id'], unique=False)
    op.create_index(op.f('ix_phones_service_id'), 'phones', ['service_id'], unique=False)
    op.create_table('languages',
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('service_id', sa.String(length=255), nullable=True),
    sa.Column('location_id', sa.String(length=255), nullable=True),
    sa.Column('phone_id', sa.String(length=255), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('code', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['phone_id'], ['phones.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_languages_location_id'), 'languages', ['location_id'], unique=False)
    op.create_index(op.f('ix_languages_phone_id'), 'languages', ['phone_id'], unique=False)
    op.create_index(op.f('ix_languages_service_id'), 'languages', ['service_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_languages_service_id'), table_name='languages')
    op.drop_index(op.f('ix_languages_phone_id'), table_name='languages')
    op.drop_index(op.f('ix_languages_location_id'), table_name='languages')
    op.drop_table('languages')
    op.drop_index(op.f('ix_phones_service_id'), table_name='phones')
    op.drop_index(op.f('ix_phones_service_at_location_id'), table_name='phones')
    op.drop_index(op.f('ix_phones_organization_id'), table_name='phones')
    op.drop_index(op.f('ix_phones_location_id'), table_name='phones')
    op.drop_index(op.f('ix_phones_contact_id'), table_name='phones')
    op.drop_table('phones')
    op.drop_index(op.f('ix_service_areas_service_id'), table_name='service_areas')
    op.drop_index(op.f('ix_service_areas_service_at_location_id'), table_name='service_areas')
    op.drop_index('ix_service_areas_extent', table_name='service_areas', postgresql_using='hash')
    op.drop_table('service_areas')
    op.drop_index(op.f('ix_schedules_service_id'), table_name='schedules')
    op.drop_index(op.f('ix_schedules_service_at_location_id'), table_name='schedules')
    op.drop_index(op.f('ix_schedules_location_id'), table_name='schedules')
    op.drop_table('schedules')
    op.drop_index(op.f('ix_contacts_service_id'), table_name='contacts')
    op.drop_index(op.f('ix_contacts_service_at_location_id'), table_name='contacts')
    op.drop_index(op.f('ix_contacts_organization_id'), table_name='contacts')
    op.drop_index(op.f('ix_contacts_location_id'), table_name='contacts')
    op.drop_table('contacts')
    op.drop_index(op.f('ix_service_at_location_service_id'), table_name='service_at_location')
    op.drop_index(op.f('ix_service_at_location_location_id'), table_name='service_at_location')
    op.drop_table('service_at_location')
    op.drop_index(op.f('ix_required_documents_service_id'), table_name='required_documents')
    op.drop_table('required_documents')
    op.drop_index(op.f('ix_funding_service_id'), table_name='funding')
    op.drop_index(op.f('ix_funding_organization_id'), table_name='funding')
    op.drop_table('funding')
    op.drop_index(op.f('ix_cost_options_service_id'), table_name='cost_options')
    op.drop_table('cost_options')
    op.drop_index(op.f('ix_taxonomy_term_synonyms_taxonomy_term_id'), table_name='taxonomy_term_synonyms')
    op.drop_table('taxonomy_term_synonyms')
    op.drop_index(op.f('ix_services_status'), table_name='services')
    op.drop_index('ix_services_organization_status', table_name='services')
    op.drop_index(op.f('ix_services_organization_id'), table_name='services')
    op.drop_table('services')
    op.drop_index('ix_attributes_term_entity', table_name='attributes')
    op.drop_index(op.f('ix_attributes_taxonomy_term_id'), table_name='attributes')
    op.drop_index(op.f('ix_attributes_link_id'), table_name='attributes')
    op.drop_table('attributes')
    op.drop_index(op.f('ix_addresses_postal_code'), table_name='addresses')
    op.drop_index(op.f('ix_addresses_location_id'), table_name='addresses')
    op.drop_table('addresses')
    op.drop_index(op.f('ix_accessibility_location_id'), table_name='accessibility')
    op.drop_table('accessibility')
    op.drop_index(op.f('ix_taxonomy_terms_taxonomy_id'), table_name='taxonomy_terms')
    op.drop_index(op.f('ix_taxonomy_terms_parent_id'), table_name='taxonomy_terms')
    op.drop_index(op.f('ix_taxonomy_terms_code'), table_name='taxonomy_terms')
    op.drop_table('taxonomy_terms')
    op.drop_index(op.f('ix_programs_organization_id'), table_name='programs')
    op.drop_table('programs')
    op.drop_index(op.f('ix_organization_identifiers_organization_id'), table_name='organization_identifiers')
    op.drop_table('organization_identifiers')
    op.drop_index(op.f('ix_locations_organization_id'), table_name='locations')
    op.drop_table('locations')
    op.drop_index(op.f('ix_taxonomies_name'), table_name='taxonomies')
    op.drop_table('taxonomies')
    op.drop_index(op.f('ix_organizations_parent_organization_id'), table_name='organizations')
    op.drop_table('organizations')
    op.drop_index(op.f('ix_metadata_resource_id'), table_name='metadata')
    op.drop_table('metadata')
    op.drop_table('meta_table_descriptions')
