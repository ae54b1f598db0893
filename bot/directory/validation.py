"""Checking a directory feed row by row: value normalisation and reference rules.

Every problem becomes an `Issue` in the import's Report (bot.directory.import_report: file, row,
field, reason, severity); nothing here raises on bad
data. Errors stop an import (the whole feed is one transaction); warnings are fixed up and reported:
HTML stripped to text, a missing id replaced by a stable UUIDv5 of the row's content, an unknown
column ignored, a dangling optional reference cleared.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Optional

from sqlalchemy import Date, DateTime, Float, Integer, String, Text, Time

from bot.directory import models as m
from bot.directory.authorities import normalise_code
from bot.directory.import_report import (  # noqa: F401 - importers use them as validation.*
    ERROR,
    ISSUES_PER_KIND,
    WARNING,
    Issue,
    Report,
    Row,
    row_position,
)

# ---------------------------------------------------------------------------------------------
# Reference rules
# ---------------------------------------------------------------------------------------------
MUST = "must"    # the row is meaningless without its target: a dangling value is an error
REF = "ref"      # optional cross-reference: a dangling value is cleared with a warning
ANY = "any"      # one of several owners: dangling ones are cleared, an error if none is left

REFERENCES: dict[str, dict[str, tuple[str, str]]] = {
    "services": {"organization_id": ("organizations", MUST), "program_id": ("programs", REF)},
    "programs": {"organization_id": ("organizations", REF)},
    "organizations": {"parent_organization_id": ("organizations", REF)},
    "locations": {"organization_id": ("organizations", REF)},
    "addresses": {"location_id": ("locations", MUST)},
    "accessibility": {"location_id": ("locations", MUST)},
    "service_at_location": {"service_id": ("services", MUST), "location_id": ("locations", MUST)},
    "contacts": {"organization_id": ("organizations", ANY), "service_id": ("services", ANY),
                 "service_at_location_id": ("service_at_location", ANY), "location_id": ("locations", ANY)},
    "phones": {"location_id": ("locations", ANY), "service_id": ("services", ANY),
               "organization_id": ("organizations", ANY), "contact_id": ("contacts", ANY),
               "service_at_location_id": ("service_at_location", ANY)},
    "schedules": {"service_id": ("services", ANY), "location_id": ("locations", ANY),
                  "service_at_location_id": ("service_at_location", ANY)},
    "service_areas": {"service_id": ("services", ANY),
                      "service_at_location_id": ("service_at_location", ANY)},
    "languages": {"service_id": ("services", ANY), "location_id": ("locations", ANY),
                  "phone_id": ("phones", ANY)},
    "cost_options": {"service_id": ("services", MUST)},
    "funding": {"organization_id": ("organizations", ANY), "service_id": ("services", ANY)},
    "required_documents": {"service_id": ("services", MUST)},
    "organization_identifiers": {"organization_id": ("organizations", MUST)},
    "taxonomy_terms": {"parent_id": ("taxonomy_terms", REF), "taxonomy_id": ("taxonomies", REF)},
    "taxonomy_term_synonyms": {"taxonomy_term_id": ("taxonomy_terms", MUST)},
    "attributes": {"taxonomy_term_id": ("taxonomy_terms", MUST)},
}
# Child rows are replaced per parent on re-import: (column, parent table); "*" = polymorphic link_id.
CHILD_OWNERS: dict[str, list[tuple[str, str]]] = {
    table: [(col, target) for col, (target, mode) in refs.items() if mode in (MUST, ANY)]
    for table, refs in REFERENCES.items()
    if table not in ("services", "attributes")
}
CHILD_OWNERS["attributes"] = [("link_id", "*")]
# Entity name (attributes.link_entity, metadata.resource_type) -> table.
ENTITY_TABLES = {
    "service": "services", "organization": "organizations", "location": "locations",
    "service_at_location": "service_at_location", "contact": "contacts", "phone": "phones",
    "address": "addresses", "schedule": "schedules", "service_area": "service_areas",
    "program": "programs", "taxonomy_term": "taxonomy_terms", "taxonomy": "taxonomies",
    "language": "languages", "cost_option": "cost_options", "funding": "funding",
    "required_document": "required_documents", "accessibility": "accessibility",
    "organization_identifier": "organization_identifiers",
}

# Required fields: missing -> error, or -> warning (and the default, if any, is used).
REQUIRED_ERROR: dict[str, tuple[str, ...]] = {
    "services": ("name",), "organizations": ("name",), "programs": ("name",), "taxonomies": ("name",),
    "taxonomy_terms": ("name",), "phones": ("number",), "attributes": ("taxonomy_term_id",),
    "taxonomy_term_synonyms": ("taxonomy_term_id", "synonym"), "addresses": ("location_id",),
    "service_at_location": ("service_id", "location_id"), "cost_options": ("service_id",),
    "required_documents": ("service_id",), "accessibility": ("location_id",),
    "organization_identifiers": ("organization_id", "identifier"),
}
REQUIRED_WARNING: dict[str, dict[str, Optional[str]]] = {
    "services": {"status": "active", "organization_id": None},
    "organizations": {"description": None},
    "taxonomies": {"description": None},
    "taxonomy_terms": {"description": None},
    "locations": {"location_type": "physical"},
    "addresses": {"address_1": None, "city": None, "postal_code": None, "country": None,
                  "address_type": None},
    "organization_identifiers": {"identifier_type": None},
}
ENUMS: dict[tuple[str, str], tuple[tuple[str, ...], Callable[[str], str]]] = {
    ("services", "status"): (m.SERVICE_STATUSES, str.lower),
    ("locations", "location_type"): (m.LOCATION_TYPES, str.lower),
    ("addresses", "address_type"): (m.ADDRESS_TYPES, str.lower),
    ("schedules", "freq"): (m.SCHEDULE_FREQS, str.upper),
    ("schedules", "wkst"): (m.WEEKDAYS, str.upper),
}
URL_COLUMNS = {"url", "website", "uri", "logo", "schedule_link", "term_uri"}
EMAIL_COLUMNS = {"email", "assurer_email"}

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://onestory.invalid/directory")


def content_id(table: str, data: dict[str, Any]) -> str:
    """A stable id for a row that arrived without one: UUIDv5 of its table and content."""
    items = sorted((k, str(v).strip()) for k, v in data.items()
                   if k != "id" and v is not None and not isinstance(v, dict | list) and str(v).strip())
    return str(uuid.uuid5(_NAMESPACE, table + "\x1f" + json.dumps(items, ensure_ascii=False)))


# ---------------------------------------------------------------------------------------------
# Value converters: each takes a non-empty value and returns (value, problem, severity).
# ---------------------------------------------------------------------------------------------
class _TextExtractor(HTMLParser):
    BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        self.parts.append(data)


_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def strip_html(text: str) -> str:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_EMAIL = re.compile(r"^[^@\s<>(),;:]+@[^@\s<>(),;:]+\.[^@\s<>(),;:]+$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:\S+$")
_BARE_HOST = re.compile(r"^(www\.)?[\w\-]+(\.[\w\-]+)+(:\d+)?([/?#]\S*)?$")


def _conv_email(value: Any):
    text = _as_text(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not _EMAIL.match(text):
        return None, f"not an email address: {text[:80]!r}", ERROR
    return text, None, None


def _conv_url(value: Any):
    text = _as_text(value).strip()
    if _SCHEME.match(text) and " " not in text:
        return text, None, None
    if _BARE_HOST.match(text):
        return "https://" + text, f"URL without a scheme; read as https://{text[:60]}", WARNING
    return None, f"not a URL: {text[:80]!r}", ERROR


def _conv_int(value: Any):
    if isinstance(value, bool):
        return None, f"not a whole number: {value!r}", ERROR
    if isinstance(value, int):
        return value, None, None
    try:
        number = float(_as_text(value).strip().replace(",", ""))
    except ValueError:
        return None, f"not a whole number: {str(value)[:40]!r}", ERROR
    if not number.is_integer():
        return None, f"not a whole number: {str(value)[:40]!r}", ERROR
    return int(number), None, None


def _conv_float(value: Any):
    if isinstance(value, bool):
        return None, f"not a number: {value!r}", ERROR
    if isinstance(value, int | float):
        return float(value), None, None
    try:
        return float(_as_text(value).strip().replace(",", "")), None, None
    except ValueError:
        return None, f"not a number: {str(value)[:40]!r}", ERROR


_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _conv_date(value: Any):
    text = _as_text(value).strip()
    try:
        if len(text) >= 10 and text[4] == "-":
            return dt.date.fromisoformat(text[:10]), None, None
    except ValueError:
        pass
    match = _UK_DATE.match(text)
    if match:
        try:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day), f"date {text!r} read as day/month/year", WARNING
        except ValueError:
            pass
    return None, f"not a date (YYYY-MM-DD): {text[:40]!r}", ERROR


def _conv_datetime(value: Any):
    text = _as_text(value).strip()
    candidate = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        stamp = dt.datetime.fromisoformat(candidate)
    except ValueError:
        # Python 3.10 reads only 0, 3 or 6 fractional digits: trim or pad the fraction.
        match = re.match(r"^(.*T\d\d:\d\d:\d\d)\.(\d+)(.*)$", candidate)
        try:
            if not match:
                raise ValueError
            stamp = dt.datetime.fromisoformat(f"{match[1]}.{match[2][:6].ljust(6, '0')}{match[3]}")
        except ValueError:
            return None, f"not a date-time (ISO 8601): {text[:40]!r}", ERROR
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc), None, None


def _conv_time(value: Any):
    text = _as_text(value).strip()
    candidate = text[:-1] if text.endswith(("Z", "z")) else text
    if re.match(r"^\d:\d\d", candidate):
        candidate = "0" + candidate
    try:
        return dt.time.fromisoformat(candidate).replace(tzinfo=None), None, None
    except ValueError:
        return None, f"not a time (HH:MM or HH:MM:SS): {text[:40]!r}", ERROR


@dataclass
class ColumnSpec:
    name: str
    kind: str  # id | str | text | email | url | int | float | date | datetime | time | enum
    length: Optional[int] = None
    enum: Optional[tuple[tuple[str, ...], Callable[[str], str]]] = None


def _column_kind(table: str, column) -> ColumnSpec:
    name, coltype = column.name, column.type
    length = getattr(coltype, "length", None)
    if (table, name) in ENUMS:
        return ColumnSpec(name, "enum", length, ENUMS[(table, name)])
    if isinstance(coltype, DateTime):
        return ColumnSpec(name, "datetime")
    if isinstance(coltype, Date):
        return ColumnSpec(name, "date")
    if isinstance(coltype, Time):
        return ColumnSpec(name, "time")
    if isinstance(coltype, Integer):
        return ColumnSpec(name, "int")
    if isinstance(coltype, Float):
        return ColumnSpec(name, "float")
    if name == "id" or name.endswith("_id"):
        return ColumnSpec(name, "id", length)
    if name in EMAIL_COLUMNS:
        return ColumnSpec(name, "email", length)
    if name in URL_COLUMNS:
        return ColumnSpec(name, "url")
    if isinstance(coltype, Text):
        return ColumnSpec(name, "text")
    if isinstance(coltype, String):
        return ColumnSpec(name, "str", length)
    return ColumnSpec(name, "str")


def feed_columns(table: str) -> list[str]:
    """The columns a feed carries for this table, in HSDS order (internal ones left out)."""
    internal = m.INTERNAL_COLUMNS.get(table, ())
    return [c.name for c in m.TABLES[table].columns if c.name not in internal]


SPECS: dict[str, list[ColumnSpec]] = {
    table: [_column_kind(table, m.TABLES[table].c[name]) for name in feed_columns(table)]
    for table in m.TABLE_ORDER
}
_CONVERTERS = {"email": _conv_email, "url": _conv_url, "int": _conv_int, "float": _conv_float,
               "date": _conv_date, "datetime": _conv_datetime, "time": _conv_time}


@dataclass
class Located:
    """A normalised row, the columns its source actually gave, and where it came from.

    Columns a source leaves out (a CSV without that column, a JSON summary without that key)
    keep their stored value on re-import; columns given empty are cleared.
    """
    values: dict[str, Any]
    file: str
    row: Row
    given: set[str] = field(default_factory=set)


# Other names feeds use for a column: ORUK 1.0 (and some 3.0 feeds) give an organisation's
# website as `url`.
FIELD_ALIASES: dict[tuple[str, str], str] = {("organizations", "url"): "website"}


def _aliased(table: str, data: dict[str, Any]) -> dict[str, Any]:
    for (alias_table, alias), column in FIELD_ALIASES.items():
        if alias_table == table and alias in data:
            value = data[alias]
            data = {k: v for k, v in data.items() if k != alias}
            if data.get(column) in (None, ""):
                data[column] = value
    return data


class RowNormaliser:
    """Turns raw rows (strings from CSV, JSON scalars) into typed column values, reporting issues."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self._unknown_seen: set[tuple[str, str, str]] = set()

    def normalise(self, table: str, data: dict[str, Any], file: str, row: Row) -> Optional[Located]:
        report = self.report
        data = _aliased(table, data)
        values: dict[str, Any] = {}
        ok = True
        for spec in SPECS[table]:
            raw = data.get(spec.name)
            if raw is None or isinstance(raw, dict | list):
                values[spec.name] = None
                continue
            kind = spec.kind
            if kind in ("id", "str", "text", "enum"):
                text = raw.strip() if isinstance(raw, str) else _as_text(raw).strip()
                if not text:
                    values[spec.name] = None
                    continue
                if kind == "text" and ("<" in text or "&" in text) and (
                        _TAG.search(text) or _ENTITY.search(text)):
                    stripped = strip_html(text)
                    if stripped != text:
                        report.warning(file, row, spec.name, "HTML removed; stored as plain text",
                                       table=table, code="html")
                        text = stripped
                elif kind == "enum":
                    allowed, fold = spec.enum  # type: ignore[misc]
                    folded = fold(text)
                    if folded not in allowed:
                        report.error(file, row, spec.name,
                                     f"{text[:40]!r} is not one of: {', '.join(allowed)}", table=table,
                                     code="enum")
                        ok = False
                    text = folded
                if spec.length is not None and len(text) > spec.length:
                    report.error(file, row, spec.name, f"longer than {spec.length} characters",
                                 table=table, code="length")
                    ok = False
                values[spec.name] = text or None
                continue
            if isinstance(raw, str):
                raw = raw.strip()
                if not raw:
                    values[spec.name] = None
                    continue
            value, problem, severity = _CONVERTERS[kind](raw)
            if problem:
                report.add(file, row, spec.name, problem, severity, table=table, code=kind)
                if severity == ERROR:
                    ok = False
            values[spec.name] = value
        for key in data:
            if key not in values and (file, table, key) not in self._unknown_seen:
                self._unknown_seen.add((file, table, key))
                report.warning(file, row, key, f"unknown field for {table}; ignored", table=table,
                               code="unknown")
        if not values.get("id"):
            values["id"] = content_id(table, data)
            report.warning(file, row, "id", f"missing id; generated {values['id']} from the row's content",
                           table=table, code="missing-id")
        ok = self._check_row(table, values, file, row) and ok
        if not ok:
            return None
        given = {name for name in values if name in data}
        given.add("id")
        return Located(values, file, row, given)

    def _check_row(self, table: str, values: dict[str, Any], file: str, row: Row) -> bool:
        report = self.report
        ok = True
        for name in REQUIRED_ERROR.get(table, ()):
            if values.get(name) in (None, ""):
                report.error(file, row, name, "required; empty or missing", table=table, code="required")
                ok = False
        for name, default in REQUIRED_WARNING.get(table, {}).items():
            if values.get(name) in (None, ""):
                note = f"; using {default!r}" if default is not None else ""
                report.warning(file, row, name, f"should be given{note}", table=table, code="recommended")
                if default is not None:
                    values[name] = default
        if table == "phones" and values.get("number"):
            number = values["number"]
            cleaned = number.strip("\"' ")
            if cleaned != number:
                report.warning(file, row, "number", "stray quotes removed", table=table, code="quotes")
                values["number"] = cleaned
        elif table == "services":
            low, high = values.get("minimum_age"), values.get("maximum_age")
            if low is not None and high is not None and low > high:
                report.warning(file, row, "minimum_age", "minimum_age is above maximum_age", table=table)
        if table in ("services", "organizations") and values.get("local_authority_code"):
            code = normalise_code(values["local_authority_code"])
            if code is None:
                report.error(file, row, "local_authority_code", "not an ONS local authority code (a letter and "
                             "eight digits, like E06000023)", table=table, code="authority")
                ok = False
            values["local_authority_code"] = code
        if table == "locations":
            lat, lon = values.get("latitude"), values.get("longitude")
            if (lat is not None and not -90 <= lat <= 90) or (lon is not None and not -180 <= lon <= 180):
                report.warning(file, row, "latitude", "latitude/longitude out of range", table=table,
                               code="coordinates")
        return ok


def check_references(rows: dict[str, dict[str, Located]], report: Report,
                     known_ids: Callable[[str, set[str]], set[str]]) -> None:
    """Check every reference against the feed and (through `known_ids`) the database.

    A dangling MUST reference is an error; a dangling REF or ANY reference is cleared with a
    warning, and a row whose every ANY owner dangles is an error. Rows are edited in place.
    """
    wanted: dict[str, set[str]] = {}
    for table, refs in REFERENCES.items():
        for col, (target, _mode) in refs.items():
            feed_ids = rows.get(target, {})
            missing = {r.values[col] for r in rows.get(table, {}).values()
                       if r.values.get(col) is not None and r.values[col] not in feed_ids}
            if missing:
                wanted.setdefault(target, set()).update(missing)
    found = {target: known_ids(target, ids) for target, ids in wanted.items()}

    def exists(target: str, ref: str) -> bool:
        return ref in rows.get(target, {}) or ref in found.get(target, ())

    for table, refs in REFERENCES.items():
        for located in rows.get(table, {}).values():
            values = located.values
            given_any = resolved_any = False
            for col, (target, mode) in refs.items():
                ref = values.get(col)
                if ref is None:
                    continue
                if mode == ANY:
                    given_any = True
                if exists(target, ref):
                    resolved_any = resolved_any or mode == ANY
                    continue
                reason = f"refers to {target} id {ref!r}, which is not in the feed or the directory"
                if mode == MUST:
                    report.error(located.file, located.row, col, reason, table=table, code="fk")
                else:
                    report.warning(located.file, located.row, col, reason + "; link cleared", table=table,
                                   code="fk")
                    values[col] = None
            if given_any and not resolved_any:
                report.error(located.file, located.row, None,
                             "none of this row's links (" + ", ".join(c for c, (_t, md) in refs.items()
                                                                       if md == ANY)
                             + ") points to an existing row", table=table, code="orphan")
    _check_polymorphic(rows, report, known_ids)


def _check_polymorphic(rows: dict[str, dict[str, Located]], report: Report,
                       known_ids: Callable[[str, set[str]], set[str]]) -> None:
    """attributes.link_id names a row of the table given by link_entity (or of any table)."""
    attributes = rows.get("attributes", {})
    pending: dict[str, set[str]] = {}
    for located in attributes.values():
        link = located.values.get("link_id")
        if link is None:
            continue
        target = ENTITY_TABLES.get((located.values.get("link_entity") or "").lower())
        tables = [target] if target else list(ENTITY_TABLES.values())
        if not any(link in rows.get(t, {}) for t in tables):
            for t in tables:
                pending.setdefault(t, set()).add(link)
    found: set[str] = set()
    for t, ids in pending.items():
        found |= known_ids(t, ids)
    for located in attributes.values():
        link = located.values.get("link_id")
        if link is None:
            report.warning(located.file, located.row, "link_id", "attribute is not linked to anything",
                           table="attributes", code="link")
            continue
        target = ENTITY_TABLES.get((located.values.get("link_entity") or "").lower())
        tables = [target] if target else list(ENTITY_TABLES.values())
        if not any(link in rows.get(t, {}) for t in tables) and link not in found:
            report.warning(located.file, located.row, "link_id",
                           f"links to {link!r}, which is not in the feed or the directory",
                           table="attributes", code="link")

