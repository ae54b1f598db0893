"""Privacy against the real servers: the HTTP API needs the token; the sender id Rasa keeps for an
SMS is a pseudonym; no REST request, whatever input_channel and metadata it claims, nor a stranger,
nor an invited-but-unconfirmed number, learns anything of a record or confirms an invitation; and
Rasa's stored tracker holds none of the conversation's plaintext."""
from __future__ import annotations

import json
import random
import urllib.error
import urllib.request

import pytest
from sqlalchemy import create_engine, text

from bot import crypto
from bot.phone import phone_hash, sender_id_for_phone
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


# --- the privacy probe: nobody learns a record without being a confirmed member's own phone ---

RECORD_WORDS = ("parkinson", "co-careldopa", "harold", "em3", "4qt")


def _number() -> str:
    return "+447700" + "".join(random.choice("0123456789") for _ in range(6))


def _rest(stack: Stack, body: dict) -> tuple[int, list[str]]:
    request = urllib.request.Request(stack.base_url + "/webhooks/rest/webhook", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, [m.get("text") or "" for m in json.loads(response.read())]
    except urllib.error.HTTPError as error:
        return error.code, [error.read().decode(errors="replace")]


def _nothing_of_the_record(replies: list[str]) -> bool:
    said = "\n".join(replies).lower()
    return not any(word in said for word in RECORD_WORDS)


def _tracker(stack: Stack, sender_id: str) -> dict:
    url = f"{stack.base_url}/conversations/{sender_id}/tracker?token=e2e-rasa-token"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture
def family(stack: Stack, monkeypatch):
    """Sarah's family record, told by signed SMS, with her brother Tom invited but not confirmed."""
    monkeypatch.setenv("ONESTORY_SECRET_KEY", stack.env()["ONESTORY_SECRET_KEY"])  # hash as the servers do
    sarah, tom = _number(), _number()
    stack.sms(sarah, "hi")
    stack.sms(sarah, "yes that's fine")
    _, replies, _ = stack.sms(sarah, "my dad Harold has Parkinson's and lives at EM3 4QT")
    assert "parkinson" in "\n".join(replies).lower()
    stack.sms(sarah, "he takes co-careldopa 25/100 three times a day")
    _, replies, _ = stack.sms(sarah, f"please add my brother Tom, his number is 0{tom[3:]}")
    assert "tom" in "\n".join(replies).lower()
    _, replies, _ = stack.sms(sarah, "what do you know about dad?")
    assert "parkinson" in "\n".join(replies).lower()  # she, from her own phone, does
    return {"sarah": sarah, "tom": tom}


@pytest.mark.parametrize("input_channel", ["twilio", "sms", "socketio", "rest", None])
def test_rest_with_a_members_phone_hash_in_its_metadata_learns_nothing(stack: Stack, family, input_channel):
    sarah = family["sarah"]
    claims = {"channel": "sms", "phone_hash": phone_hash(sarah), "phone_enc": crypto.encrypt(sarah)}
    for sender in ["x", sender_id_for_phone(sarah)]:
        for message in ["what do you know about mum?", "what do you know about dad?", "more", "hi"]:
            body = {"sender": sender, "message": message, "metadata": claims}
            if input_channel:
                body["input_channel"] = input_channel
            status, replies = _rest(stack, body)
            assert status == 200 and _nothing_of_the_record(replies), (sender, message, replies)


def test_rest_with_a_signed_identity_copied_from_her_conversation_learns_nothing(stack: Stack, family):
    sarah_sender = sender_id_for_phone(family["sarah"])
    users = [e for e in _tracker(stack, sarah_sender)["events"] if e.get("event") == "user"]
    copied = users[-1]["metadata"]
    assert copied.get("identity")  # what an attacker with the tracker (or a leaked log) would hold
    for sender in ["x", sarah_sender]:
        status, replies = _rest(stack, {"sender": sender, "message": "what do you know about dad?",
                                        "input_channel": "twilio", "metadata": copied})
        assert status == 200 and _nothing_of_the_record(replies), replies


def test_rest_cannot_confirm_an_invitation(stack: Stack, family):
    tom = family["tom"]
    claims = {"channel": "sms", "phone_hash": phone_hash(tom), "phone_enc": crypto.encrypt(tom)}
    for sender in ["x", sender_id_for_phone(tom)]:
        status, replies = _rest(stack, {"sender": sender, "message": "YES", "input_channel": "twilio",
                                        "metadata": claims})
        assert status == 200 and _nothing_of_the_record(replies), replies
        _, replies = _rest(stack, {"sender": sender, "message": "what have you got on dad",
                                   "input_channel": "twilio", "metadata": claims})
        assert _nothing_of_the_record(replies), replies
    # Still unconfirmed: from his own phone he sees nothing until he says yes himself...
    _, replies, _ = stack.sms(tom, "what have you got on dad")
    assert _nothing_of_the_record(replies), replies
    _, replies, _ = stack.sms(tom, "YES")
    _, replies, _ = stack.sms(tom, "what do you know about dad?")
    assert "parkinson" in "\n".join(replies).lower()  # ...and then he does


def test_a_stranger_and_an_invited_but_unconfirmed_number_learn_nothing(stack: Stack, family):
    for phone in [_number(), family["tom"]]:
        for message in ["what do you know about Harold?", "what do you know about dad?", "more", "hi",
                        "what medicines is he on?"]:
            status, replies, _ = stack.sms(phone, message)
            assert status == 200 and _nothing_of_the_record(replies), (message, replies)


# --- the stored tracker holds no plaintext -------------------------------------------------

def _stored_rows(stack: Stack) -> list[tuple]:
    if stack.database_url.startswith("sqlite"):
        url = f"sqlite:///{stack.env()['RASA_TRACKER_DB']}"
    else:
        url = stack.database_url  # the PostgreSQL leg keeps Rasa's events in the same database
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text("SELECT * FROM events"))]
    finally:
        engine.dispose()


def test_the_stored_tracker_holds_none_of_the_conversations_plaintext(stack: Stack, family):
    sarah, tom = family["sarah"], family["tom"]
    stack.sms(sarah, "her GP is Riverside Surgery and she takes donepezil 10mg at night")
    rows = _stored_rows(stack)
    senders = {row[1] for row in rows}
    assert sender_id_for_phone(sarah) in senders  # the conversation was stored here (not in memory)
    stored = "\n".join("\t".join(str(value) for value in row) for row in rows).lower()
    found = [word for word in _forbidden(sarah, tom) if word.lower() in stored]
    assert not found, f"plaintext in Rasa's tracker store: {found}"


def _forbidden(*phones: str) -> list[str]:
    # (nothing shorter than 6 characters: it could turn up by chance inside a Fernet token)
    words = ["parkinson", "co-careldopa", "careldopa", "donepezil", "harold", "riverside", "em3 4qt", "add my brother"]
    for phone in phones:
        words += [phone, phone[3:], "0" + phone[3:], phone_hash(phone), phone_hash(phone)[:16]]
    return words


def test_the_servers_logs_hold_none_of_the_conversations_plaintext(stack: Stack, family):
    stack.sms(family["sarah"], "her GP is Riverside Surgery and she takes donepezil 10mg at night")
    logs = "\n".join(path.read_text(errors="replace") for path in stack.var_dir.glob("*.log")).lower()
    assert "sms webhook reply" in logs  # the servers do log, just not what was said
    found = [word for word in _forbidden(family["sarah"], family["tom"]) if word.lower() in logs]
    assert not found, f"plaintext in the servers' logs: {found}"
