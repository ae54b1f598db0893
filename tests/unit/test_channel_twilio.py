"""The Twilio SMS channel over a real Sanic app, in process, with a scripted bot instead of Rasa.

Requests go through Sanic's ASGI interface (sanic-testing is not installed), signed exactly as
Twilio signs them; the channel is mounted with Rasa's own `register`, as `rasa run` does.
"""
from __future__ import annotations

import asyncio
import logging
import threading
import uuid
import xml.etree.ElementTree as ET
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.core.channels.channel import register
from sanic import Sanic
from twilio.request_validator import RequestValidator

from bot import db as dbmod
from bot.channels import idempotency, identity
from bot.channels import sms_keywords as kw
from bot.channels.twilio_sms import TwilioSmsInput
from bot.dialogue.turn import HANDLED
from bot.handoff import outbox
from bot.phone import phone_hash

TOKEN = "test-auth-token"
BASE = "http://localhost:5005"
PATH = "/webhooks/twilio/webhook"
STATUS_PATH = "/webhooks/twilio/status"
PHONE = "+447700900123"
OTHER_PHONE = "+447700900456"


class ScriptedBot:
    """Stands in for Rasa's agent: records each message and utters scripted replies, then the
    mark every dialogue action sends. `down=True`: Rasa swallowed a failed action (no mark)."""

    def __init__(self, replies=("Hello, I'm here to help.",), delay: float = 0.0, fail: bool = False,
                 down: bool = False):
        self.replies = replies
        self.delay = delay
        self.fail = fail
        self.down = down
        self.messages = []

    async def handle_message(self, message) -> None:
        self.messages.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("bot exploded")
        if self.down:
            return
        replies = self.replies(message.text) if callable(self.replies) else self.replies
        for reply in replies:
            await message.output_channel.send_text_message(message.sender_id, reply)
        await message.output_channel.send_custom_json(message.sender_id, dict(HANDLED))

    @property
    def calls(self) -> int:
        return len(self.messages)


class Response(SimpleNamespace):
    @property
    def messages(self) -> list[str]:
        root = ET.fromstring(self.body)
        assert root.tag == "Response"
        return [m.text or "" for m in root.iter("Message")]


class SmsHarness:
    """A Sanic app with the channel mounted, driven over ASGI on a private event loop."""

    def __init__(self, channel: TwilioSmsInput, bot: ScriptedBot):
        self.channel, self.bot = channel, bot
        # Several apps start in one process: Sanic's test mode keeps its start-up rewriting
        # (TouchUp) from running twice over the same methods, as sanic-testing does.
        Sanic.test_mode = True
        self.app = Sanic(f"sms_test_{uuid.uuid4().hex}")
        self.app.config.MOTD = False
        self.app.ctx.agent = bot
        register([channel], self.app, route="/webhooks/")
        self.loop = asyncio.new_event_loop()
        self._lifespan_queue: asyncio.Queue = None
        self.loop.run_until_complete(self._start())

    async def _start(self) -> None:
        queue: asyncio.Queue = asyncio.Queue()
        started = asyncio.Event()
        await queue.put({"type": "lifespan.startup"})

        async def send(message):
            if message["type"].startswith("lifespan.startup"):
                started.set()

        self._lifespan = asyncio.ensure_future(self.app({"type": "lifespan", "asgi": {"version": "3.0"}},
                                                        queue.get, send))
        waiter = asyncio.ensure_future(started.wait())
        await asyncio.wait({waiter, self._lifespan}, return_when=asyncio.FIRST_COMPLETED)
        if not started.is_set():
            waiter.cancel()
            self._lifespan.result()  # raises what stopped the app from starting
            raise RuntimeError("Sanic app did not start")

    def close(self) -> None:
        self.loop.run_until_complete(self.channel.drain())
        self._lifespan.cancel()
        self.loop.run_until_complete(asyncio.gather(self._lifespan, return_exceptions=True))
        self.loop.run_until_complete(self.loop.shutdown_default_executor())
        self.loop.close()

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    async def request(self, path: str, body: bytes = b"", headers: dict | None = None,
                      method: str = "POST") -> Response:
        raw_path, _, query = path.partition("?")
        header_list = [(b"host", b"localhost:5005")]
        header_list += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": raw_path, "raw_path": raw_path.encode(),
                 "query_string": query.encode(), "headers": header_list, "root_path": "",
                 "server": ("localhost", 5005), "client": ("203.0.113.9", 40000)}
        sent = False

        async def receive():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.sleep(3600)  # the client never disconnects

        result = Response(status=None, headers={}, body=b"")

        async def send(message):
            if message["type"] == "http.response.start":
                result.status = message["status"]
                result.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                result.body += message.get("body", b"")

        await self.app(scope, receive, send)
        return result

    async def apost(self, params: dict, path: str = PATH, token: str = TOKEN, signed_url: str | None = None,
                    sign: bool = True, headers: dict | None = None) -> Response:
        all_headers = {"content-type": "application/x-www-form-urlencoded"}
        if sign:
            url = signed_url if signed_url is not None else BASE + path
            all_headers["x-twilio-signature"] = RequestValidator(token).compute_signature(url, params)
        all_headers.update(headers or {})
        return await self.request(path, urlencode(params).encode(), all_headers)

    def post(self, params: dict, **kwargs) -> Response:
        return self.run(self.apost(params, **kwargs))


def sms(body: str | None = "Hi", phone: str | None = PHONE, sid: str | None = None, **extra) -> dict:
    params = {"MessageSid": sid or "SM" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32,
              "From": phone, "To": "+447700900000", "Body": body, "NumMedia": "0",
              "NumSegments": "1", "SmsStatus": "received", "ApiVersion": "2010-04-01"}
    params.update(extra)
    return {k: v for k, v in params.items() if v is not None}


@pytest.fixture
def make_harness(db, tmp_path, monkeypatch):
    monkeypatch.setenv("ONESTORY_SPOOL_DIR", str(tmp_path / "spool"))  # messages kept by this test only
    harnesses = []

    def make(bot: ScriptedBot | None = None, **options) -> SmsHarness:
        options.setdefault("auth_token", TOKEN)
        options.setdefault("public_base_url", BASE)
        options.setdefault("poll_interval", 0.05)
        options.setdefault("replay_interval", 0)  # tests replay kept messages themselves
        harness = SmsHarness(TwilioSmsInput(**options), bot or ScriptedBot())
        harnesses.append(harness)
        return harness

    yield make
    for harness in harnesses:
        harness.close()


@pytest.fixture
def client(make_harness) -> SmsHarness:
    return make_harness()


# ---------------------------------------------------------------------------- signatures

def test_signed_sms_gets_twiml_reply_and_rasa_sees_no_number(client):
    response = client.post(sms("Hello there"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.messages == ["Hello, I'm here to help."]
    (message,) = client.bot.messages
    assert message.text == "Hello there"
    assert message.input_channel == "twilio"
    assert message.sender_id.startswith("sms-") and "7700900123" not in message.sender_id
    # Who is texting travels signed for this conversation and message; the number only encrypted.
    assert "7700900123" not in str(message.metadata)
    signed = message.metadata.pop("identity")
    assert identity.verify(signed, message.sender_id, message.message_id) == identity.Identity("sms", PHONE)
    assert message.metadata == {"channel": "sms", "num_media": 0}


def test_a_message_without_a_message_sid_is_still_signed_for_its_own_message_id(client):
    params = sms("Hello there")
    del params["MessageSid"]
    client.post(params)
    (message,) = client.bot.messages
    assert message.message_id
    assert identity.verify(message.metadata["identity"], message.sender_id, message.message_id) is not None


def test_national_format_from_is_normalised(client):
    client.post(sms(phone="07700 900123"))
    client.post(sms(phone=PHONE))
    first, second = client.bot.messages
    assert first.sender_id == second.sender_id


@pytest.mark.parametrize("forgery", ["wrong token", "no signature", "tampered body", "empty signature"])
def test_forged_requests_are_refused(client, forgery, caplog):
    params = sms("My number is 07700 900999, please call")
    kwargs = {}
    if forgery == "wrong token":
        kwargs["token"] = "not-the-auth-token"
    elif forgery == "no signature":
        kwargs["sign"] = False
    elif forgery == "empty signature":
        kwargs = {"sign": False, "headers": {"x-twilio-signature": ""}}
    if forgery == "tampered body":
        signature = RequestValidator(TOKEN).compute_signature(BASE + PATH, params)
        tampered = dict(params, Body="Something else")
        kwargs = {"sign": False, "headers": {"x-twilio-signature": signature}}
        params = tampered
    with caplog.at_level(logging.DEBUG):
        response = client.post(params, **kwargs)
    assert response.status == 403
    assert response.body and len(response.body) < 100
    assert client.bot.calls == 0
    assert "900999" not in caplog.text and "900123" not in caplog.text and "please call" not in caplog.text


@pytest.mark.parametrize("host", ["evil.example", "localhost:5005"])
def test_forwarded_host_headers_cannot_choose_the_signed_url(client, host):
    tricks = {"host": host, "x-forwarded-host": host, "x-forwarded-proto": "https",
              "x-forwarded-port": "443", "forwarded": f"host={host};proto=https"}
    # Signed for the URL the headers claim: refused, the channel only trusts PUBLIC_BASE_URL.
    forged = client.post(sms(), signed_url=f"https://{host}{PATH}", headers=tricks)
    assert forged.status == 403
    # Signed for the real public URL: the same headers change nothing.
    genuine = client.post(sms(), headers=tricks)
    assert genuine.status == 200
    assert client.bot.calls == 1


def test_query_string_is_part_of_the_signed_url(client):
    path = PATH + "?region=eastmere"
    assert client.post(sms(), path=path).status == 200
    assert client.post(sms(), path=path, signed_url=BASE + PATH).status == 403


def test_public_base_url_comes_from_settings(make_harness, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://sms.example.org/")
    harness = make_harness(public_base_url=None)
    assert harness.post(sms()).status == 403
    assert harness.post(sms(), signed_url="https://sms.example.org" + PATH).status == 200


# ---------------------------------------------------------------------------- idempotency

def test_replay_gets_the_same_answer_and_the_bot_is_called_once(make_harness):
    counter = iter(range(100))
    harness = make_harness(ScriptedBot(lambda text: [f"Answer number {next(counter)}."]))
    params = sms("What help is there?")
    first = harness.post(params)
    second = harness.post(params)
    assert first.status == second.status == 200
    assert first.messages == ["Answer number 0."]
    assert second.body == first.body
    assert harness.bot.calls == 1


def test_concurrent_copies_are_processed_once(make_harness):
    harness = make_harness(ScriptedBot(["One answer."], delay=0.3))
    params = sms("Concurrent")

    async def both():
        return await asyncio.gather(harness.apost(params), harness.apost(params))

    first, second = harness.run(both())
    assert first.status == second.status == 200
    assert first.messages == second.messages == ["One answer."]
    assert harness.bot.calls == 1


def test_claim_is_exclusive_across_threads(db):
    sid = "SM" + uuid.uuid4().hex
    results = []
    barrier = threading.Barrier(6)

    def worker():
        barrier.wait()
        results.append(idempotency.claim(sid, "h" * 64).state)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [idempotency.NEW] + [idempotency.PENDING] * 5
    idempotency.save_reply(sid, ["Done."], done=True)
    assert idempotency.claim(sid, "h" * 64)[:2] == (idempotency.ANSWERED, ["Done."])
    assert idempotency.claim(sid, "g" * 64).state == idempotency.CONFLICT


def test_stale_claim_is_taken_over_once(db):
    from datetime import timedelta
    sid = "SM" + uuid.uuid4().hex
    assert idempotency.claim(sid, "h" * 64).state == idempotency.NEW
    assert idempotency.claim(sid, "h" * 64).state == idempotency.PENDING
    assert idempotency.claim(sid, "h" * 64, stale_after=timedelta(0)).state == idempotency.NEW
    assert idempotency.claim(sid, "h" * 64).state == idempotency.PENDING


def test_reply_is_stored_encrypted(client):
    params = sms("Secret things")
    client.post(params)
    from sqlalchemy import text
    with dbmod.session_scope() as session:
        row = session.execute(text("SELECT * FROM inbound_messages")).mappings().one()
    assert row["message_sid"] == params["MessageSid"]
    assert row["status"] == "done" and row["completed_at"] is not None
    assert row["sender_hash"] == phone_hash(PHONE)
    assert "help" not in row["reply_enc"] and "Secret" not in row["reply_enc"]


def test_same_sid_from_another_number_is_not_answered(client):
    params = sms("Mine", sid="SM" + "1" * 32)
    assert client.post(params).messages
    stolen = client.post(dict(params, From=OTHER_PHONE))
    assert stolen.status == 200 and stolen.messages == []
    assert client.bot.calls == 1


def test_missing_message_sid_is_still_answered(client):
    params = sms("No sid")
    del params["MessageSid"]
    assert client.post(params).messages == ["Hello, I'm here to help."]
    assert client.post(params).messages == ["Hello, I'm here to help."]
    assert client.bot.calls == 2


def test_database_down_still_answers(make_harness, db):
    harness = make_harness()
    dbmod.configure("postgresql://nobody@127.0.0.1:1/nothing")
    try:
        params = sms("Is anyone there?")
        response = harness.post(params)
        assert response.status == 200
        assert response.messages == ["Hello, I'm here to help."]
        assert harness.post(sms("stop")).status == 200
    finally:
        dbmod.configure(db)


# ---------------------------------------------------------------------------- keywords

@pytest.mark.parametrize("word", ["STOP", "stop", "  Stop  ", "STOPALL", "unsubscribe", "Cancel", "END", "quit"])
def test_stop_words_opt_out_and_silence_follows(client, word):
    response = client.post(sms(word))
    assert response.messages == [kw.STOP_REPLY]
    assert outbox.is_opted_out(phone_hash(PHONE))
    assert client.post(sms("Are you there?")).messages == []
    assert client.post(sms("STOP")).messages == []  # no second confirmation
    assert client.bot.calls == 0


@pytest.mark.parametrize("word", ["START", "unstop", "yes"])
def test_start_opts_back_in(client, word):
    client.post(sms("STOP"))
    assert client.post(sms(word)).messages == [kw.START_REPLY]
    assert not outbox.is_opted_out(phone_hash(PHONE))
    assert client.post(sms("Hello again")).messages == ["Hello, I'm here to help."]
    assert client.bot.calls == 1


def test_yes_is_an_ordinary_answer_when_not_opted_out(client):
    client.post(sms("yes"))
    assert [m.text for m in client.bot.messages] == ["yes"]


def test_stop_is_per_number(client):
    client.post(sms("STOP"))
    assert client.post(sms("Hi", phone=OTHER_PHONE)).messages == ["Hello, I'm here to help."]


@pytest.mark.parametrize("word", ["HELP", "help", "Info"])
def test_help_is_answered_by_the_channel(client, word):
    (text,) = client.post(sms(word)).messages
    assert "speak to a person" in text and "111" in text and "999" in text and "OneStory" in text
    assert client.bot.calls == 0


def test_help_still_works_after_stop(client):
    client.post(sms("STOP"))
    assert "speak to a person" in client.post(sms("HELP")).messages[0]


def test_help_inside_a_sentence_goes_to_the_bot(client):
    client.post(sms("I need help with my mum"))
    assert client.bot.calls == 1


def test_stop_replay_does_not_flip_state(client):
    stop = sms("STOP")
    client.post(stop)
    client.post(sms("START"))
    assert client.post(stop).messages == [kw.STOP_REPLY]  # the stored answer...
    assert not outbox.is_opted_out(phone_hash(PHONE))  # ...without opting out again


# ---------------------------------------------------------------------------- odd messages

def test_picture_without_text(client):
    response = client.post(sms(body="", NumMedia="1", MediaUrl0="https://api.twilio.com/x.jpg",
                               MediaContentType0="image/jpeg"))
    assert response.messages == [kw.MEDIA_ONLY_REPLY]
    assert client.bot.calls == 0


def test_picture_with_text(client):
    response = client.post(sms(body="Here is the letter", NumMedia="2"))
    (text,) = response.messages
    assert text.startswith("Hello, I'm here to help.") and "pictures" in text
    assert client.bot.messages[0].metadata["num_media"] == 2


def test_missing_body_reaches_the_bot_as_an_empty_message(client):
    response = client.post(sms(body=None))
    assert response.status == 200
    assert client.bot.messages[0].text == ""
    assert response.messages == ["Hello, I'm here to help."]


def test_empty_message_gets_an_answer_even_from_a_silent_bot(make_harness):
    harness = make_harness(ScriptedBot(replies=()))
    assert harness.post(sms(body="")).messages == [kw.EMPTY_MESSAGE_REPLY]
    assert harness.post(sms(body="hmm")).messages == []


@pytest.mark.parametrize("phone", [None, "", "not a number"])
def test_missing_from_is_400_after_the_signature_check(client, phone):
    params = sms(phone=phone)
    assert client.post(params).status == 400
    assert client.post(params, token="wrong").status == 403
    assert client.bot.calls == 0


def test_huge_body(client):
    body = ("I look after my dad. " * 300)[:5000]
    response = client.post(sms(body=body))
    assert response.status == 200
    assert 0 < len(client.bot.messages[0].text) <= 1600
    assert client.bot.messages[0].text.endswith("dad.")


def test_non_form_content_type(client):
    body = b'{"From": "+447700900123", "Body": "hi"}'
    signature = RequestValidator(TOKEN).compute_signature(BASE + PATH, {})
    unsigned = client.run(client.request(PATH, body, {"content-type": "application/json"}))
    assert unsigned.status == 403
    signed = client.run(client.request(PATH, body, {"content-type": "application/json",
                                                     "x-twilio-signature": signature}))
    assert signed.status == 400
    assert client.bot.calls == 0


def test_garbage_bytes(client):
    for body in (b"\xff\xfe\x00Body=%ff%fe&From=%2B4477", b"&&&===", b"a=" + b"%" * 5000):
        response = client.run(client.request(PATH, body, {"content-type": "application/x-www-form-urlencoded",
                                                          "x-twilio-signature": "abc"}))
        assert response.status == 403


def test_unicode_body_with_valid_signature(client):
    body = "Zoë 😀 \u202e\x00 ¿qué?"
    assert client.post(sms(body=body)).status == 200
    assert client.bot.messages[0].text == "Zoë 😀 \u202e ¿qué?"


def test_bot_failure_is_a_kind_notice_not_a_500(make_harness):
    harness = make_harness(ScriptedBot(fail=True))
    response = harness.post(sms("hi"))
    assert response.status == 200
    assert response.messages == [kw.KEPT_REPLY]


# ---------------------------------------------------------------------------- reply shaping

def test_long_reply_is_split_at_sentence_boundaries(make_harness):
    long_reply = " ".join(f"Point {i}: Eastmere Carers Centre can help with this part of it." for i in range(60))
    harness = make_harness(ScriptedBot([long_reply]))
    messages = harness.post(sms("tell me everything")).messages
    assert len(messages) >= 2
    assert all(len(m) <= 1600 and m.endswith("it.") and m.startswith("Point") for m in messages)
    assert " ".join(messages) == long_reply


def test_curly_quotes_and_dashes_are_replaced(make_harness):
    harness = make_harness(ScriptedBot(["It\u2019s \u201cEastmere Carers\u201d \u2013 open 9\u20145\u2026"]))
    assert harness.post(sms("hi")).messages == ['It\'s "Eastmere Carers" - open 9-5...']


def test_buttons_become_text(make_harness):
    class ButtonBot(ScriptedBot):
        async def handle_message(self, message):
            self.messages.append(message)
            await message.output_channel.send_text_with_buttons(
                message.sender_id, "Is that right?", [{"title": "Yes", "payload": "/affirm"},
                                                      {"title": "No", "payload": "/deny"}])
            await message.output_channel.send_custom_json(message.sender_id, dict(HANDLED))

    harness = make_harness(ButtonBot())
    assert harness.post(sms("hi")).messages == ["Is that right?\n- Yes\n- No"]


def test_several_utterances_share_one_message(make_harness):
    harness = make_harness(ScriptedBot(["Thanks.", "What is your postcode?"]))
    assert harness.post(sms("hi")).messages == ["Thanks.\n\nWhat is your postcode?"]


def test_logs_hold_no_bodies_or_numbers(make_harness, caplog):
    harness = make_harness(ScriptedBot(["Your answer about Zebedee."], delay=0.2), reply_timeout=0.05)
    with caplog.at_level(logging.DEBUG):
        for text in ("Zebedee needs care", "STOP", "START", "HELP"):
            harness.post(sms(text))
        harness.run(harness.channel.drain())
        harness.post(sms(phone="garbage"))
    logged = caplog.text
    assert "SMS" in logged  # the channel did log
    for secret in ("Zebedee", "7700900123", "07700", "900123"):
        assert secret not in logged


# ---------------------------------------------------------------------------- Twilio's timeout

def test_slow_bot_gets_a_holding_reply_then_a_late_one(make_harness):
    harness = make_harness(ScriptedBot(["The real answer."], delay=0.5), reply_timeout=0.1)
    params = sms("slow question")
    response = harness.post(params)
    assert response.messages == [kw.HOLDING_REPLY]  # answered before the slow bot finished
    assert outbox.recent_for(PHONE) == []
    harness.run(harness.channel.drain())
    (late,) = outbox.recent_for(PHONE)
    assert (late.body, late.purpose) == ("The real answer.", "late_reply")
    # A retry of the same message gets the answer the webhook gave, and nothing new is sent.
    assert harness.post(params).messages == [kw.HOLDING_REPLY]
    assert harness.bot.calls == 1
    assert len(outbox.recent_for(PHONE)) == 1


def test_late_replies_are_keyed_on_the_message_id(make_harness):
    harness = make_harness(ScriptedBot(["A" * 1500 + ".", "B" * 200 + "."], delay=0.3), reply_timeout=0.05)
    params = sms("slow")
    harness.post(params)
    harness.run(harness.channel.drain())
    sid = params["MessageSid"]
    from sqlalchemy import select

    from bot.handoff import models as hm
    with dbmod.session_scope() as session:
        keys = session.execute(select(hm.OutboundMessage.idempotency_key).order_by(hm.OutboundMessage.id)).scalars()
        assert list(keys) == [f"reply:{sid}:0", f"reply:{sid}:1"]


def test_duplicate_during_slow_processing_waits_for_the_first(make_harness):
    harness = make_harness(ScriptedBot(["Worth the wait."], delay=0.4))
    params = sms("slow but not too slow")

    async def staggered():
        first = asyncio.ensure_future(harness.apost(params))
        await asyncio.sleep(0.1)
        second = await harness.apost(params)
        return await first, second

    first, second = harness.run(staggered())
    assert first.messages == second.messages == ["Worth the wait."]
    assert harness.bot.calls == 1


def test_stop_while_the_bot_is_thinking_suppresses_the_late_reply(make_harness):
    harness = make_harness(ScriptedBot(["Too late."], delay=0.4), reply_timeout=0.05)
    harness.post(sms("slow"))
    harness.post(sms("STOP"))
    harness.run(harness.channel.drain())
    assert outbox.recent_for(PHONE) == []


# ---------------------------------------------------------------------------- status callbacks

def status_params(sid="SM" + "a" * 32, status="delivered", **extra):
    return {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC" + "0" * 32,
            "To": PHONE, "From": "+447700900000", "ApiVersion": "2010-04-01", **extra}


def test_status_callback_records_delivery(make_harness):
    calls = []
    fake = SimpleNamespace(record_status=lambda *a: calls.append(a) or True, is_opted_out=lambda h: False)
    harness = make_harness(outbox=fake)
    response = harness.post(status_params(status="undelivered", ErrorCode="30003"), path=STATUS_PATH)
    assert response.status == 204 and response.body == b""
    assert calls == [("SM" + "a" * 32, "undelivered", "30003")]
    harness.post(status_params(status="delivered"), path=STATUS_PATH)
    assert calls[-1] == ("SM" + "a" * 32, "delivered", None)


def test_status_callback_against_the_real_outbox(client):
    message_id = outbox.enqueue_sms(PHONE, "Hello", purpose="test")
    with dbmod.session_scope() as session:
        from bot.handoff import models as hm
        session.get(hm.OutboundMessage, message_id).provider_sid = "SM" + "b" * 32
    assert client.post(status_params("SM" + "b" * 32, "delivered"), path=STATUS_PATH).status == 204
    assert outbox.recent_for(PHONE)[0].status == "delivered"
    assert client.post(status_params("SM" + "c" * 32), path=STATUS_PATH).status == 204  # not ours


def test_forged_status_callback_is_refused(make_harness):
    calls = []
    fake = SimpleNamespace(record_status=lambda *a: calls.append(a) or True)
    harness = make_harness(outbox=fake)
    assert harness.post(status_params(), path=STATUS_PATH, token="wrong").status == 403
    assert harness.post(status_params(), path=STATUS_PATH, sign=False).status == 403
    assert harness.post(status_params(), path=STATUS_PATH, signed_url=BASE + PATH).status == 403
    assert harness.post({"MessageSid": "SM1"}, path=STATUS_PATH).status == 400
    assert calls == []


# ---------------------------------------------------------------------------- configuration

def test_from_credentials_falls_back_to_settings(monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "from-env")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://bot.example.org/")
    channel = TwilioSmsInput.from_credentials(None)
    assert (channel.auth_token, channel.public_base_url) == ("from-env", "https://bot.example.org")
    assert channel.reply_timeout == 11.0
    channel = TwilioSmsInput.from_credentials({"auth_token": "explicit", "public_base_url": "https://x.test",
                                               "reply_timeout": 8, "duplicate_wait": "9.5"})
    assert (channel.auth_token, channel.public_base_url, channel.reply_timeout, channel.duplicate_wait) == (
        "explicit", "https://x.test", 8.0, 9.5)
    assert TwilioSmsInput.name() == "twilio"


def test_routes_as_rasa_mounts_them(client):
    routes = {route.path for route in client.app.router.routes}
    assert {"webhooks/twilio/webhook", "webhooks/twilio/status"} <= routes
    health = client.run(client.request("/webhooks/twilio/", method="GET"))
    assert health.status == 200


# ---------------------------------------------------------------------------- fuzzing

FIELDS = ["From", "To", "Body", "MessageSid", "SmsSid", "NumMedia", "MediaUrl0", "AccountSid", "X"]
values = st.one_of(st.text(max_size=300), st.sampled_from([PHONE, "07700 900123", "", "STOP", "help", "SM1",
                                                           "-1", "99999999999", "start"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(FIELDS), values, max_size=len(FIELDS)),
       sign=st.booleans(), extra_query=st.sampled_from(["", "?a=1", "?x=%ff"]))
def test_fuzzed_forms_never_cause_a_server_error(client, params, sign, extra_query):
    response = client.post(params, path=PATH + extra_query, sign=sign)
    assert response.status in (200, 400, 403)
    assert (response.status == 403) == (not sign)  # whatever the text, a good signature is recognised
    if response.status == 200:
        assert isinstance(response.messages, list)  # well-formed TwiML
