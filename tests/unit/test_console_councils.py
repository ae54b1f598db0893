"""The maintainers' console with several councils: streamed uploads with skipped records, councils,
roles and needs on the edit page, suggested roles accepted in bulk, and the feeds on the dashboard."""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from bot.db import session_scope
from bot.directory import models as d
from bot.directory import pull, responsibility, tagging
from bot.directory.history import ServiceVersion
from bot.directory.importer import import_feed
from bot.directory.places import Place
from bot.directory.rules import Situation
from bot.handoff import demo
from tests.unit.console_harness import Browser, ConsoleServer
from tests.unit.handoff_fixtures import load_staff
from tests.unit.test_console_maintainers import edit_form

FEED = Path(__file__).resolve().parents[1] / "fixtures" / "directory" / "brackenford_oruk3.json"
COUNCIL = "E06999997"


@pytest.fixture(scope="module")
def console():
    server = ConsoleServer().start()
    yield server
    server.stop()


@pytest.fixture
def staff(db):
    load_staff()
    return db


@pytest.fixture
def brackenford(staff):
    assert import_feed(FEED, authority=COUNCIL, authority_name="Brackenford", skip_invalid=True).written
    responsibility.NEED_INDEX.reset()
    return staff


def maintainer(console) -> Browser:
    browser = Browser(console.url)
    assert browser.login("lee.chen", demo.DEMO_PASSWORD).status_code == 302
    return browser


def upload(browser: Browser, name: str, body: bytes, **fields) -> requests.Response:
    browser.get("/directory/import")
    return browser.http.post(browser.base + "/directory/import", data={"csrf_token": browser.csrf, **fields},
                             files={"feed": (name, body, "application/json")})


def services_of(code: str) -> int:
    with session_scope() as session:
        return len(session.execute(select(d.Service.id).where(d.Service.local_authority_code == code)).all())


def test_a_real_feed_with_bad_records_imports_through_the_console(staff, console):
    browser = maintainer(console)
    result = upload(browser, "brackenford-services.json", FEED.read_bytes(), authority="new",
                    new_code="E06999997", new_name="Brackenford", skip_invalid="1")
    assert result.status_code == 200, result.text[:500]
    assert "Check the import of brackenford-services.json" in result.text  # the uploaded name, not a temp one
    skipped = re.findall(r'data-position="(\d+)"', result.text)
    assert skipped == ["9", "88", "230"]  # in number order
    assert "Warmley Community Centre" in result.text and "(no name)" in result.text
    assert "brackenford-services.json" in result.text.split('data-testid="skipped"')[1]
    job_id = re.search(r"/directory/import/([0-9a-f]+)/confirm", result.text).group(1)
    assert browser.post(f"/directory/import/{job_id}/confirm", {"csrf_token": browser.csrf}).status_code == 302
    for _ in range(300):
        status = browser.get(f"/directory/import/{job_id}/status").json()
        if status["state"] != "running":
            break
        time.sleep(0.2)
    assert status["state"] == "done" and status["skipped"] == 3
    assert services_of(COUNCIL) == 290
    assert 'data-position="230"' in browser.get(f"/directory/import/{job_id}").text


def test_a_file_over_the_old_2_mb_limit_uploads(staff, console):
    services = json.loads(FEED.read_text(encoding="utf-8"))["contents"]
    bigger = [dict(s, id=f"{s['id']}-{copy}") for copy in range(6) for s in services if s["name"]]
    body = json.dumps({"contents": bigger}).encode()
    assert len(body) > 3_000_000
    result = upload(maintainer(console), "export.json", body, authority="new", new_code=COUNCIL,
                    new_name="Brackenford", skip_invalid="1")
    assert result.status_code == 200 and "Form expired" not in result.text
    assert "Check the import of export.json" in result.text


def test_a_file_too_large_says_so(staff, console, monkeypatch):
    monkeypatch.setenv("ONESTORY_UPLOAD_MAX_MB", "1")
    result = upload(maintainer(console), "huge.json", b"[" + b" " * 1_500_000 + b"]")
    assert result.status_code == 413
    assert "bigger than 1 MB" in result.text and "Form expired" not in result.text


def test_a_streamed_upload_still_needs_the_forms_token(staff, console):
    browser = maintainer(console)
    browser.get("/directory/import")
    result = browser.http.post(console.url + "/directory/import", data={"csrf_token": "forged"},
                               files={"feed": ("feed.json", FEED.read_bytes(), "application/json")})
    assert result.status_code == 403 and "Form expired" in result.text
    assert services_of(COUNCIL) == 0


def test_a_new_council_needs_a_code_and_a_name(staff, console):
    result = upload(maintainer(console), "feed.json", FEED.read_bytes(), authority="new", new_code="Bristol")
    assert result.status_code == 400
    assert "ONS code" in result.text and "council&#39;s name" in result.text


def test_give_a_service_its_council_roles_and_needs_on_the_edit_page(brackenford, console):
    browser = maintainer(console)
    with session_scope() as session:
        service_id = session.execute(select(d.Service.id).where(
            d.Service.name == "Adult Social Care – Front Door")).scalar_one()
    form = edit_form(browser, service_id)
    assert form["authority"] == COUNCIL and form.get("roles", []) == []
    form.update(csrf_token=browser.csrf, roles=["role.council-adult-social-care"],
                needs=["need.carers-assessment"], areas="Brackenford")
    saved = browser.http.post(console.url + f"/directory/services/{service_id}", data=form, allow_redirects=False)
    assert saved.status_code == 302, saved.text[:800]
    with session_scope() as session:
        assert tagging.tags_of(session, service_id) == {"roles": ["role.council-adult-social-care"],
                                                       "needs": ["need.carers-assessment"]}
        areas = session.execute(select(d.ServiceArea.extent).where(d.ServiceArea.service_id == service_id)).scalars()
        assert "local_authority:Brackenford" in set(areas)  # a council's name is an area now
        answer = responsibility.answer_question(session, "who does carers assessments?", Situation(age_group="adult"),
                                                Place("BF2", None, "Brackenford", authority_code=COUNCIL))
    assert answer.kind == "rule" and answer.services[0].id == service_id and answer.matched == []
    page = browser.get(f"/directory/services/{service_id}").text
    assert 'value="role.council-adult-social-care" checked' in page


def test_an_unknown_council_or_role_is_refused_kindly(brackenford, console):
    browser = maintainer(console)
    with session_scope() as session:
        service_id = session.execute(select(d.Service.id).limit(1)).scalar_one()
    form = edit_form(browser, service_id)
    form.update(csrf_token=browser.csrf, authority="E06000001", roles=["role.made-up"])
    result = browser.http.post(console.url + f"/directory/services/{service_id}", data=form, allow_redirects=False)
    assert result.status_code == 400
    assert "Choose a council from the list" in result.text and "role.made-up" in result.text


def test_suggested_roles_are_accepted_in_bulk(brackenford, console):
    browser = maintainer(console)
    page = browser.get(f"/directory/suggestions?authority={COUNCIL}")
    assert page.status_code == 200
    choices = re.findall(r'name="accept" type="checkbox" value="([^"]+)"', page.text)
    befriending = [c for c in choices if c.endswith("|role.befriending")]
    assert len(befriending) >= 10 and "Befriending Service" in page.text
    result = browser.http.post(console.url + "/directory/suggestions", allow_redirects=False,
                               data={"csrf_token": browser.csrf, "authority": COUNCIL, "accept": befriending[:3]})
    assert result.status_code == 302 and "done=3" in result.headers["location"]
    accepted = [c.split("|")[0] for c in befriending[:3]]
    with session_scope() as session:
        for service_id in accepted:
            assert tagging.tags_of(session, service_id)["roles"] == ["role.befriending"]
        versions = session.execute(select(ServiceVersion).where(ServiceVersion.service_id.in_(accepted))).scalars()
        assert {v.note for v in versions if v.action == "edited"} == {"Suggested role accepted: Befriending service"}
    again = browser.get(f"/directory/suggestions?authority={COUNCIL}").text
    assert not any(a in again for a in accepted)  # they have a role now


def test_councils_page_and_feeds_on_the_dashboard(brackenford, console):
    with session_scope() as session:
        feed = pull.register(session, "https://api.brackenford.gov.example/services", COUNCIL)
        feed.last_status, feed.last_services = "failed", 293
        feed.last_errors = ["page 3: HTTP 500 (after 3 tries)"]
        feed.last_skipped = ["record 9, id x, (no name): name: required; empty or missing"]
        feed.last_pull_at = feed.next_pull_at
    browser = maintainer(console)
    dashboard = browser.get("/directory").text
    feeds = dashboard.split('data-testid="feeds"')[1].split("</table>")[0]
    assert "Brackenford" in feeds and "page 3: HTTP 500" in feeds and "1 skipped" in feeds and "Failed" in feeds
    councils = browser.get("/directory/councils").text
    assert "Brackenford" in councils and ">290</a>" in councils
    saved = browser.post("/directory/councils", {"code": "e06999996", "name": "Otherby"})
    assert saved.status_code == 302
    assert "Otherby" in browser.get("/directory/councils").text
