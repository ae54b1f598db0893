"""Reading directory feeds into raw rows: HSDS tabular datapackages (directory or .zip) and
ORUK / HSDS JSON (one full object, a list, a paginated {"contents": [...]} page, or the HSDS
`tabular.json` form). Nothing here raises on bad input: problems go into the report.
"""
from __future__ import annotations

import csv
import io
import json
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from bot.directory.models import TABLE_ORDER
from bot.directory.validation import ENTITY_TABLES, Report, Row, content_id

csv.field_size_limit(64 * 1024 * 1024)  # GeoJSON extents can be large

MAX_ARCHIVE_BYTES = 4 * 1024 ** 3


@dataclass
class RawRow:
    table: str
    file: str
    row: Row
    data: dict[str, Any]


@dataclass
class Feed:
    source: str
    kind: str  # "datapackage" or "json"
    rows: dict[str, list[RawRow]] = field(default_factory=dict)
    # Tables the feed carries (a CSV present, or a JSON list given): only these are replaced.
    tables_present: set[str] = field(default_factory=set)
    # JSON only: child table -> parent table -> ids of parents whose list of such children was given.
    listed: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def add(self, table: str, file: str, row: Row, data: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(RawRow(table, file, row, data))
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


# ---------------------------------------------------------------------------------------------
# Files: a directory or a zip archive, seen as relative posix paths.
# ---------------------------------------------------------------------------------------------
class _Files:
    def __init__(self, names: list[str]) -> None:
        self.names = names

    def read(self, name: str) -> bytes:
        raise NotImplementedError


class _DirFiles(_Files):
    def __init__(self, root: Path) -> None:
        self.root = root
        names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        super().__init__(names)

    def read(self, name: str) -> bytes:
        return (self.root / name).read_bytes()


class _ZipFiles(_Files):
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        names = sorted(i.filename for i in archive.infolist()
                       if not i.is_dir() and not i.filename.startswith("__MACOSX/"))
        super().__init__(names)

    def read(self, name: str) -> bytes:
        return self.archive.read(name)


def read_feed(source: str | Path, report: Report, kind: Optional[str] = None,
              name: Optional[str] = None) -> Feed:
    """Read a datapackage directory, a .zip, a datapackage.json, a .csv or a JSON file.
    `name` is what the report calls the file (an upload's own name), when not its path's."""
    path = Path(source)
    name = name or path.name
    if not path.exists():
        report.error(name, None, None, f"no such file or directory: {path}")
        return Feed(str(source), "none")
    if path.is_dir():
        return read_datapackage(_DirFiles(path), name, report)
    if path.name.lower() == "datapackage.json":
        return read_datapackage(_DirFiles(path.parent), path.parent.name, report)
    try:
        data = path.read_bytes()
    except OSError as error:
        report.error(name, None, None, f"cannot read the file: {error}")
        return Feed(str(source), "none")
    if not data.strip():
        report.error(name, None, None, "the file is empty")
        return Feed(str(source), "none")
    if zipfile.is_zipfile(io.BytesIO(data)) or path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            if sum(i.file_size for i in archive.infolist()) > MAX_ARCHIVE_BYTES:
                report.error(name, None, None, "the archive unpacks to more than 4 GB")
                return Feed(str(source), "none")
            bad = archive.testzip()
            if bad is not None:
                report.error(name, None, bad, "corrupt member in the zip archive")
                return Feed(str(source), "none")
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
            report.error(name, None, None, f"not a readable zip archive: {error}")
            return Feed(str(source), "none")
        return read_datapackage(_ZipFiles(archive), name, report)
    if path.suffix.lower() == ".csv":
        table = table_for(name)
        feed = Feed(str(source), "datapackage")
        if table is None:
            report.error(name, None, None, "the file name does not name an HSDS table (e.g. services.csv)")
            return feed
        _read_csv(feed, table, name, data, report)
        return feed
    return read_json(data, name, report, kind=kind)


# ---------------------------------------------------------------------------------------------
# Datapackages
# ---------------------------------------------------------------------------------------------
def read_datapackage(files: _Files, label: str, report: Report) -> Feed:
    feed = Feed(label, "datapackage")
    descriptors = sorted((n for n in files.names if posixpath.basename(n).lower() == "datapackage.json"),
                         key=lambda n: (n.count("/"), n))
    base = ""
    resources: list[tuple[str, str]] = []  # (table, file)
    if descriptors:
        descriptor = descriptors[0]
        base = posixpath.dirname(descriptor)
        resources = _resources_from_descriptor(files, descriptor, base, report)
    if not resources:
        csvs = [n for n in files.names if n.lower().endswith(".csv")]
        if not descriptors and csvs:
            base = min((posixpath.dirname(n) for n in csvs), key=lambda d: (d.count("/"), d))
        for name in csvs:
            if posixpath.dirname(name) != base:
                continue
            table = table_for(name)
            if table is None:
                report.warning(name, None, None, "unknown resource; ignored")
            else:
                resources.append((table, name))
        if not resources:
            report.error(label, None, None, "no datapackage.json resources and no HSDS CSV files found")
            return feed
    seen: dict[str, str] = {}
    for table, name in resources:
        if table in seen:
            report.warning(name, None, None, f"a second file for {table} (after {seen[table]}); both read")
        seen.setdefault(table, name)
        try:
            data = files.read(name)
        except KeyError:
            report.error(name, None, None, "listed in datapackage.json but the file is missing")
            continue
        except (OSError, zipfile.BadZipFile, EOFError, ValueError) as error:
            report.error(name, None, None, f"cannot read the file: {error}")
            continue
        _read_csv(feed, table, name, data, report)
    return feed


def _resources_from_descriptor(files: _Files, descriptor: str, base: str,
                               report: Report) -> list[tuple[str, str]]:
    try:
        package = json.loads(files.read(descriptor).decode("utf-8-sig"))
        items = package["resources"]
        if not isinstance(items, list):
            raise TypeError("resources is not a list")
    except Exception as error:  # noqa: BLE001 - any unreadable descriptor is reported the same way
        report.warning(descriptor, None, None,
                       f"datapackage.json is not a usable descriptor ({type(error).__name__}); "
                       "reading the CSV files by name instead")
        return []
    resources: list[tuple[str, str]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            report.warning(descriptor, f"resources[{index}]", None, "not a resource object; ignored")
            continue
        paths = item.get("path")
        paths = paths if isinstance(paths, list) else [paths] if isinstance(paths, str) else []
        if "data" in item and not paths:
            report.warning(descriptor, f"resources[{index}]", "data", "inline data is not supported; ignored")
            continue
        table = table_for(str(item.get("name") or "")) or (table_for(paths[0]) if paths else None)
        if table is None:
            report.warning(descriptor, f"resources[{index}]", "name",
                           f"unknown resource {item.get('name')!r}; ignored")
            continue
        for p in paths:
            if "://" in p:
                report.warning(descriptor, f"resources[{index}]", "path", "remote paths are not fetched")
                continue
            resources.append((table, posixpath.normpath(posixpath.join(base, p))))
    return resources


def _decode(data: bytes, name: str, report: Report) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        report.warning(name, None, None, "not UTF-8; read as Windows-1252")
    if "\x00" in text:
        report.warning(name, None, None, "NUL characters removed")
        text = text.replace("\x00", "")
    return text


def _read_csv(feed: Feed, table: str, name: str, data: bytes, report: Report) -> None:
    text = _decode(data, name, report)
    feed.tables_present.add(table)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header: Optional[list[str]] = None
        for record in reader:
            if any(cell.strip() for cell in record):
                header = [cell.strip().lstrip("\ufeff").strip().lower() for cell in record]
                break
        if header is None:
            report.warning(name, None, None, "the file has no header and no rows", table=table)
            return
        counts: dict[str, int] = {}
        for column in header:
            counts[column] = counts.get(column, 0) + 1
        for column, count in counts.items():
            if count > 1:
                report.error(name, 1, column, "column appears more than once", table=table)
        if "" in counts:
            report.warning(name, 1, None, "a column has no name; its values are ignored", table=table)
        width = len(header)
        rows = feed.rows.setdefault(table, [])
        for record in reader:
            if not record or not any(record):
                continue
            if len(record) > width and any(cell.strip() for cell in record[width:]):
                report.warning(name, reader.line_num, None,
                               f"{len(record)} values for {width} columns; the extra ones are ignored",
                               table=table, code="width")
            values = dict(zip(header, record, strict=False))
            values.pop("", None)
            if not any(v.strip() for v in values.values()):
                continue
            rows.append(RawRow(table, name, reader.line_num, values))
    except csv.Error as error:
        report.error(name, reader.line_num, None, f"CSV could not be read: {error}", table=table)


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
        document = json.loads(_decode(data, name, report))
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
        flattener.flatten(item, table, path)
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
                feed.add(table, name, f"{key}[{index}]", row)
            else:
                report.error(name, f"{key}[{index}]", None, "not a JSON object")
    return feed


class _Flattener:
    def __init__(self, feed: Feed, file: str, report: Report) -> None:
        self.feed, self.file, self.report = feed, file, report

    def flatten(self, obj: dict[str, Any], table: str, path: str,
                links: Optional[dict[str, Any]] = None, depth: int = 0) -> Optional[str]:
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
                child_id = self.flatten(obj[key], child_table, f"{path}.{key}", None, depth + 1)
                if child_id and row.get(column) in (None, ""):
                    row[column] = child_id
        if row.get("id") in (None, ""):
            row["id"] = content_id(table, row)
            self.report.warning(self.file, path, "id", f"missing id; generated {row['id']} from the "
                                "object's content", table=table, code="missing-id")
        row_id = str(row["id"]).strip()
        self.feed.add(table, self.file, path, row)
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
                    self.flatten(child, child_table, child_path, child_links, depth + 1)
                else:
                    self.report.error(self.file, child_path, key, "not a JSON object", table=table)
        if table == "taxonomy_terms" and "synonyms" in obj:
            self._synonyms(obj["synonyms"], row_id, path)
        return row_id

    def _synonyms(self, synonyms: Any, term_id: str, path: str) -> None:
        self.feed.tables_present.add("taxonomy_term_synonyms")
        listed = self.feed.listed.setdefault("taxonomy_term_synonyms", {})
        listed.setdefault("taxonomy_terms", set()).add(term_id)
        for index, item in enumerate(synonyms if isinstance(synonyms, list) else []):
            row = dict(item) if isinstance(item, dict) else {"synonym": item}
            row.setdefault("taxonomy_term_id", term_id)
            if row.get("id") in (None, ""):
                row["id"] = content_id("taxonomy_term_synonyms", row)
            self.feed.add("taxonomy_term_synonyms", self.file, f"{path}.synonyms[{index}]", row)


def iter_rows(feed: Feed) -> Iterator[RawRow]:
    for table in TABLE_ORDER:
        yield from feed.rows.get(table, [])
