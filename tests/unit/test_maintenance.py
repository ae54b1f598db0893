"""Keeping the directory true (bot.directory.maintenance): search, edits with validation and history,
verification, freshness, use counts and the rules view."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.db import session_scope
from bot.directory import maintenance as mt
from bot.directory import models as d
from bot.directory import search
from bot.directory.history import ServiceUsage, ServiceVersion
from bot.directory.importer import import_feed
from bot.directory.places import parse
from bot.settings import ROOT

EASTMERE = ROOT / "data" / "directory" / "eastmere"
ASC = "b0c4b061-342b-5c1a-b966-c85e9b5ee9b4"  # Adult Social Care - Contact Centre
LEE = mt.Editor("lee.chen", "Lee Chen", "lee.chen@eastmere.example")

pytestmark = pytest.mark.skipif(not (EASTMERE / "datapackage.json").is_file(), reason="no Eastmere datapackage")


@pytest.fixture
def eastmere(db):
    assert import_feed(EASTMERE).written
    return db


def phones_of(service_id: str) -> list[str]:
    with session_scope() as session:
        return [p.number for p in session.execute(select(d.Phone).where(d.Phone.service_id == service_id)
                                                  .order_by(d.Phone.id)).scalars()]


def current(service_id: str) -> dict:
    with session_scope() as session:
        return mt.snapshot(session, service_id)


# --- search ------------------------------------------------------------------------------------

def test_search_by_name_need_postcode_and_organisation(eastmere):
    with session_scope() as session:
        by_name = mt.search_services(session, text="contact centre")
        assert ASC in {r.id for r in by_name}
        assert all("contact centre" in (r.name.lower()) or r.id for r in by_name)
        wheelchair = mt.search_services(session, need="wheelchair")
        assert wheelchair and len(wheelchair) < 162
        em3 = {r.id for r in mt.search_services(session, postcode="EM3 1AB", limit=500)}
        em1 = {r.id for r in mt.search_services(session, postcode="EM1", limit=500)}
        assert em3 != em1 and ASC in em3 and ASC in em1  # covers all of Eastmere
        council = mt.search_services(session, organisation="Eastmere Borough Council", limit=500)
        assert ASC in {r.id for r in council} and all(r.organization.startswith("Eastmere Borough") for r in council)
        both = mt.search_services(session, need="wheelchair", postcode="EM3")
        assert {r.id for r in both} <= {r.id for r in wheelchair}
        with pytest.raises(mt.ValidationFailed) as failed:
            mt.search_services(session, postcode="nowhere")
        assert "postcode" in failed.value.errors


# --- editing, validation, history -------------------------------------------------------------

def test_edit_phone_is_used_by_the_bots_next_answer(eastmere):
    before = current(ASC)
    phones = [dict(p) for p in before["phones"]]
    phones[0]["number"] = "01632 960999"
    with session_scope() as session:
        version = mt.edit_service(session, ASC, mt.ServiceChanges(phones=phones), LEE,
                                  expected_version=before["version"])
        assert version.changed_fields == ["phones"] and version.changed_by == "lee.chen"
    assert phones_of(ASC)[0] == "01632 960999"
    with session_scope() as session:
        info = search.service_by_id(session, ASC)
    assert info.phone == "01632 960999"


def test_validation_messages_are_clear_and_keyed_by_field(eastmere):
    changes = mt.ServiceChanges(
        fields={"name": "  ", "email": "not-an-email", "url": "www.example", "minimum_age": "eighteen",
                "maximum_age": "10", "status": "open"},
        phones=[{"number": "12345"}, {"number": "", "description": "text us"}],
        schedules=[{"byday": [], "opens_at": "9am", "closes_at": "17:00"},
                   {"byday": ["MO"], "opens_at": "09:00", "closes_at": "9:00"}],
        areas=["EM1", "Narnia"])
    with session_scope() as session, pytest.raises(mt.ValidationFailed) as failed:
        mt.edit_service(session, ASC, changes, LEE)
    errors = failed.value.errors
    assert errors["name"] == "Enter the service's name"
    assert "correct format" in errors["email"] and "https://" in errors["url"]
    assert "whole number" in errors["minimum_age"] and "status" in errors
    assert "UK phone number" in errors["phones-0-number"] and "phones-1-number" in errors
    assert "at least one day" in errors["schedules-0-byday"] and "24-hour" in errors["schedules-0-opens_at"]
    assert "different from the opening time" in errors["schedules-1-closes_at"]
    assert "Narnia" in errors["areas"]
    assert current(ASC)["name"].startswith("Adult Social Care")  # nothing was saved
    with session_scope() as session, pytest.raises(mt.ValidationFailed) as failed:
        mt.edit_service(session, ASC, mt.ServiceChanges(fields={"minimum_age": "30", "maximum_age": "20"}), LEE)
    assert failed.value.errors == {"maximum_age": "Maximum age must be the same as or more than the minimum age"}


def test_edit_hours_eligibility_and_coverage(eastmere):
    changes = mt.ServiceChanges(
        fields={"minimum_age": "16", "maximum_age": "", "eligibility_description": "Anyone 16 or over."},
        schedules=[{"byday": ["MO", "WE", "FR"], "opens_at": "9:30", "closes_at": "16:00", "notes": ""}],
        areas=["em1", "EM2 4", "Eastmere"])
    with session_scope() as session:
        version = mt.edit_service(session, ASC, changes, LEE)
    assert set(version.changed_fields) == {"minimum_age", "eligibility_description", "schedules", "areas"}
    after = current(ASC)
    assert after["minimum_age"] == 16 and after["maximum_age"] is None
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in after["schedules"]] == [
        ("MO,WE,FR", "09:30:00", "16:00:00")]
    assert sorted(after["areas"]) == ["local_authority:Eastmere", "postcode_district:EM1", "postcode_sector:EM2 4"]
    with session_scope() as session:  # coverage is what the bot searches by
        em3 = search.services_for_role(session, "role.council-adult-social-care", parse("EM3"), limit=10)
        assert ASC in {s.id for s in em3}  # still covered by "All of Eastmere"


def test_stale_form_is_refused(eastmere):
    version = current(ASC)["version"]
    with session_scope() as session:
        mt.edit_service(session, ASC, mt.ServiceChanges(fields={"alert": "Phones down on Friday"}), LEE,
                        expected_version=version)
    with session_scope() as session, pytest.raises(mt.Conflict):
        mt.edit_service(session, ASC, mt.ServiceChanges(fields={"alert": ""}), LEE, expected_version=version)
    assert current(ASC)["alert"] == "Phones down on Friday"


def test_history_keeps_full_snapshots_and_shows_the_last_20(eastmere):
    for n in range(22):
        with session_scope() as session:
            mt.edit_service(session, ASC, mt.ServiceChanges(fields={"alert": f"Notice {n}"}), LEE)
    with session_scope() as session:
        versions = mt.history(session, ASC)
        assert len(versions) == 20
        assert [v.number for v in versions] == list(range(23, 3, -1))  # 1 = before the first edit
        first = session.execute(select(ServiceVersion).where(ServiceVersion.service_id == ASC,
                                                             ServiceVersion.number == 1)).scalar_one()
        assert first.action == mt.BASELINE and first.snapshot["alert"] is None
        assert versions[0].snapshot["phones"] and versions[0].snapshot["alert"] == "Notice 21"
        table = mt.history_table(versions[:3])
    alert = next(row for row in table if row["field"] == "Alert")
    assert [c["text"] for c in alert["cells"]] == ["Notice 19", "Notice 20", "Notice 21"]
    assert [c["changed"] for c in alert["cells"]] == [False, True, True]
    assert not next(row for row in table if row["field"] == "Phone numbers")["changed"]


def test_mark_verified_sets_assured_date_and_assurer(eastmere):
    with session_scope() as session:
        version = mt.mark_verified(session, ASC, LEE, today=dt.date(2026, 11, 26))
        assert version.action == mt.VERIFIED and version.changed_fields == ["assured_date", "assurer_email"]
    after = current(ASC)
    assert after["assured_date"] == "2026-11-26" and after["assurer_email"] == "lee.chen@eastmere.example"


# --- freshness and use -------------------------------------------------------------------------

def test_freshness_buckets_and_oldest_high_use_first(eastmere):
    today = dt.date(2026, 11, 26)
    with session_scope() as session:
        ids = list(session.execute(select(d.Service.id).where(d.Service.status != "defunct")
                                   .order_by(d.Service.id)).scalars())
        dates = {ids[0]: None, ids[1]: dt.date(2025, 1, 1), ids[2]: dt.date(2026, 3, 1), ids[3]: dt.date(2026, 10, 1),
                 ids[4]: dt.date(2024, 1, 1)}
        for sid, assured in dates.items():
            session.get(d.Service, sid).assured_date = assured
        mt.record_offered(session, [ids[1], ids[4]])
        mt.record_offered(session, [ids[1]])
    with session_scope() as session:
        fresh = mt.freshness(session, today=today)
    assert sum(fresh.counts.values()) == fresh.total
    assert fresh.counts[mt.NEVER] >= 1 and fresh.counts[mt.STALE] >= 2 and fresh.counts[mt.AGEING] >= 1
    top = [r.id for r in fresh.oldest_high_use]
    assert top[:2] == [ids[1], ids[4]]  # offered most, then oldest
    assert ids[3] not in top  # verified last month: not in the backlog
    assert fresh.oldest_high_use[0].times_offered == 2
    svg = mt.bar_chart_svg(fresh.counts)
    assert svg.startswith("<svg") and f'data-count="{fresh.counts[mt.NEVER]}"' in svg and "<title" in svg


def test_bucket_edges():
    today = dt.date(2026, 8, 31)
    assert mt.months_before(today, 6) == dt.date(2026, 2, 28)
    assert mt.bucket(dt.date(2026, 3, 1), today) == mt.FRESH
    assert mt.bucket(dt.date(2026, 2, 28), today) == mt.AGEING
    assert mt.bucket(dt.date(2025, 8, 31), today) == mt.STALE
    assert mt.bucket(None, today) == mt.NEVER


def test_record_offered_counts_each_service_once_per_answer(db):
    with session_scope() as session:
        mt.record_offered(session, ["a", "b", "a", ""])
    with session_scope() as session:
        mt.record_offered(session, ["a"])
    with session_scope() as session:
        counts = dict(session.execute(select(ServiceUsage.service_id, ServiceUsage.times_offered)).all())
    assert counts == {"a": 2, "b": 1}


def test_the_bot_counts_what_it_offers(eastmere):
    from bot.dialogue import directory_talk
    from bot.dialogue.conversation import Conversation
    from bot.dialogue.turn import Turn

    with session_scope() as session:
        turn = Turn(sender_key="web-test-usage", channel="web", text="who can help with a wheelchair for my dad in EM3",
                    intent="ask_responsibility")
        reply = " ".join(directory_talk.answer(session, turn, None, Conversation()))
    with session_scope() as session:
        used = session.execute(select(ServiceUsage)).scalars().all()
    assert used and all(u.times_offered == 1 for u in used)
    with session_scope() as session:
        names = {session.get(d.Service, u.service_id).name for u in used}
    assert any(name.split(" (")[0] in reply for name in names)


# --- rules view ------------------------------------------------------------------------------

def test_rules_overview_shows_each_roles_local_service_and_gaps(eastmere):
    with session_scope() as session:
        overview = mt.rules_overview(session)
    by_code = {r.code: r for r in overview}
    assert by_code, "the rule book has roles"
    asc = by_code["role.council-adult-social-care"]
    assert asc.rules and all(asc.by_district[f"EM{n}"] for n in range(1, 7)) and not asc.gaps
    with session_scope() as session:  # take a role's local services away: its districts become gaps
        for service in session.execute(select(d.Service)).scalars():
            if service.id == ASC or service.name.startswith("Carers' Assessments"):
                service.status = "inactive"
    with session_scope() as session:
        after = {r.code: r for r in mt.rules_overview(session)}
    assert len(after["role.council-adult-social-care"].gaps) >= len(asc.gaps)


def test_parse_area():
    assert mt.parse_area("em1") == "postcode_district:EM1"
    assert mt.parse_area("EM1 2") == "postcode_sector:EM1 2"
    assert mt.parse_area("eastmere") == "local_authority:Eastmere"
    assert mt.parse_area("England") == "country:England"
    assert mt.parse_area("postcode_district:em4") == "postcode_district:EM4"
    assert mt.parse_area("Narnia") is None
