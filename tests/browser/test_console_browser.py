"""Browser test: a handoff made over SMS is accepted and answered in the console (headless
Chromium via playwright-core), and the reply reaches the carer's SMS outbox."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from bot.dialogue import handoff_talk
from bot.dialogue.conversation import Conversation
from bot.handoff import demo, outbox
from bot.records import service as records
from bot.settings import ROOT
from tests.browser.support import CHROMIUM, require_browser
from tests.unit.handoff_fixtures import CARER_PHONE, family_with_story, load_staff, sms_turn

SCRIPT = Path(__file__).with_name("console_handoff.mjs")


require_browser()


def test_log_in_accept_a_handoff_reply_and_the_reply_reaches_the_carers_sms_outbox(db, console, tmp_path):
    load_staff()
    family_with_story(postcode="EM3 1AB")
    turn = sms_turn("can I speak to a real person please",
                    previous=["I look after my dad, he has had a stroke, we live at EM3 1AB"])
    [told] = records.write_with_retry(lambda session: handoff_talk.request_person(
        session, turn, records.member_by_phone_hash(session, turn.phone_hash), Conversation()))
    assert "Helen Price" in told
    reply = "Hello, this is Helen. I will ring you at 3pm about your dad."
    run = subprocess.run(
        ["node", str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "CONSOLE_URL": console.url, "CONSOLE_USERNAME": "helen.price",
             "CONSOLE_PASSWORD": demo.DEMO_PASSWORD, "REPLY_TEXT": reply,
             "USER_DATA_DIR": str(tmp_path / "chromium-profile"), "CHROMIUM_PATH": CHROMIUM})
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["steps"] == ["signed in", "accepted", "replied"]
    assert result["jsEnabled"] is True  # GOV.UK Frontend's JavaScript loaded from /assets
    assert "stroke" in result["packet"] and "warfarin 3mg" in result["packet"]
    assert result["status"] == "accepted"
    assert reply in result["thread"]
    serious = [v for v in result["axe"] if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    sms = [m for m in outbox.recent_for(CARER_PHONE) if m.purpose == "handoff_reply"]
    assert [m.body for m in sms] == [f"Helen (Social worker): {reply}"]
