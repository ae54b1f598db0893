"""The maintainers' console pages through HTTP: roles, editing with GOV.UK errors, history, verify,
reports, import with dry run and progress, export, rules, and the public API's mount."""
from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
import requests
from sqlalchemy import select

from bot.db import session_scope
from bot.directory import maintenance as mt
from bot.directory import models as d
from bot.directory import reports, search
from bot.directory.exporter import export_datapackage
from bot.directory.importer import import_feed
from bot.handoff import demo
from bot.handoff import models as hm
from bot.settings import ROOT
from tests.unit.console_harness import Browser, ConsoleServer
from tests.unit.eastmere_counts import rows as eastmere_rows
from tests.unit.handoff_fixtures import family_with_story, load_staff

EASTMERE = ROOT / "data" / "directory" / "eastmere"
ASC = "b0c4b061-342b-5c1a-b966-c85e9b5ee9b4"
PASSWORD = demo.DEMO_PASSWORD

pytestmark = pytest.mark.skipif(not (EASTMERE / "datapackage.json").is_file(), reason="no Eastmere datapackage")


@pytest.fixture(scope="module")
def console():
    server = ConsoleServer().start()
    yield server
    server.stop()


@pytest.fixture
def eastmere(db):
    assert import_feed(EASTMERE).written
    load_staff()
    return db


def maintainer(console) -> Browser:
    browser = Browser(console.url)
    assert browser.login("lee.chen", PASSWORD).status_code == 302
    return browser


def edit_form(browser: Browser, service_id: str = ASC, query: str = "") -> dict[str, str]:
    """The edit form's fields as a browser would submit them unchanged."""
    page = browser.get(f"/directory/services/{service_id}{query}")
    assert page.status_code == 200
    form = re.search(r'<form method="post" action="/directory/services/[^"]+" novalidate data-testid="edit-form">'
                     r"(.*?)</form>", page.text, re.S).group(1)
    data: dict[str, object] = {}
    for tag in re.finditer(r"<input ([^>]*)>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group(1)))
        if attrs.get("type") == "checkbox":
            if " checked" in tag.group(1):
                data.setdefault(attrs["name"], []).append(attrs["value"])
        else:
            data[attrs["name"]] = attrs.get("value", "")
    for name, value in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = value
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        data[name] = re.search(r'value="([^"]*)" selected', body).group(1)
    return {k: (v.replace("&#39;", "'").replace("&amp;", "&") if isinstance(v, str) else v) for k, v in data.items()}


# --- roles ------------------------------------------------------------------------------------

def test_a_lead_professional_cannot_edit_the_directory(eastmere, console):
    lead = Browser(console.url)
    lead.login("priya.shah", PASSWORD)
    for path in ("/directory", "/directory/services", f"/directory/services/{ASC}", "/directory/reports",
                 "/directory/import", "/directory/rules", "/directory/export.zip",
                 f"/directory/services/{ASC}/history"):
        assert lead.get(path).status_code == 403, path
    result = lead.post(f"/directory/services/{ASC}", {"name": "Hijacked", "phones-0-number": "01632 960000"})
    assert result.status_code == 403
    assert lead.post(f"/directory/services/{ASC}/verify").status_code == 403
    with session_scope() as session:
        assert session.get(d.Service, ASC).name.startswith("Adult Social Care")
    assert "Directory" not in lead.get("/inbox").text.split("</nav>")[0]


def test_a_maintainer_cannot_open_care_records(eastmere, console):
    family_id, _carer = family_with_story()
    browser = maintainer(console)
    for path in (f"/families/{family_id}", "/inbox", "/caseload", "/admin/families"):
        assert browser.get(path).status_code == 403, path
    assert browser.post(f"/families/{family_id}/notes", {"note": "hello"}).status_code == 403
    home = browser.get("/")
    assert home.url.endswith("/directory") and "Directory freshness" in home.text


def test_signed_out_visitors_are_sent_to_sign_in_but_the_api_is_public(eastmere, console):
    result = requests.get(console.url + "/directory", allow_redirects=False, timeout=5)
    assert result.status_code == 302 and result.headers["location"].startswith("/login")
    api = requests.get(console.url + "/api/services", params={"per_page": 2}, timeout=5)
    assert api.status_code == 200 and api.headers["Access-Control-Allow-Origin"] == "*"
    assert api.json()["total_items"] == eastmere_rows("services")
    missing = requests.get(console.url + "/api/services/nope", timeout=5)
    assert missing.status_code == 404 and missing.json()["code"] == 404
    assert requests.post(console.url + "/directory/services/" + ASC, data={"name": "x"}, timeout=5).status_code == 401


# --- editing ----------------------------------------------------------------------------------

def test_edit_a_phone_number_and_the_bot_uses_it(eastmere, console):
    browser = maintainer(console)
    data = edit_form(browser)
    assert data["phones-0-number"] == "01632 960101"
    data["phones-0-number"] = "01632 960555"
    data["note"] = "Rang the old number: disconnected"
    result = browser.post(f"/directory/services/{ASC}", data)
    assert result.status_code == 302 and result.headers["location"].endswith("?done=saved")
    page = browser.get(result.headers["location"])
    assert "Your changes are saved" in page.text and 'value="01632 960555"' in page.text
    with session_scope() as session:
        assert search.service_by_id(session, ASC).phone == "01632 960555"
        [*_, last] = sorted(mt.history(session, ASC), key=lambda v: v.number)
        assert last.changed_by == "lee.chen" and last.changed_fields == ["phones"]


def test_validation_errors_are_shown_govuk_style_and_nothing_is_saved(eastmere, console):
    browser = maintainer(console)
    data = edit_form(browser)
    data.update({"phones-0-number": "12345", "minimum_age": "40", "maximum_age": "20", "areas": "EM1\nAtlantis",
                 "name": ""})
    result = browser.post(f"/directory/services/{ASC}", data)
    assert result.status_code == 400
    text = result.text
    assert 'class="govuk-error-summary"' in text and "There is a problem" in text
    for key in ("name", "phones-0-number", "maximum_age", "areas"):
        assert f'<a href="#{key}">' in text, key
        assert f'id="{key}-error"' in text, key
    assert "Enter phone number 1 as a UK phone number" in text
    assert 'value="12345"' in text  # what they typed is kept
    with session_scope() as session:
        assert session.get(d.Service, ASC).name.startswith("Adult Social Care")


def test_a_stale_form_is_refused(eastmere, console):
    browser = maintainer(console)
    data = edit_form(browser)
    first = dict(data, alert="Closed on Friday")
    assert browser.post(f"/directory/services/{ASC}", first).status_code == 302
    second = dict(data, alert="Open as usual")
    result = browser.post(f"/directory/services/{ASC}", second)
    assert result.status_code == 409 and "Someone else saved this service" in result.text


def test_edit_hours_eligibility_and_coverage_through_the_form(eastmere, console):
    browser = maintainer(console)
    data = edit_form(browser)
    new = max(int(m.group(1)) for k in data if (m := re.match(r"schedules-(\d+)-id", k)))
    for index in range(new):
        data[f"schedules-{index}-remove"] = "1"
    data.update({f"schedules-{new}-byday": ["MO", "TU"], f"schedules-{new}-opens_at": "10:00",
                 f"schedules-{new}-closes_at": "14:00", "minimum_age": "25", "areas": "EM1\nEM2"})
    assert browser.post(f"/directory/services/{ASC}", data).status_code == 302
    snap = None
    with session_scope() as session:
        snap = mt.snapshot(session, ASC)
    assert [(s["byday"], s["opens_at"]) for s in snap["schedules"]] == [("MO,TU", "10:00:00")]
    assert snap["minimum_age"] == 25 and snap["areas"] == ["postcode_district:EM1", "postcode_district:EM2"] or \
        sorted(snap["areas"]) == ["postcode_district:EM1", "postcode_district:EM2"]


def test_verify_and_history_side_by_side(eastmere, console):
    browser = maintainer(console)
    data = edit_form(browser)
    browser.post(f"/directory/services/{ASC}", dict(data, alert="First notice"))
    data = edit_form(browser)
    browser.post(f"/directory/services/{ASC}", dict(data, alert="Second notice"))
    result = browser.post(f"/directory/services/{ASC}/verify")
    assert result.status_code == 302
    page = browser.get(result.headers["location"])
    assert "Marked as verified today" in page.text
    with session_scope() as session:
        service = session.get(d.Service, ASC)
        assert service.assurer_email == "lee.chen@eastmere.example"
        assert service.assured_date == mt.utcnow().astimezone(mt.UK).date()
    history = browser.get(f"/directory/services/{ASC}/history")
    assert history.status_code == 200
    assert [int(n) for n in re.findall(r"Version (\d+)<br>", history.text)] == [1, 2, 3, 4]
    assert "First notice" in history.text and "Second notice" in history.text
    assert history.text.count("console-changed") >= 3
    assert "Verified by" in history.text and "Lee Chen" in history.text


def test_dashboard_chart_and_oldest_high_use_list(eastmere, console):
    with session_scope() as session:
        mt.record_offered(session, [ASC])
        session.get(d.Service, ASC).assured_date = None
    page = maintainer(console).get("/directory")
    assert page.status_code == 200 and "<svg" in page.text and 'role="img"' in page.text
    table = page.text.split('data-testid="oldest-high-use"')[1]
    first_row = table.split("</tr>")[1]
    assert ASC in first_row and "Never" in first_row


def test_search_page(eastmere, console):
    browser = maintainer(console)
    page = browser.get("/directory/services", params={"need": "wheelchair", "postcode": "EM3"})
    assert page.status_code == 200 and "services found" in page.text or "service found" in page.text
    bad = browser.get("/directory/services", params={"postcode": "Mars"})
    assert "There is a problem" in bad.text and 'id="postcode-error"' in bad.text


# --- reports -------------------------------------------------------------------------------------

def filed(notify: bool = True) -> str:
    with session_scope() as session:
        report = reports.file_report(session, ASC, "that number is wrong, it just rings", "sms-x", "+447700900555",
                                     {"rule_id": "adult-care-needs", "postcode": "EM3"})
        report.notify = notify
        return report.id


def test_resolve_a_report_by_editing_and_the_carer_is_thanked(eastmere, console):
    report_id = filed()
    browser = maintainer(console)
    queue = browser.get("/directory/reports")
    assert "that number is wrong" in queue.text and f"?report={report_id}" in queue.text
    data = edit_form(browser, query=f"?report={report_id}")
    assert data["report_id"] == report_id
    data["phones-0-number"] = "01632 960444"
    result = browser.post(f"/directory/services/{ASC}", data)
    assert result.status_code == 302 and result.headers["location"].endswith("done=resolved")
    assert "No open reports" in browser.get("/directory/reports").text
    resolved = browser.get("/directory/reports", params={"status": "resolved"}).text
    assert "lee.chen" in resolved and "version 2" in resolved
    with session_scope() as session:
        messages = session.execute(select(hm.OutboundMessage)).scalars().all()
        assert [m.idempotency_key for m in messages] == [f"report-thanks:{report_id}"]


def test_dismiss_a_report_needs_a_reason(eastmere, console):
    report_id = filed(notify=False)
    browser = maintainer(console)
    browser.get("/directory/reports")
    missing = browser.post(f"/directory/reports/{report_id}/dismiss", {"reason": ""})
    assert missing.status_code == 400 and "Enter why you are dismissing this report" in missing.text
    assert browser.post(f"/directory/reports/{report_id}/dismiss", {"reason": "Number checked: it works"}
                        ).status_code == 302
    with session_scope() as session:
        assert session.get(reports.ServiceReport, report_id).status == reports.DISMISSED


# --- import, export, rules ---------------------------------------------------------------------

def _zip_with_changed_phone(tmp_path, number: str = "01632 960321") -> bytes:
    folder = export_datapackage(tmp_path / "feed")
    phones = (folder / "phones.csv").read_text(encoding="utf-8")
    (folder / "phones.csv").write_text(phones.replace("01632 960101", number, 1), encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, path.name)
    return buffer.getvalue()


def test_import_dry_run_confirm_and_progress(eastmere, console, tmp_path):
    browser = maintainer(console)
    browser.get("/directory/import")
    body = _zip_with_changed_phone(tmp_path)
    result = browser.http.post(console.url + "/directory/import", data={"csrf_token": browser.csrf},
                               files={"feed": ("eastmere.zip", body, "application/zip")})
    assert result.status_code == 200 and 'data-testid="preview"' in result.text
    row = re.search(r'data-table="phones">(.*?)</tr>', result.text, re.S).group(1)
    assert [int(n) for n in re.findall(r">(\d+)</td>", row)][:3] == [0, 1, 0]
    with session_scope() as session:  # the dry run changed nothing
        assert session.execute(select(d.Phone).where(d.Phone.number == "01632 960321")).first() is None
    job_id = re.search(r'/directory/import/([0-9a-f]+)/confirm', result.text).group(1)
    confirm = browser.post(f"/directory/import/{job_id}/confirm", {"csrf_token": browser.csrf})
    assert confirm.status_code == 302 and confirm.headers["location"] == f"/directory/import/{job_id}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = browser.get(f"/directory/import/{job_id}/status").json()
        if status["state"] != "running":
            break
        time.sleep(0.1)
    assert status["state"] == "done" and status["percent"] == 100
    assert "Import complete" in browser.get(f"/directory/import/{job_id}").text
    with session_scope() as session:
        assert session.execute(select(d.Phone).where(d.Phone.number == "01632 960321")).first() is not None


def test_import_with_errors_lists_them_and_cannot_be_confirmed(eastmere, console):
    browser = maintainer(console)
    browser.get("/directory/import")
    bad = b'{"id": "x", "name": "", "status": "open"}'
    result = browser.http.post(console.url + "/directory/import", data={"csrf_token": browser.csrf},
                               files={"feed": ("service.json", bad, "application/json")})
    assert result.status_code == 200 and "This file cannot be imported" in result.text
    assert 'data-testid="confirm"' not in result.text and "govuk-tag--red" in result.text
    wrong = browser.http.post(console.url + "/directory/import", data={"csrf_token": browser.csrf},
                              files={"feed": ("notes.txt", b"hello", "text/plain")})
    assert wrong.status_code == 400 and "must be a .zip datapackage or a .json file" in wrong.text


def test_export_downloads_a_datapackage(eastmere, console):
    result = maintainer(console).get("/directory/export.zip")
    assert result.status_code == 200 and result.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        assert "datapackage.json" in archive.namelist() and "services.csv" in archive.namelist()
        assert archive.read("services.csv").decode().count("\n") == eastmere_rows("services") + 1


def test_rules_view_shows_services_per_district_and_gaps(eastmere, console):
    with session_scope() as session:
        session.get(d.Service, ASC).status = "inactive"
        for service in session.execute(select(d.Service).where(d.Service.name.like("Carers' Assessments%"))).scalars():
            service.status = "inactive"
    page = maintainer(console).get("/directory/rules?q=council+adult+social+care")
    assert page.status_code == 200
    row = re.search(r'data-role="role.council-adult-social-care">(.*?)</tr>', page.text, re.S).group(1)
    assert row.count("<td") == 6
    assert 'data-testid="rules"' in page.text and "Council adult social care" in page.text


def test_the_rules_page_is_paged_and_searchable(eastmere, console):
    browser = maintainer(console)
    first = browser.get("/directory/rules").text
    body = re.search(r'data-testid="rules">(.*?)</table>', first, re.S).group(1)
    assert body.count('<tr class="govuk-table__row">') == 20 + 1  # the header row and one page
    assert 'class="govuk-pagination"' in first and "page=2" in first
    found = browser.get("/directory/rules?q=wheelchair").text
    rows = re.search(r'data-testid="rules">(.*?)</table>', found, re.S).group(1)
    assert 0 < rows.count('data-label="Rule"') <= 20 and "wheelchair" in rows.lower()
    assert browser.get("/directory/rules?page=abc").status_code == 200
    assert browser.get("/directory/rules?page=999").status_code == 200
