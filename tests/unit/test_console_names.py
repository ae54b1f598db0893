"""Professional names everywhere in the console: "Margaret Hall (carer's mother), 84", never the
carer's own possessive words as a title or label."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import demo, service
from bot.handoff import staff_models as sm
from bot.phone import phone_hash
from bot.records import service as records
from bot.records.audit import Actor
from tests.unit.console_harness import Browser, ConsoleServer
from tests.unit.handoff_fixtures import CARER_PHONE, load_staff, sms_turn

MONDAY_10PM = datetime(2025, 3, 3, 22, 0, tzinfo=timezone.utc)
# The carer's side of a relationship: "your mum", "my dad", "Mum's", and a bare term as a title.
POSSESSIVE = re.compile(r"\b(your|my|our|his|her)\s+(mum|mom|dad|mother|father|nan|gran|grandad|wife|husband|"
                        r"son|daughter|brother|sister|partner)\b", re.I)
QUOTED = re.compile(r'<q\b.*?</q>|<(span|div) class="[^"]*console-said[^"]*">.*?</\1>', re.S)
TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


@pytest.fixture(scope="module")
def console():
    server = ConsoleServer().start()
    yield server
    server.stop()


def family() -> tuple[str, str]:
    with session_scope() as session:
        carer = records.start_family(session, phone_hash(CARER_PHONE), CARER_PHONE, "sms", 'replied "yes"')
        actor = Actor("carer", carer.id, "sms")
        mum = records.add_cared_for(session, carer.family_id, actor, "mother", "Margaret Hall")
        records.add_fact(session, carer.family_id, mum.id, actor, "personal", "personal:age", "84", {"years": 84})
        dad = records.add_cared_for(session, carer.family_id, actor, "father", None)
        records.add_fact(session, carer.family_id, dad.id, actor, "condition", "condition:copd", "COPD")
        records.add_fact(session, carer.family_id, dad.id, actor, "address", "address:postcode", "EM3 1AB")
        turn = sms_turn("my dad has fallen and my mum can't lift him", intent="risk")
        me = records.member_by_phone_hash(session, turn.phone_hash)
        handoff = service.open_handoff(
            session, sender_key=turn.sender_key, channel="sms", phone_e164=CARER_PHONE, me=me,
            trigger=sm.RISK, urgency=sm.URGENT, latest=turn.text, asked_for="Call the carer",
            exchange=[("carer", "my dad gets breathless"), ("assistant", "I've noted that your dad has COPD.")],
            now=MONDAY_10PM).handoff
        return carer.family_id, handoff.id


def visible(html: str) -> str:
    """The page without what the carer and the assistant said, which is quoted verbatim."""
    return QUOTED.sub("", html)


def test_no_console_page_uses_the_carers_possessive_wording(db, console):
    load_staff()
    family_id, handoff_id = family()
    with session_scope() as session:
        helen = session.execute(select(sm.Professional).where(sm.Professional.username == "helen.price")).scalar_one()
        assert staff_lead(session, family_id) == helen.id
    pages = {"helen.price": ["/inbox", "/caseload", f"/handoffs/{handoff_id}", f"/families/{family_id}"],
             "sam.okafor": ["/inbox", f"/handoffs/{handoff_id}", f"/families/{family_id}"],
             "admin": ["/admin/families", "/admin/staff"]}
    for username, paths in pages.items():
        browser = Browser(console.url)
        assert browser.login(username, demo.DEMO_PASSWORD).status_code == 302
        for path in paths:
            page = browser.get(path)
            assert page.status_code == 200, (username, path)
            found = POSSESSIVE.search(visible(page.text))
            assert found is None, (username, path, found and found.group(0))
            title = TITLE.search(page.text).group(1).strip().lower()
            assert title not in ("mother", "father", "mum", "dad"), (username, path)
        if username == "helen.price":
            record = browser.get(f"/families/{family_id}").text
            assert "Margaret Hall (carer&#39;s mother), 84" in record
            assert "Name not given (carer&#39;s father)" in record
            packet = browser.get(f"/handoffs/{handoff_id}").text
            assert "Margaret Hall (carer&#39;s mother), 84" in packet
            # What was said is still there, word for word, as a quotation.
            assert "my dad has fallen" in packet and "your dad has COPD" in packet


def staff_lead(session, family_id: str):
    from bot.handoff import staff
    lead = staff.current_lead(session, family_id)
    return lead.id if lead else None
