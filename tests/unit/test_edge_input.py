"""Bad input at the HTTP edge gets a 4xx that says what is wrong, never a 500, on every backend:
the public Open Referral API, the maintainers' search, and every console form."""
from __future__ import annotations

import pytest
import requests

from bot.directory.importer import import_feed
from bot.handoff import demo
from bot.settings import ROOT
from tests.unit.console_harness import Browser, ConsoleServer
from tests.unit.handoff_fixtures import family_with_story, load_staff
from tests.unit.test_oruk_api import ApiServer

EASTMERE = ROOT / "data" / "directory" / "eastmere"
ASC = "b0c4b061-342b-5c1a-b966-c85e9b5ee9b4"
CONTROL = "control characters (such as a NUL byte)"

pytestmark = pytest.mark.skipif(not (EASTMERE / "datapackage.json").is_file(), reason="no Eastmere datapackage")


@pytest.fixture(scope="module")
def api():
    running = ApiServer().start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def console():
    running = ConsoleServer().start()
    yield running
    running.stop()


@pytest.fixture
def eastmere(db):
    assert import_feed(EASTMERE).written
    load_staff()
    return db


def raw_get(server, path_and_query: str) -> requests.Response:
    """A GET with the query exactly as written (requests would re-encode it)."""
    return requests.get(server.url + path_and_query, timeout=10)


# --- the public API ----------------------------------------------------------------------------

@pytest.mark.parametrize("query, parameter", [
    ("search=%00", "search"), ("search=grab%00rails", "search"), ("search=%01%1B", "search"),
    ("taxonomy_term_id=%00", "taxonomy_term_id"), ("taxonomy_id=%00", "taxonomy_id"),
    ("organization_id=a%00", "organization_id"), ("postcode=EM1%00", "postcode"),
])
def test_api_refuses_control_characters_in_text_parameters(eastmere, api, query, parameter):
    for path in ("/api/services", "/api/service_at_locations"):
        result = raw_get(api, f"{path}?{query}")
        assert result.status_code == 400, (path, query, result.text[:200])
        body = result.json()
        assert body["code"] == 400 and body["parameter"] == parameter and CONTROL in body["message"]
        assert result.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/api/organizations?search=%00", "/api/taxonomies?search=%00",
                                  "/api/taxonomy_terms?search=%00", "/api/taxonomy_terms?parent_id=%00",
                                  "/api/taxonomy_terms?taxonomy_id=%00"])
def test_every_api_list_refuses_a_nul(eastmere, api, path):
    result = raw_get(api, path)
    assert result.status_code == 400 and CONTROL in result.json()["message"]


def test_api_refuses_bytes_that_are_not_utf8(eastmere, api):
    result = raw_get(api, "/api/services?search=%FF%FEcare")
    assert result.status_code == 400 and "not valid UTF-8" in result.json()["message"]


def test_api_refuses_over_long_text(eastmere, api):
    result = raw_get(api, "/api/services?search=" + "a" * 201)
    assert result.status_code == 400 and "200 characters or fewer" in result.json()["message"]
    assert raw_get(api, "/api/services?organization_id=" + "o" * 256).status_code == 400


@pytest.mark.parametrize("query, message", [
    ("page=%EF%BC%91", "page must be a whole number"),  # a full-width digit one: int() reads it
    ("page=1e3", "page must be a whole number"), ("page=%00", "page must be a whole number"),
    ("page=0", "page must be between 1 and"), ("per_page=-1", "per_page must be between 1 and 1000"),
    ("per_page=1001", "per_page must be between 1 and 1000"),
    ("page=99999999999999999999999999", "page must be a whole number"),
    ("postcode=EM1&proximity=1.5", "proximity must be a whole number"),
    ("postcode=EM1&proximity=0", "proximity must be between 1 and 1000000"),
    ("age=%00", "age must be a whole number"), ("age=200", "age must be between 0 and 150"),
])
def test_api_numbers_are_ascii_whole_numbers_in_range(eastmere, api, query, message):
    result = raw_get(api, f"/api/services?{query}")
    assert result.status_code == 400 and message in result.json()["message"], result.text[:200]


def test_api_ids_in_the_path_are_checked_too(eastmere, api):
    assert raw_get(api, "/api/services/" + "x" * 300).status_code == 400
    assert raw_get(api, "/api/services/%00").status_code == 404  # Sanic keeps it as the text "%00"
    assert raw_get(api, f"/api/services/{ASC}").status_code == 200


def test_good_api_searches_still_work(eastmere, api):
    page = raw_get(api, "/api/services?search=carers&per_page=5&page=1").json()
    assert page["total_items"] >= 1 and page["size"] <= 5


# --- the console -------------------------------------------------------------------------------

def signed_in(console, username: str) -> Browser:
    browser = Browser(console.url)
    assert browser.login(username, demo.DEMO_PASSWORD).status_code == 302
    return browser


@pytest.mark.parametrize("field", ["q", "need", "postcode", "organisation"])
def test_maintainers_search_refuses_a_nul_and_over_long_words(eastmere, console, field):
    browser = signed_in(console, "lee.chen")
    page = browser.get("/directory/services", params={field: "wheel\x00chair"})
    assert page.status_code == 400
    assert "We could not read that" in page.text and "NUL byte" in page.text
    long = browser.get("/directory/services", params={field: "w" * 300})
    assert long.status_code == 400 and "200 characters or fewer" in long.text
    assert "There is a problem" in long.text and f'id="{field}-error"' in long.text  # GOV.UK error, by the field
    good = "EM3" if field == "postcode" else "wheelchair"
    assert browser.get("/directory/services", params={field: good}).status_code == 200


def test_maintainers_search_refuses_bytes_that_are_not_utf8(eastmere, console):
    page = signed_in(console, "lee.chen").get("/directory/services?q=%FF%FE")
    assert page.status_code == 400 and "not UTF-8" in page.text


def test_console_forms_and_addresses_refuse_unreadable_text(eastmere, console):
    """Every page, not only the search: each of these was a 500 on PostgreSQL."""
    family_id, _ = family_with_story(postcode="EM3 1AB")
    lee, admin = signed_in(console, "lee.chen"), signed_in(console, "admin")
    refused = [
        lee.get(f"/directory/services/{ASC}?report=%00"),
        lee.post(f"/directory/services/{ASC}", {"name": "Adult care", "report_id": "\x00"}),
        admin.post(f"/families/{family_id}/reassign", {"lead_id": "\x00", "reason": "moving patch"}),
        lee.http.post(console.url + f"/directory/services/{ASC}", allow_redirects=False,
                      data=b"csrf_token=" + lee.csrf.encode() + b"&name=caf\xe9",
                      headers={"Content-Type": "application/x-www-form-urlencoded"}),
    ]
    anonymous = Browser(console.url)
    anonymous.get("/login")
    refused.append(anonymous.post("/login", {"username": "lee.chen\x00", "password": "x"}))
    for result in refused:
        assert result.status_code == 400, (result.url, result.status_code)
        assert "We could not read that" in result.text and "NUL byte" in result.text
    assert lee.get(f"/directory/services/{ASC}").status_code == 200  # and nothing else is affected


def test_the_api_mounted_in_the_console_answers_in_json(eastmere, console):
    result = raw_get(console, "/api/services?search=%FF")
    assert result.status_code == 400 and result.json()["code"] == 400
    assert result.headers["Access-Control-Allow-Origin"] == "*"


def test_an_edit_longer_than_its_column_gets_a_field_error(eastmere, console):
    """A 336-character email passed the format check and PostgreSQL refused the row: a 500."""
    from tests.unit.test_console_maintainers import edit_form

    lee = signed_in(console, "lee.chen")
    form = edit_form(lee)
    form["email"] = "a" * 330 + "@x.org"
    page = lee.post(f"/directory/services/{ASC}", form)
    assert page.status_code == 400
    assert 'id="email-error"' in page.text and "Email must be 320 characters or fewer" in page.text
