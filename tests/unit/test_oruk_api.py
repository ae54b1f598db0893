"""The public Open Referral UK read API: every response checked against the ORUK (and HSDS) schemas."""
from __future__ import annotations

import itertools

import pytest
import requests
from sanic import Sanic, response

from bot import db as dbmod
from bot.directory import api
from bot.directory.exporter import page_schema_errors, schema_errors
from bot.directory.importer import import_feed
from bot.settings import ROOT
from tests.unit.console_harness import ConsoleServer
from tests.unit.eastmere_counts import rows as eastmere_rows

FIXTURES = ROOT / "tests" / "fixtures"
COMPILED = FIXTURES / "oruk-3.0" / "schema" / "compiled"
HSDS = FIXTURES / "hsds-3.0" / "schema"
EASTMERE = ROOT / "data" / "directory" / "eastmere"
ADULT_SOCIAL_CARE = "b0c4b061-342b-5c1a-b966-c85e9b5ee9b4"
_names = itertools.count()


class ApiServer(ConsoleServer):
    """Only the API blueprint, so these tests do not depend on the console's pages."""

    def __init__(self) -> None:
        super().__init__()
        self.app = Sanic(f"oruk_api_test_{next(_names)}")
        self.app.blueprint(api.bp)

        @self.app.get("/health")
        async def health(request):
            return response.json({"ok": True})


@pytest.fixture(scope="module")
def server():
    running = ApiServer().start()
    yield running
    running.stop()


@pytest.fixture
def eastmere(db):
    report = import_feed(EASTMERE)
    assert report.written, report.to_table(20)
    return db


def get(server, path: str, **params) -> requests.Response:
    result = requests.get(server.url + path, params=params, timeout=10)
    assert result.headers["Access-Control-Allow-Origin"] == "*"
    return result


def test_services_list_is_a_valid_oruk_page(eastmere, server):
    result = get(server, "/api/services", per_page=10, page=2)
    assert result.status_code == 200 and result.headers["content-type"].startswith("application/json")
    page = result.json()
    assert page_schema_errors(page, COMPILED / "service_list.json") == []
    assert page["page_number"] == 2 and page["size"] == 10 and not page["first_page"]
    services = eastmere_rows("services")
    assert page["total_items"] == services and page["total_pages"] == -(-services // 10)
    names = [s["name"] for s in page["contents"]]
    assert names == sorted(names)


def test_full_service_objects_validate(eastmere, server):
    page = get(server, "/api/services", per_page=25, full="true").json()
    assert page_schema_errors(page, COMPILED / "service.json") == []
    one = get(server, f"/api/services/{ADULT_SOCIAL_CARE}").json()
    assert schema_errors(one, COMPILED / "service.json") == []
    assert one["phones"][0]["number"] == "01632 960101"
    assert one["organization"]["name"].startswith("Eastmere Borough Council")


def test_unknown_ids_and_endpoints_are_404_json(eastmere, server):
    for path in ("/api/services/nope", "/api/organizations/nope", "/api/taxonomies/nope",
                 "/api/taxonomy_terms/nope", "/api/service_at_locations/nope", "/api/nothing-here"):
        result = get(server, path)
        assert result.status_code == 404, path
        assert result.json()["code"] == 404


def test_bad_parameters_are_400_json(eastmere, server):
    assert get(server, "/api/services", per_page="lots").status_code == 400
    assert get(server, "/api/services", per_page=5000).status_code == 400
    assert get(server, "/api/services", proximity=500).json()["message"] == "proximity needs a postcode"
    assert get(server, "/api/services", postcode="not a postcode").status_code == 400
    assert get(server, "/api/services", postcode="ZZ9 9ZZ", proximity=100).status_code == 400


def test_search_text_and_age(eastmere, server):
    carers = get(server, "/api/services", search="carers", per_page=100).json()
    assert carers["total_items"] > 0
    assert all("carer" in (s["name"] + s.get("description", "") + s["organization"]["name"]).lower()
               for s in carers["contents"])
    children = get(server, "/api/services", search="carers", age=10, per_page=100).json()
    assert children["total_items"] < carers["total_items"]
    assert all(s.get("minimum_age", 0) <= 10 <= s.get("maximum_age", 200) for s in children["contents"])


def test_taxonomy_term_filter(eastmere, server):
    terms = get(server, "/api/taxonomy_terms", search="wheelchair", per_page=5).json()
    assert terms["contents"], "the demo needs taxonomy has a wheelchair term"
    term_id = terms["contents"][0]["id"]
    found = get(server, "/api/services", taxonomy_term_id=term_id, per_page=100).json()
    assert found["total_items"] > 0
    for item in found["contents"]:
        full = get(server, f"/api/services/{item['id']}").json()
        assert term_id in {a["taxonomy_term_id"] for a in full["attributes"]}


def test_postcode_coverage_and_proximity(eastmere, server):
    covered = get(server, "/api/services", postcode="EM3 1AB", per_page=1000).json()
    everywhere = get(server, "/api/services", per_page=1000).json()
    assert 0 < covered["total_items"] < everywhere["total_items"]
    near = get(server, "/api/services", postcode="EM1", proximity=1500, per_page=1000).json()
    far = get(server, "/api/services", postcode="EM1", proximity=50000, per_page=1000).json()
    assert page_schema_errors(near, COMPILED / "service_list.json") == []
    assert 0 < near["total_items"] < far["total_items"]
    with dbmod.engine().connect() as conn:
        point = api.postcode_point(conn, "EM1")
        assert point is not None
        nearest = api._nearby_sal(conn, point, 1500)
    assert all(metres <= 1500 for _sal, _service, metres in nearest)
    assert [s for _sal, s, _m in nearest][0] == near["contents"][0]["id"]  # nearest first


def test_taxonomies_and_terms_validate(eastmere, server):
    taxonomies = get(server, "/api/taxonomies").json()
    assert page_schema_errors(taxonomies, HSDS / "taxonomy.json") == []
    assert {t["name"] for t in taxonomies["contents"]} == {"OneStory needs", "OneStory responsibility roles"}
    needs_id = next(t["id"] for t in taxonomies["contents"] if t["name"] == "OneStory needs")
    assert get(server, f"/api/taxonomies/{needs_id}").json()["name"] == "OneStory needs"
    terms = get(server, "/api/taxonomy_terms", taxonomy_id=needs_id, per_page=200).json()
    assert page_schema_errors(terms, HSDS / "taxonomy_term.json") == []
    assert terms["total_items"] > 10
    assert all(t["taxonomy_detail"]["id"] == needs_id for t in terms["contents"])
    one = get(server, f"/api/taxonomy_terms/{terms['contents'][0]['id']}").json()
    assert schema_errors(one, HSDS / "taxonomy_term.json") == []


def test_organizations_validate(eastmere, server):
    orgs = get(server, "/api/organizations", per_page=100).json()
    assert page_schema_errors(orgs, COMPILED / "organization_list.json") == []
    assert orgs["total_items"] == eastmere_rows("organizations")
    org_id = get(server, f"/api/services/{ADULT_SOCIAL_CARE}").json()["organization_id"]
    one = get(server, f"/api/organizations/{org_id}").json()
    assert schema_errors(one, COMPILED / "organization.json") == []
    assert ADULT_SOCIAL_CARE in {s["id"] for s in one["services"]}


def test_service_at_locations_validate(eastmere, server):
    page = get(server, "/api/service_at_locations", per_page=50).json()
    assert page_schema_errors(page, COMPILED / "service_at_location_list.json") == []
    assert page["total_items"] == eastmere_rows("service_at_location")
    item = page["contents"][0]
    assert item["location"]["id"] == item["location_id"] and item["service"]["id"] == item["service_id"]
    one = get(server, f"/api/service_at_locations/{item['id']}").json()
    assert schema_errors(one, COMPILED / "service_at_location.json") == []
    near = get(server, "/api/service_at_locations", postcode="EM1 3SE", proximity=800).json()
    assert near["total_items"] > 0
    assert page_schema_errors(near, COMPILED / "service_at_location_list.json") == []


def test_api_root_names_the_standard(server):
    body = get(server, "/api/").json()
    assert body["version"] == "3.0"


def test_postcode_normalisation():
    assert api.normalise_postcode("em12ab") == "EM1 2AB"
    assert api.normalise_postcode(" em3 ") == "EM3"
    assert api.normalise_postcode("hello") is None
    assert round(api.distance_m((52.6, -1.2), (52.61, -1.2))) == 1112
