"""Privacy in Rasa's own stores, against the real servers: the HTTP API needs the token, and the
sender id Rasa keeps for an SMS is a pseudonym, never the number."""
from __future__ import annotations

import json
import random
import urllib.error
import urllib.request

import pytest

from bot.phone import sender_id_for_phone
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("path", ["/conversations/x/tracker", "/status", "/domain"])
def test_rasa_http_api_refuses_requests_without_the_token(stack: Stack, path: str):
    assert _get(stack.base_url + path) in (401, 403)
    assert _get(stack.base_url + path + "?token=wrong-token") in (401, 403)


def test_sms_sender_id_in_the_tracker_is_a_pseudonym(stack: Stack, monkeypatch):
    monkeypatch.setenv("ONESTORY_SECRET_KEY", stack.env()["ONESTORY_SECRET_KEY"])  # hash as the servers do
    phone = "+447700" + "".join(random.choice("0123456789") for _ in range(6))
    stack.sms(phone, "hi")
    pseudonym = sender_id_for_phone(phone)
    assert phone[1:] not in pseudonym and phone[-9:] not in pseudonym
    url = f"{stack.base_url}/conversations/{pseudonym}/tracker?token=e2e-rasa-token"
    with urllib.request.urlopen(url, timeout=10) as response:
        tracker = json.loads(response.read())
    assert tracker["sender_id"] == pseudonym
    users = [e for e in tracker["events"] if e.get("event") == "user"]
    assert users and users[-1]["text"] == "hi"
    stored = json.dumps(tracker)
    assert phone not in stored and phone[-10:] not in stored  # the number only travels encrypted
