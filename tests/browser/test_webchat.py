"""Browser test: the web chat at /chat on the real stack (Rasa + action server), in headless
Chromium via playwright-core. A carer asks about services, links the chat to their family with
the code texted to their phone, sees the record, and keeps the session across a reload; axe-core
finds no serious or critical accessibility problems. Saves docs/webchat.png for the README."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import db as dbmod
from bot.migrate import upgrade
from bot.settings import ROOT
from tests.browser.support import CHROMIUM, require_browser
from tests.e2e.stack import MODEL, Stack

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).with_name("webchat.mjs")
# docs/webchat.png is rewritten only when `make docs` asks (ONESTORY_SCREENSHOTS=1); a normal
# test run writes its screenshot to a temporary folder so it never changes tracked files.
DOCS_SCREENSHOT = ROOT / "docs" / "webchat.png"


require_browser()


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail("no trained model at models/onestory.tar.gz: run `make model` first (make test does)")
    var_dir = tmp_path_factory.mktemp("webchat")
    url = f"sqlite:///{var_dir / 'onestory.db'}"
    upgrade(url)
    running = Stack(database_url=url, var_dir=var_dir)
    running.start()
    yield running
    running.stop()
    dbmod.configure("sqlite://")


def test_chat_page_and_static_files_are_served_by_rasa(stack: Stack):
    with urllib.request.urlopen(stack.base_url + "/chat", timeout=10) as page:
        html = page.read().decode()
        assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert '<html lang="en-GB">' in html and 'class="os-skip"' in html
    for name in ("chat.js", "chat.css", "embed.js", "socket.io.min.js"):
        with urllib.request.urlopen(f"{stack.base_url}/chat/static/{name}", timeout=10) as response:
            assert response.status == 200 and response.read()
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{stack.base_url}/chat/static/..%2Fwebchat.py", timeout=10)
    assert missing.value.code == 404


def test_carer_asks_links_by_code_sees_record_and_keeps_session(stack: Stack, tmp_path):
    phone = "+447700" + "".join(random.choice("0123456789") for _ in range(6))
    national = "0" + phone[3:]
    # The family exists already: started by text, with a fact about dad.
    assert stack.sms(phone, "hi")[0] == 200
    stack.sms(phone, "yes")
    _, replies, _ = stack.sms(phone, "my dad Harold has Parkinson's and lives at EM3 4QT")
    assert "parkinson" in " ".join(replies).lower()
    stack.sms(phone, "he takes co-careldopa 25/100 three times a day")

    screenshot = DOCS_SCREENSHOT if os.environ.get("ONESTORY_SCREENSHOTS") == "1" else tmp_path / "webchat.png"
    env = {**stack.env(), "CHAT_URL": stack.base_url + "/chat", "PHONE": national,
           "CODE_COMMAND": json.dumps([sys.executable, "-m", "tests.browser.webchat_code", phone]),
           "USER_DATA_DIR": str(tmp_path / "chromium-profile"), "SCREENSHOT": str(screenshot),
           "CHROMIUM_PATH": CHROMIUM}
    run = subprocess.run(["node", str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:] + "\n" + stack.tail("actions")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    replies = {key: value.lower() for key, value in result["replies"].items()}

    assert result["steps"] == ["opened", "asked", "linked", "record", "reloaded", "checked"]
    assert result["lang"] == "en-GB"
    assert "os-skip" in result["firstFocus"] and result["afterSkip"] == "onestory-input"
    assert "carer" in replies["services"] and "assessment" in replies["services"]
    assert "parkinson" not in replies["beforeLink"] and "number" in replies["beforeLink"]
    assert "if that number is linked to a family record" in replies["phone"]
    assert len(result["code"]) == 6 and result["code"].isdigit()
    assert "linked" in replies["linked"] and "parkinson" in replies["linked"]
    assert "parkinson" in replies["record"]
    assert result["sessionAfter"] == result["sessionBefore"] and len(result["sessionBefore"]) >= 32
    assert result["historyAfterReload"] >= 10  # the visible conversation came back
    assert "co-careldopa" in replies["afterReload"]  # still linked after the reload
    assert result["markupInLog"] == 0
    assert result["overflow320"] <= 0 and result["overflow320at200"] <= 0
    for found in (result["axe"], result["axeSmall"]):
        serious = [v for v in found if v["impact"] in ("serious", "critical")]
        assert serious == [], serious
    assert screenshot.exists() and screenshot.stat().st_size > 10_000
