"""data/directory/eastmere: a valid, self-consistent HSDS 3.0 tabular datapackage of fictional demo data."""
from __future__ import annotations

import csv
import datetime as dt
import filecmp
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bot.directory.opening_hours import Schedule, describe, is_24_7

ROOT = Path(__file__).resolve().parents[2]
EASTMERE = ROOT / "data" / "directory" / "eastmere"
HSDS_EXAMPLES = ROOT / "tests" / "fixtures" / "hsds-3.0" / "examples" / "csv"
DISTRICTS = {f"EM{i}" for i in range(1, 7)}
DRAMA_NUMBER = re.compile(r"^(01632 960\d{3}|020 7946 0\d{3}|0808 157 0\d{3}|07700 900\d{3})$")
REAL_NATIONAL_NUMBERS = {"0800 731 0122", "0800 731 0297", "0800 917 2222", "0800 121 4433", "0800 121 4600",
                         "111", "999", "116 123", "0300 456 0300", "03000 616161", "0300 061 0614", "0345 015 4033",
                         "0800 151 2012", "0300 123 1100", "0300 790 6806"}


@pytest.fixture(scope="module")
def package() -> dict:
    return json.loads((EASTMERE / "datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tables(package) -> dict[str, list[dict]]:
    out = {}
    for res in package["resources"]:
        with (EASTMERE / res["path"]).open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == [f["name"] for f in res["schema"]["fields"]], res["name"]
            out[res["name"]] = list(reader)
    return out


def test_package_declares_every_csv(package):
    paths = {r["path"] for r in package["resources"]}
    assert paths == {p.name for p in EASTMERE.glob("*.csv")}
    assert package["profile"] == "tabular-data-package"
    assert "fictional" in package["description"].lower()


def test_columns_are_exactly_the_hsds_3_columns(package):
    for res in package["resources"]:
        example = HSDS_EXAMPLES / res["path"]
        if not example.exists():
            assert res["name"] == "taxonomy_term_synonym"  # our one declared extension
            continue
        with example.open(newline="", encoding="utf-8") as fh:
            expected = next(csv.reader(fh))
        assert [f["name"] for f in res["schema"]["fields"]] == expected, res["path"]


def test_primary_keys_are_unique_and_present(package, tables):
    for res in package["resources"]:
        ids = [row["id"] for row in tables[res["name"]]]
        assert all(ids), res["name"]
        assert len(ids) == len(set(ids)), res["name"]


def test_every_foreign_key_resolves(package, tables):
    ids = {name: {row["id"] for row in rows} for name, rows in tables.items()}
    checked = 0
    for res in package["resources"]:
        for fk in res["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"]
            for row in tables[res["name"]]:
                value = row[fk["fields"]]
                if value:
                    checked += 1
                    assert value in ids[target], (res["name"], fk["fields"], value)
    assert checked > 1000
    # attributes.link_id is polymorphic: check it against link_entity
    for row in tables["attribute"]:
        assert row["link_id"] in ids[row["link_entity"]], row


def test_required_fields_are_filled(package, tables):
    for res in package["resources"]:
        required = [f["name"] for f in res["schema"]["fields"] if f.get("constraints", {}).get("required")]
        for row in tables[res["name"]]:
            for col in required:
                assert row[col], (res["name"], col, row["id"])


def test_size_at_least_160_services_from_65_organisations(tables):
    assert len(tables["service"]) >= 160
    assert len(tables["organization"]) >= 65
    assert len({s["organization_id"] for s in tables["service"]}) >= 65


def test_every_local_organisation_is_labelled_demo_data(tables):
    national = {"Department for Work and Pensions", "NHS England", "Emergency services (999)", "Samaritans",
                "Office of the Public Guardian", "Care Quality Commission",
                "Local Government and Social Care Ombudsman", "Parliamentary and Health Service Ombudsman",
                "NHS Business Services Authority", "Acas", "Motability", "Driver and Vehicle Licensing Agency"}
    for org in tables["organization"]:
        if org["name"] in national:
            assert "Demo data" not in org["description"]
        else:
            assert org["description"].endswith("(Demo data: Eastmere is a fictional borough.)"), org["name"]


def test_coverage_conventions(tables):
    extents = Counter(row["extent"].split(":")[0] for row in tables["service_area"])
    assert set(extents) == {"postcode_district", "local_authority", "country"}
    for row in tables["service_area"]:
        assert row["extent_type"] == "text"
        kind, value = row["extent"].split(":", 1)
        assert (kind, value) in {("local_authority", "Eastmere"), ("country", "England")} or value in DISTRICTS
    covered = defaultdict(set)
    for row in tables["service_area"]:
        covered[row["service_id"]].add(row["extent"])
    assert all(covered[s["id"]] for s in tables["service"]), "every service has a service area"


def test_gp_practices_and_pharmacies_in_every_district(tables):
    terms = {t["id"]: t["code"] for t in tables["taxonomy_term"]}
    role_of = defaultdict(set)
    for a in tables["attribute"]:
        role_of[a["link_id"]].add(terms[a["taxonomy_term_id"]])
    per_district = defaultdict(Counter)
    for row in tables["service_area"]:
        if row["extent"].startswith("postcode_district:"):
            for role in role_of[row["service_id"]]:
                per_district[role][row["extent"][-3:]] += 1
    for d in DISTRICTS:
        assert per_district["role.gp-practice"][d] >= 2, d
        assert per_district["role.community-pharmacy"][d] >= 2, d
        assert per_district["role.district-nursing"][d] >= 1, d


def test_taxonomies_and_synonyms(tables):
    names = {t["name"]: t["id"] for t in tables["taxonomy"]}
    assert set(names) == {"OneStory responsibility roles", "OneStory needs"}
    terms = tables["taxonomy_term"]
    roles = [t for t in terms if t["taxonomy_id"] == names["OneStory responsibility roles"]]
    needs = [t for t in terms if t["taxonomy_id"] == names["OneStory needs"]]
    assert all(t["code"].startswith("role.") for t in roles) and all(t["code"].startswith("need.") for t in needs)
    assert len(needs) >= 80
    need_ids = {t["id"] for t in needs}
    synonyms = tables["taxonomy_term_synonym"]
    assert {s["taxonomy_term_id"] for s in synonyms} == need_ids
    for a in tables["attribute"]:
        assert (a["link_entity"], a["link_type"]) == ("service", "service")


def test_about_15_percent_stale_and_a_few_never_assured(package, tables):
    as_of = dt.date.fromisoformat(package["x_onestory"]["as_of"])
    dates = [s["assured_date"] for s in tables["service"]]
    never = sum(1 for d in dates if not d)
    ages = [(as_of - dt.date.fromisoformat(d)).days for d in dates if d]
    stale = sum(1 for a in ages if a > 365)
    recent = sum(1 for a in ages if a <= 183)
    assert 0.12 <= stale / len(dates) <= 0.18
    assert 1 <= never <= 8
    assert recent / len(dates) >= 0.75
    assert all(a >= 0 for a in ages), "no assured dates in the future"


def test_phone_numbers_are_drama_numbers_or_real_national_ones(tables):
    national_services = {row["service_id"] for row in tables["service_area"] if row["extent"] == "country:England"}
    for phone in tables["phone"]:
        if phone["service_id"] in national_services:
            assert phone["number"] in REAL_NATIONAL_NUMBERS, phone
        else:
            assert DRAMA_NUMBER.match(phone["number"]), phone


def test_national_services_have_their_real_numbers(tables):
    services = {s["id"]: s["name"] for s in tables["service"]}
    numbers = {services[p["service_id"]]: p["number"] for p in tables["phone"]}
    assert numbers["Attendance Allowance helpline (DWP)"] == "0800 731 0122"
    assert numbers["Carer's Allowance Unit (DWP)"] == "0800 731 0297"
    assert numbers["Personal Independence Payment (PIP) new claims line (DWP)"] == "0800 917 2222"
    assert numbers["PIP enquiry line for existing claims (DWP)"] == "0800 121 4433"
    assert numbers["Samaritans helpline"] == "116 123"
    assert numbers["NHS 111"] == "111"
    assert numbers["Office of the Public Guardian contact centre"] == "0300 456 0300"
    assert numbers["Care Quality Commission - share your experience"] == "03000 616161"
    assert numbers["Local Government and Social Care Ombudsman - complaints"] == "0300 061 0614"
    assert numbers["Parliamentary and Health Service Ombudsman - complaints helpline"] == "0345 015 4033"


# Each DWP line's own hours on GOV.UK (checked 2026-11-30); they differ line by line.
DWP_HOURS = {
    "Attendance Allowance helpline (DWP)": "Monday to Friday, 8am to 6pm",
    "Carer's Allowance Unit (DWP)": "Monday to Thursday 8:30am to 5pm, Friday 8:30am to 4:30pm",
    "Personal Independence Payment (PIP) new claims line (DWP)": "Monday to Friday, 8am to 5pm",
    "PIP enquiry line for existing claims (DWP)": "Monday to Friday, 9am to 5pm",
    "Disability Living Allowance for children helpline (DWP)": "Monday to Friday, 9am to 5pm",
}


def test_each_dwp_line_has_its_own_opening_hours(tables):
    names = {s["id"]: s["name"] for s in tables["service"]}
    described = {names[row["service_id"]]: row["description"] for row in tables["schedule"] if row["description"]}
    for name, hours in DWP_HOURS.items():
        assert described[name].startswith(hours), (name, described[name])


def test_addresses_are_in_eastmere_and_near_the_centre(tables):
    for a in tables["address"]:
        assert re.match(r"^EM[1-6] \d[A-Z]{2}$", a["postal_code"]), a
    for loc in tables["location"]:
        assert 52.5 < float(loc["latitude"]) < 52.7 and -1.3 < float(loc["longitude"]) < -1.1


def test_every_service_has_readable_opening_hours(tables):
    by_service = defaultdict(list)
    for row in tables["schedule"]:
        by_service[row["service_id"]].append(row)
    at = dt.datetime(2026, 11, 24, 12, 0)
    kinds = Counter()
    for s in tables["service"]:
        rows = by_service[s["id"]]
        assert rows, s["name"]
        text = describe(rows, at)
        assert text != "opening hours not known", s["name"]
        kinds["24/7" if is_24_7(rows) else "bank-holiday-closed" if Schedule(rows).closed_on_bank_holidays
              else "other"] += 1
    assert kinds["24/7"] >= 5 and kinds["bank-holiday-closed"] >= 80 and kinds["other"] >= 10


def test_generator_is_deterministic_and_the_committed_output_is_current(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_eastmere.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    names = sorted(p.name for p in EASTMERE.iterdir() if p.suffix in (".csv", ".json"))
    match, mismatch, errors = filecmp.cmpfiles(EASTMERE, tmp_path, names, shallow=False)
    assert not mismatch and not errors, f"re-run scripts/generate_eastmere.py: {mismatch or errors}"


def test_demo_datapackage_imports_without_errors_or_warnings(db):
    from bot.demo import EASTMERE
    from bot.directory.importer import import_feed

    report = import_feed(EASTMERE, dry_run=True)
    assert report.ok and not report.warnings, report.to_table()
