"""Exporting the directory: an HSDS 3.0 tabular datapackage, and ORUK 3.0 JSON objects.

- `export_datapackage(path)`: one CSV per table (HSDS column order) plus datapackage.json listing
  every resource with its schema; `path` ending in .zip writes a zip archive.
- `service_to_oruk(service_id)`, `services_to_oruk(ids)`: full ORUK/HSDS service objects (the
  organization, phones, schedules, service areas, service-at-locations with their locations and
  addresses, contacts, attributes with their taxonomy terms, ...). Built with a fixed number of
  bulk queries whatever the number of services, so the public read API can use them per page.
- `services_page(page, per_page)`: the paginated list wrapper (HSDS `Page` + `contents`).
- `organization_to_oruk(org_id)`: the full organization object with its services.
- `export_oruk_json(path)`: every service as one page, a file `import_feed` reads back.

ORUK objects leave out empty (NULL) fields, because the schemas type them as strings or numbers;
fields the schemas require are given as "" when the directory has nothing for them.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from bot import db
from bot.directory.models import TABLE_ORDER, TABLES
from bot.directory.validation import ENUMS, REFERENCES, REQUIRED_ERROR, SPECS, feed_columns

IN_CHUNK = 500


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------
def _iso_datetime(value: dt.datetime) -> str:
    if value.tzinfo is None:  # SQLite gives back naive UTC
        value = value.replace(tzinfo=dt.timezone.utc)
    value = value.astimezone(dt.timezone.utc)
    spec = ("seconds" if not value.microsecond else
            "milliseconds" if value.microsecond % 1000 == 0 else "microseconds")
    text = value.isoformat(timespec=spec)
    return text.replace("+00:00", "Z")


def json_value(value: Any) -> Any:
    """A column value as ORUK JSON writes it."""
    if isinstance(value, dt.datetime):
        return _iso_datetime(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 2 ** 53:
            return int(value)
        return value
    return value


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    value = json_value(value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# Datapackage
# ---------------------------------------------------------------------------------------------
_FRICTIONLESS = {"id": "string", "str": "string", "text": "string", "enum": "string", "email": "string",
                 "url": "string", "int": "integer", "float": "number", "date": "date",
                 "datetime": "datetime", "time": "time"}


def table_schema(table: str) -> dict[str, Any]:
    """The Frictionless table schema of one resource."""
    required = set(REQUIRED_ERROR.get(table, ())) | {"id"}
    fields = []
    for spec in SPECS[table]:
        item: dict[str, Any] = {"name": spec.name, "type": _FRICTIONLESS[spec.kind]}
        if spec.kind == "email":
            item["format"] = "email"
        elif spec.kind == "url":
            item["format"] = "uri"
        constraints: dict[str, Any] = {}
        if spec.name in required:
            constraints["required"] = True
        if spec.name == "id":
            constraints["unique"] = True
        if (table, spec.name) in ENUMS:
            constraints["enum"] = list(ENUMS[(table, spec.name)][0])
        if constraints:
            item["constraints"] = constraints
        fields.append(item)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": "id"}
    foreign = [{"fields": column, "reference": {"resource": target, "fields": "id"}}
               for column, (target, _mode) in REFERENCES.get(table, {}).items()]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


def datapackage_descriptor(tables: Sequence[str] = TABLE_ORDER) -> dict[str, Any]:
    return {
        "name": "onestory-directory",
        "title": "OneStory service directory (Open Referral HSDS 3.0, UK profile)",
        "profile": "tabular-data-package",
        "created": _iso_datetime(dt.datetime.now(dt.timezone.utc)),
        "resources": [
            {"name": table, "path": f"{table}.csv", "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": table_schema(table)}
            for table in tables
        ],
    }


def _csv_text(conn: Connection, table: str) -> str:
    t = TABLES[table]
    columns = feed_columns(table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    result = conn.execution_options(stream_results=True).execute(
        select(*[t.c[c] for c in columns]).order_by(t.c.id))
    for row in result:
        writer.writerow([csv_value(v) for v in row])
    return out.getvalue()


def export_datapackage(path: str | Path, *, engine: Optional[Engine] = None) -> Path:
    """Write the whole directory as an HSDS tabular datapackage (a directory, or a .zip)."""
    path = Path(path)
    engine = engine or db.engine()
    descriptor = json.dumps(datapackage_descriptor(), indent=2, ensure_ascii=False)
    with engine.connect() as conn:
        if path.suffix.lower() == ".zip":
            path.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("datapackage.json", descriptor)
                for table in TABLE_ORDER:
                    archive.writestr(f"{table}.csv", _csv_text(conn, table))
        else:
            path.mkdir(parents=True, exist_ok=True)
            (path / "datapackage.json").write_text(descriptor, encoding="utf-8")
            for table in TABLE_ORDER:
                (path / f"{table}.csv").write_text(_csv_text(conn, table), encoding="utf-8", newline="")
    return path


# ---------------------------------------------------------------------------------------------
# ORUK JSON
# ---------------------------------------------------------------------------------------------
# Fields the ORUK schemas require of nested objects, given as "" (or a default) when empty.
_REQUIRED_FILL: dict[str, dict[str, Any]] = {
    "organizations": {"name": "", "description": ""},
    "taxonomy_terms": {"name": "", "description": ""},
    "taxonomies": {"name": "", "description": ""},
    "locations": {"location_type": "physical"},
    "addresses": {"address_1": "", "city": "", "state_province": "", "postal_code": "", "country": "",
                  "address_type": "physical"},
    "organization_identifiers": {"identifier_type": "", "identifier": ""},
    "phones": {"number": ""},
}


def _obj(table: str, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in feed_columns(table):
        value = row.get(column)
        if value is None:
            continue
        if table == "phones" and column == "extension" and str(value).isdigit():
            value = int(value)
        out[column] = json_value(value)
    for column, default in _REQUIRED_FILL.get(table, {}).items():
        out.setdefault(column, default)
    return out


class _Loader:
    """Bulk fetches: rows of a table whose column is in a set of values, grouped by that column."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def by(self, table: str, column: str, keys: Iterable[Any]) -> dict[Any, list[dict[str, Any]]]:
        keys = sorted({k for k in keys if k is not None})
        grouped: dict[Any, list[dict[str, Any]]] = {}
        if not keys:
            return grouped
        t = TABLES[table]
        for start in range(0, len(keys), IN_CHUNK):
            chunk = keys[start:start + IN_CHUNK]
            query = select(t).where(t.c[column].in_(chunk)).order_by(t.c.id)
            for row in self.conn.execute(query).mappings():
                grouped.setdefault(row[column], []).append(dict(row))
        return grouped

    def one(self, table: str, keys: Iterable[Any]) -> dict[Any, dict[str, Any]]:
        return {k: rows[0] for k, rows in self.by(table, "id", keys).items()}


def _children(grouped: dict[Any, list[dict[str, Any]]], key: Any) -> list[dict[str, Any]]:
    return grouped.get(key, [])


class _Builder:
    """Assembles full service objects for a set of services with a fixed number of queries."""

    def __init__(self, conn: Connection, services: list[dict[str, Any]]) -> None:
        load = _Loader(conn)
        self.services = services
        sids = [s["id"] for s in services]
        self.orgs = load.one("organizations", (s["organization_id"] for s in services))
        self.programs = load.one("programs", (s["program_id"] for s in services))
        self.org_identifiers = load.by("organization_identifiers", "organization_id", self.orgs)
        self.sals = load.by("service_at_location", "service_id", sids)
        sal_ids = [r["id"] for rows in self.sals.values() for r in rows]
        sal_rows = [r for rows in self.sals.values() for r in rows]
        self.locations = load.one("locations", (r["location_id"] for r in sal_rows))
        self.addresses = load.by("addresses", "location_id", self.locations)
        self.accessibility = load.by("accessibility", "location_id", self.locations)
        self.contacts = load.by("contacts", "service_id", sids)
        self.sal_contacts = load.by("contacts", "service_at_location_id", sal_ids)
        contact_ids = [r["id"] for g in (self.contacts, self.sal_contacts)
                       for rows in g.values() for r in rows]
        self.phones = load.by("phones", "service_id", sids)
        self.sal_phones = load.by("phones", "service_at_location_id", sal_ids)
        self.location_phones = load.by("phones", "location_id", self.locations)
        self.contact_phones = load.by("phones", "contact_id", contact_ids)
        phone_groups = (self.phones, self.sal_phones, self.location_phones, self.contact_phones)
        phone_ids = [r["id"] for g in phone_groups
                     for rows in g.values() for r in rows]
        self.phone_languages = load.by("languages", "phone_id", phone_ids)
        self.languages = load.by("languages", "service_id", sids)
        self.schedules = load.by("schedules", "service_id", sids)
        self.sal_schedules = load.by("schedules", "service_at_location_id", sal_ids)
        self.location_schedules = load.by("schedules", "location_id", self.locations)
        self.service_areas = load.by("service_areas", "service_id", sids)
        self.sal_service_areas = load.by("service_areas", "service_at_location_id", sal_ids)
        self.funding = load.by("funding", "service_id", sids)
        self.cost_options = load.by("cost_options", "service_id", sids)
        self.required_documents = load.by("required_documents", "service_id", sids)
        linked = set(sids) | set(self.orgs) | set(self.locations) | set(contact_ids) | set(sal_ids)
        self.attributes = load.by("attributes", "link_id", linked)
        self.terms = load.one("taxonomy_terms", (a["taxonomy_term_id"] for rows in self.attributes.values()
                                                 for a in rows))
        self.taxonomies = load.one("taxonomies", (t["taxonomy_id"] for t in self.terms.values()))

    def _attributes(self, link_id: str) -> list[dict[str, Any]]:
        out = []
        for row in _children(self.attributes, link_id):
            item = _obj("attributes", row)
            term = self.terms.get(row["taxonomy_term_id"])
            if term is not None:
                term_obj = _obj("taxonomy_terms", term)
                taxonomy = self.taxonomies.get(term["taxonomy_id"])
                if taxonomy is not None:
                    term_obj["taxonomy_detail"] = _obj("taxonomies", taxonomy)
                item["taxonomy_term"] = term_obj
            out.append(item)
        return out

    def _phones(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for row in rows:
            item = _obj("phones", row)
            item["languages"] = [_obj("languages", r) for r in _children(self.phone_languages, row["id"])]
            out.append(item)
        return out

    def _contacts(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for row in rows:
            item = _obj("contacts", row)
            item["phones"] = self._phones(_children(self.contact_phones, row["id"]))
            item["attributes"] = self._attributes(row["id"])
            out.append(item)
        return out

    def organization(self, org_id: Optional[str]) -> Optional[dict[str, Any]]:
        org = self.orgs.get(org_id)
        if org is None:
            return None
        item = _obj("organizations", org)
        item["organization_identifiers"] = [_obj("organization_identifiers", r)
                                            for r in _children(self.org_identifiers, org["id"])]
        item["attributes"] = self._attributes(org["id"])
        return item

    def location(self, location_id: str) -> Optional[dict[str, Any]]:
        row = self.locations.get(location_id)
        if row is None:
            return None
        item = _obj("locations", row)
        item["addresses"] = [_obj("addresses", r) for r in _children(self.addresses, location_id)]
        item["accessibility"] = [_obj("accessibility", r) for r in _children(self.accessibility, location_id)]
        item["phones"] = self._phones(_children(self.location_phones, location_id))
        item["schedules"] = [_obj("schedules", r) for r in _children(self.location_schedules, location_id)]
        item["attributes"] = self._attributes(location_id)
        return item

    def service(self, row: dict[str, Any]) -> dict[str, Any]:
        sid = row["id"]
        item = _obj("services", row)
        organization = self.organization(row["organization_id"])
        if organization is not None:
            item["organization"] = organization
        program = self.programs.get(row["program_id"])
        if program is not None:
            item["program"] = _obj("programs", program)
        item["phones"] = self._phones(_children(self.phones, sid))
        item["schedules"] = [_obj("schedules", r) for r in _children(self.schedules, sid)]
        item["service_areas"] = [_obj("service_areas", r) for r in _children(self.service_areas, sid)]
        sals = []
        for sal in _children(self.sals, sid):
            sal_item = _obj("service_at_location", sal)
            location = self.location(sal["location_id"])
            if location is not None:
                sal_item["location"] = location
            sal_item["contacts"] = self._contacts(_children(self.sal_contacts, sal["id"]))
            sal_item["phones"] = self._phones(_children(self.sal_phones, sal["id"]))
            sal_item["schedules"] = [_obj("schedules", r) for r in _children(self.sal_schedules, sal["id"])]
            sal_item["service_areas"] = [_obj("service_areas", r)
                                         for r in _children(self.sal_service_areas, sal["id"])]
            sal_item["attributes"] = self._attributes(sal["id"])
            sals.append(sal_item)
        item["service_at_locations"] = sals
        item["languages"] = [_obj("languages", r) for r in _children(self.languages, sid)]
        item["funding"] = [_obj("funding", r) for r in _children(self.funding, sid)]
        item["cost_options"] = [_obj("cost_options", r) for r in _children(self.cost_options, sid)]
        item["required_documents"] = [_obj("required_documents", r)
                                      for r in _children(self.required_documents, sid)]
        item["contacts"] = self._contacts(_children(self.contacts, sid))
        item["attributes"] = self._attributes(sid)
        return item


def _service_rows(conn: Connection, ids: Sequence[str]) -> list[dict[str, Any]]:
    found = _Loader(conn).one("services", ids)
    return [found[i] for i in ids if i in found]


def services_to_oruk(service_ids: Sequence[str], *,
                     conn: Optional[Connection] = None) -> list[dict[str, Any]]:
    """Full ORUK service objects, in the order of `service_ids` (unknown ids are skipped)."""
    if conn is None:
        with db.engine().connect() as own:
            return services_to_oruk(service_ids, conn=own)
    rows = _service_rows(conn, list(service_ids))
    builder = _Builder(conn, rows)
    return [builder.service(row) for row in rows]


def service_to_oruk(service_id: str, *, conn: Optional[Connection] = None) -> Optional[dict[str, Any]]:
    """The full ORUK service object, or None when there is no such service."""
    found = services_to_oruk([service_id], conn=conn)
    return found[0] if found else None


def _summary(row: dict[str, Any], org: Optional[dict[str, Any]]) -> dict[str, Any]:
    item = _obj("services", row)
    if org is not None:
        item["organization"] = _obj("organizations", org)
    return item


def services_page(page: int = 1, per_page: int = 50, *, full: bool = False,
                  conn: Optional[Connection] = None) -> dict[str, Any]:
    """A page of services in the ORUK list wrapper, ordered by name then id.

    `full=False` gives list items (the service's own fields and its organization), as the
    /services endpoint does; `full=True` gives full service objects.
    """
    if conn is None:
        with db.engine().connect() as own:
            return services_page(page, per_page, full=full, conn=own)
    page = max(1, int(page))
    per_page = max(1, min(int(per_page), 1000))
    t = TABLES["services"]
    total = conn.execute(select(func.count()).select_from(t)).scalar_one()
    query = select(t).order_by(t.c.name, t.c.id).limit(per_page).offset((page - 1) * per_page)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    if full:
        builder = _Builder(conn, rows)
        contents = [builder.service(r) for r in rows]
    else:
        orgs = _Loader(conn).one("organizations", (r["organization_id"] for r in rows))
        contents = [_summary(r, orgs.get(r["organization_id"])) for r in rows]
    total_pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total, "total_pages": total_pages, "page_number": page, "size": len(contents),
        "first_page": page == 1, "last_page": page >= total_pages, "empty": len(contents) == 0,
        "contents": contents,
    }


def organization_to_oruk(organization_id: str, *,
                         conn: Optional[Connection] = None) -> Optional[dict[str, Any]]:
    """The full ORUK organization object with its services (each a full service object)."""
    if conn is None:
        with db.engine().connect() as own:
            return organization_to_oruk(organization_id, conn=own)
    t = TABLES["services"]
    ids = list(conn.execute(select(t.c.id).where(t.c.organization_id == organization_id)
                            .order_by(t.c.name, t.c.id)).scalars())
    rows = _service_rows(conn, ids)
    builder = _Builder(conn, rows)
    if organization_id not in builder.orgs:
        builder.orgs.update(_Loader(conn).one("organizations", [organization_id]))
        builder.org_identifiers.update(_Loader(conn).by("organization_identifiers", "organization_id",
                                                        [organization_id]))
        builder.attributes.update(_Loader(conn).by("attributes", "link_id", [organization_id]))
    organization = builder.organization(organization_id)
    if organization is None:
        return None
    organization["services"] = [builder.service(r) for r in rows]
    return organization


def export_oruk_json(path: str | Path, *, engine: Optional[Engine] = None) -> Path:
    """Every service as a full ORUK object, in one page of the list wrapper."""
    path = Path(path)
    engine = engine or db.engine()
    with engine.connect() as conn:
        t = TABLES["services"]
        ids = list(conn.execute(select(t.c.id).order_by(t.c.name, t.c.id)).scalars())
        contents: list[dict[str, Any]] = []
        for start in range(0, len(ids), 1000):
            contents.extend(services_to_oruk(ids[start:start + 1000], conn=conn))
    document = {"total_items": len(contents), "total_pages": 1, "page_number": 1, "size": len(contents),
                "first_page": True, "last_page": True, "empty": not contents, "contents": contents}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Schema validation (the ORUK compiled schemas are not shipped: pass their folder)
# ---------------------------------------------------------------------------------------------
PAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
                 "contents"],
    "properties": {
        "total_items": {"type": "integer"}, "total_pages": {"type": "integer"},
        "page_number": {"type": "integer"}, "size": {"type": "integer"},
        "first_page": {"type": "boolean"}, "last_page": {"type": "boolean"}, "empty": {"type": "boolean"},
        "contents": {"type": "array"},
    },
}


def schema_errors(instance: Any, schema_file: str | Path, *, check_formats: bool = True) -> list[str]:
    """Messages for every way `instance` breaks a JSON schema file; $refs resolve within its folder."""
    from jsonschema import Draft202012Validator, FormatChecker, RefResolver

    schema_file = Path(schema_file)
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    store = {}
    for sibling in schema_file.parent.glob("*.json"):
        try:
            store[sibling.name] = store[sibling.resolve().as_uri()] = json.loads(sibling.read_text("utf-8"))
        except ValueError:
            continue
    resolver = RefResolver(base_uri=schema_file.resolve().as_uri(), referrer=schema, store=store)
    validator = Draft202012Validator(schema, resolver=resolver,
                                     format_checker=FormatChecker() if check_formats else None)
    return [f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
            for error in validator.iter_errors(instance)]


def page_schema_errors(page: Any, item_schema_file: str | Path, *, check_formats: bool = True) -> list[str]:
    """Check a list wrapper (HSDS Page fields) and each of its contents against the item schema."""
    from jsonschema import Draft202012Validator

    errors = [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
              for e in Draft202012Validator(PAGE_SCHEMA).iter_errors(page)]
    for index, item in enumerate(page.get("contents", []) if isinstance(page, dict) else []):
        errors += [f"contents/{index}/{message}"
                   for message in schema_errors(item, item_schema_file, check_formats=check_formats)]
    return errors
