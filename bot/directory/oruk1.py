"""Reading the first Open Referral UK API (ORUK 1.0), which many councils still publish.

Its pages are Spring Data pages (`{"content": [...], "totalElements": n, "totalPages": n, ...}`)
and its service objects differ from HSDS 3.0 in a few names and shapes. `to_hsds3(service)` turns
one into the HSDS 3.0 / ORUK 3.0 shape the importer reads:

- `eligibilitys` (eligibility, minimum_age, maximum_age) -> eligibility_description, ages
- `regular_schedules` (and a location's `regular_schedule`) -> schedules; `weekday` -> byday
- `holiday_schedules` -> closed or special-hours schedules between start_date and end_date
- `service_taxonomys` (taxonomy: id, name, vocabulary, parent) -> attributes with taxonomy terms
  (described by their names: ORUK 1.0 terms have no description)
- a location's `physical_addresses` -> addresses; `accessibility_for_disabilities` -> accessibility
- `languages` (language) -> languages (name); `fundings` -> funding; `organization.url` -> website
- `reviews`, `deliverable_type`, `attending_type`, `attending_access` have no HSDS 3.0 home: dropped.
"""
from __future__ import annotations

from typing import Any

V1_KEYS = frozenset({"regular_schedules", "holiday_schedules", "service_taxonomys", "eligibilitys", "fundings",
                     "reviews", "deliverable_type", "attending_access"})
DROPPED = ("reviews", "deliverable_type", "attending_type", "attending_access")
WEEKDAYS = {"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR",
            "saturday": "SA", "sunday": "SU"}


def is_page(document: Any) -> bool:
    """A Spring Data page, as ORUK 1.0 APIs return."""
    return isinstance(document, dict) and isinstance(document.get("content"), list) and (
        "totalElements" in document or "totalPages" in document or "number" in document or not document.keys()
        - {"content"})


def is_v1_service(item: Any) -> bool:
    return isinstance(item, dict) and bool(V1_KEYS & item.keys())


def to_hsds3(service: dict[str, Any]) -> dict[str, Any]:
    """The service in HSDS 3.0 shape (a new dict; the input is left alone)."""
    out = {k: v for k, v in service.items() if k not in DROPPED}
    eligibilities = out.pop("eligibilitys", None)
    if isinstance(eligibilities, list):
        _eligibility(out, [e for e in eligibilities if isinstance(e, dict)])
    schedules = _schedules(out.pop("regular_schedules", None), out.pop("holiday_schedules", None))
    if schedules is not None:
        out["schedules"] = schedules + [s for s in out.get("schedules") or [] if isinstance(s, dict)]
    taxonomies = out.pop("service_taxonomys", None)
    if isinstance(taxonomies, list):
        out["attributes"] = [*(out.get("attributes") or []), *(_attribute(t) for t in taxonomies
                                                               if isinstance(t, dict))]
    if isinstance(out.get("fundings"), list):
        out["funding"] = out.pop("fundings")
    if isinstance(out.get("languages"), list):
        out["languages"] = [_language(lang) for lang in out["languages"]]
    if isinstance(out.get("cost_options"), list):
        out["cost_options"] = [{k: v for k, v in c.items() if k != "linkid"} if isinstance(c, dict) else c
                               for c in out["cost_options"]]
    if isinstance(out.get("organization"), dict):
        out["organization"] = organization(out["organization"])
    if isinstance(out.get("service_at_locations"), list):
        out["service_at_locations"] = [_service_at_location(s) if isinstance(s, dict) else s
                                       for s in out["service_at_locations"]]
    return out


def organization(org: dict[str, Any]) -> dict[str, Any]:
    """ORUK 1.0 (and some 3.0 feeds) give an organisation's website as `url`: HSDS 3.0 calls it `website`."""
    out = dict(org)
    if "url" in out and not out.get("website"):
        out["website"] = out.pop("url")
    return out


def _eligibility(out: dict[str, Any], eligibilities: list[dict[str, Any]]) -> None:
    texts = [str(e["eligibility"]).strip() for e in eligibilities if str(e.get("eligibility") or "").strip()]
    if texts and not out.get("eligibility_description"):
        out["eligibility_description"] = "; ".join(dict.fromkeys(texts))
    lows = [_age(e.get("minimum_age")) for e in eligibilities]
    highs = [_age(e.get("maximum_age")) for e in eligibilities]
    lows, highs = [a for a in lows if a is not None], [a for a in highs if a is not None]
    if lows and out.get("minimum_age") in (None, ""):
        out["minimum_age"] = min(lows)
    if highs and out.get("maximum_age") in (None, ""):
        out["maximum_age"] = max(highs)


def _age(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _schedules(regular: Any, holidays: Any) -> list[dict[str, Any]] | None:
    if not isinstance(regular, list) and not isinstance(holidays, list):
        return None
    out = [_regular(r) for r in regular or [] if isinstance(r, dict)]
    out += [_holiday(h) for h in holidays or [] if isinstance(h, dict)]
    return out


def _regular(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in ("weekday", "service_id", "service_at_location_id")}
    day = WEEKDAYS.get(str(row.get("weekday") or "").strip().lower())
    if day and not out.get("byday"):
        out["byday"] = day
    if out.get("byday") and not out.get("freq"):
        out["freq"] = "WEEKLY"
    return out


def _holiday(row: dict[str, Any]) -> dict[str, Any]:
    """Closed dates (no opening time: see opening_hours) or special hours between two dates."""
    closed = str(row.get("closed", "")).strip().lower() in ("true", "1", "yes")
    out: dict[str, Any] = {"valid_from": row.get("start_date"),
                           "valid_to": row.get("end_date") or row.get("start_date"),
                           "description": "Closed" if closed else "Holiday opening hours"}
    if row.get("id"):
        out["id"] = row["id"]
    if not closed:
        out.update(opens_at=row.get("opens_at") or row.get("open_at"), closes_at=row.get("closes_at"))
    return out


def _attribute(link: dict[str, Any]) -> dict[str, Any]:
    taxonomy = link.get("taxonomy") if isinstance(link.get("taxonomy"), dict) else {}
    # ORUK 1.0 terms have no description, which HSDS 3.0 asks for: the name is all there is to say.
    term = {"id": taxonomy.get("id"), "name": taxonomy.get("name"), "description": taxonomy.get("name"),
            "taxonomy": taxonomy.get("vocabulary")}
    parent = taxonomy.get("parent")
    if isinstance(parent, str) and parent:
        term["parent_id"] = parent
    out: dict[str, Any] = {"taxonomy_term": term, "link_type": "service"}
    if link.get("id"):
        out["id"] = link["id"]
    return out


def _language(language: Any) -> Any:
    if isinstance(language, dict) and "language" in language and not language.get("name"):
        out = {k: v for k, v in language.items() if k != "language"}
        out["name"] = language["language"]
        return out
    return language


def _service_at_location(sal: dict[str, Any]) -> dict[str, Any]:
    out = dict(sal)
    schedules = _schedules(out.pop("regular_schedule", None), out.pop("holiday_schedules", None))
    if schedules:
        out["schedules"] = schedules
    location = out.get("location")
    if isinstance(location, dict):
        location = dict(location)
        addresses = location.pop("physical_addresses", None)
        if isinstance(addresses, list):
            location["addresses"] = [{"address_type": "physical", **a} if isinstance(a, dict) else a
                                     for a in addresses]
        access = location.pop("accessibility_for_disabilities", None)
        if isinstance(access, list):
            location["accessibility"] = access
        location.setdefault("location_type", "physical")
        out["location"] = location
    return out
