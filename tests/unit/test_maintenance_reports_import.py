"""Carers' reports (resolve by editing, dismiss with a reason, thank-you SMS once) and the bulk import's
dry-run preview, progress and rollback."""
from __future__ import annotations

import csv
import shutil

import pytest
from sqlalchemy import func, select

from bot import crypto
from bot.db import session_scope
from bot.directory import importer, reports
from bot.directory import maintenance as mt
from bot.directory import models as d
from bot.directory.history import ServiceVersion
from bot.directory.importer import import_feed
from bot.handoff import models as hm
from bot.settings import ROOT

EASTMERE = ROOT / "data" / "directory" / "eastmere"
ASC = "b0c4b061-342b-5c1a-b966-c85e9b5ee9b4"
LEE = mt.Editor("lee.chen", "Lee Chen", "lee.chen@eastmere.example")
CARER = "+447700900555"

pytestmark = pytest.mark.skipif(not (EASTMERE / "datapackage.json").is_file(), reason="no Eastmere datapackage")


@pytest.fixture
def eastmere(db):
    assert import_feed(EASTMERE).written
    return db


def a_report(notify: bool = True) -> str:
    with session_scope() as session:
        report = reports.file_report(session, ASC, "that number just rings out", "sms-abc", CARER,
                                     {"rule_id": "adult-care-needs", "postcode": "EM3", "question": "secret words"})
        report.notify = notify
        return report.id


def outbox() -> list[hm.OutboundMessage]:
    with session_scope() as session:
        rows = session.execute(select(hm.OutboundMessage)).scalars().all()
        session.expunge_all()
        return rows


def test_report_queue_shows_context_but_not_record_contents(eastmere):
    report_id = a_report()
    with session_scope() as session:
        [view] = mt.list_reports(session)
    assert view.id == report_id and view.kind == reports.WRONG_NUMBER and view.words == "that number just rings out"
    assert view.context == {"rule_id": "adult-care-needs", "postcode": "EM3"}  # no question text


def test_resolve_by_editing_links_the_version_and_thanks_the_carer_once(eastmere):
    report_id = a_report(notify=True)
    with session_scope() as session:
        phones = mt.snapshot(session, ASC)["phones"]
        phones[0]["number"] = "01632 960888"
        version = mt.resolve_report(session, report_id, LEE, mt.ServiceChanges(phones=phones))
        number = version.number
    with session_scope() as session:
        report = session.get(reports.ServiceReport, report_id)
        assert report.status == reports.RESOLVED and report.resolved_by == "lee.chen"
        linked = session.execute(select(ServiceVersion).where(ServiceVersion.report_id == report_id)).scalar_one()
        assert linked.number == number and linked.changed_fields == ["phones"]
        assert mt.list_reports(session) == []
        assert mt.list_reports(session, reports.RESOLVED)[0].version_number == number
    [sms] = outbox()
    assert sms.purpose == mt.THANK_YOU_SMS_PURPOSE and sms.idempotency_key == f"report-thanks:{report_id}"
    assert crypto.decrypt(sms.to_enc) == CARER and "Thank you" in crypto.decrypt(sms.body_enc)
    with session_scope() as session, pytest.raises(mt.Conflict):
        mt.resolve_report(session, report_id, LEE, mt.ServiceChanges(phones=phones))
    assert len(outbox()) == 1


def test_no_sms_when_the_carer_did_not_ask(eastmere):
    report_id = a_report(notify=False)
    with session_scope() as session:
        mt.resolve_report(session, report_id, LEE, mt.ServiceChanges(fields={"alert": "Checked"}))
    assert outbox() == []


def test_a_failed_edit_leaves_the_report_open_and_sends_nothing(eastmere):
    report_id = a_report()
    with session_scope() as session, pytest.raises(mt.ValidationFailed):
        mt.resolve_report(session, report_id, LEE, mt.ServiceChanges(phones=[{"number": "999"}]))
    with session_scope() as session:
        assert session.get(reports.ServiceReport, report_id).status == reports.OPEN
    assert outbox() == []


def test_dismiss_needs_a_reason(eastmere):
    report_id = a_report()
    with session_scope() as session, pytest.raises(mt.ValidationFailed) as failed:
        mt.dismiss_report(session, report_id, LEE, "  ")
    assert failed.value.errors == {"reason": "Enter why you are dismissing this report"}
    with session_scope() as session:
        mt.dismiss_report(session, report_id, LEE, "We rang it: the number works.")
    with session_scope() as session:
        report = session.get(reports.ServiceReport, report_id)
        assert (report.status, report.resolution_note) == (reports.DISMISSED, "We rang it: the number works.")
    assert outbox() == []


# --- bulk import -------------------------------------------------------------------------------

def changed_copy(tmp_path, *, break_reference: bool = False):
    """Eastmere with one phone changed, one service removed from the feed, one added."""
    target = tmp_path / "feed"
    shutil.copytree(EASTMERE, target)
    path = target / "phones.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["number"] = "01632 960777"
    if break_reference:
        rows[1]["number"] = ""  # a phone must have a number
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    services = target / "services.csv"
    rows = list(csv.DictReader(services.open(encoding="utf-8")))
    new = dict(rows[0], id="0b7d0e7a-3d8e-4b8e-9f4e-000000000001", name="A new demo service")
    with services.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows + [new])
    return target


def counts() -> dict[str, int]:
    with session_scope() as session:
        return {t: session.execute(select(func.count()).select_from(d.TABLES[t])).scalar_one()
                for t in ("services", "phones")}


def test_dry_run_previews_and_writes_nothing(eastmere, tmp_path):
    job = mt.ImportJob(changed_copy(tmp_path), "feed", "lee.chen")
    before = counts()
    report = job.preview()
    assert report.ok and not report.written and job.state == "previewed"
    preview = report.counts()
    assert preview["services"]["added"] == 1 and preview["phones"]["changed"] == 1
    assert counts() == before
    job.run()
    assert job.state == "done" and job.percent == 100 and job.total > 0
    assert counts()["services"] == before["services"] + 1


def test_every_validation_error_is_listed_and_nothing_is_written(eastmere, tmp_path):
    job = mt.ImportJob(changed_copy(tmp_path, break_reference=True), "feed", "lee.chen")
    report = job.preview()
    assert not report.ok and [(e.file, e.row, e.field) for e in report.errors] == [("phones.csv", 3, "number")]
    before = counts()
    job.run()
    assert job.state == "failed" and counts() == before


def test_a_failure_part_way_through_rolls_the_whole_import_back(eastmere, tmp_path, monkeypatch):
    real_apply = importer._apply

    def apply_then_fail(conn, plan, tick):
        real_apply(conn, plan, tick)  # every row written inside the transaction ...
        raise RuntimeError("disk full")  # ... then the import fails

    monkeypatch.setattr(importer, "_apply", apply_then_fail)
    job = mt.ImportJob(changed_copy(tmp_path), "feed", "lee.chen")
    before = counts()
    job.run()
    assert job.state == "failed" and "disk full" in job.result.errors[0].reason
    assert counts() == before
    with session_scope() as session:
        assert session.get(d.Phone, session.execute(select(d.Phone.id).order_by(d.Phone.id)).scalars().first())
        assert session.execute(select(d.Phone).where(d.Phone.number == "01632 960777")).first() is None


def test_background_import_reports_progress(eastmere, tmp_path):
    job = mt.JOBS.add(mt.ImportJob(changed_copy(tmp_path), "feed", "lee.chen"))
    job.start()
    job.thread.join(60)
    assert mt.JOBS.get(job.id) is job and job.state == "done" and job.done == job.total
