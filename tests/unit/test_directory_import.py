"""Importing Open Referral feeds: the real HSDS/ORUK examples, broken and messy feeds, re-imports."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import db as dbmod
from bot.directory import models as m
from bot.directory.cli import main as cli_main
from bot.directory.importer import import_feed, validate_feed
from bot.directory.importer_bench import write_synthetic_datapackage
from bot.directory.validation import ERROR, WARNING, content_id

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HSDS_CSV = FIXTURES / "hsds-3.0" / "examples" / "csv"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORG_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


def count(model) -> int:
    with dbmod.engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def row(model, row_id: str) -> dict | None:
    t = model.__table__
    with dbmod.engine().connect() as conn:
        found = conn.execute(select(t).where(t.c.id == row_id)).mappings().first()
    return dict(found) if found else None


def total_rows() -> int:
    return sum(count(model) for model in m.MODELS)


def issues_for(report, **match) -> list:
    return [i for i in report.issues if all(getattr(i, k) == v for k, v in match.items())]


def write(path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    data = text.replace("\n", "\r\n") if crlf else text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    return path


def copy_fixture_csv(tmp_path: Path) -> Path:
    target = tmp_path / "feed"
    shutil.copytree(HSDS_CSV, target)
    for file in target.iterdir():
        file.chmod(0o644)
    (target / "datapackage.json").unlink()  # the fixture's is a dangling symlink stub
    return target


ORGS = "id,name,description\norg-1,Eastmere Council,Local authority\norg-2,Eastmere Carers,Charity\n"
SERVICES = ("id,organization_id,name,description,status,email,minimum_age,last_modified\n"
            "svc-1,org-1,Adult social care,Care assessments,active,asc@example.org,18,2024-05-01T09:00:00Z\n"
            "svc-2,org-2,Carers support,Advice for carers,active,,,\n")
PHONES = "id,service_id,number,type\nph-1,svc-1,01632 960000,voice\nph-2,svc-2,01632 960001,voice\n"


def small_feed(tmp_path: Path, services: str = SERVICES, phones: str = PHONES, name: str = "small") -> Path:
    folder = tmp_path / name
    write(folder / "organizations.csv", ORGS)
    write(folder / "services.csv", services)
    write(folder / "phones.csv", phones)
    return folder


# ---------------------------------------------------------------------------------------------
# The published examples
# ---------------------------------------------------------------------------------------------
def test_imports_the_hsds_csv_datapackage(db):
    report = import_feed(HSDS_CSV)

    assert report.ok, report.to_table()
    assert report.written
    for model in (m.Organization, m.Service, m.Location, m.Address, m.ServiceAtLocation, m.Phone, m.Contact,
                  m.Schedule, m.ServiceArea, m.Taxonomy, m.TaxonomyTerm, m.Attribute, m.Language,
                  m.CostOption, m.OrganizationIdentifier, m.Funding, m.Program, m.RequiredDocument,
                  m.Accessibility, m.Metadata, m.MetaTableDescription):
        assert count(model) == 1, model.__tablename__
    service = row(m.Service, SERVICE_ID)
    assert service["name"] == "Community Counselling"
    assert service["status"] == "active"
    assert service["minimum_age"] == 12 and service["maximum_age"] == 100
    assert service["assured_date"] == dt.date(2005, 1, 1)
    assert service["version"] == 1
    stamp = service["last_modified"].replace(tzinfo=service["last_modified"].tzinfo or dt.timezone.utc)
    assert stamp == dt.datetime(2023, 3, 15, 10, 30, 45, 123000, tzinfo=dt.timezone.utc)
    assert "£50 per hour" in service["fees_description"]
    assert service["description"].endswith("circumstances.")  # trailing space trimmed
    schedule = row(m.Schedule, "48102e86-bb50-41c4-8f1e-e269368c41d1")
    assert schedule["opens_at"] == dt.time(10, 0) and schedule["closes_at"] == dt.time(18, 0)
    assert schedule["byday"] == "TH,FR" and schedule["freq"] == "WEEKLY" and schedule["wkst"] == "TU"
    assert schedule["timezone"] == 3 and schedule["count"] == 3 and schedule["interval"] == 1
    phone = row(m.Phone, "1554f2e2-a373-45db-a3fa-9fc48a61c15e")
    assert phone["number"] == "+44 1234 234567"  # the example wraps it in stray quotes
    assert phone["extension"] == "100"
    # The example's datapackage.json is a symlink stub, and some of its references dangle.
    assert issues_for(report, file="datapackage.json", severity=WARNING)
    dangling = issues_for(report, file="locations.csv", field="organization_id", severity=WARNING)
    assert dangling and "985e4a42" in dangling[0].reason
    assert row(m.Location, "3a19ff88-4620-4d17-9830-ac1d859eb5d5")["organization_id"] is None
    assert issues_for(report, file="attributes.csv", field="link_id", severity=WARNING)


@pytest.mark.parametrize("example", [
    "hsds-3.0/examples/service_full.json",
    "oruk-3.0/examples/service_full.json",
    "hsds-3.0/examples/service_list.json",
    "oruk-3.0/examples/service_list.json",
    "hsds-3.0/examples/organization_full.json",
    "oruk-3.0/examples/organization_full.json",
    "hsds-3.0/examples/service_at_location_full.json",
    "oruk-3.0/examples/service_at_location_full.json",
    "hsds-3.0/examples/tabular.json",
])
def test_imports_the_json_examples(db, example):
    report = import_feed(FIXTURES / example)

    assert report.ok, report.to_table()
    service = row(m.Service, SERVICE_ID)
    assert service["name"] == "Community Counselling"
    assert service["organization_id"] == ORG_ID
    assert row(m.Organization, ORG_ID)["name"] == "Example Organization Inc."


def test_full_json_service_brings_its_nested_rows(db):
    report = import_feed(FIXTURES / "oruk-3.0" / "examples" / "service_full.json")

    assert report.ok, report.to_table()
    assert count(m.Schedule) == 1 and count(m.ServiceArea) == 1 and count(m.Attribute) == 1
    area = row(m.ServiceArea, "381c64f1-a724-4884-9c21-ac96c21cca3e")
    assert area["service_id"] == SERVICE_ID and area["service_area"]  # the ORUK-only field is kept
    sal = row(m.ServiceAtLocation, "e94c9f38-1e8f-4564-91d4-d53501ab1765")
    assert sal["service_id"] == SERVICE_ID and sal["location_id"] == "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
    assert row(m.Address, "74706e55-df26-4b84-80fe-ecc30b5befb4")["location_id"] == sal["location_id"]
    attribute = row(m.Attribute, "ae58cc39-8b70-4ab1-8aea-786882e5ac8e")
    assert attribute["link_id"] == SERVICE_ID and attribute["link_entity"] == "service"
    assert row(m.TaxonomyTerm, attribute["taxonomy_term_id"])["term"] == "name"


def test_taxonomy_json_with_terms(db):
    report = import_feed(FIXTURES / "oruk-3.0" / "examples" / "taxonomy.json")

    assert report.ok, report.to_table()
    assert count(m.Taxonomy) == 1 and count(m.TaxonomyTerm) == 1
    term = row(m.TaxonomyTerm, "3f7b145d-84af-42d7-8fae-eaca714b02b2")
    assert term["taxonomy_id"] == "5c4d79d7-cc55-470e-9f1f-8cad074e4892"


def test_paginated_wrapper_and_plain_list_with_synonyms(db, tmp_path):
    terms = [{"id": "need-1", "name": "Wheelchair", "description": "Wheelchairs and mobility aids",
              "taxonomy_detail": {"id": "tax-needs", "name": m.NEEDS_TAXONOMY, "description": "Needs"},
              "synonyms": ["mobility scooter", "walking frame"]}]
    page = {"total_items": 1, "total_pages": 1, "page_number": 1, "size": 1, "first_page": True,
            "last_page": True, "empty": False, "contents": [
                {"id": "svc-1", "name": "Wheelchair service", "status": "active",
                 "organization": {"id": "org-1", "name": "NHS Eastmere", "description": "NHS trust"},
                 "attributes": [{"id": "a-1", "taxonomy_term": terms[0]}]}]}
    report = import_feed(write(tmp_path / "page.json", json.dumps(page)))
    assert report.ok, report.to_table()
    assert row(m.Attribute, "a-1")["link_id"] == "svc-1"
    assert row(m.TaxonomyTerm, "need-1")["taxonomy_id"] == "tax-needs"
    with dbmod.engine().connect() as conn:
        synonyms = set(conn.execute(select(m.TaxonomyTermSynonym.synonym)).scalars())
    assert synonyms == {"mobility scooter", "walking frame"}

    listing = [{"id": "svc-2", "name": "Carers line", "status": "active", "organization_id": "org-1"}]
    report = import_feed(write(tmp_path / "list.json", json.dumps(listing)))
    assert report.ok, report.to_table()
    assert count(m.Service) == 2
    assert count(m.TaxonomyTermSynonym) == 2


# ---------------------------------------------------------------------------------------------
# Broken feeds import nothing
# ---------------------------------------------------------------------------------------------
def test_one_broken_foreign_key_imports_nothing(db, tmp_path):
    services = SERVICES + "svc-3,org-404,Orphan service,No such organisation,active,,,\n"
    report = import_feed(small_feed(tmp_path, services=services))

    assert not report.ok and not report.written
    assert total_rows() == 0
    [issue] = report.errors
    where = (issue.file, issue.row, issue.field, issue.severity)
    assert where == ("services.csv", 4, "organization_id", ERROR)
    assert "org-404" in issue.reason
    assert "services.csv" in report.to_table() and "organization_id" in report.to_table()


def test_one_missing_name_among_good_rows_imports_nothing(db, tmp_path):
    folder = copy_fixture_csv(tmp_path)
    services = (folder / "services.csv").read_text(encoding="utf-8")
    header = services.splitlines()[0]
    blank_name = ",".join("svc-x" if c == "id" else ORG_ID if c == "organization_id" else
                          "active" if c == "status" else "" for c in header.split(","))
    (folder / "services.csv").write_text(services.rstrip("\r\n") + "\r\n" + blank_name + "\r\n",
                                         encoding="utf-8")
    report = import_feed(folder)

    assert not report.written
    assert total_rows() == 0
    errors = report.errors
    assert [(e.file, e.row, e.field) for e in errors] == [("services.csv", 3, "name")]
    assert "required" in errors[0].reason


def test_type_errors_are_reported_per_field(db, tmp_path):
    services = ("id,organization_id,name,status,email,minimum_age,assured_date,url\n"
                "svc-1,org-1,A,open,not-an-email,twelve,31/02/2024,http://ok.example\n")
    report = import_feed(small_feed(tmp_path, services=services, phones="id,service_id,number\n"))

    assert total_rows() == 0
    fields = {(e.field, e.row) for e in report.errors}
    assert fields == {("status", 2), ("email", 2), ("minimum_age", 2), ("assured_date", 2)}
    assert all(e.file == "services.csv" for e in report.errors)


def test_duplicate_ids_with_different_content_are_errors(db, tmp_path):
    services = SERVICES + "svc-1,org-1,Another name,x,active,,,\n"
    report = import_feed(small_feed(tmp_path, services=services))
    assert total_rows() == 0
    [issue] = report.errors
    assert issue.field == "id" and issue.row == 4 and "duplicate" in issue.reason


# ---------------------------------------------------------------------------------------------
# Re-import, dry run, replace
# ---------------------------------------------------------------------------------------------
def test_reimport_updates_by_id_and_never_duplicates(db, tmp_path):
    feed = small_feed(tmp_path)
    assert import_feed(feed).written
    again = import_feed(feed)
    assert again.ok and again.counts()["services"] == {"added": 0, "changed": 0, "unchanged": 2, "removed": 0}
    assert count(m.Service) == 2 and count(m.Phone) == 2
    first_stamp = row(m.Service, "svc-2")["last_modified"]
    assert first_stamp is not None  # no stamp in the feed: the import time

    changed = SERVICES.replace("Carers support,Advice for carers", "Carers support hub,Advice and breaks")
    phones = PHONES.replace("01632 960001", "01632 960999")
    report = import_feed(small_feed(tmp_path, services=changed, phones=phones, name="v2"))

    assert report.ok, report.to_table()
    assert report.counts()["services"] == {"added": 0, "changed": 1, "unchanged": 1, "removed": 0}
    assert report.preview["services"]["ids"]["changed"] == ["svc-2"]
    assert count(m.Service) == 2 and count(m.Phone) == 2
    service = row(m.Service, "svc-2")
    assert service["name"] == "Carers support hub" and service["version"] == 2
    assert service["last_modified"] >= first_stamp
    assert row(m.Service, "svc-1")["version"] == 1
    assert row(m.Phone, "ph-2")["number"] == "01632 960999"


def test_child_rows_are_replaced_per_parent(db, tmp_path):
    assert import_feed(small_feed(tmp_path)).written
    phones = "id,service_id,number,type\nph-1,svc-1,01632 960000,voice\nph-3,svc-2,01632 960003,text\n"
    report = import_feed(small_feed(tmp_path, phones=phones, name="v2"))

    assert report.ok, report.to_table()
    assert report.counts()["phones"] == {"added": 1, "changed": 0, "unchanged": 1, "removed": 1}
    assert report.preview["phones"]["ids"]["removed"] == ["ph-2"]
    assert row(m.Phone, "ph-2") is None and row(m.Phone, "ph-3")["type"] == "text"


def test_columns_a_feed_leaves_out_are_kept(db, tmp_path):
    assert import_feed(small_feed(tmp_path)).written
    services = "id,organization_id,name,status\nsvc-1,org-1,Adult social care,active\n"
    report = import_feed(small_feed(tmp_path, services=services, phones="id,service_id,number\n", name="v2"))

    assert report.ok, report.to_table()
    assert row(m.Service, "svc-1")["email"] == "asc@example.org"
    assert report.counts()["services"]["unchanged"] == 1
    assert count(m.Service) == 2  # without --replace, services absent from the feed stay


def test_replace_removes_services_absent_from_the_feed(db, tmp_path):
    assert import_feed(small_feed(tmp_path)).written
    services = "id,organization_id,name,status\nsvc-1,org-1,Adult social care,active\n"
    feed = small_feed(tmp_path, services=services, phones="id,service_id,number\nph-1,svc-1,01632 960000\n",
                      name="v2")
    preview = import_feed(feed, remove_missing=True, dry_run=True)
    assert preview.counts()["services"]["removed"] == 1 and count(m.Service) == 2

    report = import_feed(feed, remove_missing=True)
    assert report.ok, report.to_table()
    assert report.preview["services"]["ids"]["removed"] == ["svc-2"]
    assert row(m.Service, "svc-2") is None and row(m.Phone, "ph-2") is None
    assert count(m.Service) == 1 and count(m.Organization) == 2


def test_dry_run_previews_and_writes_nothing(db, tmp_path):
    report = import_feed(HSDS_CSV, dry_run=True)

    assert report.ok and report.dry_run and not report.written
    assert total_rows() == 0
    assert report.counts()["services"] == {"added": 1, "changed": 0, "unchanged": 0, "removed": 0}
    assert report.preview["services"]["ids"]["added"] == [SERVICE_ID]
    assert validate_feed(HSDS_CSV).counts() == report.counts()

    assert import_feed(HSDS_CSV).written
    again = import_feed(HSDS_CSV, dry_run=True)
    assert again.counts()["services"] == {"added": 0, "changed": 0, "unchanged": 1, "removed": 0}


# ---------------------------------------------------------------------------------------------
# Messy and malformed input: a report, never a crash
# ---------------------------------------------------------------------------------------------
MESSY_SERVICES = (
    "id , organization_id,name,description,status,colour \n"
    "svc-1,org-1,  Adult social care  ,<p>Care <b>assessments</b> &amp; support</p><br>Call us,Active,blue\n"
    "\n"
    ",org-1,Carers support,Advice,active,\n"
    "   \n"
    "svc-3,org-2,,Nameless,active,\n"
)


def test_messy_feed_is_reported_not_crashed(db, tmp_path):
    folder = tmp_path / "messy"
    write(folder / "organizations.csv", ORGS, bom=True, crlf=True)
    write(folder / "services.csv", MESSY_SERVICES, bom=True, crlf=True)
    report = import_feed(folder)

    assert total_rows() == 0
    assert [(e.file, e.row, e.field) for e in report.errors] == [("services.csv", 6, "name")]
    assert issues_for(report, field="colour", severity=WARNING)
    assert issues_for(report, row=2, field="description", severity=WARNING)
    [missing] = issues_for(report, row=4, field="id")
    assert missing.severity == WARNING and "generated" in missing.reason

    fixed = MESSY_SERVICES.replace("svc-3,org-2,,", "svc-3,org-2,Named now,")
    write(folder / "services.csv", fixed, bom=True, crlf=True)
    report = import_feed(folder)
    assert report.ok, report.to_table()
    service = row(m.Service, "svc-1")
    assert service["name"] == "Adult social care"
    assert service["description"] == "Care assessments & support\n\nCall us"
    assert service["status"] == "active"
    assert count(m.Service) == 3
    generated = content_id("services", {"organization_id": "org-1", "name": "Carers support",
                                        "description": "Advice", "status": "active"})
    assert row(m.Service, generated)["name"] == "Carers support"
    # The generated id is stable: importing again adds nothing.
    assert import_feed(folder).counts()["services"]["unchanged"] == 3
    assert count(m.Service) == 3


def test_non_utf8_csv_is_read_with_a_warning(db, tmp_path):
    folder = tmp_path / "latin"
    write(folder / "organizations.csv", ORGS)
    (folder / "services.csv").write_bytes(
        "id,organization_id,name,status\nsvc-1,org-1,Café for carers,active\n".encode("cp1252"))
    report = import_feed(folder)
    assert report.ok, report.to_table()
    assert issues_for(report, file="services.csv", severity=WARNING)
    assert row(m.Service, "svc-1")["name"] == "Café for carers"


@pytest.mark.parametrize("name, content, reason", [
    ("broken.zip", b"PK\x03\x04 this is not really a zip", "zip"),
    ("feed.json", b"{\"contents\": [ {\"id\": ", "not valid JSON"),
    ("feed.json", b"", "empty"),
    ("feed.json", b"   \r\n", "empty"),
    ("feed.json", b"42", "expected a JSON object"),
    ("services.csv", b"\x00\xff\xfe garbage", ""),
    ("notes.txt", b"hello", "not valid JSON"),
])
def test_malformed_input_gives_a_report(db, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    report = import_feed(path)

    assert not report.ok and not report.written
    assert total_rows() == 0
    assert all(i.file for i in report.errors)
    assert reason in " ".join(i.reason for i in report.errors)


def test_missing_path_and_empty_directory(db, tmp_path):
    assert "no such file" in import_feed(tmp_path / "nope").errors[0].reason
    (tmp_path / "empty").mkdir()
    assert not import_feed(tmp_path / "empty").ok


def test_zip_with_a_folder_inside(db, tmp_path):
    import zipfile

    feed = small_feed(tmp_path)
    archive = tmp_path / "feed.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in feed.iterdir():
            zf.write(file, f"export-2024/{file.name}")
    report = import_feed(archive)
    assert report.ok, report.to_table()
    assert count(m.Service) == 2


# ---------------------------------------------------------------------------------------------
# Progress, CLI, speed
# ---------------------------------------------------------------------------------------------
def test_progress_callback_reaches_the_total(db, tmp_path):
    calls: list[tuple[int, int]] = []
    report = import_feed(small_feed(tmp_path), progress=lambda done, total: calls.append((done, total)))
    assert report.written
    assert calls and calls[-1][0] == calls[-1][1] == 12  # 6 rows checked, 6 written
    assert all(done <= total for done, total in calls)


def test_cli_exit_codes(db, tmp_path, capsys):
    assert cli_main(["validate", str(small_feed(tmp_path))]) == 0
    assert total_rows() == 0
    bad = small_feed(tmp_path, services=SERVICES + "svc-3,org-404,Orphan,x,active,,,\n", name="bad")
    assert cli_main(["import", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "organization_id" in out and "org-404" in out and "not written" in out
    assert cli_main(["import", str(small_feed(tmp_path)), "--dry-run"]) == 0
    assert total_rows() == 0
    assert cli_main(["import", str(small_feed(tmp_path))]) == 0
    assert count(m.Service) == 2


def test_synthetic_feed_imports_through_the_bulk_path(db, tmp_path):
    """A check of the bulk path; `make bench` measures its speed."""
    counts = write_synthetic_datapackage(tmp_path / "synthetic", 2000)
    report = import_feed(tmp_path / "synthetic")

    assert report.written, report.to_table()
    assert count(m.Service) == 2000 and count(m.Phone) == 2000
    assert total_rows() == sum(counts.values())
    again = import_feed(tmp_path / "synthetic")
    assert again.counts()["services"]["unchanged"] == 2000 and total_rows() == sum(counts.values())
