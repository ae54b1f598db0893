#!/usr/bin/env python3
# ruff: noqa: E501  (this file is mostly literal directory text; wrapping it would not help readers)
"""Generate the Eastmere demo directory: an HSDS 3.0 tabular datapackage (CSV + datapackage.json).

Eastmere is a fictional borough (postcode districts EM1-EM6; EM is not a real UK postcode area).
Its organisations, people, addresses and numbers are invented; local phone numbers come from
Ofcom's ranges reserved for drama (01632 960xxx, 020 7946 0xxx, 0808 157 0xxx, 07700 900xxx).
National services (DWP, NHS 111, Samaritans, OPG, CQC, the ombudsmen) carry their real public
details and cover "country:England".

Deterministic: the same input (this script and data/responsibility/rules.yml) always gives the
same files, byte for byte. Run:  .venv/bin/python scripts/generate_eastmere.py [--out DIR]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import json
import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.directory.rules import RuleBook  # noqa: E402

OUT_DIR = ROOT / "data" / "directory" / "eastmere"
SCHEMA_DIR = ROOT / "tests" / "fixtures" / "hsds-3.0" / "schema"  # copies, with their licence

AS_OF = dt.date(2026, 11, 20)  # "today" for assured dates; stale = assured more than 12 months before
DATA_VERSION = "1.0.0"
NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://onestory.example/demo/eastmere")
DEMO = "(Demo data: Eastmere is a fictional borough.)"
ROLE_TAXONOMY = "OneStory responsibility roles"
NEED_TAXONOMY = "OneStory needs"
DISTRICTS = ("EM1", "EM2", "EM3", "EM4", "EM5", "EM6")

# District: (place name, centre latitude, centre longitude). Centre of the borough ~ 52.6, -1.2.
PLACES = {
    "EM1": ("Eastmere Town Centre", 52.6000, -1.2000),
    "EM2": ("Northmere", 52.6240, -1.1950),
    "EM3": ("Fenbridge", 52.6060, -1.1620),
    "EM4": ("Lowmoor", 52.5760, -1.2050),
    "EM5": ("Westmere", 52.5980, -1.2430),
    "EM6": ("Hollin Vale", 52.6290, -1.1520),
}

# The HSDS 3.0 tabular files and their columns, exactly as in the specification's CSV examples.
TABLES: dict[str, tuple[str, str, list[str]]] = {
    # resource name: (file, schema file, columns)
    "organization": ("organizations.csv", "organization", [
        "id", "name", "alternate_name", "description", "email", "website", "tax_status", "tax_id",
        "year_incorporated", "legal_status", "logo", "uri", "parent_organization_id"]),
    "program": ("programs.csv", "program", ["id", "organization_id", "name", "alternate_name", "description"]),
    "service": ("services.csv", "service", [
        "id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email",
        "status", "interpretation_services", "application_process", "fees_description", "wait_time", "fees",
        "accreditations", "eligibility_description", "minimum_age", "maximum_age", "assured_date",
        "assurer_email", "licenses", "alert", "last_modified"]),
    "location": ("locations.csv", "location", [
        "id", "location_type", "url", "organization_id", "name", "alternate_name", "description",
        "transportation", "latitude", "longitude", "external_identifier", "external_identifier_type"]),
    "address": ("addresses.csv", "address", [
        "id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province",
        "postal_code", "country", "address_type"]),
    "service_at_location": ("service_at_location.csv", "service_at_location",
                            ["id", "service_id", "location_id", "description"]),
    "phone": ("phones.csv", "phone", [
        "id", "location_id", "service_id", "organization_id", "contact_id", "service_at_location_id",
        "number", "extension", "type", "description"]),
    "schedule": ("schedules.csv", "schedule", [
        "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart",
        "timezone", "until", "count", "wkst", "freq", "interval", "byday", "byweekno", "bymonthday",
        "byyearday", "description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes"]),
    "service_area": ("service_areas.csv", "service_area",
                     ["id", "service_id", "name", "description", "extent", "extent_type", "uri"]),
    "contact": ("contacts.csv", "contact", [
        "id", "organization_id", "service_id", "service_at_location_id", "location_id", "name", "title",
        "department", "email"]),
    "language": ("languages.csv", "language", ["id", "service_id", "location_id", "phone_id", "name", "code",
                                               "note"]),
    "accessibility": ("accessibility.csv", "accessibility", ["id", "location_id", "description", "details",
                                                             "url"]),
    "cost_option": ("cost_options.csv", "cost_option", [
        "id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description"]),
    "funding": ("funding.csv", "funding", ["id", "organization_id", "service_id", "source"]),
    "required_document": ("required_documents.csv", "required_document", ["id", "service_id", "document", "uri"]),
    "organization_identifier": ("organization_identifiers.csv", "organization_identifier", [
        "id", "organization_id", "identifier_scheme", "identifier_type", "identifier"]),
    "taxonomy": ("taxonomies.csv", "taxonomy", ["id", "name", "description", "uri", "version"]),
    "taxonomy_term": ("taxonomy_terms.csv", "taxonomy_term", [
        "id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id", "term_uri"]),
    "attribute": ("attributes.csv", "attribute", ["id", "link_id", "taxonomy_term_id", "link_type",
                                                  "link_entity", "value"]),
    "metadata": ("metadata.csv", "metadata", [
        "id", "resource_id", "resource_type", "last_action_date", "last_action_type", "field_name",
        "previous_value", "replacement_value", "updated_by"]),
    "meta_table_description": ("meta_table_descriptions.csv", "meta_table_description",
                               ["id", "name", "language", "character_set"]),
    # OneStory extension (declared in datapackage.json): the words carers use for each term.
    "taxonomy_term_synonym": ("taxonomy_term_synonyms.csv", "", ["id", "taxonomy_term_id", "synonym"]),
}

FOREIGN_KEYS = {
    "organization_id": "organization", "parent_organization_id": "organization", "program_id": "program",
    "service_id": "service", "location_id": "location", "service_at_location_id": "service_at_location",
    "contact_id": "contact", "phone_id": "phone", "taxonomy_id": "taxonomy", "taxonomy_term_id": "taxonomy_term",
    "parent_id": "taxonomy_term",
}


def uid(*parts: str) -> str:
    return str(uuid.uuid5(NS, "/".join(parts)))


# --- Opening hours (see bot/directory/opening_hours.py for the conventions) ---------------

WEEKDAYS = "MO,TU,WE,TH,FR"
DAY_PLURAL = {"MO": "Mondays", "TU": "Tuesdays", "WE": "Wednesdays", "TH": "Thursdays", "FR": "Fridays"}
ALL_DAYS = "MO,TU,WE,TH,FR,SA,SU"
BH = "closed:bank-holidays"


def wk(byday, opens, closes, desc="", notes="", **extra):
    return {"freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes, "description": desc,
            "notes": notes, **extra}


def closed_dates(start, end, desc):
    return {"freq": "", "valid_from": start, "valid_to": end, "description": desc, "notes": "closed"}


HOURS = {
    "office": [wk(WEEKDAYS, "09:00", "17:00", "Monday to Friday, 9am to 5pm. Closed on bank holidays.", BH)],
    "office_830": [wk("MO,TU,WE,TH", "08:30", "17:00", "Monday to Thursday 8:30am to 5pm, Friday 8:30am to "
                      "4:30pm. Closed on bank holidays.", BH), wk("FR", "08:30", "16:30")],
    "office_late": [wk(WEEKDAYS, "08:00", "20:00", "Monday to Friday 8am to 8pm, Saturday 9am to 1pm. "
                       "Closed on bank holidays.", BH), wk("SA", "09:00", "13:00")],
    "h24": [wk(ALL_DAYS, "00:00", "23:59", "Open 24 hours, every day of the year.")],
    "seven_day": [wk(ALL_DAYS, "08:00", "20:00", "Every day, 8am to 8pm, including bank holidays.")],
    "reablement": [wk(ALL_DAYS, "07:00", "22:00", "Visits every day 7am to 10pm; office Monday to Friday.")],
    "nursing": [wk(ALL_DAYS, "08:00", "22:00", "Every day 8am to 10pm. Overnight, ring NHS 111.")],
    "edt": [
        wk("MO,TU,WE,TH", "17:00", "09:00", "Out of hours: weekday evenings and nights from 5pm to 9am, "
           "all weekend and all bank holidays."),
        wk("FR", "17:00", "23:59"), wk("SA,SU", "00:00", "23:59"), wk("MO", "00:00", "09:00"),
        {"freq": "WEEKLY", "byday": WEEKDAYS, "opens_at": "00:00", "closes_at": "23:59",
         "notes": "bank-holidays-only", "description": "Open all day on bank holidays."},
    ],
    "gp": [wk(WEEKDAYS, "08:00", "18:30", "Monday to Friday 8am to 6:30pm. Closed on bank holidays; "
              "ring NHS 111 when closed.", BH)],
    "gp_late": [wk(WEEKDAYS, "08:00", "18:30", "Monday to Friday 8am to 6:30pm, late surgery Tuesday to "
                   "8pm, Saturday 9am to midday. Closed on bank holidays.", BH),
                wk("TU", "18:30", "20:00"), wk("SA", "09:00", "12:00")],
    "gp_hub": [wk(WEEKDAYS, "18:30", "21:00", "Evenings 6:30pm to 9pm and weekends 9am to 5pm, by "
                  "appointment through your practice."), wk("SA,SU", "09:00", "17:00")],
    "pharmacy": [wk(WEEKDAYS, "09:00", "18:00", "Monday to Friday 9am to 6pm, Saturday 9am to 1pm. "
                    "Closed on bank holidays.", BH), wk("SA", "09:00", "13:00")],
    "pharmacy_lunch": [wk(WEEKDAYS, "08:30", "13:00", "Monday to Friday 8:30am to 6pm (closed 1pm to 2pm), "
                          "Saturday 9am to 5pm. Closed on bank holidays.", BH),
                       wk(WEEKDAYS, "14:00", "18:00"), wk("SA", "09:00", "17:00")],
    "pharmacy_100": [wk("MO,TU,WE,TH,FR,SA", "07:00", "22:00", "Monday to Saturday 7am to 10pm, Sunday 10am "
                        "to 4pm. Bank holidays 10am to 4pm."), wk("SU", "10:00", "16:00"),
                     {"freq": "WEEKLY", "byday": WEEKDAYS, "opens_at": "10:00", "closes_at": "16:00",
                      "notes": "bank-holidays-only", "description": "Bank holidays 10am to 4pm."}],
    "dental": [wk("MO,TU,WE,TH", "08:30", "17:30", "Monday to Thursday 8:30am to 5:30pm, Friday 8:30am to "
                  "1pm. Closed on bank holidays; for urgent dental care ring NHS 111.", BH),
               wk("FR", "08:30", "13:00")],
    "optician": [wk("MO,TU,WE,TH,FR,SA", "09:00", "17:30", "Monday to Saturday 9am to 5:30pm. Closed on "
                    "bank holidays.", BH)],
    "care_home": [wk(ALL_DAYS, "10:00", "20:00", "Visiting and enquiries every day 10am to 8pm; care is "
                     "provided 24 hours.")],
    "register_office": [wk(WEEKDAYS, "09:00", "16:30", "Appointments Monday to Friday 9am to 4:30pm. Closed "
                           "on bank holidays.", BH)],
    "carers_centre": [
        wk(WEEKDAYS, "09:00", "17:00", "Monday to Friday 9am to 5pm, Thursday until 7pm. Closed on bank "
           "holidays and between Christmas and New Year.", BH),
        wk("TH", "17:00", "19:00"),
        closed_dates("2026-12-24", "2027-01-01", "Closed for the Christmas break."),
        closed_dates("2027-12-24", "2027-12-31", "Closed for the Christmas break."),
    ],
    "equipment": [wk(WEEKDAYS, "08:00", "18:00", "Monday to Friday 8am to 6pm, Saturday 9am to 1pm for "
                     "urgent hospital discharges. Closed on bank holidays.", BH), wk("SA", "09:00", "13:00")],
    "transport": [wk(WEEKDAYS, "08:00", "18:00", "Bookings Monday to Friday 8am to 6pm. Closed on bank "
                     "holidays.", BH)],
    "charity": [wk(WEEKDAYS, "10:00", "16:00", "Monday to Friday 10am to 4pm. Closed on bank holidays.", BH)],
    "maternity_team": [wk(WEEKDAYS, "08:30", "16:30", "Office Monday to Friday 8:30am to 4:30pm. At any "
                          "other time ring maternity triage (24 hours).", BH)],
    # DWP lines keep different hours (GOV.UK, checked 2026-11-30): one "dwp" row for all was wrong.
    "dwp_aa": [wk(WEEKDAYS, "08:00", "18:00", "Monday to Friday, 8am to 6pm. Closed on bank holidays.", BH)],
    "dwp_ca": [wk("MO,TU,WE,TH", "08:30", "17:00", "Monday to Thursday 8:30am to 5pm, Friday 8:30am to 4:30pm. "
                  "Closed on bank holidays.", BH), wk("FR", "08:30", "16:30")],
    "dwp_8_to_5": [wk(WEEKDAYS, "08:00", "17:00", "Monday to Friday, 8am to 5pm. Closed on bank holidays.", BH)],
    "dwp_9_to_5": [wk(WEEKDAYS, "09:00", "17:00", "Monday to Friday, 9am to 5pm. Closed on bank holidays.", BH)],
    "opg": [wk("MO,TU,TH,FR", "09:30", "17:00", "Monday, Tuesday, Thursday and Friday 9:30am to 5pm; "
               "Wednesday 10am to 5pm. Closed on bank holidays.", BH), wk("WE", "10:00", "17:00")],
    "cqc": [wk(WEEKDAYS, "08:30", "17:30", "Monday to Friday, 8:30am to 5:30pm. Closed on bank holidays.", BH)],
    "lgsco": [wk(WEEKDAYS, "10:00", "16:00", "Monday to Friday, 10am to 4pm (except public holidays). Hours "
                 "change: check lgo.org.uk.", BH)],
    "phso": [wk(WEEKDAYS, "08:30", "17:30", "Monday to Friday, 8:30am to 5:30pm. Closed on bank holidays.", BH)],
    "acas": [wk(WEEKDAYS, "08:00", "18:00", "Monday to Friday, 8am to 6pm. Closed on bank holidays.", BH)],
    "dvla_medical": [wk(WEEKDAYS, "08:00", "19:00", "Monday to Friday 8am to 7pm, Saturday 8am to 2pm. Closed on "
                        "bank holidays.", BH), wk("SA", "08:00", "14:00")],
    # A service used online (forms, certificates): there is no phone line to keep hours for.
    "online": [wk(ALL_DAYS, "00:00", "23:59", "Online, any time.")],
}


def club(byday, opens, closes, desc):
    return [wk(byday, opens, closes, desc, BH)]


def monthly(byday, opens, closes, desc):
    return [{"freq": "MONTHLY", "byday": byday, "opens_at": opens, "closes_at": closes, "description": desc,
             "notes": ""}]


def fortnightly(byday, opens, closes, start, desc):
    return [{"freq": "WEEKLY", "interval": "2", "dtstart": start, "byday": byday, "opens_at": opens,
             "closes_at": closes, "description": desc, "notes": BH}]


# --- Phone numbers from Ofcom's drama ranges -------------------------------------------------


class Numbers:
    def __init__(self):
        self.geo, self.free, self.mobile, self.london = 100, 100, 100, 100

    def local(self) -> str:
        self.geo += 1
        return f"01632 960{self.geo:03d}"

    def freephone(self) -> str:
        self.free += 1
        return f"0808 157 0{self.free:03d}"

    def text(self) -> str:
        self.mobile += 1
        return f"07700 900{self.mobile:03d}"

    def regional(self) -> str:
        self.london += 1
        return f"020 7946 0{self.london:03d}"


# --- The borough ----------------------------------------------------------------------------

STREETS = ["Market Street", "Mere Road", "Church Lane", "Station Road", "Victoria Street", "Mill Lane",
           "Park Avenue", "Chapel Street", "Orchard Way", "Kingsway", "Brook Street", "High Street",
           "Fenwick Road", "Willow Close", "Cedar Drive", "Abbey Road", "Canal Street", "Queen's Walk"]
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def generate(out_dir: Path) -> dict[str, int]:
    book = RuleBook.load()
    rnd = random.Random(20261120)
    nums = Numbers()
    t: dict[str, list[dict]] = {name: [] for name in TABLES}

    # -- taxonomies
    role_tax, need_tax = uid("taxonomy", "roles"), uid("taxonomy", "needs")
    t["taxonomy"] += [
        {"id": role_tax, "name": ROLE_TAXONOMY, "version": book.version,
         "description": "Kinds of body responsible for something in England's health and care system, as used "
                        "by OneStory's responsibility rules (data/responsibility/rules.yml).",
         "uri": "https://onestory.example/taxonomy/roles"},
        {"id": need_tax, "name": NEED_TAXONOMY, "version": book.version,
         "description": "What carers ask about, with the words they use; each need is answered by one or more "
                        "responsibility rules.",
         "uri": "https://onestory.example/taxonomy/needs"},
    ]
    term_id: dict[str, str] = {}
    for role in book.roles.values():
        term_id[role.code] = uid("term", role.code)
        t["taxonomy_term"].append({"id": term_id[role.code], "code": role.code, "name": role.name,
                                   "description": role.description, "taxonomy": ROLE_TAXONOMY, "language": "en",
                                   "taxonomy_id": role_tax})
    for need in book.needs.values():
        term_id[need.code] = uid("term", need.code)
        t["taxonomy_term"].append({"id": term_id[need.code], "code": need.code, "name": need.name,
                                   "description": need.description or need.name, "taxonomy": NEED_TAXONOMY,
                                   "language": "en", "taxonomy_id": need_tax})
        for synonym in need.synonyms:
            t["taxonomy_term_synonym"].append({"id": uid("synonym", need.code, synonym),
                                               "taxonomy_term_id": term_id[need.code], "synonym": synonym})
    needs_of_role: dict[str, list[str]] = {}
    for rule in book.rules:
        for n in rule.needs:
            needs_of_role.setdefault(rule.role, [])
            if n not in needs_of_role[rule.role]:
                needs_of_role[rule.role].append(n)

    # -- organisations and locations
    orgs: dict[str, str] = {}
    org_location: dict[str, str] = {}
    street_no = itertools.cycle(range(3, 240, 5))

    def postcode(district: str) -> str:
        return f"{district} {rnd.randint(1, 9)}{rnd.choice(UNIT_LETTERS)}{rnd.choice(UNIT_LETTERS)}"

    def location(key: str, org_key: str, name: str, district: str, *, description: str = "",
                 street: str | None = None, accessible: bool = True) -> str:
        lid = uid("location", key)
        _, lat, lon = PLACES[district]
        t["location"].append({
            "id": lid, "location_type": "physical", "organization_id": orgs[org_key], "name": name,
            "description": description or f"{name}, {PLACES[district][0]}.",
            "transportation": rnd.choice(["Bus stop outside.", "Short walk from the bus station.",
                                          "Free parking on site.", "On the 12 and 14 bus routes.",
                                          "Limited parking; blue badge bays at the front."]),
            "latitude": f"{lat + rnd.uniform(-0.008, 0.008):.5f}",
            "longitude": f"{lon + rnd.uniform(-0.012, 0.012):.5f}",
        })
        t["address"].append({
            "id": uid("address", key), "location_id": lid,
            "address_1": f"{next(street_no)} {street or rnd.choice(STREETS)}",
            "address_2": PLACES[district][0] if district != "EM1" else "",
            "city": "Eastmere", "region": "", "state_province": "Eastmere", "postal_code": postcode(district),
            "country": "GB", "address_type": "physical"})
        if accessible:
            t["accessibility"].append({
                "id": uid("access", key), "location_id": lid,
                "description": "Step-free access and an accessible toilet.",
                "details": rnd.choice(["Hearing loop at reception.", "Wheelchair available to borrow at the "
                                       "entrance.", "Lift to all floors.", "Quiet room available on request."]),
                "url": ""})
        return lid

    def org(key: str, name: str, description: str, *, website: str = "", email: str = "",
            legal_status: str = "", parent: str = "", district: str | None = "EM1", real: bool = False,
            alternate: str = "", year: str = "", place: str = "") -> str:
        oid = uid("organization", key)
        orgs[key] = oid
        t["organization"].append({
            "id": oid, "name": name, "alternate_name": alternate,
            "description": description if real else f"{description} {DEMO}",
            "email": email, "website": website, "legal_status": legal_status, "year_incorporated": year,
            "uri": website, "parent_organization_id": orgs.get(parent, "")})
        if district:
            org_location[key] = location(key, key, place or name, district)
        return oid

    # -- services
    services: list[dict] = []

    def service(key: str, org_key: str, name: str, description: str, *, roles: tuple[str, ...] = (),
                needs: tuple[str, ...] = (), area: str | tuple[str, ...] = "borough", hours: str | list = "office",
                phone: str | None = None, phone_note: str = "", url: str = "", email: str = "",
                at: str | None = None, process: str = "", eligibility: str = "", min_age: int | None = None,
                max_age: int | None = None, fees: str = "Free.", national: bool = False, alert: str = "",
                text_number: str | None = None) -> str:
        sid = uid("service", key)
        for r in roles:
            assert r in book.roles, f"{key}: unknown role {r}"
        for n in needs:
            assert n in book.needs, f"{key}: unknown need {n}"
        services.append({"key": key, "id": sid, "national": national})
        t["service"].append({
            "id": sid, "organization_id": orgs[org_key], "name": name, "description": description,
            "url": url, "email": email, "status": "active", "application_process": process,
            "fees_description": fees, "eligibility_description": eligibility,
            "minimum_age": "" if min_age is None else str(min_age),
            "maximum_age": "" if max_age is None else str(max_age), "alert": alert,
            "interpretation_services": "" if national else "Interpreters and British Sign Language on request.",
        })
        # coverage
        if area == "england":
            t["service_area"].append({"id": uid("area", key, "england"), "service_id": sid, "name": "England",
                                      "description": "Available to people anywhere in England.",
                                      "extent": "country:England", "extent_type": "text"})
        else:
            districts = DISTRICTS if area == "borough" else tuple(area)
            if area == "borough":
                t["service_area"].append({
                    "id": uid("area", key, "borough"), "service_id": sid, "name": "Eastmere",
                    "description": "All of Eastmere (EM1 to EM6).", "extent": "local_authority:Eastmere",
                    "extent_type": "text"})
            for d in districts:
                t["service_area"].append({
                    "id": uid("area", key, d), "service_id": sid, "name": f"{d} ({PLACES[d][0]})",
                    "description": f"Postcode district {d}.", "extent": f"postcode_district:{d}",
                    "extent_type": "text"})
        # roles and needs as attributes
        attached = list(roles)
        for r in roles:
            attached += [n for n in needs_of_role.get(r, []) if n not in attached]
        attached += [n for n in needs if n not in attached]
        for code in attached:
            t["attribute"].append({"id": uid("attribute", key, code), "link_id": sid,
                                   "taxonomy_term_id": term_id[code], "link_type": "service",
                                   "link_entity": "service", "value": ""})
        # where
        loc = at if at is not None else org_location.get(org_key)
        sal = ""
        if loc:
            sal = uid("sal", key)
            t["service_at_location"].append({"id": sal, "service_id": sid, "location_id": loc,
                                             "description": f"{name} at this address."})
        # phone
        if phone is None:
            phone = nums.local()
        if phone:
            t["phone"].append({"id": uid("phone", key), "service_id": sid, "number": phone, "type": "voice",
                               "description": phone_note})
        if text_number:
            t["phone"].append({"id": uid("phone", key, "text"), "service_id": sid, "number": text_number,
                               "type": "sms", "description": "Text this number and we will call you back."})
        # hours
        rows = HOURS[hours] if isinstance(hours, str) else hours
        for i, row in enumerate(rows):
            t["schedule"].append({"id": uid("schedule", key, str(i)), "service_id": sid,
                                  "attending_type": "phone" if not loc else "in person or phone",
                                  **{k: v for k, v in row.items()}})
        return sid

    web = "https://www.eastmere.gov.example"
    # ========================== Eastmere Borough Council ==========================
    org("council", "Eastmere Borough Council", "The local council for Eastmere: adult social care, children's "
        "services, education, housing, registration and council tax.", website=web,
        email="contact@eastmere.gov.example", legal_status="Local authority", place="Eastmere Civic Centre")
    service("asc-front-door", "council", "Adult Social Care - Contact Centre (Eastmere Borough Council)",
            "The council's adult social care front door: care needs assessments, home care, care homes, "
            "direct payments, respite and help after a hospital stay.",
            roles=("role.council-adult-social-care",), hours="office_830", url=f"{web}/adult-social-care",
            email="adultsocialcare@eastmere.gov.example",
            process="Ring, email or fill in the online form. You can ask for yourself or for someone else.",
            eligibility="Adults 18+ living in Eastmere who may need care and support, and their carers.",
            min_age=18, text_number=nums.text())
    service("asc-carers-assessments", "council", "Carers' Assessments - Adult Social Care (Eastmere Borough "
            "Council)", "Carer's assessments for adults who look after someone, whether or not the person you "
            "care for gets help from the council. Carried out by the council and, for some carers, by Eastmere "
            "Carers' Centre on the council's behalf.",
            roles=("role.council-adult-social-care",), needs=("need.carers-assessment",), hours="office_830",
            url=f"{web}/carers", process="Ring the contact centre or ask Eastmere Carers' Centre.",
            eligibility="Adult carers (18+) of anyone living in Eastmere.", min_age=18)
    service("asc-hospital-social-work", "council", "Hospital Social Work Team - Adult Social Care (Eastmere "
            "Borough Council)", "Council social workers based at Eastmere General Hospital who work with the "
            "discharge hub on care after a hospital stay.", roles=("role.council-adult-social-care",),
            needs=("need.support-after-discharge", "need.hospital-discharge"), hours="seven_day",
            process="Ask the ward to refer.", min_age=18)
    service("asc-direct-payments", "council", "Direct Payments Support Service (Eastmere Borough Council)",
            "Help to set up and manage direct payments and personal budgets, including employing a personal "
            "assistant.", roles=("role.council-adult-social-care",), needs=("need.direct-payments",),
            process="Your social worker refers, or ring us.")
    service("asc-edt", "council", "Emergency Duty Team - out of hours social care (Eastmere Borough Council)",
            "Urgent adult and children's social care and safeguarding when council offices are closed: "
            "evenings, nights, weekends and bank holidays.",
            roles=("role.council-adult-social-care", "role.adult-safeguarding", "role.childrens-safeguarding",
                   "role.amhp-service"),
            needs=("need.carer-emergency-plan",), hours="edt", phone=nums.local(),
            process="Ring for emergencies that can't wait until the next working day. In danger now? Ring 999.")
    service("asc-ot", "council", "Occupational Therapy Service - Adult Social Care (Eastmere Borough Council)",
            "Council occupational therapists assess how you manage at home and arrange equipment, grab rails "
            "and other adaptations. Minor adaptations under £1,000 are free.",
            roles=("role.council-occupational-therapy",), hours="office_830", min_age=18,
            process="Ask through the adult social care contact centre; you can refer yourself.")
    service("asc-reablement", "council", "Eastmere Reablement Service (Eastmere Borough Council)",
            "Free short-term support at home, usually up to six weeks, to regain skills and confidence after "
            "illness or a hospital stay.", roles=("role.reablement",), hours="reablement", min_age=18,
            process="Referral from the hospital discharge hub or adult social care.")
    service("asc-safeguarding", "council", "Safeguarding Adults (Eastmere Borough Council)",
            "Report a concern that an adult with care needs is being abused or neglected, including financial "
            "abuse and self-neglect. Out of hours, ring the Emergency Duty Team.",
            roles=("role.adult-safeguarding",), hours="office_830", min_age=18,
            process="Anyone can report a concern. If someone is in immediate danger, ring 999.")
    service("asc-financial-assessment", "council", "Financial Assessment and Charging Team (Eastmere Borough "
            "Council)", "Works out what you pay towards council-arranged care, including care home fees, and "
            "explains deferred payment agreements.", roles=("role.council-financial-assessment",),
            hours="office")
    service("asc-welfare-rights", "council", "Welfare Rights Team (Eastmere Borough Council)",
            "Benefit checks and help with Attendance Allowance, PIP and Carer's Allowance claims for people who "
            "use adult social care.", roles=("role.benefits-advice",), hours="office")
    service("council-blue-badge", "council", "Blue Badge Team (Eastmere Borough Council)",
            "Applications, renewals and replacement Blue Badges for disabled parking.",
            roles=("role.council-blue-badge",), hours="office", url="https://www.gov.uk/apply-blue-badge",
            fees="£10 if your application is approved.", process="Apply online at gov.uk; we assess and post "
            "the badge.")
    service("council-careline", "council", "Eastmere Careline - personal alarms and telecare (Eastmere Borough "
            "Council)", "Pendant alarms, falls detectors and key safes linked to our 24-hour response centre.",
            roles=("role.council-telecare",), hours="h24", fees="Weekly charge; free for the first 6 weeks "
            "after a hospital stay.", process="Ring to arrange a home visit; the alarm line answers 24 hours.")
    service("council-tax", "council", "Council Tax Team (Eastmere Borough Council)",
            "Council tax bills, discounts and exemptions, including the severe mental impairment disregard "
            "(for example for dementia) and the disabled band reduction.", roles=("role.council-tax",),
            hours="office")
    service("council-housing", "council", "Housing Options and Housing Register (Eastmere Borough Council)",
            "Housing advice, the housing register, medical priority and help to move somewhere more suitable.",
            roles=("role.council-housing",), hours="office")
    service("council-tenant-adaptations", "council", "Adaptations for Council Tenants (Eastmere Borough "
            "Council)", "Rails, ramps and level-access showers in council-owned homes, after an OT assessment.",
            needs=("need.minor-adaptations", "need.major-adaptations"), hours="office")
    service("council-dfg", "council", "Disabled Facilities Grants Team (Eastmere Borough Council)",
            "Grants for major adaptations such as stairlifts, level-access showers, ramps and through-floor "
            "lifts, after an occupational therapist's assessment.", roles=("role.dfg-team",), hours="office",
            fees="Means-tested for adults; not means-tested for disabled children.")
    service("council-complaints", "council", "Complaints and Feedback Team (Eastmere Borough Council)",
            "Complaints about council services, including adult and children's social care and care the "
            "council arranges.", roles=("role.council-complaints",), hours="office",
            email="complaints@eastmere.gov.example")
    service("council-early-help", "council", "Children's Services Front Door and Early Help (Eastmere "
            "Borough Council)", "Family support, parenting help and children-in-need assessments.",
            roles=("role.council-childrens-services",), hours="office_830", max_age=17)
    service("council-cwd", "council", "Children with Disabilities and Short Breaks Team (Eastmere Borough "
            "Council)", "Social care assessments for disabled children, parent carer needs assessments and "
            "short breaks.", roles=("role.council-childrens-disability",), hours="office_830", max_age=17)
    service("council-mash", "council", "Children's Safeguarding - Multi-Agency Safeguarding Hub (Eastmere "
            "Borough Council)", "Report a concern that a child is being harmed or neglected. Out of hours, "
            "ring the Emergency Duty Team.", roles=("role.childrens-safeguarding",), hours="office_830",
            max_age=17, process="Anyone can report. If a child is in immediate danger, ring 999.")
    service("council-send", "council", "SEND Team - Special Educational Needs and Disabilities (Eastmere "
            "Borough Council)", "EHC needs assessments, Education, Health and Care plans and annual reviews "
            "for children and young people aged 0 to 25.", roles=("role.council-send-team",), hours="office",
            max_age=25, email="send@eastmere.gov.example")
    service("council-admissions", "council", "School Admissions (Eastmere Borough Council)",
            "Applications for primary and secondary school places, in-year transfers and admission appeals.",
            roles=("role.school-admissions",), hours="office", min_age=2, max_age=16)
    service("council-school-transport", "council", "Home to School Transport (Eastmere Borough Council)",
            "Free travel to school for eligible children, including many with SEND.",
            roles=("role.council-school-transport",), hours="office", max_age=25)
    service("council-fis", "council", "Eastmere Family Information Service (Eastmere Borough Council)",
            "Information on childcare, funded early education hours, activities and the SEND Local Offer.",
            roles=("role.family-information-service",), hours="office", text_number=nums.text())
    service("council-local-offer", "council", "Eastmere SEND Local Offer (Eastmere Borough Council)",
            "The council's guide to services for children and young people with SEND, kept by the Family "
            "Information Service.", roles=("role.family-information-service",),
            needs=("need.send-support-at-school",), hours="office", max_age=25)
    register = location("register-office", "council", "Eastmere Register Office", "EM1", street="Abbey Road")
    service("council-register-office", "council", "Eastmere Register Office (Eastmere Borough Council)",
            "Registering births (within 42 days) and deaths (within 5 days), by appointment.",
            roles=("role.register-office",), hours="register_office", at=register,
            process="Book an appointment by phone or online.")
    service("council-tell-us-once", "council", "Tell Us Once at Eastmere Register Office (Eastmere Borough "
            "Council)", "When you register a death, the registrar gives you a Tell Us Once reference so you "
            "can tell most government departments and the council in one go.", roles=("role.tell-us-once",),
            hours="register_office", at=register)

    service("council-day-opportunities", "council", "Eastmere Day Opportunities (Eastmere Borough Council)",
            "Day centres and activities for adults with care needs, giving carers a regular break. Places are "
            "arranged after a care needs assessment.", needs=("need.respite", "need.social-activities"),
            hours=club(WEEKDAYS, "09:30", "15:30", "Monday to Friday 9:30am to 3:30pm. Closed on bank holidays."),
            min_age=18, fees="Charged according to the financial assessment.")
    service("council-shared-lives", "council", "Shared Lives Eastmere (Eastmere Borough Council)",
            "Day support, short breaks and longer stays with approved Shared Lives carers in their own homes.",
            needs=("need.respite",), hours="office", min_age=18)
    service("council-moving-handling", "council", "Carers' Moving and Handling Training (Eastmere Borough "
            "Council)", "Free training for family carers on helping someone move safely, and using hoists and "
            "slide sheets.", needs=("need.carer-support", "need.equipment-after-discharge"),
            hours=monthly("1TU", "10:00", "13:00", "First Tuesday of the month, 10am to 1pm."), min_age=18)

    # ========================== NHS Eastmere Integrated Care Board ==========================
    org("icb", "NHS Eastmere Integrated Care Board", "The NHS body that plans and pays for health services in "
        "Eastmere, including NHS Continuing Healthcare.", website="https://www.eastmere.icb.nhs.example",
        legal_status="NHS body", place="NHS Eastmere ICB, Kingsway House")
    service("icb-chc", "icb", "NHS Continuing Healthcare Team (NHS Eastmere Integrated Care Board)",
            "Assessments for NHS Continuing Healthcare, fast-track funding at the end of life and NHS-funded "
            "nursing care.", roles=("role.icb-chc",), hours="office", min_age=18,
            process="A nurse, social worker or doctor completes the checklist; you can ask them to.")
    service("icb-phb", "icb", "Personal Health Budgets (NHS Eastmere Integrated Care Board)",
            "Personal health budgets for people who get NHS Continuing Healthcare and others with a right to "
            "one.", roles=("role.icb-chc",), needs=("need.personal-health-budget",), hours="office")
    service("icb-s117", "icb", "Section 117 Aftercare (NHS Eastmere Integrated Care Board and Eastmere Borough "
            "Council)", "Free aftercare for people who have been detained under section 3 and some other "
            "sections of the Mental Health Act, arranged jointly by the ICB and the council.",
            roles=("role.section-117",), hours="office",
            process="Your care co-ordinator arranges it; ring us if you're not sure who funds what.")
    service("icb-complaints", "icb", "Patient Experience and Complaints (NHS Eastmere Integrated Care Board)",
            "Complaints about NHS services the ICB commissions, including GP practices, dentists, opticians "
            "and pharmacies.", roles=("role.icb-complaints",), hours="office",
            email="complaints@eastmere.icb.nhs.example")

    # ========================== Eastmere University Hospitals NHS Trust ==========================
    org("hospital", "Eastmere University Hospitals NHS Trust", "Runs Eastmere General Hospital: emergency "
        "department, wards, maternity and outpatients.", website="https://www.eastmerehospitals.nhs.example",
        legal_status="NHS trust", district="EM1", place="Eastmere General Hospital")
    egh = org_location["hospital"]
    service("hospital-discharge-hub", "hospital", "Hospital Discharge Hub (Transfer of Care Team), Eastmere "
            "General Hospital", "Plans discharges from the wards with patients and carers, and orders the "
            "equipment, care and follow-up needed to go home safely. Call if something promised at discharge "
            "hasn't happened.", roles=("role.hospital-discharge-team",), hours="seven_day",
            process="Ask the ward, or ring the hub with the patient's name, date of birth and ward.")
    for code, ward, note in (("7", "Ward 7 - Care of Older People", "Older people's medicine and frailty."),
                             ("12", "Ward 12 - Stroke Unit", "Acute stroke care and rehabilitation."),
                             ("3", "Ward 3 - Trauma and Orthopaedics", "Broken hips and joint surgery."),
                             ("20", "Ward 20 - Acute Medicine", "Short-stay acute medical ward.")):
        service(f"hospital-ward-{code}", "hospital", f"{ward}, Eastmere General Hospital",
                f"{note} Ward staff and the discharge hub plan each patient's discharge.",
                needs=("need.hospital-discharge", "need.hospital-problem"), hours="h24", at=egh,
                phone_note="Ward nurses' station. Visiting 11am to 8pm.", min_age=18)
    service("hospital-frailty", "hospital", "Frailty Assessment Unit, Eastmere General Hospital",
            "Same-day assessment for frail older people referred by their GP or ambulance crews, to avoid a "
            "hospital stay where possible.", needs=("need.gp-appointment",), hours="seven_day", min_age=65)
    service("hospital-outpatients", "hospital", "Outpatient Appointments Centre, Eastmere General Hospital",
            "Book, change or cancel a hospital outpatient appointment.", needs=("need.patient-transport",),
            hours="office_late")
    service("hospital-ed", "hospital", "Emergency Department (A&E), Eastmere General Hospital",
            "For serious injuries and life-threatening emergencies. In an emergency ring 999.",
            needs=("need.emergency",), hours="h24")
    service("hospital-pals", "hospital", "PALS - Patient Advice and Liaison Service, Eastmere University "
            "Hospitals", "Help to sort out problems with hospital care quickly, and information on making a "
            "complaint.", roles=("role.pals",), hours="office", email="pals@eastmerehospitals.nhs.example")
    service("hospital-complaints", "hospital", "Patient Experience and Complaints Team, Eastmere University "
            "Hospitals", "Formal complaints about care at Eastmere General Hospital.", roles=("role.pals",),
            needs=("need.complaint",), hours="office")
    service("hospital-maternity-triage", "hospital", "Maternity Triage (24 hours), Eastmere General Hospital",
            "Ring any time in pregnancy or in the first weeks after birth if you're worried: bleeding, pain, "
            "reduced movements, or a baby who isn't feeding.", roles=("role.midwifery",), hours="h24")
    for key, name, area in (("north", "North", ("EM2", "EM6")), ("central", "Central", ("EM1", "EM3")),
                            ("south", "South and West", ("EM4", "EM5"))):
        service(f"midwives-{key}", "hospital", f"Community Midwives - {name} Team (Eastmere University "
                "Hospitals)", "Antenatal appointments and home visits after the birth until the health visitor "
                "takes over at about 10 to 14 days. Refer yourself when you find out you're pregnant.",
                roles=("role.midwifery",), area=area, hours="maternity_team")

    # ========================== Eastmere Community Health Services ==========================
    org("community", "Eastmere Community Health Services NHS Trust", "NHS community services in Eastmere: "
        "district nursing, health visiting, continence, wheelchair and memory assessment services.",
        website="https://www.eastmerecommunity.nhs.example", legal_status="NHS trust", district="EM3",
        place="Fenbridge Health Centre")
    for key, name, area in (("a", "Town and Northmere", ("EM1", "EM2")),
                            ("b", "Fenbridge and Hollin Vale", ("EM3", "EM6")),
                            ("c", "Lowmoor and Westmere", ("EM4", "EM5"))):
        service(f"district-nursing-{key}", "community", f"District Nursing - {name} (Eastmere Community Health "
                "Services)", "Nursing at home for people who are housebound: wound care, injections, "
                "catheters, pressure care and end-of-life care.", roles=("role.district-nursing",),
                needs=("need.end-of-life-care",), area=area, hours="nursing", min_age=18,
                process="Referral by the GP or hospital; patients and carers already known can ring directly.")
        service(f"health-visiting-{key}", "community", f"Health Visiting - {name} (Eastmere Community Health "
                "Services)", "Health visitors support families from the new birth visit at 10 to 14 days until "
                "the child starts school: feeding, sleep, development reviews and parents' wellbeing.",
                roles=("role.health-visiting",), area=area, hours="office_830", max_age=4,
                text_number=nums.text())
    service("continence", "community", "Bladder and Bowel (Continence) Service (Eastmere Community Health "
            "Services)", "Assessment and treatment for bladder and bowel problems, and NHS continence products "
            "after assessment.", roles=("role.continence-service",), hours="office",
            process="Refer yourself or ask your GP or district nurse.")
    service("wheelchair", "community", "NHS Wheelchair Service (Eastmere Community Health Services)",
            "Assessment for and supply of NHS wheelchairs, cushions and special seating, plus repairs.",
            roles=("role.nhs-wheelchair-service",), hours="office",
            process="Referral by a GP, physiotherapist or occupational therapist.",
            phone_note="Repairs line option 1, appointments option 2.")
    service("memory", "community", "Memory Assessment Service (Eastmere Community Health Services)",
            "Memory clinic assessing and diagnosing dementia, with follow-up support after diagnosis.",
            roles=("role.memory-assessment-service",), hours="office", min_age=18,
            process="Referral by the GP after initial checks.")
    service("falls", "community", "Falls Prevention Service (Eastmere Community Health Services)",
            "Strength and balance classes and home assessments for people who have fallen.",
            needs=("need.personal-alarm",), hours="office", min_age=60)
    service("podiatry", "community", "Community Podiatry (Eastmere Community Health Services)",
            "NHS foot care for people at high risk, such as with diabetes.", hours="office")
    service("salt", "community", "Adult Speech and Language Therapy (Eastmere Community Health Services)",
            "Help with swallowing and communication problems, for example after a stroke.", hours="office",
            min_age=18)
    service("tissue-viability", "community", "Tissue Viability Nurses (Eastmere Community Health Services)",
            "Specialist advice on pressure ulcers and wounds, through district nurses and GPs.",
            needs=("need.pressure-sores", "need.wound-care"), hours="office")
    service("heart-failure", "community", "Community Heart Failure Nurses (Eastmere Community Health "
            "Services)", "Specialist nurses supporting people with heart failure at home and in clinics.",
            hours="office", min_age=18, process="Referral by the GP or hospital.")
    service("childrens-community-nursing", "community", "Children's Community Nursing (Eastmere Community "
            "Health Services)", "Nursing at home for children with complex health needs.",
            needs=("need.district-nursing",), hours="office", max_age=17)
    service("community-stroke", "community", "Community Stroke Team (Eastmere Community Health Services)",
            "Therapy at home for up to 12 weeks after leaving hospital following a stroke.",
            needs=("need.support-after-discharge",), hours="seven_day", min_age=18)

    # ========================== Mental health ==========================
    org("mh", "Eastmere Mental Health NHS Foundation Trust", "NHS mental health services for Eastmere.",
        website="https://www.eastmeremh.nhs.example", legal_status="NHS foundation trust", district="EM4",
        place="The Lowmoor Centre")
    service("mh-crisis", "mh", "Eastmere 24-hour Mental Health Crisis Line (Eastmere Mental Health NHS "
            "Foundation Trust)", "For anyone in a mental health crisis, or worried about someone who is. You "
            "can also reach this team through NHS 111, option 2.", roles=("role.mental-health-crisis",),
            hours="h24", phone=nums.freephone())
    service("mh-talking", "mh", "Eastmere Talking Therapies (Eastmere Mental Health NHS Foundation Trust)",
            "Free NHS therapy for anxiety, depression and stress, including for carers. Refer yourself.",
            roles=("role.nhs-talking-therapies",), hours="office_late", min_age=16)
    service("mh-older-people", "mh", "Older People's Mental Health Team (Eastmere Mental Health NHS "
            "Foundation Trust)", "Assessment and treatment for older people with mental illness, and support "
            "for people with dementia whose needs are complex.", needs=("need.dementia-support",),
            hours="office", min_age=65, process="Referral by the GP or memory service.")
    service("mh-cmht", "mh", "Community Mental Health Team (Eastmere Mental Health NHS Foundation Trust)",
            "Care co-ordination and treatment for adults with severe mental illness, including section 117 "
            "aftercare planning.", needs=("need.section-117-aftercare",), hours="office", min_age=18,
            process="Referral by the GP.")

    # ========================== Equipment and transport ==========================
    org("ices", "Eastmere Community Equipment Service", "Delivers, fits, repairs and collects loaned equipment "
        "for Eastmere, commissioned jointly by Eastmere Borough Council and NHS Eastmere ICB.",
        website="https://www.eastmere-equipment.example", legal_status="Contracted provider", district="EM5",
        place="Westmere Equipment Depot")
    service("ices-deliveries", "ices", "Community Equipment Service - deliveries, repairs and collections",
            "Commodes, hospital beds, pressure mattresses, frames and hoists ordered by hospital and community "
            "staff. Ring to chase a delivery (have the person's name, date of birth and address ready), report "
            "a fault or arrange a collection.",
            roles=("role.community-equipment-service",), hours="equipment",
            process="Equipment must be ordered by a professional (the discharge hub, a therapist or a nurse).")
    org("transport", "Mereway Patient Transport", "Provides NHS non-emergency patient transport for Eastmere "
        "patients on behalf of NHS Eastmere ICB.", website="https://www.mereway-transport.example",
        legal_status="Contracted provider", district="EM4", place="Mereway Transport Base")
    service("patient-transport", "transport", "NHS Non-Emergency Patient Transport - Eligibility and Bookings "
            "(Mereway Patient Transport)", "Free transport to hospital appointments for patients whose medical "
            "condition means they can't travel any other way. We check eligibility when you book.",
            roles=("role.patient-transport",), hours="transport", phone=nums.regional(),
            process="Book at least 2 working days before the appointment.")

    # ========================== Voluntary sector ==========================
    org("carers", "Eastmere Carers' Centre", "Independent charity supporting unpaid carers of all ages in "
        "Eastmere.", website="https://www.eastmerecarers.example", email="hello@eastmerecarers.example",
        legal_status="Registered charity", district="EM1", place="Eastmere Carers' Centre, Queen's Walk")
    service("carers-support", "carers", "Carers' Information and Support Line (Eastmere Carers' Centre)",
            "Someone to talk to, information and advice for carers, benefit checks, and carer's assessments "
            "on behalf of Eastmere Borough Council.", roles=("role.carers-centre",),
            needs=("need.carers-assessment", "need.benefits-advice"), hours="carers_centre",
            text_number=nums.text())
    service("carers-emergency-card", "carers", "Carers' Emergency Card and Plan (Eastmere Carers' Centre)",
            "A card that tells people you're a carer and, if you're suddenly ill, starts your emergency plan "
            "so the person you care for is looked after.", roles=("role.carers-centre",),
            hours="carers_centre")
    service("carers-counselling", "carers", "Counselling for Carers (Eastmere Carers' Centre)",
            "Up to 8 free counselling sessions for carers.", needs=("need.carer-support",
                                                                    "need.mental-health-support"),
            hours="carers_centre", min_age=18)
    service("young-carers", "carers", "Eastmere Young Carers (Eastmere Carers' Centre)",
            "Young carers' needs assessments (on behalf of the council), clubs, trips and support in school "
            "for carers aged 5 to 17.", roles=("role.young-carers",), hours="carers_centre", min_age=5,
            max_age=17)
    for d, day, venue in (("EM1", "TU", "Queen's Walk"), ("EM3", "WE", "Fenbridge Library"),
                          ("EM5", "TH", "Westmere Methodist Hall")):
        loc = location(f"carers-cafe-{d}", "carers", f"{venue}", d)
        service(f"carers-cafe-{d}", "carers", f"Carers' Café - {PLACES[d][0]} (Eastmere Carers' Centre)",
                "A friendly drop-in where carers meet other carers. Bring the person you care for if you like.",
                needs=("need.carer-support",), area=(d,), at=loc,
                hours=monthly(f"1{day}", "10:30", "12:30", "First of the month, 10:30am to 12:30pm."))
    service("carers-sitting", "carers", "Carers' Sitting Service (Eastmere Carers' Centre)",
            "A trained volunteer sits with the person you care for for up to 3 hours, so you can have a break.",
            needs=("need.respite",), hours="carers_centre")

    org("advocacy", "Eastmere Independent Advocacy", "Independent advocacy charity for Eastmere.",
        website="https://www.eastmereadvocacy.example", legal_status="Registered charity", district="EM1")
    service("advocacy-care-act", "advocacy", "Care Act, IMCA and IMHA Advocacy (Eastmere Independent "
            "Advocacy)", "Independent advocates for people who need help to take part in assessments, care "
            "planning, safeguarding, mental capacity and Mental Health Act decisions.",
            roles=("role.advocacy",), hours="office", process="Usually referred by the council or the ward; you "
            "can ask them to refer.")
    service("advocacy-nhs-complaints", "advocacy", "NHS Complaints Advocacy (Eastmere Independent Advocacy)",
            "Free help to make a complaint about NHS care.", roles=("role.advocacy",),
            needs=("need.complaint", "need.ombudsman"), hours="office")

    org("advice", "Eastmere Advice Centre", "Free, independent advice on benefits, debt and money.",
        website="https://www.eastmereadvice.example", legal_status="Registered charity", district="EM2")
    service("advice-benefits", "advice", "Benefits Advice and Form Filling (Eastmere Advice Centre)",
            "Benefit checks and help with claims, including Attendance Allowance, PIP and Carer's Allowance, "
            "and appeals.", roles=("role.benefits-advice",), hours="charity")
    service("advice-debt", "advice", "Debt and Money Advice (Eastmere Advice Centre)",
            "Free, confidential help with debts and bills.", roles=("role.benefits-advice",), hours="charity")

    org("laterlife", "Eastmere Later Life", "Local charity for older people in Eastmere: befriending, lunch "
        "clubs and information.", website="https://www.eastmerelaterlife.example",
        legal_status="Registered charity", district="EM4")
    service("laterlife-phone-befriending", "laterlife", "Telephone Befriending (Eastmere Later Life)",
            "A regular friendly phone call from a volunteer for older people who feel lonely.",
            roles=("role.befriending",), hours="charity", min_age=60)
    service("laterlife-home-befriending", "laterlife", "Home Visiting Befriending (Eastmere Later Life)",
            "A volunteer visits once a week for a chat and a cup of tea.", roles=("role.befriending",),
            hours="charity", min_age=60)
    service("laterlife-stroke-group", "laterlife", "Stroke Survivors and Carers Group (Eastmere Later Life)",
            "Monthly peer support group for people who have had a stroke and their families.",
            needs=("need.carer-support",), hours=monthly("2TU", "14:00", "16:00", "Second Tuesday of the month, "
                                                         "2pm to 4pm."))
    service("laterlife-movement-group", "laterlife", "Parkinson's and Movement Conditions Peer Group (Eastmere "
            "Later Life)", "Peer support for people living with Parkinson's and similar conditions and their "
            "carers.", needs=("need.carer-support",),
            hours=monthly("3WE", "10:30", "12:00", "Third Wednesday of the month, 10:30am to midday."))

    org("memoryfriends", "Eastmere Memory Friends", "Local dementia charity: advisers, memory cafés and carers' "
        "groups.", website="https://www.eastmerememoryfriends.example", legal_status="Registered charity",
        district="EM2")
    service("dementia-advisers", "memoryfriends", "Dementia Advisers (Eastmere Memory Friends)",
            "A named adviser after a dementia diagnosis, for the person and their family.",
            roles=("role.dementia-support",), hours="charity")
    for key, name, area, rule in (("a", "Town and Northmere", ("EM1", "EM2"), "-1TH"),
                                  ("b", "Fenbridge and Hollin Vale", ("EM3", "EM6"), "1FR"),
                                  ("c", "Lowmoor and Westmere", ("EM4", "EM5"), "2WE")):
        district = area[0]
        loc = location(f"memory-cafe-{key}", "memoryfriends", f"{PLACES[district][0]} Community Room", district)
        service(f"memory-cafe-{key}", "memoryfriends", f"Memory Café - {name} (Eastmere Memory Friends)",
                "A relaxed monthly café for people living with dementia and their carers.",
                roles=("role.dementia-support",), area=area, at=loc,
                hours=monthly(rule, "14:00", "16:00", "Monthly, 2pm to 4pm."))
    service("dementia-carers-group", "memoryfriends", "Dementia Carers' Support Group (Eastmere Memory Friends)",
            "Fortnightly group for people caring for someone with dementia.", roles=("role.dementia-support",),
            hours=fortnightly("MO", "18:30", "20:00", "2026-01-05", "Every other Monday, 6:30pm to 8pm."))

    org("sendiass", "Eastmere SENDIASS", "Eastmere's SEND Information, Advice and Support Service: free, "
        "impartial and confidential, and independent of the council's decisions.",
        website="https://www.eastmeresendiass.example", legal_status="Arm's-length council service",
        district="EM3")
    service("sendiass-helpline", "sendiass", "SEND Information, Advice and Support Helpline (Eastmere SENDIASS)",
            "Impartial advice for parents and young people on SEN support, EHC plans, exclusions and appeals.",
            roles=("role.sendiass",), needs=("need.ehc-plan",), hours="office", max_age=25)
    org("pcf", "Eastmere Parent Carer Forum", "Parent-led group for families of children with SEND in "
        "Eastmere.", website="https://www.eastmerepcf.example", legal_status="Community interest company",
        district="EM6")
    service("pcf-peer", "pcf", "Parent Carer Peer Support (Eastmere Parent Carer Forum)",
            "Coffee mornings and online groups for parents of disabled children and children with SEND.",
            needs=("need.parent-carer-support", "need.send-support-at-school"),
            hours=fortnightly("FR", "09:30", "11:30", "2026-01-09", "Every other Friday, 9:30am to 11:30am."))
    org("hospice", "Mere Valley Hospice", "Local hospice caring for people with life-limiting illness in "
        "Eastmere.", website="https://www.merevalleyhospice.example", legal_status="Registered charity",
        district="EM6")
    service("hospice-at-home", "hospice", "Hospice at Home (Mere Valley Hospice)",
            "Nursing and personal care at home in the last weeks of life, working with district nurses.",
            needs=("need.end-of-life-care",), hours="h24", min_age=18)
    service("hospice-family-support", "hospice", "Family Support and Bereavement (Mere Valley Hospice)",
            "Support for families before and after a death.", needs=("need.register-death",), hours="office")

    # Lunch clubs and community groups (one or more per district)
    org("northmere-hub", "Northmere Community Hub", "Community centre in Northmere.", district="EM2",
        website="https://www.northmerehub.example", legal_status="Registered charity")
    org("fenbridge-neighbours", "Fenbridge Good Neighbours", "Volunteer neighbourhood scheme in Fenbridge.",
        district="EM3", website="https://www.fenbridgeneighbours.example", legal_status="Community group")
    org("lowmoor-club", "Lowmoor Tuesday Club", "Social club for older people in Lowmoor.", district="EM4",
        legal_status="Community group")
    org("westmere-circle", "Westmere Friendship Circle", "Friendship and activity group in Westmere.",
        district="EM5", legal_status="Community group")
    org("hollin-centre", "Hollin Vale Community Centre", "Community centre in Hollin Vale.", district="EM6",
        website="https://www.hollinvalecentre.example", legal_status="Registered charity")
    lunch = (
        ("lunch-em1", "laterlife", "Market Street Lunch Club (Eastmere Later Life)", "EM1", "WE"),
        ("lunch-em1b", "laterlife", "Friday Fish and Chips Club (Eastmere Later Life)", "EM1", "FR"),
        ("lunch-em2", "northmere-hub", "Northmere Community Lunch (Northmere Community Hub)", "EM2", "TH"),
        ("lunch-em3", "fenbridge-neighbours", "Fenbridge Lunch Club (Fenbridge Good Neighbours)", "EM3", "TU"),
        ("lunch-em3b", "fenbridge-neighbours", "Fenbridge Soup and Company (Fenbridge Good Neighbours)", "EM3",
         "FR"),
        ("lunch-em4", "lowmoor-club", "Lowmoor Tuesday Club Lunch (Lowmoor Tuesday Club)", "EM4", "TU"),
        ("lunch-em5", "westmere-circle", "Westmere Friendship Lunch (Westmere Friendship Circle)", "EM5", "WE"),
        ("lunch-em5b", "westmere-circle", "Westmere Craft and Cake Afternoon (Westmere Friendship Circle)", "EM5",
         "MO"),
        ("lunch-em6", "hollin-centre", "Hollin Vale Lunch Club (Hollin Vale Community Centre)", "EM6", "TH"),
    )
    for key, org_key, name, d, day in lunch:
        sid = service(key, org_key, name, "A hot two-course lunch and company for older and isolated people. "
                      "Transport can be arranged.", roles=("role.lunch-club",), area=(d,),
                      hours=club(day, "12:00", "14:00", f"{DAY_PLURAL[day]} 12 noon to 2pm, not on bank "
                                 "holidays."), min_age=55,
                      fees="£4.50 per meal.")
        t["cost_option"].append({"id": uid("cost", key), "service_id": sid, "option": "Lunch", "currency": "GBP",
                                 "amount": "4.50", "amount_description": "per meal, including a hot drink"})
    service("fenbridge-befriending", "fenbridge-neighbours", "Fenbridge Good Neighbours Befriending",
            "Local volunteers who visit, phone, or help with a trip to the shops.", roles=("role.befriending",),
            area=("EM3",), hours="charity")
    service("hollin-coffee", "hollin-centre", "Hollin Vale Coffee Morning (Hollin Vale Community Centre)",
            "Weekly coffee morning, open to all.", roles=("role.lunch-club",), area=("EM6",),
            hours=club("MO", "10:00", "12:00", "Mondays 10am to midday."))
    service("northmere-drivers", "northmere-hub", "Volunteer Drivers to Appointments (Northmere Community Hub)",
            "Volunteer drivers to GP and hospital appointments for people who can't use the bus; a small "
            "mileage charge applies.", needs=("need.patient-transport",), area=("EM2", "EM6"), hours="charity",
            fees="45p a mile.")

    # ========================== Care homes ==========================
    homes = (("meadowbank", "Meadowbank House", "EM1", "Residential care home"),
             ("northmere-lodge", "Northmere Lodge", "EM2", "Residential and dementia care home"),
             ("fenbridge-court", "Fenbridge Court Nursing Home", "EM3", "Nursing home"),
             ("lowmoor-grange", "Lowmoor Grange", "EM4", "Residential care home"),
             ("westmere-manor", "Westmere Manor Nursing Home", "EM5", "Nursing and dementia care home"),
             ("hollin-house", "Hollin House", "EM6", "Residential care home"))
    for key, name, d, kind in homes:
        org(key, name, f"{kind} in {PLACES[d][0]}, Eastmere.", district=d, legal_status="Private company",
            website=f"https://www.{key}.example")
        service(f"{key}-care", key, f"{name} - {kind.lower()}", f"{kind} with 24-hour care. Responsible for "
                "residents' day-to-day care, everyday equipment and medicines. Ask the manager first about any "
                "problem.", roles=("role.care-home",), area=(d,), hours="care_home", min_age=65,
                fees="Weekly fees; the council or NHS may pay some or all after an assessment.")

    # ========================== GP practices ==========================
    gps = (("market-square", "Market Square Surgery", "EM1", "gp_late"),
           ("riverside", "Riverside Medical Practice", "EM1", "gp"),
           ("abbey", "Abbey Road Family Doctors", "EM1", "gp"),
           ("northmere-hc", "Northmere Health Centre", "EM2", "gp_late"),
           ("kingsway", "Kingsway Surgery", "EM2", "gp"),
           ("fenbridge-mc", "Fenbridge Medical Centre", "EM3", "gp"),
           ("orchard-lane", "Orchard Lane Surgery", "EM3", "gp_late"),
           ("lowmoor-fp", "Lowmoor Family Practice", "EM4", "gp"),
           ("station-road", "Station Road Surgery", "EM4", "gp"),
           ("westmere-mg", "Westmere Medical Group", "EM5", "gp_late"),
           ("brookside", "Brookside Surgery", "EM5", "gp"),
           ("hollin-practice", "Hollin Vale Practice", "EM6", "gp"),
           ("highfield", "Highfield Surgery", "EM6", "gp_late"))
    for key, name, d, hours in gps:
        org(key, name, f"NHS GP practice in {PLACES[d][0]}.", district=d, legal_status="GP partnership",
            website=f"https://www.{key}-surgery.nhs.example")
        area = (d,) + (("EM1",) if d != "EM1" and key in ("northmere-hc", "fenbridge-mc", "lowmoor-fp") else ())
        service(f"gp-{key}", key, f"{name} (GP practice)", "NHS GP practice: appointments, home visits for "
                "housebound patients, repeat prescriptions, medication reviews and referrals. Keeps a carers' "
                "register.", roles=("role.gp-practice",), area=area, hours=hours,
                process="Register online or at reception; you don't need proof of address.")
    org("gp-federation", "Eastmere GP Federation", "The alliance of Eastmere's GP practices, running "
        "evening and weekend appointments.", district="EM1", legal_status="Company limited by guarantee",
        website="https://www.eastmeregpfederation.nhs.example")
    service("gp-extended-access", "gp-federation", "Evening and Weekend GP Appointments (Eastmere GP "
            "Federation)", "Extra GP and nurse appointments in the evening and at weekends for patients of any "
            "Eastmere practice, booked through your own practice.", roles=("role.gp-practice",),
            hours="gp_hub")

    # ========================== Pharmacies ==========================
    pharmacies = (("mere-pharmacy", "Mere Pharmacy", "EM1", "pharmacy"),
                  ("town-centre-pharmacy", "Town Centre Pharmacy", "EM1", "pharmacy_100"),
                  ("northmere-pharmacy", "Northmere Pharmacy", "EM2", "pharmacy"),
                  ("kingsway-chemist", "Kingsway Chemist", "EM2", "pharmacy_lunch"),
                  ("fenbridge-pharmacy", "Fenbridge Pharmacy", "EM3", "pharmacy"),
                  ("orchard-pharmacy", "Orchard Pharmacy", "EM3", "pharmacy_lunch"),
                  ("lowmoor-pharmacy", "Lowmoor Pharmacy", "EM4", "pharmacy"),
                  ("station-pharmacy", "Station Pharmacy", "EM4", "pharmacy_lunch"),
                  ("westmere-pharmacy", "Westmere Pharmacy", "EM5", "pharmacy"),
                  ("brook-pharmacy", "Brook Pharmacy", "EM5", "pharmacy_lunch"),
                  ("hollin-pharmacy", "Hollin Vale Pharmacy", "EM6", "pharmacy"),
                  ("highfield-chemist", "Highfield Chemist", "EM6", "pharmacy_lunch"))
    for key, name, d, hours in pharmacies:
        org(key, name, f"Community pharmacy in {PLACES[d][0]}.", district=d, legal_status="Private company")
        service(f"pharmacy-{key}", key, f"{name} (community pharmacy)", "NHS prescriptions, repeat prescription "
                "collection and delivery, Pharmacy First for common conditions, medicines advice and flu "
                "vaccinations.", roles=("role.community-pharmacy",), area=(d,), hours=hours,
                fees="NHS prescription charge unless exempt; delivery free for housebound patients.")

    # ========================== Dentists and opticians ==========================
    dentists = (("mere-dental", "Mere Dental Care", "EM1"), ("northmere-dental", "Northmere Dental Practice",
                                                             "EM2"),
                ("fenbridge-dental", "Fenbridge Dental Surgery", "EM3"), ("lowmoor-dental", "Lowmoor Dental "
                                                                          "Centre", "EM4"),
                ("westmere-dental", "Westmere Smiles", "EM5"), ("hollin-dental", "Hollin Vale Dental", "EM6"))
    for key, name, d in dentists:
        org(key, name, f"Dental practice in {PLACES[d][0]} with NHS contract.", district=d,
            legal_status="Private company")
        service(f"dental-{key}", key, f"{name} (NHS dentist)", "NHS check-ups and treatment. Ring to ask if "
                "we're taking new NHS patients. Home visits for housebound patients by arrangement.",
                roles=("role.nhs-dental",), area=(d,), hours="dental", fees="NHS dental charges apply unless "
                "exempt.")
    opticians = (("town-opticians", "Eastmere Town Opticians", ("EM1", "EM2"), "EM1"),
                 ("fenbridge-eyecare", "Fenbridge Eyecare", ("EM3", "EM6"), "EM3"),
                 ("lowmoor-optical", "Lowmoor Optical", ("EM4", "EM5"), "EM4"))
    for key, name, area, d in opticians:
        org(key, name, f"Opticians in {PLACES[d][0]}.", district=d, legal_status="Private company")
        service(f"optician-{key}", key, f"{name} (NHS sight tests)", "NHS sight tests (free for over-60s, "
                "under-16s and others), glasses and NHS optical vouchers.", roles=("role.optician",),
                area=area, hours="optician")
    org("home-eyecare", "Eastmere Home Eyecare", "Mobile opticians visiting people at home and in care homes.",
        district="EM5", legal_status="Private company")
    service("optician-home-visits", "home-eyecare", "NHS Sight Tests at Home (Eastmere Home Eyecare)",
            "NHS home eye tests for people who can't get to an optician on their own because of illness or "
            "disability.", roles=("role.optician",), hours="office", min_age=60)

    # ========================== National services (real public details) ==========================
    org("dwp", "Department for Work and Pensions", "The UK government department responsible for welfare "
        "and pension policy, including disability and carers' benefits.",
        website="https://www.gov.uk/government/organisations/department-for-work-pensions", real=True,
        district=None, legal_status="Ministerial department")
    service("dwp-aa", "dwp", "Attendance Allowance helpline (DWP)", "Attendance Allowance for people over "
            "State Pension age who need help with personal care or supervision because of illness or "
            "disability.", roles=("role.dwp-attendance-allowance",), area="england", hours="dwp_aa",
            phone="0800 731 0122", url="https://www.gov.uk/attendance-allowance", national=True,
            fees="Free to call.")
    service("dwp-ca", "dwp", "Carer's Allowance Unit (DWP)", "Carer's Allowance for people who care for "
            "someone at least 35 hours a week.", roles=("role.dwp-carers-allowance",), area="england",
            hours="dwp_ca", phone="0800 731 0297", url="https://www.gov.uk/carers-allowance", national=True,
            min_age=16, fees="Free to call.")
    service("dwp-pip", "dwp", "Personal Independence Payment (PIP) new claims line (DWP)", "Start a claim for PIP, "
            "for people aged 16 to State Pension age with a long-term condition or disability.",
            roles=("role.dwp-pip",), area="england", hours="dwp_8_to_5", phone="0800 917 2222",
            url="https://www.gov.uk/pip/how-to-claim", national=True, min_age=16, fees="Free to call.")
    service("dwp-pip-enquiry", "dwp", "PIP enquiry line for existing claims (DWP)", "Questions about a PIP claim "
            "already made, and reporting changes.", roles=("role.dwp-pip",), area="england", hours="dwp_9_to_5",
            phone="0800 121 4433", url="https://www.gov.uk/pip", national=True, min_age=16, fees="Free to call.")
    service("dwp-dla", "dwp", "Disability Living Allowance for children helpline (DWP)", "DLA for children "
            "under 16 who need more care or supervision than other children of the same age.",
            roles=("role.dwp-dla-children",), area="england", hours="dwp_9_to_5", phone="0800 121 4600",
            url="https://www.gov.uk/disability-living-allowance-children", national=True, max_age=15,
            fees="Free to call.")
    service("tell-us-once", "dwp", "Tell Us Once", "Report a death to most government organisations in one go, "
            "using the reference the registrar gives you.", roles=("role.tell-us-once",), area="england",
            hours="h24", phone="", national=True,
            url="https://www.gov.uk/after-a-death/organisations-you-need-to-contact-and-tell-us-once",
            process="Register the death first; the registrar gives you a unique reference to use online or by "
                    "phone.")
    org("nhs-england", "NHS England", "Leads the NHS in England and runs national services such as NHS 111.",
        website="https://www.england.nhs.uk", real=True, district=None, legal_status="NHS body")
    service("nhs-111", "nhs-england", "NHS 111", "Urgent medical help and advice, day and night, by phone or "
            "online at 111.nhs.uk. For a life-threatening emergency ring 999.", roles=("role.nhs-111",),
            area="england", hours="h24", phone="111", url="https://111.nhs.uk", national=True,
            fees="Free from landlines and mobiles.")
    service("nhs-111-mh", "nhs-england", "NHS 111 - mental health crisis (option 2)", "Ring 111 and choose "
            "option 2 to speak to your local NHS mental health crisis team, any time.",
            roles=("role.mental-health-crisis",), area="england", hours="h24", phone="111",
            phone_note="Choose option 2 for mental health.",
            url="https://www.nhs.uk/nhs-services/mental-health-services/where-to-get-urgent-help-for-mental-"
                "health/", national=True, fees="Free.")
    org("emergency", "Emergency services (999)", "Police, fire and rescue, ambulance and coastguard for "
        "life-threatening emergencies across the UK.", real=True, district=None,
        website="https://www.nhs.uk/nhs-services/urgent-and-emergency-care-services/when-to-call-999/",
        legal_status="Public service")
    service("emergency-999", "emergency", "999 Emergency Services", "Ring 999 for an ambulance, police or fire "
            "service when someone's life is at risk. Deaf or speech-impaired people can register for 999 BSL "
            "or emergency SMS.", roles=("role.emergency-999",), area="england", hours="h24", phone="999",
            national=True, fees="Free.")
    org("samaritans", "Samaritans", "Charity offering round-the-clock emotional support for anyone who is "
        "struggling to cope.", website="https://www.samaritans.org", email="jo@samaritans.org", real=True,
        district=None, legal_status="Registered charity")
    service("samaritans-helpline", "samaritans", "Samaritans helpline", "Free, confidential listening support, "
            "24 hours a day, 365 days a year.", roles=("role.samaritans",), area="england", hours="h24",
            phone="116 123", url="https://www.samaritans.org", email="jo@samaritans.org", national=True,
            fees="Free from any phone.")
    org("opg", "Office of the Public Guardian", "Registers lasting and enduring powers of attorney, supervises "
        "deputies and investigates concerns about attorneys and deputies in England and Wales.",
        website="https://www.gov.uk/government/organisations/office-of-the-public-guardian", real=True,
        district=None, legal_status="Executive agency")
    service("opg-contact", "opg", "Office of the Public Guardian contact centre", "Lasting powers of attorney, "
            "deputies and concerns about an attorney or deputy.", roles=("role.office-of-the-public-guardian",),
            area="england", hours="opg", phone="0300 456 0300", url="https://www.gov.uk/power-of-attorney",
            email="customerservices@publicguardian.gov.uk", national=True, fees="Standard call charges.")
    org("cqc", "Care Quality Commission", "The independent regulator of health and adult social care in "
        "England.", website="https://www.cqc.org.uk", email="enquiries@cqc.org.uk", real=True, district=None,
        legal_status="Non-departmental public body")
    service("cqc-contact", "cqc", "Care Quality Commission - share your experience", "Tell the CQC about care "
            "you've received or seen, good or bad. The CQC uses it to decide where to inspect, but doesn't "
            "resolve individual complaints.", roles=("role.cqc",), area="england", hours="cqc",
            phone="03000 616161", url="https://www.cqc.org.uk/give-feedback-on-care",
            email="enquiries@cqc.org.uk", national=True, fees="Standard call charges.")
    org("lgsco", "Local Government and Social Care Ombudsman", "Independently investigates complaints about "
        "councils and adult social care providers in England.", website="https://www.lgo.org.uk", real=True,
        district=None, legal_status="Independent ombudsman")
    service("lgsco-contact", "lgsco", "Local Government and Social Care Ombudsman - complaints", "Free, "
            "independent review of complaints about councils and adult social care, once the council or "
            "provider has given its final response.", roles=("role.lgsco",), area="england", hours="lgsco",
            phone="0300 061 0614", url="https://www.lgo.org.uk", national=True, fees="Free service.")
    org("phso", "Parliamentary and Health Service Ombudsman", "Makes final decisions on complaints that have "
        "not been resolved by the NHS in England and UK government departments.",
        website="https://www.ombudsman.org.uk", real=True, district=None, legal_status="Independent ombudsman")
    service("phso-contact", "phso", "Parliamentary and Health Service Ombudsman - complaints helpline", "Free, "
            "independent review of complaints about NHS care in England once the NHS body's own process is "
            "finished.", roles=("role.phso",), area="england", hours="phso", phone="0345 015 4033",
            url="https://www.ombudsman.org.uk", national=True, fees="Free service.")

    # ========================== Added with rule book 1.5 (kept last, so earlier demo data stays as it was)
    service("council-dols", "council", "Deprivation of Liberty Safeguards (DoLS) Team (Eastmere Borough Council)",
            "Assesses and authorises deprivations of liberty in care homes and hospitals (the council is the "
            "supervisory body), and advises on applications to the Court of Protection for care at home.",
            roles=("role.council-dols",), hours="office", min_age=18,
            process="Care homes and hospitals apply; families can ask us about an authorisation.")
    service("council-bus-pass", "council", "Bus Passes - Concessionary Travel (Eastmere Borough Council)",
            "Free older person's and disabled person's bus passes, and companion passes.",
            roles=("role.council-bus-pass",), hours="office", process="Apply online or by phone; we may ask for "
            "proof of disability.", fees="Free.")
    service("council-amhp", "council", "Approved Mental Health Professional (AMHP) Service (Eastmere Borough "
            "Council)", "Decides whether to arrange a Mental Health Act assessment, including when a nearest "
            "relative asks. Out of hours, ring the Emergency Duty Team.", roles=("role.amhp-service",),
            hours="office_830", process="Ring us; in immediate danger ring 999.")
    service("icb-childrens-continuing-care", "icb", "Children and Young People's Continuing Care (NHS Eastmere "
            "Integrated Care Board)", "Assessments for continuing care for children and young people under 18 "
            "with complex health needs, and personal health budgets for them.", roles=("role.icb-chc",),
            needs=("need.childrens-continuing-care",), hours="office", max_age=17,
            process="A nurse or doctor involved in the child's care refers.")
    service("dwp-appointee", "dwp", "Appointees for benefits (DWP)", "Apply to become an appointee for someone "
            "who can't manage their benefits: ring the office that pays the benefit; the DWP visits and "
            "interviews you.", roles=("role.dwp-appointee",), area="england", hours="online", phone="",
            url="https://www.gov.uk/become-appointee-for-someone-claiming-benefits", national=True)
    service("dwp-bereavement", "dwp", "Bereavement Service helpline (DWP)", "Funeral Expenses Payment claims "
            "and other bereavement benefits.", roles=("role.dwp-bereavement-service",), area="england",
            hours="dwp_8_to_5", phone="0800 151 2012", url="https://www.gov.uk/funeral-payments", national=True,
            fees="Free to call.")
    org("nhsbsa", "NHS Business Services Authority", "Runs NHS Help with Health Costs: prescription prepayment "
        "certificates, exemption certificates and the NHS Low Income Scheme.", website="https://www.nhsbsa.nhs.uk",
        real=True, district=None, legal_status="NHS body")
    service("nhsbsa-health-costs", "nhsbsa", "NHS Help with Health Costs (NHS Business Services Authority)",
            "Buy a prescription prepayment certificate, apply to the NHS Low Income Scheme (form HC1, for an HC2 "
            "certificate) and check exemption certificates.", roles=("role.nhs-help-with-health-costs",),
            area="england", hours="online", phone="", url="https://www.nhsbsa.nhs.uk/nhs-help-health-costs",
            national=True)
    org("acas", "Acas", "The Advisory, Conciliation and Arbitration Service: free, impartial advice on rights at "
        "work.", website="https://www.acas.org.uk", real=True, district=None, legal_status="Non-departmental public body")
    service("acas-helpline", "acas", "Acas helpline", "Free, confidential advice on rights at work, including "
            "carer's leave and flexible working.", roles=("role.acas",), area="england", hours="acas",
            phone="0300 123 1100", url="https://www.acas.org.uk", national=True, fees="Standard call charges.")
    org("motability", "Motability", "The charity behind the Motability Scheme, which leases cars, scooters and "
        "powered wheelchairs in exchange for a mobility allowance.", website="https://www.motability.co.uk",
        real=True, district=None, legal_status="Registered charity")
    service("motability-scheme", "motability", "Motability Scheme", "Lease a car, scooter or powered wheelchair "
            "with a qualifying mobility allowance; check eligibility and apply online or at a dealer.",
            roles=("role.motability",), area="england", hours="online", phone="",
            url="https://www.motability.co.uk", national=True)
    org("dvla", "Driver and Vehicle Licensing Agency", "Keeps the register of drivers in Great Britain and "
        "decides whether medical conditions affect driving.",
        website="https://www.gov.uk/government/organisations/driver-and-vehicle-licensing-agency", real=True,
        district=None, legal_status="Executive agency")
    service("dvla-medical", "dvla", "DVLA drivers' medical enquiries", "Tell the DVLA about a medical condition "
            "such as dementia (form CG1) and ask about a medical driving licence decision.", roles=("role.dvla",),
            area="england", hours="dvla_medical", phone="0300 790 6806", url="https://www.gov.uk/dementia-and-driving",
            national=True, fees="Standard call charges.")

    # -- assured dates: mostly within 6 months, ~15% stale (over 12 months), a few never assured
    local = sorted((s for s in services if not s["national"]), key=lambda s: uuid.uuid5(NS, "assure" + s["key"]))
    n_stale = round(0.15 * len(services))
    stale = {s["key"] for s in local[:n_stale]}
    never = {s["key"] for s in local[n_stale:n_stale + 4]}
    by_id = {row["id"]: row for row in t["service"]}
    for s in services:
        row = by_id[s["id"]]
        if s["key"] in never:
            assured = None
        elif s["key"] in stale:
            assured = AS_OF - dt.timedelta(days=rnd.randint(380, 760))
        else:
            assured = AS_OF - dt.timedelta(days=rnd.randint(3, 175))
        row["assured_date"] = assured.isoformat() if assured else ""
        row["assurer_email"] = "" if assured is None else (
            "directory@eastmere.gov.example" if not s["national"] else "directory@onestory.example")
        modified = (assured or AS_OF - dt.timedelta(days=400))
        row["last_modified"] = f"{modified.isoformat()}T09:00:00Z"

    # -- a few extra HSDS details
    for key, lang, code in (("asc-front-door", "Polish", "pl"), ("asc-front-door", "Urdu", "ur"),
                            ("mh-talking", "Punjabi", "pa"), ("health-visiting-a", "Romanian", "ro"),
                            ("carers-support", "Gujarati", "gu")):
        t["language"].append({"id": uid("language", key, code), "service_id": uid("service", key), "name": lang,
                              "code": code, "note": "Staff who speak this language, or a phone interpreter."})
    t["required_document"] += [
        {"id": uid("doc", "blue-badge", "id"), "service_id": uid("service", "council-blue-badge"),
         "document": "Proof of identity, proof of address and a recent digital photo.",
         "uri": "https://www.gov.uk/apply-blue-badge"},
        {"id": uid("doc", "register-death"), "service_id": uid("service", "council-register-office"),
         "document": "To register a death: the medical certificate of cause of death (sent by the doctor) and, "
                     "if you have them, the person's NHS number, birth certificate and council tax bill.",
         "uri": "https://www.gov.uk/after-a-death"},
    ]
    for key, source in (("carers", "Eastmere Borough Council and NHS Eastmere ICB (carers' support contract)."),
                        ("laterlife", "Eastmere Borough Council prevention grant and donations."),
                        ("advice", "Eastmere Borough Council grant and charitable trusts.")):
        t["funding"].append({"id": uid("funding", key), "organization_id": orgs[key], "source": source})
    t["contact"] += [
        {"id": uid("contact", "carers-manager"), "organization_id": orgs["carers"], "name": "Priya Demo-Shah",
         "title": "Carers' Support Manager", "department": "Carer support",
         "email": "priya@eastmerecarers.example"},
        {"id": uid("contact", "pals-lead"), "organization_id": orgs["hospital"],
         "service_id": uid("service", "hospital-pals"), "name": "Tom Example", "title": "PALS Lead",
         "department": "Patient Experience", "email": "pals@eastmerehospitals.nhs.example"},
    ]
    return _write(out_dir, t, book)


def _schema_fields(resource: str, schema_name: str, columns: list[str]) -> list[dict]:
    props, required = {}, set()
    if schema_name:
        schema = json.loads((SCHEMA_DIR / f"{schema_name}.json").read_text(encoding="utf-8"))
        props, required = schema.get("properties", {}), set(schema.get("required", []))
    fields = []
    for col in columns:
        p = props.get(col, {})
        ftype = {"number": "number", "integer": "integer", "boolean": "boolean"}.get(p.get("type"), "string")
        f = {"name": col, "type": ftype}
        if p.get("description"):
            f["description"] = p["description"]
        if p.get("format") in ("uri", "email", "uuid"):
            f["format"] = p["format"]
        f["constraints"] = {"required": col in required or col == "id", **({"unique": True} if col == "id" else {})}
        fields.append(f)
    if resource == "taxonomy_term_synonym":
        for f, d in zip(fields, ("Unique identifier of the synonym.", "The taxonomy term this is a synonym "
                                 "of.", "A word or phrase people use for the term."), strict=True):
            f["description"] = d
        fields[1]["constraints"]["required"] = fields[2]["constraints"]["required"] = True
    return fields


def _write(out_dir: Path, t: dict[str, list[dict]], book: RuleBook) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    resources = []
    for name, (path, schema_name, columns) in TABLES.items():
        rows = t[name]
        with (out_dir / path).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n", extrasaction="raise")
            writer.writeheader()
            for row in rows:
                writer.writerow({c: row.get(c, "") for c in columns})
        fks = [{"fields": col, "reference": {"resource": FOREIGN_KEYS[col], "fields": "id"}}
               for col in columns if col in FOREIGN_KEYS]
        resource = {"name": name, "path": path, "profile": "tabular-data-resource", "format": "csv",
                    "mediatype": "text/csv", "encoding": "utf-8",
                    "schema": {"fields": _schema_fields(name, schema_name, columns), "primaryKey": "id",
                               "foreignKeys": fks}}
        if name == "taxonomy_term_synonym":
            resource["description"] = ("OneStory extension to HSDS 3.0: synonyms (the words carers use) for "
                                       "taxonomy terms. Importers that don't know it can ignore it.")
        resources.append(resource)
    package = {
        "name": "eastmere-demo-directory",
        "title": "Eastmere demo service directory (fictional)",
        "description": "Fictional demo data for OneStory: the invented borough of Eastmere (postcode districts "
                       "EM1-EM6; EM is not a real UK postcode area) plus real national services. " + DEMO,
        "profile": "tabular-data-package",
        "version": DATA_VERSION,
        "created": f"{AS_OF.isoformat()}T00:00:00Z",
        "homepage": "https://openreferral.org",
        "keywords": ["HSDS", "Open Referral", "demo", "fictional"],
        "licenses": [{"name": "CC0-1.0", "title": "Creative Commons Zero (fictional demo data)",
                      "path": "https://creativecommons.org/publicdomain/zero/1.0/"}],
        "x_onestory": {
            "hsds_version": "3.0",
            "as_of": AS_OF.isoformat(),
            "rules_version": book.version,
            "role_taxonomy": ROLE_TAXONOMY,
            "need_taxonomy": NEED_TAXONOMY,
            "coverage": "service_areas.extent_type 'text' with extent 'postcode_district:EMn', "
                        "'local_authority:Eastmere' (= EM1-EM6; borough-wide services also list each district) "
                        "or 'country:England'.",
            "roles": "attributes rows (link_entity 'service', link_type 'service', link_id = service id) whose "
                     "taxonomy_term belongs to the taxonomy 'OneStory responsibility roles'; needs likewise "
                     "with 'OneStory needs'.",
            "opening_hours": "schedules in Europe/London local time; notes 'closed:bank-holidays' closes a "
                             "service on England and Wales bank holidays; notes 'bank-holidays-only' rows apply "
                             "only on bank holidays; rows with no freq and no opens_at close the dates "
                             "valid_from..valid_to. See bot/directory/opening_hours.py.",
            "phone_numbers": "Local numbers are from Ofcom's drama ranges and do not connect. National "
                             "services carry their real numbers.",
        },
        "resources": resources,
    }
    (out_dir / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    return {name: len(rows) for name, rows in t.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help=f"output directory (default {OUT_DIR})")
    args = parser.parse_args(argv)
    counts = generate(args.out)
    print(", ".join(f"{k}: {v}" for k, v in counts.items() if v))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
