"""The SMS channel loses no message: the bot down or crashing, a database that hangs, Twilio
hanging up, a process that died holding a message. Every message is answered exactly once,
in the TwiML or through the outbox, never both."""
from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta

from sqlalchemy import select

from bot import db as dbmod
from bot.channels import idempotency
from bot.channels import sms_keywords as kw
from bot.channels.models import InboundMessage
from bot.channels.sms_keep import Inbound
from bot.handoff import models as hm
from bot.handoff import outbox
from bot.phone import phone_hash
from bot.records import spool
from tests.unit.test_channel_twilio import PHONE, ScriptedBot, make_harness, sms  # noqa: F401

UNREACHABLE = "postgresql://nobody@127.0.0.1:1/nothing"


def outbox_keys() -> list[str]:
    with dbmod.session_scope() as session:
        return list(session.execute(select(hm.OutboundMessage.idempotency_key)
                                    .order_by(hm.OutboundMessage.id)).scalars())


def outbox_bodies() -> list[str]:
    return [entry.body for entry in reversed(outbox.recent_for(PHONE))]


def row(sid: str) -> InboundMessage | None:
    with dbmod.session_scope() as session:
        return session.get(InboundMessage, sid)


def echo(text: str) -> list[str]:
    return [f"About '{text}'."]


# --- the bot produced no answer (action server down, restarting, crashed) ----------------------

def test_a_message_the_bot_could_not_answer_is_kept_and_answered_once_when_it_is_back(make_harness):  # noqa: F811
    bot = ScriptedBot(echo, down=True)
    harness = make_harness(bot)
    params = sms("my mum has COPD")
    first = harness.post(params)
    assert first.messages == [kw.KEPT_REPLY]
    assert row(params["MessageSid"]).status == "queued"  # never marked done with an empty answer
    assert len(spool.held()) == 1

    retry = harness.post(params)  # Twilio's retry: the same notice, no second go
    assert retry.messages == [kw.KEPT_REPLY] and bot.calls == 1

    assert harness.run(harness.channel.replay_kept(bot.handle_message)) == 0  # still down
    bot.down = False
    assert harness.run(harness.channel.replay_kept(bot.handle_message)) == 1
    assert outbox_bodies() == ["About 'my mum has COPD'."]
    assert outbox_keys() == [f"reply:{params['MessageSid']}:0"]
    assert row(params["MessageSid"]).status == "done" and spool.held() == []

    assert harness.run(harness.channel.replay_kept(bot.handle_message)) == 0
    assert harness.post(params).messages == [kw.KEPT_REPLY]  # the webhook's own answer, nothing new
    assert len(outbox_bodies()) == 1


def test_a_bot_that_raises_is_the_same_as_one_that_is_down(make_harness):  # noqa: F811
    bot = ScriptedBot(echo, fail=True)
    harness = make_harness(bot)
    assert harness.post(sms("hello")).messages == [kw.KEPT_REPLY]
    bot.fail = False
    assert harness.run(harness.channel.replay_kept(bot.handle_message)) == 1
    assert outbox_bodies() == ["About 'hello'."]


def test_a_deliberately_silent_turn_is_not_kept(make_harness):  # noqa: F811
    # A professional has taken over: the bot says nothing on purpose, and marks the turn.
    harness = make_harness(ScriptedBot(replies=()))
    params = sms("are you there?")
    assert harness.post(params).messages == []
    assert row(params["MessageSid"]).status == "done" and spool.held() == []


def test_several_messages_in_one_outage_are_each_answered_once_in_order(make_harness):  # noqa: F811
    bot = ScriptedBot(echo, down=True)
    harness = make_harness(bot)
    for text in ("first", "same words", "same words", "last"):
        assert harness.post(sms(text)).messages == [kw.KEPT_REPLY]
        time.sleep(0.01)  # distinct times on the kept files
    bot.down = False
    assert harness.run(harness.channel.replay_kept(bot.handle_message)) == 4
    assert outbox_bodies() == ["About 'first'.", "About 'same words'.", "About 'same words'.", "About 'last'."]


def test_a_duplicate_message_sid_during_an_outage_is_answered_once(make_harness):  # noqa: F811
    bot = ScriptedBot(echo, down=True)
    harness = make_harness(bot)
    params = sms("tell me once")

    async def copies():
        return await asyncio.gather(*(harness.apost(params) for _ in range(3)))

    answers = harness.run(copies())
    assert all(a.messages in ([kw.KEPT_REPLY], [kw.HOLDING_REPLY]) for a in answers)
    bot.down = False
    harness.run(harness.channel.replay_kept(bot.handle_message))
    harness.run(harness.channel.replay_kept(bot.handle_message))
    assert outbox_bodies() == ["About 'tell me once'."]


def test_the_bot_going_down_after_a_holding_reply_keeps_the_message(make_harness):  # noqa: F811
    bot = ScriptedBot(echo, delay=0.3, down=True)
    harness = make_harness(bot, reply_timeout=0.05)
    params = sms("slow and then nothing")
    assert harness.post(params).messages == [kw.HOLDING_REPLY]
    harness.run(harness.channel.drain())
    assert row(params["MessageSid"]).status == "queued" and outbox_bodies() == []
    bot.down, bot.delay = False, 0
    harness.run(harness.channel.replay_kept(bot.handle_message))
    assert outbox_bodies() == ["About 'slow and then nothing'."]


def test_replay_runs_by_itself_while_the_server_runs(make_harness):  # noqa: F811
    bot = ScriptedBot(echo, down=True)
    harness = make_harness(bot, replay_interval=0.1)
    harness.post(sms("kept"))
    bot.down = False

    async def wait_for_answer():
        for _ in range(100):
            if outbox_bodies():
                return
            await asyncio.sleep(0.05)

    harness.run(wait_for_answer())
    assert outbox_bodies() == ["About 'kept'."]


def test_replay_waits_for_the_action_server_to_answer_its_health_check(make_harness):  # noqa: F811
    import http.server
    import socket
    from types import SimpleNamespace

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = ScriptedBot(echo, down=True)
    bot.action_endpoint = SimpleNamespace(url=f"http://127.0.0.1:{port}/webhook")
    harness = make_harness(bot, replay_interval=0.1)
    harness.post(sms("kept until the action server is back"))
    bot.down = False  # Rasa would answer now, but the action server's health check does not

    async def wait(seconds: float) -> None:
        for _ in range(int(seconds / 0.05)):
            if outbox_bodies():
                return
            await asyncio.sleep(0.05)

    harness.run(wait(0.6))
    assert outbox_bodies() == [] and bot.calls == 1

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200 if self.path == "/health" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", port), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        harness.run(wait(5))
    finally:
        server.shutdown()
        server.server_close()
    assert outbox_bodies() == ["About 'kept until the action server is back'."]


def test_health_url_is_the_action_servers_root():
    from bot.channels.sms_keep import health_url
    assert health_url("http://actions:5055/webhook") == "http://actions:5055/health"
    assert health_url(None) is None


# --- a database that hangs, and Twilio hanging up ------------------------------------------------

def test_a_hanging_claim_is_bounded_and_the_message_still_answered(make_harness, monkeypatch):  # noqa: F811
    release = threading.Event()
    real_claim = idempotency.claim
    monkeypatch.setattr(idempotency, "claim", lambda *a, **k: release.wait(10) and real_claim(*a, **k))
    harness = make_harness(ScriptedBot(echo), db_timeout=0.2, reply_timeout=3)
    params = sms("is anyone there")
    started = time.monotonic()
    try:
        response = harness.post(params)
    finally:
        release.set()
    assert response.messages == ["About 'is anyone there'."]
    assert time.monotonic() - started < 2
    # The claim that hung goes on in its thread once released: let it land in this test, not in
    # the next one's database (where it would be an older message of the same number, unanswered).
    deadline = time.monotonic() + 10
    while row(params["MessageSid"]) is None and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_message_answered_while_its_claim_hung_is_not_answered_again_when_the_claim_lands(
        make_harness, monkeypatch):  # noqa: F811
    """The claim lands late, from the thread it hung in, after the webhook answered without it:
    the message ends done with its answer, so no replay answers it a second time."""
    release = threading.Event()
    real_claim = idempotency.claim
    monkeypatch.setattr(idempotency, "claim", lambda *a, **k: release.wait(10) and real_claim(*a, **k))
    bot = ScriptedBot(echo)
    harness = make_harness(bot, db_timeout=0.2, reply_timeout=3)
    params = sms("my dad has gout")
    try:
        assert harness.post(params).messages == ["About 'my dad has gout'."]
    finally:
        release.set()
    monkeypatch.setattr(idempotency, "claim", real_claim)
    deadline = time.monotonic() + 10
    while (row(params["MessageSid"]) is None or row(params["MessageSid"]).status != "done") \
            and time.monotonic() < deadline:
        harness.run(asyncio.sleep(0.1))  # the late claim lands; the answer is recorded over it
    assert row(params["MessageSid"]).status == "done"
    harness.channel.stale_after = timedelta(0)
    harness.run(harness.channel.replay_kept(bot.handle_message))
    assert bot.calls == 1 and outbox_bodies() == []
    assert harness.post(params).messages == ["About 'my dad has gout'."]  # a retry: the same answer
    assert bot.calls == 1


def test_twilio_hanging_up_while_the_database_hangs_loses_nothing(make_harness, monkeypatch):  # noqa: F811
    release = threading.Event()
    real_claim = idempotency.claim
    monkeypatch.setattr(idempotency, "claim", lambda *a, **k: release.wait(10) and real_claim(*a, **k))
    bot = ScriptedBot(echo)
    harness = make_harness(bot, db_timeout=5)
    params = sms("hung up on")

    async def hang_up():
        request = asyncio.ensure_future(harness.apost(params))
        await asyncio.sleep(0.3)
        request.cancel()  # what Sanic does when Twilio closes the connection at 15 s
        await asyncio.gather(request, return_exceptions=True)

    harness.run(hang_up())
    release.set()
    monkeypatch.setattr(idempotency, "claim", real_claim)
    time.sleep(0.2)  # the stuck claim finishes, leaving its row 'processing'
    harness.run(harness.channel.replay_kept(bot.handle_message))
    harness.channel.stale_after = timedelta(0)
    harness.run(harness.channel.replay_kept(bot.handle_message))
    harness.run(harness.channel.replay_kept(bot.handle_message))
    assert outbox_bodies() == ["About 'hung up on'."]


def test_twilio_hanging_up_while_the_bot_thinks_sends_the_answer_by_text(make_harness):  # noqa: F811
    bot = ScriptedBot(echo, delay=0.5)
    harness = make_harness(bot)
    params = sms("thinking")

    async def hang_up():
        request = asyncio.ensure_future(harness.apost(params))
        await asyncio.sleep(0.2)
        request.cancel()
        await asyncio.gather(request, return_exceptions=True)

    harness.run(hang_up())
    harness.run(harness.channel.drain())
    assert outbox_bodies() == ["About 'thinking'."]
    assert row(params["MessageSid"]).status == "done" and spool.held() == []
    assert harness.post(params).messages == []  # a retry: answered already, by text


def test_a_late_answer_with_the_database_down_is_kept_and_sent_once_later(make_harness, db):  # noqa: F811
    bot = ScriptedBot(echo, delay=0.3)
    harness = make_harness(bot, reply_timeout=0.05)
    params = sms("late and down")
    assert harness.post(params).messages == [kw.HOLDING_REPLY]
    dbmod.configure(UNREACHABLE)
    try:
        harness.run(harness.channel.drain())
    finally:
        dbmod.configure(db)
    assert len(spool.held()) == 1
    harness.run(harness.channel.replay_kept(bot.handle_message))
    assert outbox_bodies() == ["About 'late and down'."]
    assert bot.calls == 2  # asked again; the dialogue answers a message it has seen from its record


# --- a process that died holding a message -------------------------------------------------------

def _died_holding(harness, params) -> None:
    """As if Rasa was killed after claiming the message and keeping it, before answering."""
    claim = idempotency.claim(params["MessageSid"], phone_hash(PHONE))
    assert claim.state == idempotency.NEW
    inbound = Inbound(sid=params["MessageSid"], e164=PHONE, phone_hash=phone_hash(PHONE), text=params["Body"],
                       num_media=0)
    harness.channel._hold(inbound, owner=claim.owner)


def test_a_message_held_by_a_process_that_died_is_answered_by_the_replay(make_harness):  # noqa: F811
    bot = ScriptedBot(echo)
    harness = make_harness(bot, stale_after=timedelta(seconds=0.3))
    params = sms("orphaned")
    _died_holding(harness, params)
    assert harness.run(harness.channel.replay_kept(bot.handle_message)) == 0  # may still be in hand
    time.sleep(0.4)
    assert harness.run(harness.channel.replay_kept(bot.handle_message)) == 1
    assert outbox_bodies() == ["About 'orphaned'."]
    assert harness.post(params).messages == []  # Twilio's retry after that: nothing twice


def test_a_retry_takes_over_a_message_whose_process_died(make_harness):  # noqa: F811
    bot = ScriptedBot(echo)
    harness = make_harness(bot, stale_after=timedelta(seconds=0.3), reply_timeout=2)
    params = sms("retried after a crash")
    _died_holding(harness, params)
    assert harness.post(params).messages == [kw.HOLDING_REPLY]  # too soon: the first may be alive
    time.sleep(0.4)
    assert harness.post(params).messages == ["About 'retried after a crash'."]
    assert harness.run(harness.channel.replay_kept(bot.handle_message)) == 0
    assert outbox_bodies() == [] and spool.held() == []
