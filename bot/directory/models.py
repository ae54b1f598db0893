"""The service directory: Open Referral HSDS 3.0 tables with the UK profile (ORUK 3.0) additions.

One table per HSDS resource, named as in an HSDS tabular datapackage (`services`, `phones`,
`service_at_location`, ...). Columns follow the HSDS CSV column order so an export writes them as
other publishers do; ORUK-only fields (`service_areas.service_area`, `accessibility.accessibility`,
`taxonomy_terms.term`) and OneStory additions come after the HSDS ones. Ids are strings, whatever
the feed gives (UUIDs usually), and are the primary key.

OneStory additions
- `services.version`: optimistic-locking counter (SQLAlchemy `version_id_col`); the importer bumps
  it whenever an import changes the row. `services.last_modified` comes from the feed, or is set
  to the import time when the feed leaves it out and the row changed.
- `service_areas.service_at_location_id`: a coverage area for one service at one location.
- `attributes.label`: the HSDS 3.1 free-text label.
- `organizations.local_authority_code`, `services.local_authority_code`: the council (ONS code) the
  organisation or service belongs to; empty for national bodies (see bot.directory.authorities).
- `taxonomy_term_synonyms` (id, taxonomy_term_id, synonym): other words carers use for a term.
  It travels as an extra datapackage resource that other consumers can ignore.

Conventions shared by the demo data (data/directory/eastmere) and the responsibility engine
- Coverage: a service's area is a `service_areas` row with `extent_type = "text"` and `extent` one of
  `postcode_district:EM1`, `postcode_sector:EM1 2`, `local_authority:Eastmere`, `country:England`
  (see EXTENT_* below). A postcode district or sector is written upper-case with one space.
- Responsibility role: an `attributes` row with `link_entity = "service"`, `link_type = "service"`,
  `link_id` = the service id and `taxonomy_term_id` = a term of the taxonomy whose name is
  "OneStory responsibility roles" (ROLES_TAXONOMY).
- Needs: terms of the taxonomy named "OneStory needs" (NEEDS_TAXONOMY), linked to services the same
  way, with carers' other words for them in `taxonomy_term_synonyms`.

Foreign keys: a row that belongs to a parent (a phone of a service, an address of a location)
cascades on delete; optional cross-references are set to NULL. Self-references
(`organizations.parent_organization_id`, `taxonomy_terms.parent_id`) and the polymorphic
`attributes.link_id` / `metadata.resource_id` are checked by the importer, not by the database, so
a feed's rows can be written in any order.
"""
from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    and_,
)
from sqlalchemy.orm import foreign, relationship

from bot.db import Base

ID = 255  # ids are whatever the feed gives; UUIDs are 36 characters

ROLES_TAXONOMY = "OneStory responsibility roles"
NEEDS_TAXONOMY = "OneStory needs"
EXTENT_TYPE_TEXT = "text"
EXTENT_POSTCODE_DISTRICT = "postcode_district"
EXTENT_POSTCODE_SECTOR = "postcode_sector"
EXTENT_LOCAL_AUTHORITY = "local_authority"
EXTENT_COUNTRY = "country"
EXTENT_KINDS = (EXTENT_POSTCODE_DISTRICT, EXTENT_POSTCODE_SECTOR, EXTENT_LOCAL_AUTHORITY, EXTENT_COUNTRY)

SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
LOCATION_TYPES = ("physical", "postal", "virtual")
ADDRESS_TYPES = ("physical", "postal", "virtual")
SCHEDULE_FREQS = ("WEEKLY", "MONTHLY")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def extent(kind: str, value: str) -> str:
    """The `service_areas.extent` text for a coverage, e.g. extent("postcode_district", "EM1")."""
    return f"{kind}:{value}"


def _id(*args, **kwargs) -> Column:
    return Column(String(ID), *args, **kwargs)


def _owner(target: str, **kwargs) -> Column:
    """A link to the row this one belongs to: deleting the parent deletes it."""
    return Column(String(ID), ForeignKey(target, ondelete="CASCADE"), **kwargs)


def _ref(target: str, **kwargs) -> Column:
    """An optional cross-reference: deleting the target clears it."""
    return Column(String(ID), ForeignKey(target, ondelete="SET NULL"), **kwargs)


class Organization(Base):
    __tablename__ = "organizations"
    id = _id(primary_key=True)
    name = Column(Text, nullable=False)
    alternate_name = Column(Text)
    description = Column(Text)
    email = Column(String(320))
    website = Column(Text)
    tax_status = Column(Text)
    tax_id = Column(Text)
    year_incorporated = Column(Integer)
    legal_status = Column(Text)
    logo = Column(Text)
    uri = Column(Text)
    parent_organization_id = _id(index=True)  # self-reference, checked by the importer
    local_authority_code = Column(String(16), index=True)  # OneStory: the council, by ONS code

    services = relationship("Service", back_populates="organization", passive_deletes=True)
    phones = relationship("Phone", primaryjoin="Organization.id == Phone.organization_id",
                          viewonly=True, order_by="Phone.id")
    organization_identifiers = relationship("OrganizationIdentifier", viewonly=True,
                                            order_by="OrganizationIdentifier.id")


class Program(Base):
    __tablename__ = "programs"
    id = _id(primary_key=True)
    organization_id = _ref("organizations.id", index=True)
    name = Column(Text, nullable=False)
    alternate_name = Column(Text)
    description = Column(Text)


class Service(Base):
    __tablename__ = "services"
    id = _id(primary_key=True)
    organization_id = Column(String(ID), ForeignKey("organizations.id"), index=True)
    program_id = _ref("programs.id")
    name = Column(Text, nullable=False)
    alternate_name = Column(Text)
    description = Column(Text)
    url = Column(Text)
    email = Column(String(320))
    status = Column(String(32), nullable=False, default="active", index=True)
    interpretation_services = Column(Text)
    application_process = Column(Text)
    fees_description = Column(Text)
    wait_time = Column(Text)
    fees = Column(Text)
    accreditations = Column(Text)
    eligibility_description = Column(Text)
    minimum_age = Column(Integer)
    maximum_age = Column(Integer)
    assured_date = Column(Date)
    assurer_email = Column(String(320))
    licenses = Column(Text)
    alert = Column(Text)
    last_modified = Column(DateTime(timezone=True))
    local_authority_code = Column(String(16), index=True)  # OneStory: the council, by ONS code
    version = Column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_services_organization_status", "organization_id", "status"),)

    organization = relationship("Organization", back_populates="services")
    phones = relationship("Phone", primaryjoin="Service.id == Phone.service_id", viewonly=True,
                          order_by="Phone.id")
    schedules = relationship("Schedule", primaryjoin="Service.id == Schedule.service_id", viewonly=True,
                             order_by="Schedule.id")
    service_areas = relationship("ServiceArea", primaryjoin="Service.id == ServiceArea.service_id",
                                 viewonly=True, order_by="ServiceArea.id")
    service_at_locations = relationship("ServiceAtLocation", viewonly=True, order_by="ServiceAtLocation.id")
    contacts = relationship("Contact", primaryjoin="Service.id == Contact.service_id", viewonly=True,
                            order_by="Contact.id")
    attributes = relationship(
        "Attribute", viewonly=True, order_by="Attribute.id",
        primaryjoin=lambda: and_(foreign(Attribute.link_id) == Service.id))


class Location(Base):
    __tablename__ = "locations"
    id = _id(primary_key=True)
    location_type = Column(String(16), nullable=False, default="physical")
    url = Column(Text)
    organization_id = _ref("organizations.id", index=True)
    name = Column(Text)
    alternate_name = Column(Text)
    description = Column(Text)
    transportation = Column(Text)
    latitude = Column(Float)
    longitude = Column(Float)
    external_identifier = Column(Text)
    external_identifier_type = Column(Text)

    addresses = relationship("Address", viewonly=True, order_by="Address.id")
    phones = relationship("Phone", primaryjoin="Location.id == Phone.location_id", viewonly=True,
                          order_by="Phone.id")
    schedules = relationship("Schedule", primaryjoin="Location.id == Schedule.location_id", viewonly=True,
                             order_by="Schedule.id")


class Address(Base):
    __tablename__ = "addresses"
    id = _id(primary_key=True)
    location_id = _owner("locations.id", index=True)
    attention = Column(Text)
    address_1 = Column(Text)
    address_2 = Column(Text)
    city = Column(Text)
    region = Column(Text)
    state_province = Column(Text)
    postal_code = Column(String(32), index=True)
    country = Column(String(64))
    address_type = Column(String(16))


class ServiceAtLocation(Base):
    __tablename__ = "service_at_location"
    id = _id(primary_key=True)
    service_id = _owner("services.id", index=True)
    location_id = _owner("locations.id", index=True)
    description = Column(Text)

    service = relationship("Service", viewonly=True)
    location = relationship("Location", viewonly=True)


class Contact(Base):
    __tablename__ = "contacts"
    id = _id(primary_key=True)
    organization_id = _owner("organizations.id", index=True)
    service_id = _owner("services.id", index=True)
    service_at_location_id = _owner("service_at_location.id", index=True)
    location_id = _owner("locations.id", index=True)
    name = Column(Text)
    title = Column(Text)
    department = Column(Text)
    email = Column(String(320))

    phones = relationship("Phone", primaryjoin="Contact.id == Phone.contact_id", viewonly=True,
                          order_by="Phone.id")


class Phone(Base):
    __tablename__ = "phones"
    id = _id(primary_key=True)
    location_id = _owner("locations.id", index=True)
    service_id = _owner("services.id", index=True)
    organization_id = _owner("organizations.id", index=True)
    contact_id = _owner("contacts.id", index=True)
    service_at_location_id = _owner("service_at_location.id", index=True)
    number = Column(String(64), nullable=False)
    extension = Column(String(32))
    type = Column(String(32))
    description = Column(Text)


class Schedule(Base):
    __tablename__ = "schedules"
    id = _id(primary_key=True)
    service_id = _owner("services.id", index=True)
    location_id = _owner("locations.id", index=True)
    service_at_location_id = _owner("service_at_location.id", index=True)
    valid_from = Column(Date)
    valid_to = Column(Date)
    dtstart = Column(Date)
    timezone = Column(Float)  # HSDS 3.0: a UTC offset in hours; empty means the area's own time
    until = Column(Date)
    count = Column(Integer)
    wkst = Column(String(2))
    freq = Column(String(16))
    interval = Column(Integer)
    byday = Column(String(64))
    byweekno = Column(String(255))
    bymonthday = Column(String(255))
    byyearday = Column(String(255))
    description = Column(Text)
    opens_at = Column(Time)
    closes_at = Column(Time)
    schedule_link = Column(Text)
    attending_type = Column(Text)
    notes = Column(Text)


class ServiceArea(Base):
    __tablename__ = "service_areas"
    id = _id(primary_key=True)
    service_id = _owner("services.id", index=True)
    name = Column(Text)
    description = Column(Text)
    extent = Column(Text)
    extent_type = Column(String(32))
    uri = Column(Text)
    service_area = Column(Text)  # ORUK
    service_at_location_id = _owner("service_at_location.id", index=True)  # OneStory

    # A hash index: extents can be long GeoJSON, and coverage lookups are equality (`extent IN ...`).
    __table_args__ = (Index("ix_service_areas_extent", "extent", postgresql_using="hash"),)


class Taxonomy(Base):
    __tablename__ = "taxonomies"
    id = _id(primary_key=True)
    name = Column(String(255), nullable=False, index=True)
    description = Column(Text)
    uri = Column(Text)
    version = Column(String(64))


class TaxonomyTerm(Base):
    __tablename__ = "taxonomy_terms"
    id = _id(primary_key=True)
    code = Column(String(255), index=True)
    name = Column(Text, nullable=False)
    description = Column(Text)
    parent_id = _id(index=True)  # self-reference, checked by the importer
    taxonomy = Column(Text)
    language = Column(String(32))
    taxonomy_id = _ref("taxonomies.id", index=True)
    term_uri = Column(Text)
    term = Column(Text)  # ORUK

    taxonomy_detail = relationship("Taxonomy", viewonly=True)
    synonyms = relationship("TaxonomyTermSynonym", viewonly=True, order_by="TaxonomyTermSynonym.id")


class TaxonomyTermSynonym(Base):
    """OneStory extension: another word for a taxonomy term (matching carers' own words)."""
    __tablename__ = "taxonomy_term_synonyms"
    id = _id(primary_key=True)
    taxonomy_term_id = _owner("taxonomy_terms.id", nullable=False, index=True)
    synonym = Column(Text, nullable=False)


class Attribute(Base):
    __tablename__ = "attributes"
    id = _id(primary_key=True)
    link_id = _id(index=True)  # polymorphic: the id of the row named by link_entity
    taxonomy_term_id = _owner("taxonomy_terms.id", index=True)
    link_type = Column(String(64))
    link_entity = Column(String(64))
    value = Column(Text)
    label = Column(Text)  # HSDS 3.1

    __table_args__ = (Index("ix_attributes_term_entity", "taxonomy_term_id", "link_entity"),)

    taxonomy_term = relationship("TaxonomyTerm", viewonly=True)


class Language(Base):
    __tablename__ = "languages"
    id = _id(primary_key=True)
    service_id = _owner("services.id", index=True)
    location_id = _owner("locations.id", index=True)
    phone_id = _owner("phones.id", index=True)
    name = Column(Text)
    code = Column(String(32))
    note = Column(Text)


class CostOption(Base):
    __tablename__ = "cost_options"
    id = _id(primary_key=True)
    service_id = _owner("services.id", index=True)
    valid_from = Column(Date)
    valid_to = Column(Date)
    option = Column(Text)
    currency = Column(String(8))
    amount = Column(Float)
    amount_description = Column(Text)


class Funding(Base):
    __tablename__ = "funding"
    id = _id(primary_key=True)
    organization_id = _owner("organizations.id", index=True)
    service_id = _owner("services.id", index=True)
    source = Column(Text)


class RequiredDocument(Base):
    __tablename__ = "required_documents"
    id = _id(primary_key=True)
    service_id = _owner("services.id", index=True)
    document = Column(Text)
    uri = Column(Text)


class Accessibility(Base):
    __tablename__ = "accessibility"
    id = _id(primary_key=True)
    location_id = _owner("locations.id", index=True)
    description = Column(Text)
    details = Column(Text)
    url = Column(Text)
    accessibility = Column(Text)  # ORUK


class OrganizationIdentifier(Base):
    __tablename__ = "organization_identifiers"
    id = _id(primary_key=True)
    organization_id = _owner("organizations.id", index=True)
    identifier_scheme = Column(Text)
    identifier_type = Column(Text)
    identifier = Column(Text)


class Metadata(Base):
    __tablename__ = "metadata"
    id = _id(primary_key=True)
    resource_id = _id(index=True)  # polymorphic, like attributes.link_id
    resource_type = Column(String(64))
    last_action_date = Column(String(64))
    last_action_type = Column(Text)
    field_name = Column(Text)
    previous_value = Column(Text)
    replacement_value = Column(Text)
    updated_by = Column(Text)


class MetaTableDescription(Base):
    __tablename__ = "meta_table_descriptions"
    id = _id(primary_key=True)
    name = Column(Text)
    language = Column(String(32))
    character_set = Column(String(64))


# Parents before children: the order rows are written in (and exported in).
MODELS: tuple[type, ...] = (
    Taxonomy, TaxonomyTerm, TaxonomyTermSynonym, Organization, Program, Service, Location,
    ServiceAtLocation, Contact, Phone, Language, Address, Accessibility, Schedule, ServiceArea,
    CostOption, Funding, RequiredDocument, OrganizationIdentifier, Attribute, Metadata,
    MetaTableDescription,
)
TABLES = {model.__tablename__: model.__table__ for model in MODELS}
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)
# Columns OneStory keeps for itself; not part of a feed.
INTERNAL_COLUMNS = {"services": ("version",)}


def _optional_link_indexes_skip_empty_rows() -> list[tuple[str, str, str]]:
    """The single-column indexes on optional links index only the rows that have a link.

    Most of a feed's rows leave most links empty (a phone belongs to a service, not to a contact,
    a location and an organisation as well). Indexed whole, such an index holds one key shared by
    nearly every row, and SQLite's statistics (ANALYZE, run after each import) then tell its
    planner that looking a link up costs a scan of the table: the phones of a service's contacts
    took 15-30 ms on 100,000 services instead of well under one. Indexed only where set, the
    statistics are right, imports write fewer index entries, and a lookup by a link (which is never
    NULL) still uses the index on SQLite and PostgreSQL alike. Returns (table, index, column).
    """
    changed = []
    for model in MODELS:
        table = model.__table__
        for index in table.indexes:
            columns = list(index.columns)
            link = len(columns) == 1 and (columns[0].foreign_keys or columns[0].name.endswith("_id"))
            if not link or index.unique or not columns[0].nullable:
                continue
            column = columns[0]
            index.dialect_kwargs["sqlite_where"] = column.isnot(None)
            index.dialect_kwargs["postgresql_where"] = column.isnot(None)
            changed.append((table.name, index.name, column.name))
    return sorted(changed)


OPTIONAL_LINK_INDEXES = _optional_link_indexes_skip_empty_rows()
