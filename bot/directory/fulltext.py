"""Full-text search over the directory, with each database's own engine.

`service_search` holds one document per service: a title (the service's and its organisation's
names) and a body (descriptions, eligibility, and the names and synonyms of every taxonomy term
linked to the service, the feed's own and OneStory's). Accents are folded so "café" finds "cafe".
The importer and the maintainers' edits keep it in sync (`refresh`).

- SQLite: an FTS5 table over `service_search` (external content, porter stemming), kept in step
  by triggers; ranked by bm25 with the title weighted ten times the body.
- PostgreSQL: a stored, generated `document` column (the title's words weighted A, the body's D)
  with a GIN index; ranked by `ts_rank_cd`. Stored so that ranking reads the words instead of
  parsing every matching text again (that parsing was most of a search's time). A search within
  one council reads that council's documents first and checks the query against them: a wide OR
  of a need's phrases matches thousands of documents across the country, which cost more to
  gather from the GIN index than the thousand-odd documents of one council cost to check.

`match(conn, terms, authority)` returns (service id, relevance) best first, where `terms` are
phrases (lists of words) any of which may match. Relevance is only comparable within one query.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Optional

from sqlalchemy import DDL, Column, ForeignKey, Integer, String, Text, event, select, text
from sqlalchemy.engine import Connection

from bot.db import Base
from bot.directory import models as d

FTS_TABLE = "service_search_fts"
CHUNK = 500


class ServiceDocument(Base):
    __tablename__ = "service_search"

    # An integer key: SQLite's FTS5 external-content table addresses rows by it.
    id = Column(Integer, primary_key=True, autoincrement=True)
    service_id = Column(String(255), ForeignKey("services.id", ondelete="CASCADE"), nullable=False,
                        unique=True)
    local_authority_code = Column(String(16), index=True)
    title = Column(Text, nullable=False)
    body = Column(Text, nullable=False)


# The same statements run from the migration (which copies them) and from create_all (tests).
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, body, local_authority_code, "
    "content='service_search', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS service_search_ai AFTER INSERT ON service_search BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body, local_authority_code) "
    "VALUES (new.id, new.title, new.body, new.local_authority_code); END",
    f"CREATE TRIGGER IF NOT EXISTS service_search_ad AFTER DELETE ON service_search BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, local_authority_code) "
    "VALUES ('delete', old.id, old.title, old.body, old.local_authority_code); END",
    f"CREATE TRIGGER IF NOT EXISTS service_search_au AFTER UPDATE ON service_search BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, local_authority_code) "
    "VALUES ('delete', old.id, old.title, old.body, old.local_authority_code); "
    f"INSERT INTO {FTS_TABLE}(rowid, title, body, local_authority_code) "
    "VALUES (new.id, new.title, new.body, new.local_authority_code); END",
)
PG_DOCUMENT = ("setweight(to_tsvector('english'::regconfig, title), 'A') || "
               "setweight(to_tsvector('english'::regconfig, body), 'D')")
POSTGRESQL_DDL = (
    f"ALTER TABLE service_search ADD COLUMN IF NOT EXISTS document tsvector GENERATED ALWAYS AS ({PG_DOCUMENT}) STORED",
    "CREATE INDEX IF NOT EXISTS ix_service_search_document ON service_search USING gin (document)",
)
# What POSTGRESQL_DDL adds outside the model (a schema comparison leaves them out).
POSTGRESQL_ONLY = {("column", "document"), ("index", "ix_service_search_document")}
SQLITE_DROP = (f"DROP TABLE IF EXISTS {FTS_TABLE}",)

_table = ServiceDocument.__table__
for _statement in SQLITE_DDL:
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_DDL:
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
for _statement in SQLITE_DROP:
    event.listen(_table, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------
def fold(value: Optional[str]) -> str:
    """Lower case without accents, whitespace squeezed: 'Café  Néo' -> 'cafe neo'."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def _chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _documents(conn: Connection, service_rows: list) -> list[dict]:
    """Build the documents for these services (rows of id, name, ...) with bulk lookups."""
    org, attr, term, syn = (d.TABLES[t] for t in ("organizations", "attributes", "taxonomy_terms",
                                                   "taxonomy_term_synonyms"))
    ids = [r.id for r in service_rows]
    org_ids = sorted({r.organization_id for r in service_rows if r.organization_id})
    orgs: dict[str, str] = {}
    for chunk in _chunks(org_ids):
        for oid, name, alternate in conn.execute(select(org.c.id, org.c.name, org.c.alternate_name)
                                                 .where(org.c.id.in_(chunk))):
            orgs[oid] = " ".join(p for p in (name, alternate) if p)
    terms_of: dict[str, list[str]] = {}
    term_ids: set[str] = set()
    for chunk in _chunks(ids):
        for link_id, term_id in conn.execute(select(attr.c.link_id, attr.c.taxonomy_term_id).where(
                attr.c.link_id.in_(chunk), attr.c.taxonomy_term_id.isnot(None))):
            terms_of.setdefault(link_id, []).append(term_id)
            term_ids.add(term_id)
    words: dict[str, list[str]] = {}
    ordered = sorted(term_ids)
    for chunk in _chunks(ordered):
        for tid, name, term_text in conn.execute(select(term.c.id, term.c.name, term.c.term)
                                                 .where(term.c.id.in_(chunk))):
            words.setdefault(tid, []).extend(p for p in (name, term_text) if p)
        for tid, synonym in conn.execute(select(syn.c.taxonomy_term_id, syn.c.synonym)
                                         .where(syn.c.taxonomy_term_id.in_(chunk))):
            words.setdefault(tid, []).append(synonym)
    out = []
    for r in service_rows:
        title = " ".join(p for p in (r.name, r.alternate_name, orgs.get(r.organization_id)) if p)
        term_words = [w for tid in terms_of.get(r.id, []) for w in words.get(tid, [])]
        body = " ".join(p for p in (r.description, r.eligibility_description, *term_words) if p)
        out.append({"service_id": r.id, "local_authority_code": r.local_authority_code,
                    "title": fold(title), "body": fold(body)})
    return out


def _service_rows(conn: Connection, ids: Optional[Sequence[str]]):
    s = d.TABLES["services"]
    columns = (s.c.id, s.c.name, s.c.alternate_name, s.c.description, s.c.eligibility_description,
               s.c.organization_id, s.c.local_authority_code)
    if ids is None:
        yield from conn.execute(select(*columns).order_by(s.c.id))
        return
    for chunk in _chunks(sorted(set(ids))):
        yield from conn.execute(select(*columns).where(s.c.id.in_(chunk)))


def refresh(conn: Connection, service_ids: Optional[Iterable[str]] = None) -> int:
    """Rebuild the documents of these services (all services when None). Never commits."""
    ids = None if service_ids is None else sorted(set(service_ids))
    if ids is not None and not ids:
        return 0
    if ids is None:
        conn.execute(_table.delete())
    else:
        for chunk in _chunks(ids):
            conn.execute(_table.delete().where(_table.c.service_id.in_(chunk)))
    written = 0
    batch: list = []
    for row in _service_rows(conn, ids):
        batch.append(row)
        if len(batch) >= 5000:
            written += _write(conn, batch)
            batch = []
    if batch:
        written += _write(conn, batch)
    return written


def _write(conn: Connection, rows: list) -> int:
    documents = _documents(conn, rows)
    if documents:
        conn.execute(_table.insert(), documents)
    return len(documents)


def services_touching(conn: Connection, changed: dict[str, set[str]]) -> Optional[set[str]]:
    """Services whose documents a change to these rows (table -> ids) affects; None means all
    (a taxonomy term or synonym changed, which many services may share)."""
    if changed.get("taxonomy_terms") or changed.get("taxonomy_term_synonyms"):
        return None
    affected = set(changed.get("services", ()))
    s = d.TABLES["services"]
    org_ids = sorted(changed.get("organizations", ()))
    for chunk in _chunks(org_ids):
        affected.update(conn.execute(select(s.c.id).where(s.c.organization_id.in_(chunk))).scalars())
    affected.update(changed.get("attribute_links", ()))
    return affected


# ---------------------------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------------------------
_WORD = re.compile(r"[a-z0-9]+")


def words(value: str) -> list[str]:
    return _WORD.findall(fold(value))


def match(conn: Connection, terms: Sequence[Sequence[str]], authority: Optional[str] = None,
          limit: int = 50) -> list[tuple[str, float]]:
    """(service id, relevance) for documents matching any of the phrases, best first."""
    phrases = distinct_phrases([[w for w in map(fold, phrase) if _WORD.fullmatch(w)] for phrase in terms])
    if not phrases:
        return []
    if conn.dialect.name == "postgresql":
        return _match_postgresql(conn, phrases, authority, limit)
    return _match_sqlite(conn, phrases, authority, limit)


def distinct_phrases(phrases: Sequence[Sequence[str]]) -> list[list[str]]:
    """The phrases once each, in order. A phrase that holds another one ("hospital discharge"
    beside "discharge") matches no more documents, but it ranks the documents that say it higher,
    so it stays."""
    return [list(p) for p in dict.fromkeys(tuple(p) for p in phrases if p)]


def _match_sqlite(conn: Connection, phrases: list[list[str]], authority: Optional[str],
                  limit: int) -> list[tuple[str, float]]:
    query = " OR ".join('"' + " ".join(p) + '"' for p in phrases)
    if authority:
        query = f'local_authority_code : "{authority.lower()}" AND ({query})'
    rows = conn.execute(text(
        f"SELECT s.service_id, bm25({FTS_TABLE}, 10.0, 1.0, 0.0) AS score FROM {FTS_TABLE} "
        f"JOIN service_search s ON s.id = {FTS_TABLE}.rowid WHERE {FTS_TABLE} MATCH :query "
        "ORDER BY score LIMIT :limit"), {"query": query, "limit": limit}).all()
    return [(service_id, -score) for service_id, score in rows]  # bm25: lower is better


def _match_postgresql(conn: Connection, phrases: list[list[str]], authority: Optional[str],
                      limit: int) -> list[tuple[str, float]]:
    query = " | ".join("(" + " <-> ".join(p) + ")" for p in phrases)
    # One council's documents first (MATERIALIZED keeps the planner from gathering the whole
    # country's matches from the GIN index and intersecting them); all councils through the index.
    source = "council" if authority else "service_search"
    council = ("WITH council AS MATERIALIZED (SELECT service_id, document FROM service_search "
               "WHERE local_authority_code = :authority) " if authority else "")
    rows = conn.execute(text(
        f"{council}SELECT service_id, ts_rank_cd(document, q) AS score "
        f"FROM {source}, to_tsquery('english'::regconfig, :query) AS q "
        "WHERE document @@ q ORDER BY score DESC, service_id LIMIT :limit"),
        {"query": query, "authority": authority, "limit": limit}).all()
    return [(service_id, float(score)) for service_id, score in rows]
