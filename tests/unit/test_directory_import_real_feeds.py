"""Imports that survive real councils' feeds: skip invalid records, number order, ORUK 1.0, `url`."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import db as dbmod
from bot.directory import models as m
from bot.directory.cli import main as cli_main
from bot.directory.importer import import_feed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "directory"
BRACKENFORD = FIXTURES / "brackenford_oruk3.json"
COUNCIL = "E06999997"
BAD = [9, 88, 230]  # an empty name, a URL field holding a place, an id used again with another name


def count(model) -> int:
    with dbmod.engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def row(model, row_id: str) -> dict | None:
    t = model.__table__
    with dbmod.engine().connect() as conn:
        found = conn.execute(select(t).where(t.c.id == row_id)).mappings().first()
    return dict(found) if found else None


def contents() -> list[dict]:
    return json.loads(BRACKENFORD.read_text(encoding="utf-8"))["contents"]


def test_a_real_shaped_feed_with_bad_records_is_refused_whole_and_says_where(db):
    report = import_feed(BRACKENFORD, authority=COUNCIL)
    assert not report.written and count(m.Service) == 0
    errors = [i for i in report.sorted_issues() if i.severity == "error"]
    assert [e.position for e in errors] == BAD  # by number: 9, 88, 230 (not "230" before "88" before "9")
    first, second, third = errors
    assert first.field == "name" and first.label.startswith("(no name; id ")
    assert second.field == "url" and "Warmley Community Centre" in second.reason
    assert second.record_name == contents()[87]["name"]
    assert "duplicate services id" in third.reason and "first at record 41" in third.reason
    table = report.to_table().splitlines()
    assert table[0].split()[:4] == ["severity", "file", "record", "name"]
    assert [line.split()[2] for line in table[2:5]] == ["9", "88", "230"]


def test_skip_invalid_imports_the_rest_and_names_every_skipped_record(db):
    report = import_feed(BRACKENFORD, authority=COUNCIL, skip_invalid=True)
    assert report.ok and report.written, report.to_table(10)
    assert [s.record.position for s in report.skipped] == BAD
    feed = contents()
    for skipped, position in zip(report.skipped, BAD, strict=True):
        assert skipped.record.id == feed[position - 1]["id"]
        assert skipped.record.name == (feed[position - 1]["name"] or None)
        assert skipped.reasons
    assert "empty or missing" in report.skipped[0].describe() and "(no name)" in report.skipped[0].describe()
    assert count(m.Service) == 290
    kept = row(m.Service, feed[40]["id"])  # the first holder of the twice-used id is imported
    assert kept["name"] == feed[40]["name"] and kept["local_authority_code"] == COUNCIL
    assert row(m.Service, feed[8]["id"]) is None and row(m.Service, feed[87]["id"]) is None
    assert "3 invalid record(s) skipped" in report.summary()


def test_skip_invalid_dry_run_writes_nothing(db):
    report = import_feed(BRACKENFORD, authority=COUNCIL, skip_invalid=True, dry_run=True)
    assert report.ok and not report.written and len(report.skipped) == 3
    assert report.counts()["services"]["added"] == 290 and count(m.Service) == 0


def test_cli_skip_invalid(db, capsys):
    assert cli_main(["import", str(BRACKENFORD), "--authority", COUNCIL, "--skip-invalid", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "3 invalid record(s) skipped:" in out
    lines = [line for line in out.splitlines() if "brackenford_oruk3.json record" in line]
    assert [int(line.split("record ")[1].split(",")[0]) for line in lines] == BAD
    assert "Warmley Community Centre" in out and "; written" in out


def test_a_skipped_record_keeps_what_the_directory_had(db, tmp_path):
    feed = contents()[:20]
    path = tmp_path / "first.json"
    path.write_text(json.dumps({"contents": feed}), encoding="utf-8")
    good = [s for s in feed if s["name"]]
    path.write_text(json.dumps({"contents": good}), encoding="utf-8")
    assert import_feed(path, authority=COUNCIL).written
    broken = json.loads(json.dumps(good))
    broken[0]["url"] = "not a website at all"
    broken[0]["phones"] = []
    again = tmp_path / "again.json"
    again.write_text(json.dumps({"contents": broken[:5]}), encoding="utf-8")
    report = import_feed(again, authority=COUNCIL, skip_invalid=True, remove_missing=True)
    assert report.written and [s.record.position for s in report.skipped] == [1]
    assert row(m.Service, good[0]["id"]) is not None  # not removed as missing
    with dbmod.engine().connect() as conn:
        phones = conn.execute(select(func.count()).select_from(m.Phone.__table__).where(
            m.Phone.__table__.c.service_id == good[0]["id"])).scalar_one()
    assert phones == 1  # its phones were not replaced by the skipped record's empty list
    assert count(m.Service) == 5


def test_a_skipped_csv_row_takes_the_rows_that_need_it(db, tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "organizations.csv").write_text("id,name,description\no1,Org,An org\n", encoding="utf-8")
    (folder / "services.csv").write_text("id,organization_id,name,status\ns1,o1,Good,active\ns2,o1,,active\n"
                                         "s3,o1,Also good,active\n", encoding="utf-8")
    (folder / "phones.csv").write_text("id,service_id,number\np1,s1,01632 960001\np2,s2,01632 960002\n",
                                       encoding="utf-8")
    report = import_feed(folder, skip_invalid=True)
    assert report.written
    assert [(s.record.file, s.record.position, s.record.id) for s in report.skipped] == [
        ("phones.csv", 3, "p2"), ("services.csv", 3, "s2")]
    assert report.skipped[0].describe().startswith("phones.csv row 3, id p2")
    assert "points to an existing row" in report.skipped[0].describe()
    assert count(m.Service) == 2 and count(m.Phone) == 1


def test_the_report_uses_the_uploaded_files_name(db, tmp_path):
    temporary = tmp_path / "tmpa8d9f0.json"
    shutil.copy(BRACKENFORD, temporary)
    report = import_feed(temporary, display_name="brackenford-services.json", dry_run=True)
    assert report.source == "brackenford-services.json"
    assert {i.file for i in report.issues} == {"brackenford-services.json"}


ORUK1_PAGE = {
    "totalElements": 2, "totalPages": 1, "number": 1, "size": 50, "first": True, "last": True,
    "content": [{
        "id": "v1-service-1", "name": "Carers' Coffee Morning", "description": "A coffee morning for carers.",
        "url": "https://fenmoor.example/coffee", "email": "coffee@fenmoor.example", "status": "active",
        "fees": "Free", "accreditations": "", "deliverable_type": "Information", "attending_type": "In person",
        "attending_access": "drop-in", "assured_date": "2026-05-01",
        "organization": {"id": "v1-org-1", "name": "Fenmoor Carers", "description": "A carers' charity.",
                         "url": "https://fenmoorcarers.example", "email": "hello@fenmoorcarers.example",
                         "logo": "", "uri": ""},
        "eligibilitys": [{"id": "e1", "eligibility": "Adult carers", "minimum_age": 18, "maximum_age": None}],
        "regular_schedules": [{"id": "r1", "weekday": "Tuesday", "opens_at": "10:00", "closes_at": "12:00",
                               "valid_from": None, "valid_to": None, "dtstart": None, "freq": None,
                               "interval": None, "byday": None, "bymonthday": None, "description": "Weekly"}],
        "holiday_schedules": [{"id": "h1", "closed": True, "opens_at": None, "closes_at": None,
                               "start_date": "2026-12-24", "end_date": "2027-01-02"}],
        "service_taxonomys": [{"id": "st1", "taxonomy": {"id": "tx-carers", "name": "Carers support",
                                                         "vocabulary": "Fenmoor categories", "parent": None}}],
        "contacts": [{"id": "c1", "name": "Pat", "title": "Coordinator", "phones": [{"id": "ph1",
                                                                                    "number": "01632 960555"}]}],
        "languages": [{"id": "l1", "language": "English"}],
        "fundings": [{"id": "f1", "source": "Fenmoor Council grant"}],
        "cost_options": [{"id": "co1", "option": "Free", "amount": 0, "amount_description": "Free",
                          "linkid": "v1-service-1", "valid_from": None, "valid_to": None}],
        "service_areas": [{"id": "sa1", "service_area": "Fenmoor", "extent": None, "uri": None}],
        "reviews": [],
        "service_at_locations": [{"id": "sal1", "location": {
            "id": "loc1", "name": "Saltings Hall", "description": "", "latitude": 52.835, "longitude": 0.09,
            "physical_addresses": [{"id": "a1", "address_1": "1 Sea Lane", "city": "Fenmoor",
                                    "state_province": "", "postal_code": "FM2 0AB", "country": "England"}],
            "accessibility_for_disabilities": [{"id": "acc1", "accessibility": "Step-free"}]}}],
    }, {
        "id": "v1-service-2", "name": "Lunch club", "status": "active",
        "organization": {"id": "v1-org-1", "name": "Fenmoor Carers", "url": "https://fenmoorcarers.example"},
        "regular_schedules": [], "service_taxonomys": [], "eligibilitys": [],
    }],
}


def test_reads_an_oruk_1_page_and_its_field_names(db, tmp_path):
    path = tmp_path / "services.json"
    path.write_text(json.dumps(ORUK1_PAGE), encoding="utf-8")
    report = import_feed(path, authority="E06999998")
    assert report.written, report.to_table()
    assert count(m.Service) == 2  # two services, not one broken page-shaped service
    assert row(m.Organization, "v1-org-1")["website"] == "https://fenmoorcarers.example"
    service = row(m.Service, "v1-service-1")
    assert service["minimum_age"] == 18 and service["eligibility_description"] == "Adult carers"
    with dbmod.engine().connect() as conn:
        schedules = [dict(r) for r in conn.execute(select(m.Schedule.__table__).order_by(
            m.Schedule.__table__.c.id)).mappings()]
        terms = conn.execute(select(m.TaxonomyTerm.__table__.c.name)).scalars().all()
        address = conn.execute(select(m.Address.__table__.c.postal_code)).scalar_one()
        language = conn.execute(select(m.Language.__table__.c.name)).scalar_one()
    assert [(s["byday"], s["freq"], str(s["opens_at"])[:5]) for s in schedules if s["byday"]] == [
        ("TU", "WEEKLY", "10:00")]
    closed = [s for s in schedules if not s["byday"]]
    assert closed and closed[0]["opens_at"] is None and str(closed[0]["valid_from"]) == "2026-12-24"
    assert terms == ["Carers support"] and address == "FM2 0AB" and language == "English"
    unknown = [i for i in report.warnings if "unknown field" in i.reason]
    assert not [i for i in unknown if i.field in ("url", "eligibilitys", "regular_schedules")], unknown


def test_an_organisations_url_is_its_website(db, tmp_path):
    path = tmp_path / "orgs.json"
    path.write_text(json.dumps([{"id": "o-1", "name": "Org", "description": "x", "url": "https://org.example"}]),
                    encoding="utf-8")
    report = import_feed(path, kind="organizations")
    assert report.written and not [i for i in report.warnings if i.field == "url"]
    assert row(m.Organization, "o-1")["website"] == "https://org.example"


@pytest.mark.parametrize("name", ["brackenford_oruk3.json", "brackenford_postcodes.csv"])
def test_the_fixture_is_what_its_script_writes(name, tmp_path):
    """scripts/generate_test_feed.py writes the fixture; change the script, not the file."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, str(root / "scripts" / "generate_test_feed.py"), str(tmp_path)], check=True,
                   capture_output=True, cwd=root)
    assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes()
