"""The directory's indexes on optional links hold only the rows that have a link, so that the
statistics ANALYZE takes after an import do not tell SQLite's planner that a look-up by a link
costs a scan of the table (a service's contacts' phones took 15-30 ms on 100,000 services)."""
from __future__ import annotations

import uuid

from sqlalchemy import text

from bot import db as dbmod
from bot.directory import models as d


def test_every_optional_link_index_skips_rows_without_a_link():
    assert ("phones", "ix_phones_contact_id", "contact_id") in d.OPTIONAL_LINK_INDEXES
    assert ("service_areas", "ix_service_areas_service_id", "service_id") in d.OPTIONAL_LINK_INDEXES
    for table, name, column in d.OPTIONAL_LINK_INDEXES:
        (index,) = [i for i in d.TABLES[table].indexes if i.name == name]
        assert str(index.dialect_options["sqlite"]["where"]) == f"{table}.{column} IS NOT NULL"
        assert str(index.dialect_options["postgresql"]["where"]) == f"{table}.{column} IS NOT NULL"
    # Required links (every row has one) and several-column indexes are left whole.
    assert not any(name == "ix_taxonomy_term_synonyms_taxonomy_term_id" for _, name, _ in d.OPTIONAL_LINK_INDEXES)


def test_a_phone_lookup_by_contact_uses_its_index_after_analyze_with_no_contacts(db):
    with dbmod.engine().begin() as connection:
        connection.execute(text("INSERT INTO phones (id, number) VALUES (:id, '0300 123 4567')"),
                           [{"id": str(uuid.uuid4())} for _ in range(300)])
        if connection.dialect.name != "sqlite":
            return  # PostgreSQL's statistics count the NULLs apart; the index is the same
        connection.execute(text("ANALYZE"))
        plan = " ".join(str(row[-1]) for row in connection.execute(
            text("EXPLAIN QUERY PLAN SELECT number FROM phones WHERE contact_id IN (:a, :b)"),
            {"a": "c1", "b": "c2"}))
    assert "USING INDEX ix_phones_contact_id" in plan, plan
