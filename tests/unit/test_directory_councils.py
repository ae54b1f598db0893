"""Several councils in one directory: the postcode table, each record's council, and places."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import db as dbmod
from bot.db import session_scope
from bot.demo import EASTMERE
from bot.directory import authorities, localities, postcodes
from bot.directory import models as m
from bot.directory.cli import main as cli_main
from bot.directory.importer import import_feed
from bot.directory.places import Place

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "directory"
ONSPD = FIXTURES / "onspd_sample.csv"
BRACKENFORD = "E06999997"


def council_of(model, row_id: str):
    t = model.__table__
    with dbmod.engine().connect() as conn:
        return conn.execute(select(t.c.local_authority_code).where(t.c.id == row_id)).scalar_one()


def feed(tmp_path: Path, services: list[dict], name: str = "feed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"contents": services}), encoding="utf-8")
    return path


def service(sid: str, name: str, org: str = "org-1", **extra) -> dict:
    return {"id": sid, "name": name, "status": "active",
            "organization": {"id": org, "name": f"Organisation {org}", "description": "An organisation."},
            **extra}


# --- the postcode table ------------------------------------------------------------------------

def test_loads_the_ons_postcode_directory_layout(db):
    report = postcodes.load(ONSPD)
    assert report.ok, report.error
    assert report.rows == 10 and report.loaded == 9  # "NOT A PC" skipped
    assert report.skipped_count == 1 and "not a postcode" in report.skipped[0][1]
    assert report.authorities == {BRACKENFORD, "E06999996", "E06999998"}  # L99999999 is not a council
    with session_scope() as session:
        rows = {p.postcode: p for p in session.execute(select(postcodes.Postcode)).scalars()}
        assert rows["BF1 1AA"].district == "BF1" and rows["BF1 1AA"].local_authority_code == BRACKENFORD
        assert rows["BF2 3CE"].latitude is None  # ONS's 99.999999: no grid reference
        assert rows["GY1 1AA"].local_authority_code is None
        assert authorities.names(session)[BRACKENFORD] == BRACKENFORD  # named by its code until named


def test_loading_again_updates_rather_than_duplicates(db, tmp_path):
    postcodes.load(ONSPD)
    moved = tmp_path / "nspl.csv"
    moved.write_text("pcds,laua,lat,long\nBF1 1AA,E06999996,51.5,-3.0\n", encoding="utf-8")  # NSPL's column name
    assert postcodes.load(moved).loaded == 1
    with session_scope() as session:
        row = session.get(postcodes.Postcode, "BF1 1AA")
        assert row.local_authority_code == "E06999996" and row.latitude == 51.5
        assert len(session.execute(select(postcodes.Postcode)).all()) == 9


def test_a_file_without_the_columns_is_refused_clearly(db, tmp_path):
    bad = tmp_path / "wrong.csv"
    bad.write_text("name,town\nA,B\n", encoding="utf-8")
    report = postcodes.load(bad)
    assert not report.ok and "pcds" in report.error and "oslaua" in report.error


def test_load_only_some_councils(db):
    report = postcodes.load(ONSPD, only_authorities=["e06999998"])
    assert report.loaded == 1 and report.authorities == {"E06999998"}


def test_lookup_uses_the_postcode_then_its_sector_then_its_district(db):
    postcodes.load(ONSPD)
    with dbmod.engine().connect() as conn:
        exact = postcodes.lookup(conn, Place("BF1", "BF1 1", None, postcode="BF1 1AA"))
        sector = postcodes.lookup(conn, Place("BF1", "BF1 1", None, postcode="BF1 1ZZ"))
        district = postcodes.lookup(conn, Place("BF2", None, None))
        unknown = postcodes.lookup(conn, Place("LS6", None, None))
    assert exact.exact and (exact.latitude, exact.longitude) == (51.9001, -2.9002)
    assert not sector.exact and sector.authority_code == BRACKENFORD
    assert sector.latitude == pytest.approx((51.9001 + 51.9021) / 2)  # BF1 1AA and 1AB, not BF1 2AA
    assert district.authority_code == BRACKENFORD and district.latitude == pytest.approx(51.93)
    assert unknown is None


def test_cli_loads_postcodes_and_names_councils(db, capsys):
    assert cli_main(["postcodes", "load", str(ONSPD)]) == 0
    assert "9 postcode(s) loaded" in capsys.readouterr().out
    assert cli_main(["authorities", "set", "e06999997", "Brackenford"]) == 0
    assert cli_main(["authorities", "list"]) == 0
    assert "E06999997  Brackenford" in capsys.readouterr().out


# --- each record's council ------------------------------------------------------------------------

def test_import_with_an_authority_sets_every_organisation_and_service(db, tmp_path):
    path = feed(tmp_path, [service("s-1", "Food bank"), service("s-2", "Lunch club", org="org-2")])
    report = import_feed(path, authority="e06999997", authority_name="Brackenford")
    assert report.written, report.to_table()
    assert council_of(m.Service, "s-1") == BRACKENFORD and council_of(m.Organization, "org-2") == BRACKENFORD
    with session_scope() as session:
        assert authorities.names(session) == {BRACKENFORD: "Brackenford"}
    again = import_feed(path, authority=BRACKENFORD)
    assert again.counts()["services"]["unchanged"] == 2  # the same council again changes nothing


def test_a_record_naming_its_council_keeps_it_and_national_services_take_none(db, tmp_path):
    national = service("s-3", "Samaritans", org="org-3",
                       service_areas=[{"id": "a-3", "extent": "country:England", "extent_type": "text"}])
    own = service("s-4", "Moved in", org="org-4", local_authority_code="E06999996")
    assert import_feed(feed(tmp_path, [national, own, service("s-5", "Local")]), authority=BRACKENFORD).written
    assert council_of(m.Service, "s-3") is None and council_of(m.Organization, "org-3") is None
    assert council_of(m.Service, "s-4") == "E06999996"
    assert council_of(m.Service, "s-5") == BRACKENFORD


def test_a_service_takes_its_organisations_council_from_the_directory(db, tmp_path):
    assert import_feed(feed(tmp_path, [service("s-1", "First")]), authority=BRACKENFORD).written
    later = tmp_path / "later.json"
    later.write_text(json.dumps([{"id": "s-9", "name": "Second", "organization_id": "org-1"}]), encoding="utf-8")
    assert import_feed(later, kind="services").written
    assert council_of(m.Service, "s-9") == BRACKENFORD


def test_a_bad_authority_code_is_refused(db, tmp_path):
    report = import_feed(feed(tmp_path, [service("s-1", "A")]), authority="Bristol")
    assert not report.ok and "ONS local authority code" in report.errors[0].reason
    bad_row = import_feed(feed(tmp_path, [service("s-2", "B", local_authority_code="Bristol")]))
    assert not bad_row.ok and bad_row.errors[0].field == "local_authority_code"


def test_replace_with_an_authority_leaves_other_councils_alone(db, tmp_path):
    assert import_feed(feed(tmp_path, [service("a-1", "A one"), service("a-2", "A two")], "a.json"),
                       authority=BRACKENFORD).written
    assert import_feed(feed(tmp_path, [service("b-1", "B one", org="org-b")], "b.json"), authority="E06999996").written
    report = import_feed(feed(tmp_path, [service("a-1", "A one")], "a2.json"), authority=BRACKENFORD,
                         remove_missing=True)
    assert report.written and report.counts()["services"]["removed"] == 1
    with session_scope() as session:
        left = set(session.execute(select(m.Service.id)).scalars())
    assert left == {"a-1", "b-1"}


# --- places ------------------------------------------------------------------------------------

def test_a_district_the_postcode_table_holds_counts_in_any_case(db, tmp_path):
    postcodes.load(ONSPD)
    with session_scope() as session:
        assert localities.place_in(session, "is there a lunch club in bf2?").district == "BF2"
        assert localities.place_in(session, "plan a1 for today") is None
        place = localities.place_in(session, "we live at BF1 1AA")
    assert place.authority_code == BRACKENFORD and place.point == (51.9001, -2.9002)
    assert not place.covered  # the council is known, but its directory is not loaded
    assert import_feed(feed(tmp_path, [service("s-1", "Lunch club")]), authority=BRACKENFORD).written
    with session_scope() as session:
        assert localities.place_in(session, "bf2").covered


def test_eastmere_is_covered_without_a_postcode_table_and_elsewhere_is_not(db):
    assert import_feed(EASTMERE, authority="E06999999", authority_name="Eastmere").written
    with session_scope() as session:
        eastmere = localities.place_in(session, "we're in EM4")
        leeds = localities.place_in(session, "we live in LS6")
    assert eastmere.covered and eastmere.authority_code == "E06999999" and eastmere.local_authority == "Eastmere"
    assert leeds is not None and not leeds.covered and leeds.authority_code is None
