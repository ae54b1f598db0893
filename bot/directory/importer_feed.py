"""What a feed is once read: raw rows per table, where each came from, and which tables and
child lists the feed carries (only those are replaced on import). Shared by the readers."""
from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Optional

from bot.directory.importer_skips import RecordRef
from bot.directory.models import TABLE_ORDER
from bot.directory.validation import Report, Row


@dataclass
class RawRow:
    table: str
    file: str
    row: Row
    data: dict[str, Any]
    record: Optional[RecordRef] = None  # the top-level object or CSV row it belongs to


@dataclass
class Feed:
    source: str
    kind: str  # "datapackage" or "json"
    rows: dict[str, list[RawRow]] = field(default_factory=dict)
    # Tables the feed carries (a CSV present, or a JSON list given): only these are replaced.
    tables_present: set[str] = field(default_factory=set)
    # JSON only: child table -> parent table -> ids of parents whose list of such children was given.
    listed: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def add(self, table: str, file: str, row: Row, data: dict[str, Any],
            record: Optional[RecordRef] = None) -> None:
        self.rows.setdefault(table, []).append(RawRow(table, file, row, data, record))
        self.tables_present.add(table)

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def _key(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


_ALIASES: dict[str, str] = {t: t for t in TABLE_ORDER}
_ALIASES.update({
    "organization": "organizations", "program": "programs", "service": "services",
    "location": "locations", "address": "addresses", "accessibilities": "accessibility",
    "accessibility_for_disabilities": "accessibility", "service_at_locations": "service_at_location",
    "services_at_location": "service_at_location", "services_at_locations": "service_at_location",
    "contact": "contacts", "phone": "phones", "schedule": "schedules", "service_area": "service_areas",
    "taxonomy": "taxonomies", "taxonomy_term": "taxonomy_terms", "taxonomy_term_synonym":
    "taxonomy_term_synonyms", "synonyms": "taxonomy_term_synonyms", "attribute": "attributes",
    "language": "languages", "cost_option": "cost_options", "fundings": "funding",
    "required_document": "required_documents", "organization_identifier": "organization_identifiers",
    "meta_table_description": "meta_table_descriptions",
})


def table_for(name: str) -> Optional[str]:
    """The table a resource name or file name (with or without .csv) stands for."""
    stem = _key(posixpath.basename(name.replace("\\", "/")))
    if stem.endswith(".csv"):
        stem = stem[:-4]
    return _ALIASES.get(stem)


def decode(data: bytes, name: str, report: Report) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        report.warning(name, None, None, "not UTF-8; read as Windows-1252")
    if "\x00" in text:
        report.warning(name, None, None, "NUL characters removed")
        text = text.replace("\x00", "")
    return text



def iter_rows(feed: Feed) -> Iterator[RawRow]:
    for table in TABLE_ORDER:
        yield from feed.rows.get(table, [])
