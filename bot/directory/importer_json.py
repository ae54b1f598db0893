"""Reading ORUK / HSDS JSON into raw rows: one full object, a list, a paginated page (ORUK 3.0's
{"contents": [...]} or ORUK 1.0's {"content": [...]}), or the HSDS `tabular.json` form. Nested
objects are flattened into their tables, each row remembering the top-level record it came from.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from bot.directory import oruk1
from bot.directory.importer_feed import Feed, decode, table_for
from bot.directory.importer_skips import RecordRef, record_of
from bot.directory.validation import ENTITY_TABLES, Report, content_id

# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------
CHILDREN = "children"   # a list of rows that point back at the parent: child[column] = parent.id
SINGLE = "single"       # one object the parent points at: parent[column] = child.id

_COMMON = {"attributes": ("attributes", CHILDREN, "link_id"),
           "metadata": ("metadata", CHILDREN, "resource_id")}
NESTED: dict[str, dict[str, tuple[str, str, str]]] = {
    "services": {
        "organization": ("organizations", SINGLE, "organization_id"),
        "program": ("programs", SINGLE, "program_id"),
        "phones": ("phones", CHILDREN, "service_id"),
        "schedules": ("schedules", CHILDREN, "service_id"),
        "service_areas": ("service_areas", CHILDREN, "service_id"),
        "service_at_locations": ("service_at_location", CHILDREN, "service_id"),
        "languages": ("languages", CHILDREN, "service_id"),
        "funding": ("funding", CHILDREN, "service_id"),
        "cost_options": ("cost_options", CHILDREN, "service_id"),
        "required_documents": ("required_documents", CHILDREN, "service_id"),
        "contacts": ("contacts", CHILDREN, "service_id"),
    },
    "service_at_location": {
        "service": ("services", SINGLE, "service_id"),
        "location": ("locations", SINGLE, "location_id"),
        "contacts": ("contacts", CHILDREN, "service_at_location_id"),
        "phones": ("phones", CHILDREN, "service_at_location_id"),
        "schedules": ("schedules", CHILDREN, "service_at_location_id"),
        "service_areas": ("service_areas", CHILDREN, "service_at_location_id"),
    },
    "locations": {
        "languages": ("languages", CHILDREN, "location_id"),
        "addresses": ("addresses", CHILDREN, "location_id"),
        "contacts": ("contacts", CHILDREN, "location_id"),
        "accessibility": ("accessibility", CHILDREN, "location_id"),
        "phones": ("phones", CHILDREN, "location_id"),
        "schedules": ("schedules", CHILDREN, "location_id"),
        "service_at_locations": ("service_at_location", CHILDREN, "location_id"),
    },
    "organizations": {
        "funding": ("funding", CHILDREN, "organization_id"),
        "contacts": ("contacts", CHILDREN, "organization_id"),
        "phones": ("phones", CHILDREN, "organization_id"),
        "locations": ("locations", CHILDREN, "organization_id"),
        "programs": ("programs", CHILDREN, "organization_id"),
        "organization_identifiers": ("organization_identifiers", CHILDREN, "organization_id"),
        "services": ("services", CHILDREN, "organization_id"),
    },
    "contacts": {"phones": ("phones", CHILDREN, "contact_id")},
    "phones": {"languages": ("languages", CHILDREN, "phone_id")},
    "attributes": {"taxonomy_term": ("taxonomy_terms", SINGLE, "taxonomy_term_id")},
    "taxonomy_terms": {"taxonomy_detail": ("taxonomies", SINGLE, "taxonomy_id")},
    "taxonomies": {"taxonomy_terms": ("taxonomy_terms", CHILDREN, "taxonomy_id")},
}
# Lists whose members are other rows, not owned children: listing them does not replace others.
_NOT_OWNED = {("organizations", "services"), ("organizations", "locations"), ("organizations", "programs"),
              ("taxonomies", "taxonomy_terms"), ("locations", "service_at_locations")}
_ENTITY_OF = {table: entity for entity, table in ENTITY_TABLES.items()}

_HINTS = (("service_at_location", "service_at_location"), ("taxonomy_term", "taxonomy_terms"),
          ("taxonom", "taxonomies"), ("organization", "organizations"), ("organisation", "organizations"),
          ("location", "locations"), ("service", "services"))


def guess_table(obj: dict[str, Any], hint: Optional[str] = None) -> Optional[str]:
    """Which HSDS object a top-level JSON object is."""
    if hint:
        return hint
    keys = set(obj)
    if "location" in keys and ("service" in keys or "service_id" in keys):
        return "service_at_location"
    if keys & {"status", "service_areas", "service_at_locations", "eligibility_description",
               "cost_options", "required_documents", "fees_description", "assured_date"}:
        return "services"
    if keys & {"location_type", "addresses", "accessibility", "latitude"}:
        return "locations"
    if "taxonomy_terms" in keys or ("version" in keys and "name" in keys and not keys & {"organization"}):
        return "taxonomies"
    if keys & {"taxonomy_detail", "term_uri", "parent_id", "taxonomy_id", "code", "term", "synonyms"}:
        return "taxonomy_terms"
    if keys & {"services", "organization_identifiers", "website", "legal_status", "tax_status",
               "year_incorporated", "logo", "parent_organization_id", "locations", "programs"}:
        return "organizations"
    return None


def read_json(data: bytes, name: str, report: Report, kind: Optional[str] = None) -> Feed:
    feed = Feed(name, "json")
    try:
        document = json.loads(decode(data, name, report))
    except json.JSONDecodeError as error:
        report.error(name, error.lineno, None, f"not valid JSON: {error.msg} (line {error.lineno}, "
                                                f"column {error.colno})")
        return feed
    except (RecursionError, ValueError) as error:
        report.error(name, None, None, f"not valid JSON: {error}")
        return feed
    hint = table_for(kind) if kind else None
    if hint is None:
        lowered = name.lower()
        hint = next((table for marker, table in _HINTS if marker in lowered), None)
    if isinstance(document, dict) and document and all(str(k).lower().endswith(".csv") for k in document):
        feed.kind = "datapackage"
        return _read_tabular_json(feed, document, name, report)
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        items, prefix = document["contents"], "$.contents"
    elif oruk1.is_page(document):  # the ORUK 1.0 API's page: {"content": [...], "totalElements": ...}
        items, prefix = document["content"], "$.content"
    elif isinstance(document, list):
        items, prefix = document, "$"
    elif isinstance(document, dict):
        items, prefix = [document], None
    else:
        report.error(name, None, None, "expected a JSON object, a list of objects or a page with contents")
        return feed
    flattener = _Flattener(feed, name, report)
    for index, item in enumerate(items):
        path = f"{prefix}[{index}]" if prefix else "$"
        if not isinstance(item, dict):
            report.error(name, path, None, "not a JSON object")
            continue
        table = guess_table(item) or hint
        if table is None:
            table = "services"
            report.warning(name, path, None, "could not tell what kind of object this is; read as a service")
        elif hint and table != hint and guess_table(item) is not None and index == 0:
            report.warning(name, path, None, f"file name suggests {hint} but the object looks like {table}")
        feed.tables_present.add(table)
        if table == "services" and oruk1.is_v1_service(item):
            item = oruk1.to_hsds3(item)
        flattener.flatten(item, table, path, record=record_of(item, name, index + 1, table))
    if not feed.rows:
        report.error(name, None, None, "no directory records found")
    return feed


def _read_tabular_json(feed: Feed, document: dict[str, Any], name: str, report: Report) -> Feed:
    for key, rows in document.items():
        table = table_for(key)
        if table is None:
            report.warning(name, key, None, "unknown resource; ignored")
            continue
        if not isinstance(rows, list):
            report.error(name, key, None, "expected a list of rows")
            continue
        feed.tables_present.add(table)
        for index, row in enumerate(rows):
            if isinstance(row, dict):
                feed.add(table, name, f"{key}[{index}]", row, record_of(row, name, index + 1, table))
            else:
                report.error(name, f"{key}[{index}]", None, "not a JSON object")
    return feed


class _Flattener:
    def __init__(self, feed: Feed, file: str, report: Report) -> None:
        self.feed, self.file, self.report = feed, file, report

    def flatten(self, obj: dict[str, Any], table: str, path: str,
                links: Optional[dict[str, Any]] = None, depth: int = 0,
                record: Optional[RecordRef] = None) -> Optional[str]:
        if depth > 12:
            self.report.error(self.file, path, None, "nested too deeply", table=table)
            return None
        nested = {**_COMMON, **NESTED.get(table, {})}
        row = {k: v for k, v in obj.items() if k not in nested and k != "synonyms"}
        for column, value in (links or {}).items():
            if row.get(column) in (None, ""):
                row[column] = value
        # Objects this one points at come first, so their ids can be filled in.
        for key, (child_table, mode, column) in nested.items():
            if mode == SINGLE and isinstance(obj.get(key), dict):
                child_id = self.flatten(obj[key], child_table, f"{path}.{key}", None, depth + 1, record)
                if child_id and row.get(column) in (None, ""):
                    row[column] = child_id
        if row.get("id") in (None, ""):
            row["id"] = content_id(table, row)
            self.report.warning(self.file, path, "id", f"missing id; generated {row['id']} from the "
                                "object's content", table=table, code="missing-id")
        row_id = str(row["id"]).strip()
        self.feed.add(table, self.file, path, row, record)
        for key, (child_table, mode, column) in nested.items():
            value = obj.get(key)
            if mode != CHILDREN or key not in obj:
                continue
            if value is None:
                value = []
            if not isinstance(value, list):
                self.report.error(self.file, f"{path}.{key}", key, "expected a list", table=table)
                continue
            self.feed.tables_present.add(child_table)
            if (table, key) not in _NOT_OWNED:
                self.feed.listed.setdefault(child_table, {}).setdefault(table, set()).add(row_id)
            child_links: dict[str, Any] = {column: row_id}
            if child_table == "attributes":
                child_links["link_entity"] = _ENTITY_OF.get(table)
            elif child_table == "metadata":
                child_links["resource_type"] = _ENTITY_OF.get(table)
            for index, child in enumerate(value):
                child_path = f"{path}.{key}[{index}]"
                if isinstance(child, dict):
                    self.flatten(child, child_table, child_path, child_links, depth + 1, record)
                else:
                    self.report.error(self.file, child_path, key, "not a JSON object", table=table)
        if table == "taxonomy_terms" and "synonyms" in obj:
            self._synonyms(obj["synonyms"], row_id, path, record)
        return row_id

    def _synonyms(self, synonyms: Any, term_id: str, path: str, record: Optional[RecordRef]) -> None:
        self.feed.tables_present.add("taxonomy_term_synonyms")
        listed = self.feed.listed.setdefault("taxonomy_term_synonyms", {})
        listed.setdefault("taxonomy_terms", set()).add(term_id)
        for index, item in enumerate(synonyms if isinstance(synonyms, list) else []):
            row = dict(item) if isinstance(item, dict) else {"synonym": item}
            row.setdefault("taxonomy_term_id", term_id)
            if row.get("id") in (None, ""):
                row["id"] = content_id("taxonomy_term_synonyms", row)
            self.feed.add("taxonomy_term_synonyms", self.file, f"{path}.synonyms[{index}]", row, record)


