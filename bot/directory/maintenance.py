"""Keeping the directory true: what the maintainers' console pages do, without the web.

- Search services by name, need, postcode and organisation (`search_services`).
- Edit a service with its phones, opening hours, eligibility and coverage (`edit_service`), with
  validation that says what to fix (`ValidationFailed.errors`, keyed by form field). Every change
  is a version in `service_versions` with a full snapshot, who and when (`history`).
- Mark a service verified (`mark_verified`): assured today, by this maintainer.
- Freshness (`freshness`): services by age of `assured_date`, and the stale ones carers meet most.
  `record_offered` (bot.directory.usage) counts how often the bot offers each service.
- Carers' reports (`list_reports`, `resolve_report`, `dismiss_report`): resolving links the report
  to the edit that fixed it and, if the carer asked, queues a thank-you SMS (once per report).
- Bulk import with a dry-run preview and progress (`ImportJob`), and the responsibility rules
  view (`rules_overview`).

Functions take the caller's Session and never commit: the console wraps each request in
`session_scope()`, so an edit, its version row and the thank-you SMS commit together or not at all.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.directory import authorities, fulltext, places, tagging
from bot.directory import models as d
from bot.directory.exporter import json_value
from bot.directory.freshness import (  # noqa: F401 - the console and the bot use them as maintenance.*
    AGEING,
    BUCKETS,
    FRESH,
    NEVER,
    STALE,
    Freshness,
    bar_chart_svg,
    bucket,
    freshness,
    months_before,
)
from bot.directory.history import BASELINE, EDITED, VERIFIED, ServiceVersion
from bot.directory.import_jobs import JOBS, ImportJob, ImportJobs  # noqa: F401
from bot.directory.maintenance_errors import Conflict, Editor, NotFound, ValidationFailed  # noqa: F401
from bot.directory.maintenance_search import (  # noqa: F401
    ServiceRow,
    first_phones,
    organisations,
    search_services,
)
from bot.directory.usage import record_offered  # noqa: F401  (the console and tests count offers here)
from bot.phone import normalise
from bot.timeutil import UK, utcnow

HISTORY_LIMIT = 20
SERVICE_FIELDS = ("name", "alternate_name", "description", "url", "email", "status", "eligibility_description",
                  "minimum_age", "maximum_age", "application_process", "fees_description", "alert")
PHONE_FIELDS = ("number", "extension", "type", "description")
PHONE_TYPES = ("voice", "sms", "text", "fax", "cell", "video", "pager", "textphone")
SCHEDULE_FIELDS = ("byday", "opens_at", "closes_at", "description", "notes")
DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
             "SA": "Saturday", "SU": "Sunday"}



# ---------------------------------------------------------------------------------------------
# Snapshots and history
# ---------------------------------------------------------------------------------------------
def _plain(row: Any, columns: Iterable[str]) -> dict[str, Any]:
    return {c: json_value(getattr(row, c)) for c in columns}


def snapshot(session: Session, service_id: str) -> dict[str, Any]:
    """The service as maintainers edit it, as plain JSON: its fields, phones, hours and coverage."""
    service = session.get(d.Service, service_id)
    if service is None:
        raise NotFound(service_id)
    org = session.get(d.Organization, service.organization_id) if service.organization_id else None
    out = _plain(service, SERVICE_FIELDS + ("assured_date", "assurer_email", "last_modified", "version"))
    out["id"] = service.id
    out["organization"] = org.name if org else None
    phones = session.execute(select(d.Phone).where(d.Phone.service_id == service_id).order_by(d.Phone.id)).scalars()
    out["phones"] = [{"id": p.id, **_plain(p, PHONE_FIELDS)} for p in phones]
    schedules = session.execute(select(d.Schedule).where(d.Schedule.service_id == service_id)
                                .order_by(d.Schedule.id)).scalars()
    out["schedules"] = [{"id": s.id, **_plain(s, SCHEDULE_FIELDS + ("freq",))} for s in schedules]
    areas = session.execute(select(d.ServiceArea).where(d.ServiceArea.service_id == service_id,
                                                        d.ServiceArea.service_at_location_id.is_(None))
                            .order_by(d.ServiceArea.id)).scalars()
    out["areas"] = [a.extent for a in areas if a.extent]
    out["local_authority_code"] = service.local_authority_code
    out["organisation_authority"] = org.local_authority_code if org else None
    out.update(tagging.tags_of(session, service_id))
    return out


COMPARED = SERVICE_FIELDS + ("assured_date", "assurer_email", "phones", "schedules", "areas",
                             "local_authority_code", "organisation_authority", "roles", "needs")


def _differences(before: Optional[dict[str, Any]], after: dict[str, Any]) -> list[str]:
    if before is None:
        return []

    def strip_ids(value: Any) -> Any:
        if isinstance(value, list):
            return [{k: v for k, v in item.items() if k != "id"} if isinstance(item, dict) else item
                    for item in value]
        return value

    return [f for f in COMPARED if strip_ids(before.get(f)) != strip_ids(after.get(f))]


def _latest(session: Session, service_id: str) -> Optional[ServiceVersion]:
    return session.execute(select(ServiceVersion).where(ServiceVersion.service_id == service_id)
                           .order_by(ServiceVersion.number.desc()).limit(1)).scalar_one_or_none()


def _record(session: Session, service_id: str, action: str, editor: Editor, before: Optional[dict[str, Any]],
            note: Optional[str] = None, report_id: Optional[str] = None) -> ServiceVersion:
    latest = _latest(session, service_id)
    if latest is None and before is not None:
        # First change through the console: keep how the service looked before it (as imported).
        latest = ServiceVersion(service_id=service_id, number=1, action=BASELINE, snapshot=before,
                                changed_fields=[], changed_by="import", changed_by_name="Before the first edit",
                                changed_at=utcnow())
        session.add(latest)
        session.flush()
    after = snapshot(session, service_id)
    version = ServiceVersion(service_id=service_id, number=(latest.number if latest else 0) + 1, action=action,
                             snapshot=after, changed_fields=_differences(before, after), changed_by=editor.username,
                             changed_by_name=editor.name or editor.username, changed_at=utcnow(), note=note,
                             report_id=report_id)
    session.add(version)
    session.flush()
    return version


def history(session: Session, service_id: str, limit: int = HISTORY_LIMIT) -> list[ServiceVersion]:
    """The last `limit` versions, newest first."""
    return list(session.execute(select(ServiceVersion).where(ServiceVersion.service_id == service_id)
                                .order_by(ServiceVersion.number.desc()).limit(limit)).scalars())


def history_table(versions: Sequence[ServiceVersion]) -> list[dict[str, Any]]:
    """Rows for a side-by-side view: one per field, one cell per version (oldest first), each
    marked changed when it differs from the version to its left."""
    ordered = sorted(versions, key=lambda v: v.number)
    rows = []
    for name in COMPARED:
        cells, previous = [], None
        for index, version in enumerate(ordered):
            text = describe(name, version.snapshot.get(name))
            cells.append({"text": text, "changed": index > 0 and text != previous})
            previous = text
        rows.append({"field": FIELD_LABELS.get(name, name), "cells": cells,
                     "changed": any(c["changed"] for c in cells)})
    return rows


FIELD_LABELS = {"name": "Name", "alternate_name": "Other name", "description": "Description", "url": "Website",
                "email": "Email", "status": "Status", "eligibility_description": "Who it is for",
                "minimum_age": "Minimum age", "maximum_age": "Maximum age",
                "application_process": "How to get it", "fees_description": "Cost", "alert": "Alert",
                "assured_date": "Verified on", "assurer_email": "Verified by", "phones": "Phone numbers",
                "schedules": "Opening hours", "areas": "Areas covered", "local_authority_code": "Council",
                "organisation_authority": "Organisation's council", "roles": "Responsibility roles",
                "needs": "Needs it meets"}


def describe(name: str, value: Any) -> str:
    """A value of a snapshot as a person reads it."""
    if value in (None, "", []):
        return ""
    if name == "phones":
        return "\n".join(" ".join(str(p[k]) for k in ("number", "type", "description") if p.get(k))
                         for p in value)
    if name == "schedules":
        return "\n".join(schedule_text(s) for s in value)
    if name == "areas":
        return "\n".join(area_label(a) for a in value)
    if name in (tagging.ROLES, tagging.NEEDS):
        names = dict(tagging.choices()[name])
        return "\n".join(names.get(code, code) for code in value)
    return str(value)


def schedule_text(row: dict[str, Any]) -> str:
    days = ", ".join(DAY_NAMES.get(day, day) for day in (row.get("byday") or "").split(",") if day)
    hours = f"{(row.get('opens_at') or '')[:5]} to {(row.get('closes_at') or '')[:5]}" if row.get("opens_at") else ""
    return " ".join(part for part in (days, hours, row.get("notes") or "") if part) or (row.get("description") or "")


def area_label(extent: str) -> str:
    kind, _, value = (extent or "").partition(":")
    return {"postcode_district": f"{value} (postcode district)", "postcode_sector": f"{value} (postcode sector)",
            "local_authority": f"All of {value}", "country": f"All of {value}"}.get(kind, extent)


# ---------------------------------------------------------------------------------------------
# Editing
# ---------------------------------------------------------------------------------------------
@dataclass
class ServiceChanges:
    """A maintainer's edit. `fields` holds service columns (SERVICE_FIELDS), as typed; `phones`,
    `schedules` and `areas`, when given, replace the service's own lists."""
    fields: dict[str, Any] = field(default_factory=dict)
    phones: Optional[list[dict[str, Any]]] = None
    schedules: Optional[list[dict[str, Any]]] = None
    areas: Optional[list[str]] = None
    authority: Optional[str] = None  # the service's council: an ONS code, "" for none (national)
    organisation_authority: Optional[str] = None  # its organisation's council, likewise
    roles: Optional[list[str]] = None  # rule book role codes; None leaves them as they are
    needs: Optional[list[str]] = None  # rule book need codes


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.IGNORECASE)
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]?([0-5]\d)$")


def _text(value: Any) -> Optional[str]:
    text = (str(value).strip() if value is not None else "")
    return text or None


def _age(value: Any, name: str, label: str, errors: dict[str, str]) -> Optional[int]:
    text = _text(value)
    if text is None:
        return None
    if not re.fullmatch(r"\d{1,3}", text):
        errors[name] = f"{label} must be a whole number of years, like 18"
        return None
    number = int(text)
    if number > 120:
        errors[name] = f"{label} must be 120 or less"
        return None
    return number


def _time(value: Any) -> Optional[dt.time]:
    match = _TIME.match((_text(value) or "").replace(" ", ""))
    return dt.time(int(match.group(1)), int(match.group(2))) if match else None


def parse_area(text: str, councils: Optional[dict[str, str]] = None) -> Optional[str]:
    """'EM1', 'EM1 2', 'Eastmere', 'England', a council in `councils` (code -> name) by name or code,
    or an extent ('postcode_district:EM1') -> an extent."""
    value = (text or "").strip()
    if not value:
        return None
    kind, sep, rest = value.partition(":")
    if sep and kind in d.EXTENT_KINDS:
        value = rest.strip()
        if kind in (d.EXTENT_POSTCODE_DISTRICT, d.EXTENT_POSTCODE_SECTOR):
            value = value.upper()
        return d.extent(kind, value) if parse_area(value, councils) == d.extent(kind, value) else None
    upper = re.sub(r"\s+", " ", value.upper())
    if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?", upper):
        return d.extent(d.EXTENT_POSTCODE_DISTRICT, upper)
    if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]? \d", upper):
        return d.extent(d.EXTENT_POSTCODE_SECTOR, upper)
    if value.lower() == "england":
        return d.extent(d.EXTENT_COUNTRY, "England")
    for code, name in (councils or {}).items():
        # ONS names read "Bristol, City of": "Bristol" and the code count too.
        if value.lower() in (name.lower(), name.split(",")[0].strip().lower(), code.lower()):
            return d.extent(d.EXTENT_LOCAL_AUTHORITY, name)
    for authority in places.LOCAL_AUTHORITIES.values():
        if value.lower() == authority.lower():
            return d.extent(d.EXTENT_LOCAL_AUTHORITY, authority)
    return None


def validate(changes: ServiceChanges, councils: Optional[dict[str, str]] = None) -> tuple[dict[str, Any],
                                                                                          dict[str, str]]:
    """(clean values, errors). Error keys are form field names: `name`, `phones-0-number`, ...
    `councils` (code -> name) are the councils a service may belong to or cover."""
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    f = changes.fields
    for name in SERVICE_FIELDS:
        if name in f and name not in ("minimum_age", "maximum_age"):
            clean[name] = _text(f[name])
    if "name" in f and not clean.get("name"):
        errors["name"] = "Enter the service's name"
    if clean.get("status") is not None and clean["status"] not in d.SERVICE_STATUSES:
        errors["status"] = "Choose a status: active, inactive, defunct or temporarily closed"
    if "status" in f and clean.get("status") is None:
        errors["status"] = "Choose a status: active, inactive, defunct or temporarily closed"
    if clean.get("email") and not _EMAIL.match(clean["email"]):
        errors["email"] = "Enter an email address in the correct format, like name@example.org"
    if clean.get("url") and not _URL.match(clean["url"]):
        errors["url"] = "Enter a website address starting with https://"
    for name, value in clean.items():  # longer than its column: PostgreSQL would refuse the row
        column = d.Service.__table__.c.get(name)
        limit = getattr(column.type, "length", None) if column is not None else None
        if isinstance(value, str) and limit and len(value) > limit and name not in errors:
            errors[name] = f"{FIELD_LABELS.get(name, name)} must be {limit} characters or fewer"
    for name, label in (("minimum_age", "Minimum age"), ("maximum_age", "Maximum age")):
        if name in f:
            clean[name] = _age(f[name], name, label, errors)
    low, high = clean.get("minimum_age"), clean.get("maximum_age")
    if low is not None and high is not None and high < low and "maximum_age" not in errors:
        errors["maximum_age"] = "Maximum age must be the same as or more than the minimum age"
    if changes.phones is not None:
        phones = []
        for index, phone in enumerate(changes.phones):
            number = _text(phone.get("number"))
            if number is None:
                if any(_text(phone.get(k)) for k in ("extension", "description")):
                    errors[f"phones-{index}-number"] = f"Enter phone number {index + 1}, or remove its other details"
                continue
            if normalise(number) is None:
                errors[f"phones-{index}-number"] = (f"Enter phone number {index + 1} as a UK phone number, "
                                                    "like 01632 960101 or 07700 900123")
            kind = _text(phone.get("type")) or "voice"
            if kind not in PHONE_TYPES:
                errors[f"phones-{index}-type"] = f"Choose a type for phone number {index + 1}"
            extension = _text(phone.get("extension"))
            if extension and not re.fullmatch(r"\d{1,8}", extension):
                errors[f"phones-{index}-extension"] = "An extension must be up to 8 digits, like 204"
            phones.append({"id": _text(phone.get("id")), "number": number, "extension": extension, "type": kind,
                           "description": _text(phone.get("description"))})
        clean["phones"] = phones
    if changes.schedules is not None:
        schedules = []
        for index, row in enumerate(changes.schedules):
            days = [day for day in (row.get("byday") or []) if day in d.WEEKDAYS]
            if isinstance(row.get("byday"), str):
                days = [day.strip().upper() for day in row["byday"].split(",") if day.strip().upper() in d.WEEKDAYS]
            opens_raw, closes_raw = _text(row.get("opens_at")), _text(row.get("closes_at"))
            if not days and not opens_raw and not closes_raw:
                continue
            label = f"opening hours {index + 1}"
            if not days:
                errors[f"schedules-{index}-byday"] = f"Choose at least one day for {label}"
            opens, closes = _time(opens_raw), _time(closes_raw)
            if opens is None:
                errors[f"schedules-{index}-opens_at"] = (f"Enter an opening time for {label} in the 24-hour clock, "
                                                         "like 09:00")
            if closes is None:
                errors[f"schedules-{index}-closes_at"] = (f"Enter a closing time for {label} in the 24-hour clock, "
                                                          "like 17:00")
            # Closing before opening is an overnight service (an out-of-hours team: 17:00 to 09:00).
            if opens and closes and closes == opens:
                errors[f"schedules-{index}-closes_at"] = (f"The closing time for {label} must be different from "
                                                          "the opening time")
            schedules.append({"id": _text(row.get("id")), "byday": ",".join(sorted(days, key=d.WEEKDAYS.index)),
                              "opens_at": opens, "closes_at": closes, "description": _text(row.get("description")),
                              "notes": _text(row.get("notes"))})
        clean["schedules"] = schedules
    if changes.areas is not None:
        extents = []
        for text in changes.areas:
            if not (text or "").strip():
                continue
            extent = parse_area(text, councils)
            if extent is None:
                errors["areas"] = (f"“{text.strip()}” is not an area: enter a postcode district like EM1, a sector "
                                   "like EM1 2, a council's name like Eastmere, or England, one per line")
                break
            if extent not in extents:
                extents.append(extent)
        if not extents and "areas" not in errors:
            errors["areas"] = "Enter at least one area the service covers, like EM1 or Eastmere"
        clean["areas"] = extents
    for key in ("authority", "organisation_authority"):
        value = getattr(changes, key)
        if value is None:
            continue
        code = (value or "").strip().upper()
        if code and code not in (councils or {}):
            errors[key] = "Choose a council from the list, or none for a national service"
        clean[key] = code or None
    for kind in (tagging.ROLES, tagging.NEEDS):
        codes = getattr(changes, kind)
        if codes is not None:
            unknown = tagging.unknown_codes(kind, codes)
            if unknown:
                errors[kind] = f"Choose {kind} from the list ({', '.join(unknown[:3])} is not one)"
            clean[kind] = list(dict.fromkeys(codes))
    return clean, errors


def edit_service(session: Session, service_id: str, changes: ServiceChanges, editor: Editor, *,
                 expected_version: Optional[int] = None, note: Optional[str] = None,
                 report_id: Optional[str] = None) -> ServiceVersion:
    """Validate and apply an edit; record it as a new version. Raises ValidationFailed, NotFound,
    Conflict (the service changed since `expected_version`)."""
    service = session.get(d.Service, service_id)
    if service is None:
        raise NotFound(service_id)
    clean, errors = validate(changes, authorities.names(session))
    if errors:
        raise ValidationFailed(errors)
    if expected_version is not None and service.version != expected_version:
        raise Conflict("Someone else saved this service while you were editing it. "
                       "Your changes were not saved: reload the page to see theirs, then edit again.")
    before = snapshot(session, service_id)
    for name in SERVICE_FIELDS:
        if name in clean:
            setattr(service, name, clean[name])
    if "phones" in clean:
        _replace_phones(session, service_id, clean["phones"])
    if "schedules" in clean:
        _replace_schedules(session, service_id, clean["schedules"])
    if "areas" in clean:
        _replace_areas(session, service_id, clean["areas"])
    if "authority" in clean:
        service.local_authority_code = clean["authority"]
    if "organisation_authority" in clean and service.organization_id:
        session.get(d.Organization, service.organization_id).local_authority_code = clean["organisation_authority"]
    for kind in (tagging.ROLES, tagging.NEEDS):
        if kind in clean:
            tagging.set_tags(session, service_id, kind, clean[kind])
    service.last_modified = utcnow()  # also bumps services.version (optimistic locking)
    session.flush()
    fulltext.refresh(session.connection(), [service_id])  # searchable from the next answer
    return _record(session, service_id, EDITED, editor, before, note=note, report_id=report_id)


def _replace_phones(session: Session, service_id: str, phones: list[dict[str, Any]]) -> None:
    existing = {p.id: p for p in session.execute(select(d.Phone).where(d.Phone.service_id == service_id)).scalars()}
    keep = set()
    for phone in phones:
        row = existing.get(phone["id"]) if phone["id"] else None
        if row is None:
            row = d.Phone(id=str(uuid.uuid4()), service_id=service_id)
            session.add(row)
        keep.add(row.id)
        for name in PHONE_FIELDS:
            setattr(row, name, phone[name])
    for phone_id, row in existing.items():
        if phone_id not in keep:
            session.delete(row)


def _replace_schedules(session: Session, service_id: str, schedules: list[dict[str, Any]]) -> None:
    existing = {s.id: s for s in session.execute(select(d.Schedule).where(
        d.Schedule.service_id == service_id)).scalars()}
    keep = set()
    for item in schedules:
        row = existing.get(item["id"]) if item["id"] else None
        if row is None:
            row = d.Schedule(id=str(uuid.uuid4()), service_id=service_id)
            session.add(row)
        keep.add(row.id)
        row.freq = "WEEKLY"
        for name in SCHEDULE_FIELDS:
            setattr(row, name, item[name])
    for schedule_id, row in existing.items():
        if schedule_id not in keep:
            session.delete(row)


def _replace_areas(session: Session, service_id: str, extents: list[str]) -> None:
    existing = list(session.execute(select(d.ServiceArea).where(
        d.ServiceArea.service_id == service_id, d.ServiceArea.service_at_location_id.is_(None))).scalars())
    by_extent = {a.extent: a for a in existing}
    for extent in extents:
        if extent not in by_extent:
            session.add(d.ServiceArea(id=str(uuid.uuid4()), service_id=service_id, extent=extent,
                                      extent_type=d.EXTENT_TYPE_TEXT, name=area_label(extent)))
    for area in existing:
        if area.extent not in extents:
            session.delete(area)


def mark_verified(session: Session, service_id: str, editor: Editor, today: Optional[dt.date] = None,
                  expected_version: Optional[int] = None) -> ServiceVersion:
    """The maintainer has checked the service: assured today, by them."""
    service = session.get(d.Service, service_id)
    if service is None:
        raise NotFound(service_id)
    if expected_version is not None and service.version != expected_version:
        raise Conflict("Someone else saved this service since you opened it. Reload the page and check again.")
    before = snapshot(session, service_id)
    service.assured_date = today or utcnow().astimezone(UK).date()
    service.assurer_email = editor.email or service.assurer_email
    service.last_modified = utcnow()
    session.flush()
    return _record(session, service_id, VERIFIED, editor, before, note="Checked and verified")


# Carers' reports live in their own module; the console and tests reach them here too.
from bot.directory.maintenance_reports import (  # noqa: E402,F401
    KIND_LABELS,
    THANK_YOU_SMS,
    THANK_YOU_SMS_PURPOSE,
    ReportView,
    dismiss_report,
    get_report,
    list_reports,
    resolve_report,
)
from bot.directory.rules_view import RoleCoverage, rules_overview  # noqa: E402,F401
