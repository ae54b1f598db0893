"""The public ORUK API with several councils loaded: authority filter, postcode table, HEAD, OPTIONS."""
from __future__ import annotations

from pathlib import Path

import pytest
import requests

from bot.demo import EASTMERE
from bot.directory import postcodes
from bot.directory.exporter import page_schema_errors, schema_errors
from bot.directory.importer import import_feed
from bot.settings import ROOT
from tests.unit.eastmere_counts import rows as eastmere_rows
from tests.unit.test_oruk_api import ApiServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# The ORUK schemas: the project's copy when there is one, else the shared fixtures.
COMPILED = next((p for p in (FIXTURES / "oruk-3.0" / "schema" / "compiled",
                             ROOT.parent / "shared" / "fixtures" / "oruk-3.0" / "schema" / "compiled") if p.is_dir()),
                None)
BRACKENFORD, EASTMERE_CODE = "E06999997", "E06999999"

pytestmark = pytest.mark.skipif(COMPILED is None, reason="no copy of the ORUK schemas")


@pytest.fixture(scope="module")
def server():
    running = ApiServer().start()
    yield running
    running.stop()


@pytest.fixture
def councils(db):
    assert import_feed(EASTMERE, authority=EASTMERE_CODE, authority_name="Eastmere").written
    assert import_feed(FIXTURES / "directory" / "brackenford_oruk3.json", authority=BRACKENFORD,
                       authority_name="Brackenford", skip_invalid=True).written
    assert postcodes.load(FIXTURES / "directory" / "brackenford_postcodes.csv").ok
    return db


def get(server, path: str, **params) -> requests.Response:
    result = requests.get(server.url + path, params=params, timeout=10)
    assert result.headers["Access-Control-Allow-Origin"] == "*"
    return result


def test_pages_validate_with_several_councils(councils, server):
    every = get(server, "/api/services", per_page=500, full="true").json()
    assert every["total_items"] == eastmere_rows("services") + 290
    assert page_schema_errors(every, COMPILED / "service.json") == []
    listed = get(server, "/api/services", per_page=500).json()
    assert page_schema_errors(listed, COMPILED / "service_list.json") == []
    assert {s.get("local_authority_code") for s in listed["contents"]} == {EASTMERE_CODE, BRACKENFORD, None}
    one = next(s for s in listed["contents"] if s.get("local_authority_code") == BRACKENFORD)
    full = get(server, f"/api/services/{one['id']}").json()
    assert schema_errors(full, COMPILED / "service.json") == []
    assert full["organization"]["website"].startswith("https://")  # the feed's organisation url
    sal = get(server, "/api/service_at_locations", authority=BRACKENFORD, per_page=50).json()
    assert page_schema_errors(sal, COMPILED / "service_at_location_list.json") == []
    orgs = get(server, "/api/organizations", authority=BRACKENFORD, per_page=500).json()
    assert page_schema_errors(orgs, COMPILED / "organization.json", check_formats=False) == []


def test_authority_filter(councils, server):
    brackenford = get(server, "/api/services", authority=BRACKENFORD.lower(), per_page=500).json()
    assert brackenford["total_items"] == 290
    assert all(s["local_authority_code"] == BRACKENFORD for s in brackenford["contents"])
    eastmere = get(server, "/api/services", authority=EASTMERE_CODE, search="carers", per_page=500).json()
    assert eastmere["total_items"] > 0 and all(s["local_authority_code"] == EASTMERE_CODE
                                                for s in eastmere["contents"])
    orgs = get(server, "/api/organizations", authority=BRACKENFORD, per_page=500).json()
    assert orgs["total_items"] == 82 and all(o["local_authority_code"] == BRACKENFORD for o in orgs["contents"])
    bad = get(server, "/api/services", authority="Bristol")
    assert bad.status_code == 400 and "ONS" in bad.json()["message"]


def test_postcode_uses_the_councils_postcode_table(councils, server):
    covered = get(server, "/api/services", postcode="BF3 1AA", per_page=500).json()
    assert covered["total_items"] >= 290  # the council's services cover it, and national ones
    assert page_schema_errors(covered, COMPILED / "service_list.json") == []
    near = get(server, "/api/services", postcode="BF3 1AA", proximity=2500, per_page=500).json()
    far = get(server, "/api/services", postcode="BF3 1AA", proximity=30000, per_page=500).json()
    assert 0 < near["total_items"] < far["total_items"]
    assert page_schema_errors(near, COMPILED / "service_list.json") == []
    assert any(area in near["contents"][0]["name"] for area in ("Millbrook", "Ashby Vale", "Orchard Park"))


def test_head_gives_the_headers_without_a_body(councils, server):
    for path in ("/api/", "/api/services", "/api/taxonomies", "/api/organizations", "/api/nowhere"):
        result = requests.head(server.url + path, timeout=10)
        assert result.status_code == (404 if path == "/api/nowhere" else 200), path
        assert result.content == b"" and result.headers["Access-Control-Allow-Origin"] == "*"
        assert result.headers["content-type"].startswith("application/json")


def test_options_answers_a_cors_preflight(server):
    for path in ("/api/services", "/api/services/abc", "/api/", "/api/anything/else"):
        result = requests.options(server.url + path, timeout=10, headers={
            "Origin": "https://council.example", "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept, x-requested-with"})
        assert result.status_code == 204, path
        assert result.headers["Access-Control-Allow-Origin"] == "*"
        assert "GET" in result.headers["Access-Control-Allow-Methods"]
        assert result.headers["Access-Control-Allow-Headers"] == "accept, x-requested-with"
