"""Exporting the directory: HSDS datapackage round trips and ORUK JSON checked against the ORUK schemas."""
from __future__ import annotations

import copy
import csv
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import event, select

from bot import db as dbmod
from bot.directory import models as m
from bot.directory.cli import main as cli_main
from bot.directory.exporter import (
    export_datapackage,
    export_oruk_json,
    organization_to_oruk,
    page_schema_errors,
    schema_errors,
    service_to_oruk,
    services_page,
    services_to_oruk,
)
from bot.directory.importer import import_feed
from bot.directory.validation import feed_columns

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HSDS_CSV = FIXTURES / "hsds-3.0" / "examples" / "csv"
COMPILED = FIXTURES / "oruk-3.0" / "schema" / "compiled"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


def dump(tables=m.TABLE_ORDER) -> dict[str, list[dict]]:
    """Every directory row (feed columns only), sorted, for comparing two databases."""
    out = {}
    with dbmod.engine().connect() as conn:
        for table in tables:
            t = m.TABLES[table]
            rows = conn.execute(select(*[t.c[c] for c in feed_columns(table)]).order_by(t.c.id)).mappings()
            out[table] = [{k: _plain(v) for k, v in r.items()} for r in rows]
    return out


def _plain(value):
    # SQLite returns naive UTC datetimes, PostgreSQL aware ones.
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and hasattr(value, "year") and value.tzinfo:
        return value.replace(tzinfo=None) if value.utcoffset().total_seconds() == 0 else value
    return value


def clear() -> None:
    with dbmod.engine().begin() as conn:
        for table in reversed(m.TABLE_ORDER):
            conn.execute(m.TABLES[table].delete())


def eastmere_feed(tmp_path: Path) -> Path:
    """A small feed in OneStory's conventions: a role attribute, coverage extents, need synonyms."""
    folder = tmp_path / "eastmere"
    folder.mkdir()
    files = {
        "taxonomies.csv": "id,name,description\n"
        "11111111-1111-4111-8111-000000000001,OneStory responsibility roles,Who is responsible\n"
        "11111111-1111-4111-8111-000000000002,OneStory needs,What carers need\n",
        "taxonomy_terms.csv": "id,code,name,description,taxonomy_id\n"
        "22222222-2222-4222-8222-000000000001,council-asc,Council adult social care,Care act duties,"
        "11111111-1111-4111-8111-000000000001\n"
        "22222222-2222-4222-8222-000000000002,wheelchair,Wheelchair,Wheelchairs and mobility,"
        "11111111-1111-4111-8111-000000000002\n",
        "taxonomy_term_synonyms.csv": "id,taxonomy_term_id,synonym\n"
        "33333333-3333-4333-8333-000000000001,22222222-2222-4222-8222-000000000002,mobility scooter\n",
        "organizations.csv": "id,name,description,website\n"
        "44444444-4444-4444-8444-000000000001,Eastmere Borough Council (demo),Demo local authority,"
        "https://eastmere.example\n",
        "services.csv": "id,organization_id,name,description,status,minimum_age\n"
        "55555555-5555-4555-8555-000000000001,44444444-4444-4444-8444-000000000001,Adult social care,"
        "Care needs assessments,active,18\n",
        "service_areas.csv": "id,service_id,name,extent,extent_type\n"
        "66666666-6666-4666-8666-000000000001,55555555-5555-4555-8555-000000000001,Eastmere,"
        "local_authority:Eastmere,text\n"
        "66666666-6666-4666-8666-000000000002,55555555-5555-4555-8555-000000000001,EM1 2,"
        "postcode_sector:EM1 2,text\n",
        "attributes.csv": "id,link_id,taxonomy_term_id,link_type,link_entity,value\n"
        "77777777-7777-4777-8777-000000000001,55555555-5555-4555-8555-000000000001,"
        "22222222-2222-4222-8222-000000000001,service,service,\n",
        "phones.csv": "id,service_id,number,type\n"
        "88888888-8888-4888-8888-000000000001,55555555-5555-4555-8555-000000000001,01632 960000,voice\n",
        "schedules.csv": "id,service_id,freq,byday,opens_at,closes_at,description\n"
        "99999999-9999-4999-8999-000000000001,55555555-5555-4555-8555-000000000001,WEEKLY,"
        "\"MO,TU,WE,TH,FR\",09:00,17:00,Weekdays\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------------------
# Datapackage
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["package", "package.zip"])
def test_datapackage_round_trip_gives_the_same_data(db, tmp_path, target):
    assert import_feed(HSDS_CSV).written
    assert import_feed(eastmere_feed(tmp_path)).written
    before = dump()
    assert sum(len(rows) for rows in before.values()) > 25

    exported = export_datapackage(tmp_path / target)
    clear()
    report = import_feed(exported)

    assert report.ok, report.to_table()
    # Only the example's own oddities remain (no stray quotes, HTML, missing ids or cleared links).
    assert {(w.file, w.field) for w in report.warnings} == {("attributes.csv", "link_id"),
                                                            ("locations.csv", "latitude")}
    assert dump() == before
    again = import_feed(exported)
    assert all(c["changed"] == c["added"] == c["removed"] == 0 for c in again.counts().values())


def test_datapackage_lists_resources_with_schemas_and_hsds_column_order(db, tmp_path):
    import_feed(HSDS_CSV)
    folder = export_datapackage(tmp_path / "out")
    descriptor = json.loads((folder / "datapackage.json").read_text())

    names = [r["name"] for r in descriptor["resources"]]
    assert set(names) == set(m.TABLE_ORDER)
    services = next(r for r in descriptor["resources"] if r["name"] == "services")
    assert services["path"] == "services.csv" and services["schema"]["primaryKey"] == "id"
    status = next(f for f in services["schema"]["fields"] if f["name"] == "status")
    assert status["constraints"]["enum"] == list(m.SERVICE_STATUSES)
    assert {"fields": "organization_id", "reference": {"resource": "organizations", "fields": "id"}} in \
        services["schema"]["foreignKeys"]
    for fixture_csv in HSDS_CSV.glob("*.csv"):
        with fixture_csv.open(encoding="utf-8-sig", newline="") as handle:
            fixture_header = next(csv.reader(handle))
        with (folder / fixture_csv.name).open(encoding="utf-8", newline="") as handle:
            our_header = next(csv.reader(handle))
        assert our_header[:len(fixture_header)] == fixture_header, fixture_csv.name
    assert "version" not in (folder / "services.csv").read_text().splitlines()[0].split(",")


def test_exported_zip_is_a_readable_archive(db, tmp_path):
    import_feed(HSDS_CSV)
    archive = export_datapackage(tmp_path / "out.zip")
    with zipfile.ZipFile(archive) as zf:
        assert "datapackage.json" in zf.namelist() and "services.csv" in zf.namelist()
        assert SERVICE_ID in zf.read("services.csv").decode()


# ---------------------------------------------------------------------------------------------
# ORUK JSON
# ---------------------------------------------------------------------------------------------
def test_service_object_validates_against_the_oruk_schema(db):
    assert import_feed(HSDS_CSV).written
    service = service_to_oruk(SERVICE_ID)

    assert schema_errors(service, COMPILED / "service.json") == []
    assert service["organization"]["id"] == ORG_ID
    assert service["phones"][0]["number"] == "+44 1234 234567"
    assert service["schedules"][0]["opens_at"] == "10:00:00"
    assert service["last_modified"] == "2023-03-15T10:30:45.123Z"
    location = service["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "ABC 1234"
    assert service["attributes"] == []  # the example's one attribute links to another id
    assert service_to_oruk("no-such-service") is None


def test_schema_check_catches_a_broken_object(db):
    import_feed(HSDS_CSV)
    service = copy.deepcopy(service_to_oruk(SERVICE_ID))
    service["status"] = "open"
    del service["name"]
    service["service_areas"][0]["id"] = "not-a-uuid"
    errors = " | ".join(schema_errors(service, COMPILED / "service.json"))
    assert "'open' is not one of" in errors
    assert "'name' is a required property" in errors
    assert "is not a 'uuid'" in errors


def test_eastmere_conventions_export_and_validate(db, tmp_path):
    assert import_feed(eastmere_feed(tmp_path)).written
    service = service_to_oruk("55555555-5555-4555-8555-000000000001")

    assert schema_errors(service, COMPILED / "service.json") == []
    assert {a["extent"] for a in service["service_areas"]} == {"local_authority:Eastmere",
                                                              "postcode_sector:EM1 2"}
    [role] = service["attributes"]
    assert role["link_entity"] == "service" and role["link_type"] == "service"
    assert role["taxonomy_term"]["taxonomy_detail"]["name"] == m.ROLES_TAXONOMY


def test_paginated_list_validates(db, tmp_path):
    import_feed(HSDS_CSV)
    import_feed(eastmere_feed(tmp_path))
    page = services_page(page=1, per_page=1)

    assert page_schema_errors(page, COMPILED / "service_list.json") == []
    assert (page["total_items"], page["total_pages"], page["size"]) == (2, 2, 1)
    assert page["first_page"] and not page["last_page"] and not page["empty"]
    assert "phones" not in page["contents"][0]  # list items carry one-to-one fields only
    last = services_page(page=2, per_page=1, full=True)
    assert last["last_page"] and page_schema_errors(last, COMPILED / "service.json") == []
    assert services_page(page=9, per_page=1)["empty"]


def test_organization_object_validates(db):
    import_feed(HSDS_CSV)
    organization = organization_to_oruk(ORG_ID)

    assert schema_errors(organization, COMPILED / "organization.json") == []
    assert [s["id"] for s in organization["services"]] == [SERVICE_ID]
    assert organization["organization_identifiers"][0]["identifier"] == "1234567"
    assert organization_to_oruk("nobody") is None


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(db, tmp_path):
    from bot.directory.importer_bench import write_synthetic_datapackage

    write_synthetic_datapackage(tmp_path / "synthetic", 60)
    assert import_feed(tmp_path / "synthetic").written
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    engine = dbmod.engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        services_to_oruk(["bd5fc0c3-0000-0000-0000-000000000000"])  # warm-up, no rows
        statements.clear()
        with engine.connect() as conn:
            one = services_page(1, 1, full=True, conn=conn)
        few = len(statements)
        statements.clear()
        with engine.connect() as conn:
            many = services_page(1, 50, full=True, conn=conn)
        lots = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert one["size"] == 1 and many["size"] == 50
    assert lots <= few + 2 and lots < 40


def test_oruk_json_round_trip(db, tmp_path):
    """ORUK JSON carries what hangs off services; those rows come back the same."""
    assert import_feed(FIXTURES / "hsds-3.0" / "examples" / "service_full.json").written
    assert import_feed(eastmere_feed(tmp_path)).written
    tables = ("organizations", "services", "locations", "addresses", "service_at_location", "phones",
              "schedules", "service_areas", "attributes", "cost_options", "funding", "required_documents",
              "accessibility", "organization_identifiers", "programs", "contacts", "languages")
    before = dump(tables)
    assert all(before[t] for t in tables)
    path = export_oruk_json(tmp_path / "services.json")
    document = json.loads(path.read_text())
    assert page_schema_errors(document, COMPILED / "service.json") == []

    clear()
    report = import_feed(path)
    assert report.ok, report.to_table()
    assert dump(tables) == before
    assert {t["name"] for t in dump(["taxonomies"])["taxonomies"]} >= {m.ROLES_TAXONOMY}


def test_cli_export_both_formats(db, tmp_path, capsys):
    import_feed(HSDS_CSV)
    assert cli_main(["export", str(tmp_path / "dp")]) == 0
    assert (tmp_path / "dp" / "datapackage.json").is_file()
    assert cli_main(["export", str(tmp_path / "oruk.json"), "--format", "oruk-json"]) == 0
    assert json.loads((tmp_path / "oruk.json").read_text())["contents"][0]["id"] == SERVICE_ID
