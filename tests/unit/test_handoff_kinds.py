"""Leads who fit: kinds of need on professionals and families, assignment by kind + patch +
caseload, the duty team covering every kind, reassignment offered when needs change, and
working days that skip England and Wales bank holidays."""
from __future__ import annotations

from datetime import datetime, timezone

import yaml
from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import demo, kinds, staff
from bot.handoff import staff_models as sm
from bot.phone import phone_hash
from bot.records import service as records
from bot.records.audit import Actor
from bot.timeutil import UK
from tests.unit.handoff_fixtures import load_staff, professional

PHONE = "+447700900777"


def family(relation: str, age_years=None, postcode: str = "EM1 2AB", condition: str | None = None,
           age_detail: dict | None = None) -> tuple[str, str, str]:
    with session_scope() as session:
        carer = records.start_family(session, phone_hash(PHONE), PHONE, "sms", 'replied "yes"')
        actor = Actor("carer", carer.id, "sms")
        person = records.add_cared_for(session, carer.family_id, actor, relation, None)
        if age_years is not None or age_detail:
            detail = age_detail or {"years": age_years}
            records.add_fact(session, carer.family_id, person.id, actor, "personal", "personal:age",
                             str(age_years), detail)
        if condition:
            records.add_fact(session, carer.family_id, person.id, actor, "condition", f"condition:{condition}",
                             condition)
        records.add_fact(session, carer.family_id, person.id, actor, "address", "address:postcode", postcode)
        return carer.family_id, carer.id, person.id


def assign(family_id: str, postcode: str = "EM1 2AB"):
    with session_scope() as session:
        district, sector = staff.family_district(session, family_id)
        lead = staff.assign_lead(session, family_id, district, sector)
        return lead.username if lead else None


def needs(family_id: str) -> list[str]:
    with session_scope() as session:
        return staff.family_needs(session, family_id)


def test_a_familys_kinds_come_from_ages_relationships_and_conditions(db):
    load_staff()
    assert needs(family("father", 82, condition="COPD")[0]) == ["adults"]
    cases = [("son", 17, None, ["children_families"]), ("daughter", 18, None, ["adults"]),
             ("baby", None, None, ["maternity_early_years"]),
             ("mother", 70, "depression", ["adults", "mental_health"]),
             ("husband", None, "terminal cancer", ["adults", "end_of_life"])]
    for index, (relation, age, condition, expected) in enumerate(cases):
        phone = f"+44770090080{index}"
        with session_scope() as session:
            carer = records.start_family(session, phone_hash(phone), phone, "sms", "yes")
            actor = Actor("carer", carer.id, "sms")
            person = records.add_cared_for(session, carer.family_id, actor, relation, None)
            if age is not None:
                records.add_fact(session, carer.family_id, person.id, actor, "personal", "personal:age",
                                 str(age), {"years": age})
            if condition:
                records.add_fact(session, carer.family_id, person.id, actor, "condition", "condition:x", condition)
            family_id = carer.family_id
        assert needs(family_id) == expected, relation


def test_an_adult_family_never_gets_a_childrens_worker_unless_a_manager_chooses(db):
    load_staff()  # EM1: Priya (adults) and Tom (children and families, Family Hubs)
    family_id, _, _ = family("father", 82, condition="COPD")
    with session_scope() as session:
        priya = session.execute(select(sm.Professional).where(sm.Professional.username == "priya.shah")).scalar_one()
        priya.caseload_cap = 0  # Priya is full; Tom has all the room
    assert assign(family_id) is None  # the duty team holds it, not Tom
    with session_scope() as session:
        staff.reassign(session, family_id, professional("tom.adeyemi").id, "manager's choice: knows the family",
                       Actor("professional", professional("admin").id, "console"))
        assert staff.current_lead(session, family_id).username == "tom.adeyemi"


def test_assignment_prefers_the_lead_who_takes_the_familys_kind(db):
    load_staff()
    family_id, _, _ = family("son", 9)
    assert assign(family_id) == "tom.adeyemi"
    with session_scope() as session:
        assert "children and families" in staff.current_assignment(session, family_id).reason


def test_the_duty_team_covers_every_kind():
    data = yaml.safe_load(demo.DEMO_FILE.read_text())
    duty = [data["duty_team"]] + [p for p in data["professionals"] if p["role"] == sm.DUTY]
    workers = [p for p in data["professionals"] if p["role"] == sm.DUTY]
    assert set(data["duty_team"]["kinds"]) == set(kinds.all_kinds())
    assert set().union(*(set(p["kinds"]) for p in workers)) == set(kinds.all_kinds())
    for person in data["professionals"] + duty:
        assert set(person.get("kinds", [])) <= set(kinds.all_kinds()), person["username"]


def test_reassignment_between_kinds_is_offered_when_a_child_turns_18_or_a_baby_arrives(db):
    load_staff()
    family_id, carer_id, son_id = family("son", 17)
    assert assign(family_id) == "tom.adeyemi"
    with session_scope() as session:
        assert staff.needs_review(session, family_id) is None
        records.add_fact(session, family_id, son_id, Actor("carer", carer_id, "sms"), "personal", "personal:age",
                         "18", {"years": 18})
    with session_scope() as session:
        review = staff.needs_review(session, family_id)
        assert review.missing == ["adults"] and [p.username for p in review.suggestions] == ["priya.shah"]
        staff.reassign(session, family_id, review.suggestions[0].id, "turned 18",
                       Actor("professional", review.lead.id, "console"))
    with session_scope() as session:
        assert staff.needs_review(session, family_id) is None
        baby = records.add_cared_for(session, family_id, Actor("carer", carer_id, "sms"), "baby", None)
        assert baby is not None
    with session_scope() as session:
        review = staff.needs_review(session, family_id)
        assert review.missing == ["maternity_early_years"]
        assert [p.username for p in review.suggestions] == ["tom.adeyemi"]


def test_a_working_day_skips_england_and_wales_bank_holidays():
    thursday_before_easter = datetime(2025, 4, 17, 15, 0, tzinfo=UK)
    due = staff.add_working_day(thursday_before_easter).astimezone(UK)
    assert (due.date().isoformat(), due.hour) == ("2025-04-22", 15)  # Good Friday, Easter Monday skipped
    christmas_eve = datetime(2026, 12, 24, 12, 0, tzinfo=UK)
    due = staff.add_working_day(christmas_eve).astimezone(UK)
    assert due.date().isoformat() == "2026-12-29"  # 25th, 26th (Sat), 28th (Boxing Day observed)
    assert staff.is_working(professional_stub(), datetime(2025, 12, 25, 11, 0, tzinfo=timezone.utc)) is False


def professional_stub() -> sm.Professional:
    return sm.Professional(role=sm.LEAD, working_hours=dict(sm.DEFAULT_HOURS))


def test_the_family_page_offers_a_reassignment_when_needs_change(db):
    from tests.unit.console_harness import Browser, ConsoleServer
    load_staff()
    family_id, carer_id, son_id = family("son", 17)
    assert assign(family_id) == "tom.adeyemi"
    with session_scope() as session:
        records.add_fact(session, family_id, son_id, Actor("carer", carer_id, "sms"), "personal", "personal:age",
                         "18", {"years": 18})
    server = ConsoleServer().start()
    try:
        tom = Browser(server.url)
        tom.login("tom.adeyemi", demo.DEMO_PASSWORD)
        page = tom.get(f"/families/{family_id}").text
        assert 'data-testid="needs-review"' in page and "Priya Shah" in page and "adults" in page
        assert '<option value="" selected>Choose a lead professional</option>' in page
    finally:
        server.stop()
