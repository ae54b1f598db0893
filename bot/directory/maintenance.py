"""Keeping the directory true: what the maintainers' console pages do, without the web.

- Search services by name, need, postcode and organisation (`search_services`).
- Edit a service with its phones, opening hours, eligibility and coverage (`edit_service`), with
  validation that says what to fix (`ValidationFailed.errors`, keyed by form field). Every change
  is a version in `service_versions` with a full snapshot, who and when (`history`).
- Mark a service verified (`mark_verified`): assured today, by this maintainer.
- Freshness (`freshness`): services by age of `assured_date`, and the stale ones carers meet most.
  `record_offered` counts how often the bot offers each service.
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
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot import crypto
from bot.directory import models as d
from bot.directory import places, reports
from bot.directory.exporter import json_value
from bot.directory.history import BASELINE, EDITED, VERIFIED, ServiceUsage, ServiceVersion
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
THANK_YOU_SMS = ("Thank you for telling us about {service}. We have checked it and updated the details, "
                 "so the next person gets the right ones. - OneStory (Eastmere)")
THANK_YOU_SMS_PURPOSE = "directory_report_thanks"

# Freshness buckets, by how long ago a service was last verified (assured).
FRESH, AGEING, STALE, NEVER = "under 6 months", "6 to 12 months", "over 12 months", "never verified"
BUCKETS = (FRESH, AGEING, STALE, NEVER)


@dataclass(frozen=True)
class Editor:
    """Who is making a change: a maintainer's username, name and email (for assurer_email)."""
    username: str
    name: str = ""
    email: Optional[str] = None


class ValidationFailed(ValueError):
    """The edit was refused; `errors` maps form field names to what to fix, in form order."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class NotFound(LookupError):
    pass


class Conflict(RuntimeError):
    """Someone else saved the service since this form was opened."""


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServiceRow:
    id: str
    name: str
    organization: Optional[str]
    status: str
    assured_date: Optional[dt.date]
    phone: Optional[str]
    times_offered: int = 0


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_services(session: Session, *, text: str = "", need: str = "", postcode: str = "",
                    organisation: str = "", limit: int = 50) -> list[ServiceRow]:
    """Services matching every filter given (all services when none is), by name."""
    s, o = d.Service, d.Organization
    conditions: list[Any] = []
    if text.strip():
        conditions.append(or_(func.lower(s.name).like(_like(text), escape="\\"),
                              func.lower(s.description).like(_like(text), escape="\\"),
                              s.id == text.strip()))
    if organisation.strip():
        conditions.append(s.organization_id.in_(select(o.id).where(
            func.lower(o.name).like(_like(organisation), escape="\\"))))
    if need.strip():
        conditions.append(s.id.in_(_services_for_need(need)))
    if postcode.strip():
        place = places.parse(postcode)
        if place is None:
            raise ValidationFailed({"postcode": "Enter a postcode or postcode district, like EM3 1AB or EM3"})
        covered = select(d.ServiceArea.service_id).where(d.ServiceArea.extent.in_(places.extents_for(place)))
        conditions.append(s.id.in_(covered))
    query = (select(s.id, s.name, o.name, s.status, s.assured_date, ServiceUsage.times_offered)
             .outerjoin(o, o.id == s.organization_id).outerjoin(ServiceUsage, ServiceUsage.service_id == s.id)
             .where(*conditions).order_by(s.name, s.id).limit(limit))
    rows = session.execute(query).all()
    phones = _first_phones(session, [r[0] for r in rows])
    return [ServiceRow(r[0], r[1], r[2], r[3], r[4], phones.get(r[0]), r[5] or 0) for r in rows]


def _services_for_need(need: str):
    """Ids of services linked to a need term whose code, name or synonym matches the words."""
    t, syn, attr = d.TaxonomyTerm, d.TaxonomyTermSynonym, d.Attribute
    pattern = _like(need)
    terms = select(t.id).where(or_(func.lower(t.name).like(pattern, escape="\\"),
                                   func.lower(t.code).like(pattern, escape="\\"),
                                   t.id.in_(select(syn.taxonomy_term_id).where(
                                       func.lower(syn.synonym).like(pattern, escape="\\")))))
    return select(attr.link_id).where(attr.taxonomy_term_id.in_(terms), attr.link_entity == "service")


def _first_phones(session: Session, service_ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if service_ids:
        for sid, number in session.execute(select(d.Phone.service_id, d.Phone.number)
                                           .where(d.Phone.service_id.in_(service_ids)).order_by(d.Phone.id)):
            out.setdefault(sid, number)
    return out


def organisations(session: Session) -> list[tuple[str, str]]:
    return list(session.execute(select(d.Organization.id, d.Organization.name).order_by(d.Organization.name)))


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
    return out


COMPARED = SERVICE_FIELDS + ("assured_date", "assurer_email", "phones", "schedules", "areas")


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
                "schedules": "Opening hours", "areas": "Areas covered"}


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


def parse_area(text: str) -> Optional[str]:
    """'EM1', 'EM1 2', 'Eastmere', 'England' or an extent ('postcode_district:EM1') -> an extent."""
    value = (text or "").strip()
    if not value:
        return None
    kind, sep, rest = value.partition(":")
    if sep and kind in d.EXTENT_KINDS:
        value = rest.strip()
        if kind in (d.EXTENT_POSTCODE_DISTRICT, d.EXTENT_POSTCODE_SECTOR):
            value = value.upper()
        return d.extent(kind, value) if parse_area(value) == d.extent(kind, value) else None
    upper = re.sub(r"\s+", " ", value.upper())
    if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?", upper):
        return d.extent(d.EXTENT_POSTCODE_DISTRICT, upper)
    if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]? \d", upper):
        return d.extent(d.EXTENT_POSTCODE_SECTOR, upper)
    if value.lower() == "england":
        return d.extent(d.EXTENT_COUNTRY, "England")
    for authority in places.LOCAL_AUTHORITIES.values():
        if value.lower() == authority.lower():
            return d.extent(d.EXTENT_LOCAL_AUTHORITY, authority)
    return None


def validate(changes: ServiceChanges) -> tuple[dict[str, Any], dict[str, str]]:
    """(clean values, errors). Error keys are form field names: `name`, `phones-0-number`, ..."""
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
            extent = parse_area(text)
            if extent is None:
                errors["areas"] = (f"“{text.strip()}” is not an area: enter a postcode district like EM1, a sector "
                                   "like EM1 2, Eastmere or England, one per line")
                break
            if extent not in extents:
                extents.append(extent)
        if not extents and "areas" not in errors:
            errors["areas"] = "Enter at least one area the service covers, like EM1 or Eastmere"
        clean["areas"] = extents
    return clean, errors


def edit_service(session: Session, service_id: str, changes: ServiceChanges, editor: Editor, *,
                 expected_version: Optional[int] = None, note: Optional[str] = None,
                 report_id: Optional[str] = None) -> ServiceVersion:
    """Validate and apply an edit; record it as a new version. Raises ValidationFailed, NotFound,
    Conflict (the service changed since `expected_version`)."""
    service = session.get(d.Service, service_id)
    if service is None:
        raise NotFound(service_id)
    clean, errors = validate(changes)
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
    service.last_modified = utcnow()  # also bumps services.version (optimistic locking)
    session.flush()
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


# ---------------------------------------------------------------------------------------------
# Freshness and use
# ---------------------------------------------------------------------------------------------
def record_offered(session: Session, service_ids: Iterable[str]) -> None:
    """Count one offer of each service to a carer (the bot calls this when it answers)."""
    ids = list(dict.fromkeys(i for i in service_ids if i))
    if not ids:
        return
    now = utcnow()
    rows = {u.service_id: u for u in session.execute(select(ServiceUsage).where(
        ServiceUsage.service_id.in_(ids))).scalars()}
    for service_id in ids:
        row = rows.get(service_id)
        if row is None:
            session.add(ServiceUsage(service_id=service_id, times_offered=1, last_offered=now))
        else:
            row.times_offered = (row.times_offered or 0) + 1
            row.last_offered = now
    session.flush()


def months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def bucket(assured: Optional[dt.date], today: dt.date) -> str:
    if assured is None:
        return NEVER
    if assured > months_before(today, 6):
        return FRESH
    if assured > months_before(today, 12):
        return AGEING
    return STALE


@dataclass
class Freshness:
    counts: dict[str, int]
    oldest_high_use: list[ServiceRow]
    total: int

    def share(self, name: str) -> int:
        return round(100 * self.counts[name] / self.total) if self.total else 0


def freshness(session: Session, today: Optional[dt.date] = None, limit: int = 20) -> Freshness:
    """Active services by age of their last verification, and the stale ones offered most often
    (then the longest unverified) first: the backlog to clear."""
    today = today or utcnow().astimezone(UK).date()
    rows = session.execute(select(d.Service.id, d.Service.name, d.Organization.name, d.Service.status,
                                  d.Service.assured_date, ServiceUsage.times_offered)
                           .outerjoin(d.Organization, d.Organization.id == d.Service.organization_id)
                           .outerjoin(ServiceUsage, ServiceUsage.service_id == d.Service.id)
                           .where(d.Service.status != "defunct")).all()
    counts = {name: 0 for name in BUCKETS}
    stale = []
    for sid, name, org, status, assured, used in rows:
        which = bucket(assured, today)
        counts[which] += 1
        if which != FRESH:
            stale.append(ServiceRow(sid, name, org, status, assured, None, used or 0))
    stale.sort(key=lambda r: (-r.times_offered, r.assured_date or dt.date.min, r.name))
    top = stale[:limit]
    phones = _first_phones(session, [r.id for r in top])
    top = [ServiceRow(r.id, r.name, r.organization, r.status, r.assured_date, phones.get(r.id), r.times_offered)
           for r in top]
    return Freshness(counts, top, len(rows))


def bar_chart_svg(counts: dict[str, int], width: int = 640, bar_height: int = 36) -> str:
    """A horizontal bar chart of the freshness buckets as an accessible SVG (no script needed)."""
    colours = {FRESH: "#00703c", AGEING: "#f47738", STALE: "#d4351c", NEVER: "#505a5f"}
    label_w, pad = 170, 8
    biggest = max(counts.values(), default=0) or 1
    height = len(BUCKETS) * (bar_height + pad) + pad
    total = sum(counts.values())
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="freshness-chart-title" '
             'class="console-chart">',
             f'<title id="freshness-chart-title">Services by time since last verified, {total} in all: '
             + ", ".join(f"{name} {counts.get(name, 0)}" for name in BUCKETS) + "</title>"]
    for index, name in enumerate(BUCKETS):
        value = counts.get(name, 0)
        y = pad + index * (bar_height + pad)
        bar = int((width - label_w - 60) * value / biggest)
        parts.append(f'<text x="0" y="{y + bar_height * 0.65:.0f}" font-family="Arial, sans-serif" '
                     f'font-size="16" fill="#0b0c0c">{name.capitalize()}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{max(bar, 2)}" height="{bar_height}" '
                     f'fill="{colours[name]}" data-bucket="{name}" data-count="{value}"/>')
        parts.append(f'<text x="{label_w + max(bar, 2) + 6}" y="{y + bar_height * 0.65:.0f}" '
                     f'font-family="Arial, sans-serif" font-size="16" font-weight="bold" fill="#0b0c0c">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Carers' reports
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportView:
    id: str
    service_id: Optional[str]
    service_name: Optional[str]
    kind: str
    words: str
    context: dict[str, Any]
    notify: bool
    status: str
    created_at: dt.datetime
    resolution_note: Optional[str]
    resolved_by: Optional[str]
    resolved_at: Optional[dt.datetime]
    version_number: Optional[int] = None


KIND_LABELS = {reports.WRONG_NUMBER: "Number is wrong", reports.CLOSED: "Service has closed",
               reports.OTHER: "Something else is wrong"}


def _view(report: reports.ServiceReport, version: Optional[int] = None) -> ReportView:
    try:
        words = crypto.decrypt(report.words_enc) if report.words_enc else ""
    except Exception:  # noqa: BLE001 - a key rotated away: show that, do not fail the queue
        words = "(cannot be read)"
    # Only the context's safe keys reach the page: which rule, which district, never record contents.
    context = {k: v for k, v in (report.context or {}).items() if k in ("rule_id", "postcode", "district", "need")}
    return ReportView(report.id, report.service_id, report.service_name, report.kind, words, context,
                      bool(report.notify), report.status, report.created_at, report.resolution_note,
                      report.resolved_by, report.resolved_at, version)


def list_reports(session: Session, status: str = reports.OPEN, limit: int = 200) -> list[ReportView]:
    rows = session.execute(select(reports.ServiceReport).where(reports.ServiceReport.status == status)
                           .order_by(reports.ServiceReport.created_at).limit(limit)).scalars().all()
    versions = dict(session.execute(select(ServiceVersion.report_id, ServiceVersion.number).where(
        ServiceVersion.report_id.in_([r.id for r in rows]))).all()) if rows else {}
    return [_view(r, versions.get(r.id)) for r in rows]


def get_report(session: Session, report_id: str) -> ReportView:
    report = session.get(reports.ServiceReport, report_id)
    if report is None:
        raise NotFound(report_id)
    return _view(report)


def _open_report(session: Session, report_id: str) -> reports.ServiceReport:
    report = session.get(reports.ServiceReport, report_id)
    if report is None:
        raise NotFound(report_id)
    if report.status != reports.OPEN:
        raise Conflict(f"This report was already {report.status}.")
    return report


def resolve_report(session: Session, report_id: str, editor: Editor, changes: Optional[ServiceChanges] = None,
                   note: Optional[str] = None, expected_version: Optional[int] = None) -> ServiceVersion:
    """Fix the reported service (the edit is linked to the report), close the report and, when the
    carer asked to be told, queue one thank-you SMS."""
    report = _open_report(session, report_id)
    if not report.service_id:
        raise ValidationFailed({"report": "This report's service has been removed: dismiss it instead"})
    version = edit_service(session, report.service_id, changes or ServiceChanges(), editor,
                           expected_version=expected_version,
                           note=note or f"Fixed after a carer's report ({KIND_LABELS.get(report.kind, report.kind)})",
                           report_id=report.id)
    report.status, report.resolved_by, report.resolved_at = reports.RESOLVED, editor.username, utcnow()
    report.resolution_note = note or f"Fixed in version {version.number} of the service"
    if report.notify and report.reporter_phone_enc:
        from bot.handoff.outbox import enqueue_sms

        enqueue_sms(crypto.decrypt(report.reporter_phone_enc),
                    THANK_YOU_SMS.format(service=report.service_name or "the service you told us about"),
                    THANK_YOU_SMS_PURPOSE, idempotency_key=f"report-thanks:{report.id}", session=session)
    session.flush()
    return version


def dismiss_report(session: Session, report_id: str, editor: Editor, reason: str) -> None:
    """Close a report without changing the service; the reason is required and kept."""
    if not (reason or "").strip():
        raise ValidationFailed({"reason": "Enter why you are dismissing this report"})
    report = _open_report(session, report_id)
    report.status, report.resolved_by, report.resolved_at = reports.DISMISSED, editor.username, utcnow()
    report.resolution_note = reason.strip()[:1000]
    session.flush()


# ---------------------------------------------------------------------------------------------
# Bulk import, with progress
# ---------------------------------------------------------------------------------------------
@dataclass
class ImportJob:
    """One upload: a dry run first (`preview`), then, if confirmed, the import in a background
    thread (`start`) reporting progress. The import is one transaction: any error rolls it back."""
    path: Path
    filename: str
    started_by: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    state: str = "uploaded"  # uploaded -> previewed -> running -> done | failed
    done: int = 0
    total: int = 0
    preview_report: Any = None
    result: Any = None
    error: Optional[str] = None
    thread: Optional[threading.Thread] = None
    remove_missing: bool = False

    @property
    def percent(self) -> int:
        if self.state == "done":
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    def preview(self) -> Any:
        from bot.directory.importer import import_feed

        self.preview_report = import_feed(self.path, dry_run=True, remove_missing=self.remove_missing)
        self.state = "previewed"
        return self.preview_report

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def run(self) -> Any:
        from bot.directory.importer import import_feed
        from bot.directory.responsibility import NEED_INDEX

        self.state = "running"
        try:
            self.result = import_feed(self.path, remove_missing=self.remove_missing, progress=self._progress)
        except Exception as error:  # noqa: BLE001 - import_feed reports; this is belt and braces
            self.error = f"{type(error).__name__}: {error}"
        ok = self.result is not None and self.result.written and self.result.ok
        self.state = "done" if ok else "failed"
        NEED_INDEX.reset()  # new need words work at once
        return self.result

    def start(self) -> None:
        self.state = "running"  # before the thread runs, so a status check straight away sees it
        self.thread = threading.Thread(target=self.run, name=f"directory-import-{self.id[:8]}", daemon=True)
        self.thread.start()


class ImportJobs:
    """The console process's import jobs (kept in memory: an upload lives as long as the console)."""

    def __init__(self) -> None:
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()

    def add(self, job: ImportJob) -> ImportJob:
        with self._lock:
            self._jobs[job.id] = job
        return job

    def get(self, job_id: str) -> Optional[ImportJob]:
        with self._lock:
            return self._jobs.get(job_id)

    def running(self) -> Optional[ImportJob]:
        with self._lock:
            return next((j for j in self._jobs.values() if j.state == "running"), None)


JOBS = ImportJobs()


# ---------------------------------------------------------------------------------------------
# Responsibility rules view
# ---------------------------------------------------------------------------------------------
@dataclass
class RoleCoverage:
    code: str
    name: str
    rules: list[Any]
    by_district: dict[str, list[str]]  # district -> local service names ("" list = none)
    national: list[str]

    @property
    def gaps(self) -> list[str]:
        return [district for district, names in self.by_district.items() if not names]


def rules_overview(session: Session, districts: Sequence[str] = places.DEMO_DISTRICTS,
                   codes: Optional[Sequence[str]] = None) -> list[RoleCoverage]:
    """Each role in the rule book (or those in `codes`: one page of them), its rules, and which
    local service fills it in each district."""
    from bot.directory import search
    from bot.directory.responsibility import rulebook

    book = rulebook()
    out = []
    for code, role in book.roles.items():
        if codes is not None and code not in codes:
            continue
        rules = [r for r in book.rules if r.role == code]
        by_district: dict[str, list[str]] = {}
        national: list[str] = []
        for district in districts:
            found = search.services_for_role(session, code, places.parse(district), limit=5)
            by_district[district] = [s.name for s in found if not s.national]
            national = national or [s.name for s in found if s.national]
        out.append(RoleCoverage(code, role.name, rules, by_district, national))
    return out

