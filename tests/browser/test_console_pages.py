"""Browser test: every main console page at 375 px (a phone) and 1280 px, with no horizontal
scroll and no axe-core WCAG 2 A/AA violations; and the duty worker's urgent shift at both widths
(open, see and tap the carer's number, read both sides and About Me, accept). Screenshots go to
docs/ only when `make docs` sets ONESTORY_SCREENSHOTS=1."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from sqlalchemy import select

from bot.db import session_scope
from bot.dialogue import handoff_talk
from bot.handoff import demo
from bot.handoff import staff_models as sm
from bot.records import service as records
from bot.records.audit import Actor
from bot.settings import ROOT
from tests.browser.support import CHROMIUM, require_browser
from tests.unit.handoff_fixtures import family_with_story, sms_turn

SCRIPT = Path(__file__).with_name("console_pages.mjs")
PHONES = {375: "+447700900561", 1280: "+447700900562"}
ANSWER = "Eastmere Community Equipment Service lends commodes and bath seats."

require_browser()


def urgent_family(phone: str) -> tuple[str, str]:
    """A family in EM3 with About Me and own words, and an urgent handoff held by the duty team."""
    family_id, carer_id = family_with_story(phone=phone, postcode="EM3 1AB")
    with session_scope() as session:
        arthur = records.cared_for(session, family_id)[0]
        actor = Actor("carer", carer_id, "sms")
        records.add_fact(session, family_id, arthur.id, actor, "preference", "preference:important:garden",
                         "his garden is important to him")
        records.add_fact(session, family_id, arthur.id, actor, "communication", "communication:hearing",
                         "hard of hearing: speak slowly, face him")
    turn = sms_turn("he has collapsed and is not breathing properly", intent="urgent_risk", phone=phone)
    turn.previous_exchange = [("carer", "who can lend us a commode?"), ("assistant", ANSWER)]
    replies = handoff_talk.urgent(turn, None)
    with session_scope() as session:
        handoff = session.execute(select(sm.Handoff).where(sm.Handoff.family_id == family_id)).scalar_one()
        return family_id, handoff.id, replies[0]


def test_console_pages_at_phone_and_desk_widths_and_the_duty_workers_urgent_shift(db, console, tmp_path):
    demo.load()
    with session_scope() as session:  # Helen is on leave: urgent work goes to the duty team
        helen = session.execute(select(sm.Professional).where(sm.Professional.username == "helen.price")).scalar_one()
        helen.on_leave = True
    family_id, first, routes = urgent_family(PHONES[375])
    _, second, _ = urgent_family(PHONES[1280])
    with session_scope() as session:
        lead = session.execute(select(sm.Professional).join(
            sm.Assignment, sm.Assignment.professional_id == sm.Professional.id).where(
            sm.Assignment.family_id == family_id)).scalars().first()
    pages = [{"user": "", "path": "/login", "name": "login"},
             {"user": "sam.okafor", "path": "/inbox", "name": "duty-inbox"},
             {"user": "sam.okafor", "path": f"/handoffs/{first}", "name": "urgent-packet"},
             {"user": "sam.okafor", "path": f"/families/{family_id}", "name": "family-record"},
             {"user": lead.username, "path": "/caseload", "name": "caseload"},
             {"user": "admin", "path": "/admin/families", "name": "admin-families"},
             {"user": "admin", "path": "/admin/staff", "name": "admin-staff"},
             {"user": "lee.chen", "path": "/directory", "name": "directory-dashboard"},
             {"user": "lee.chen", "path": "/directory/services", "name": "directory-services"},
             {"user": "lee.chen", "path": "/directory/reports", "name": "directory-reports"},
             {"user": "lee.chen", "path": "/directory/import", "name": "directory-import"},
             {"user": "lee.chen", "path": "/directory/rules", "name": "directory-rules"}]
    shots = ROOT / "docs" if os.environ.get("ONESTORY_SCREENSHOTS") == "1" else tmp_path
    run = subprocess.run(
        ["node", str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "CONSOLE_URL": console.url, "PASSWORD": demo.DEMO_PASSWORD,
             "PAGES": json.dumps(pages), "HANDOFFS": json.dumps({"375": first, "1280": second}),
             "DUTY_USER": "sam.okafor", "USER_DATA_DIR": str(tmp_path / "chromium-profile"),
             "SCREENSHOT_DIR": str(shots), "CHROMIUM_PATH": CHROMIUM})
    (tmp_path / "result.json").write_text(run.stdout)
    result = json.loads(run.stdout.strip().splitlines()[-1]) if run.stdout.strip() else {}
    summary = [(p["name"], p["width"], p["status"], p["overflow"], p["axe"]) for p in result.get("pages", [])]
    assert run.returncode == 0, (result.get("error"), result.get("url"), summary, run.stderr[-2000:])

    checked = {(p["name"], p["width"]) for p in result["pages"]}
    assert checked == {(p["name"], w) for p in pages for w in (375, 1280)}
    for page in result["pages"]:
        where = (page["name"], page["width"])
        assert page["status"] == 200, where
        assert page["overflow"] <= 0, (where, page["overflow"])
        assert page["axe"] == [], (where, page["axe"])

    for width in ("375", "1280"):
        shift = result["shift"][width]
        assert shift["steps"] == ["opened", "tapped", "accepted"], width
        assert shift["phoneVisible"] and shift["phoneHref"].startswith("tel:+4477009005"), width
        assert shift["phoneInFirstScreen"] and shift["phoneBox"]["height"] >= 44, (width, shift["phoneBox"])
        assert shift["phoneBox"]["right"] <= int(width), (width, shift["phoneBox"])
        assert shift["dialled"] == shift["phoneHref"] and "/handoffs/" in shift["urlAfterTap"]
        assert "Assistant" in shift["thread"] and ANSWER in shift["thread"]  # both sides
        assert "who can lend us a commode?" in shift["thread"]
        assert routes.splitlines()[0][:40] in shift["thread"]  # the emergency routes it gave
        assert "his garden is important to him" in shift["aboutMe"]
        assert "hard of hearing" in shift["aboutMe"]
        assert shift["overflow"] <= 0 and shift["axe"] == [], (width, shift["axe"])
        assert shift["status"] == "accepted", width
