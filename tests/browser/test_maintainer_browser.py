"""Browser test: a directory maintainer signs in, fixes a service's phone number in headless Chromium
(playwright-core, Debian's chromium), and the bot's very next answer gives the new number. Saves
docs/dashboard.png and docs/edit.png for the README."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from bot.db import session_scope
from bot.dialogue import directory_talk
from bot.dialogue.turn import Turn
from bot.directory import models as d
from bot.directory.importer import import_feed
from bot.handoff import demo
from bot.settings import ROOT
from tests.browser.support import CHROMIUM, require_browser
from tests.unit.handoff_fixtures import load_staff

SCRIPT = Path(__file__).with_name("maintainer_edit.mjs")
EASTMERE = ROOT / "data" / "directory" / "eastmere"
QUESTION = "who does a carer's assessment in EM3"
NEW_NUMBER = "01632 960999"


require_browser()


def ask(sender: str) -> tuple[str, list[str]]:
    """The bot's answer to the question, and the ids of the services it offered."""
    from bot.dialogue.conversation import Conversation

    conv = Conversation()
    with session_scope() as session:
        text = " ".join(directory_talk.answer(session, Turn(sender_key=sender, channel="web", text=QUESTION,
                                                            intent="ask_responsibility"), None, conv))
    return text, list(getattr(conv.pending, "service_ids", ()))


def test_maintainer_fixes_a_number_and_the_bots_next_answer_uses_it(db, console, tmp_path):
    assert import_feed(EASTMERE).written
    load_staff()
    before, offered = ask("web-browser-test-1")
    service_id = offered[0]
    with session_scope() as session:
        service = session.get(d.Service, service_id)
        name = service.name
        old = [p.number for p in service.phones][0]
    assert old in before and NEW_NUMBER not in before
    shots = ROOT / "docs" if os.environ.get("ONESTORY_SCREENSHOTS") == "1" else tmp_path
    run = subprocess.run(
        ["node", str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "CONSOLE_URL": console.url, "CONSOLE_USERNAME": "lee.chen",
             "CONSOLE_PASSWORD": demo.DEMO_PASSWORD, "SERVICE_ID": service_id, "SERVICE_NAME": name,
             "NEW_NUMBER": NEW_NUMBER, "USER_DATA_DIR": str(tmp_path / "chromium-profile"),
             "SCREENSHOT_DIR": str(shots), "CHROMIUM_PATH": CHROMIUM})
    assert run.returncode == 0, run.stdout + run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["steps"] == ["signed in", "found", "refused", "saved"]
    assert result["bars"] == 4 and result["oldNumber"] == old
    assert "There is a problem" in result["error"] and "UK phone number" in result["error"]
    assert result["inlineError"] is True
    assert "saved" in result["done"] and result["savedNumber"] == NEW_NUMBER
    after, _ = ask("web-browser-test-2")
    assert NEW_NUMBER in after and old not in after.split("Also:")[0]
    assert (shots / "dashboard.png").stat().st_size > 10_000 and (shots / "edit.png").stat().st_size > 10_000
