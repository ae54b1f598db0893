"""The shared spool: a message waits in the database, not on one host's disk, so any replica
replays it when the process that took it in died or no answer could be made; one
conversation's messages keep their order; two replicas never take the same message. The web
chat keeps its messages the same way and delivers the later answer on the session, once."""
from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import update

from bot import db as dbmod
from bot.channels import idempotency, shared_spool, web_keep
from bot.channels.models import CHANNEL_SMS, CHANNEL_WEB, InboundMessage
from bot.channels.sms_keep import Inbound
from bot.channels.socketio_web import WebOutput
from bot.phone import phone_hash
from bot.records import spool
from bot.timeutil import utcnow
from tests.unit.test_channel_twilio import PHONE, ScriptedBot, make_harness  # noqa: F401
from tests.unit.test_channel_twilio_faults import echo, outbox_bodies, row


def _claimed_elsewhere(text: str, minutes_ago: float = 10) -> Inbound:
    """A message another replica claimed and then died on: its row, no file on this host."""
    inbound = Inbound(sid="SM" + text.replace(" ", "")[:20].ljust(20, "x"), e164=PHONE, phone_hash=phone_hash(PHONE),
                      text=text, num_media=0)
    assert idempotency.claim(inbound.sid, inbound.phone_hash, body=asdict(inbound)).state == idempotency.NEW
    with dbmod.session_scope() as session:
        when = utcnow() - timedelta(minutes=minutes_ago)
        session.execute(update(InboundMessage).where(InboundMessage.message_sid == inbound.sid)
                        .values(received_at=when, arrived_at=when))
    return inbound


def test_a_message_whose_replica_died_is_answered_by_another_once(make_harness):  # noqa: F811
    inbound = _claimed_elsewhere("my mum has asthma")
    bot = ScriptedBot(echo)
    other = make_harness(bot, stale_after=timedelta(seconds=30))
    assert spool.held() == []  # nothing on this host's disk
    assert other.run(other.channel.replay_kept(bot.handle_message)) == 1
    assert outbox_bodies() == ["About 'my mum has asthma'."]
    assert row(inbound.sid).status == "done" and row(inbound.sid).body_enc is None  # words gone once answered
    assert other.run(other.channel.replay_kept(bot.handle_message)) == 0 and bot.calls == 1


def test_a_message_still_being_worked_on_is_not_taken(make_harness):  # noqa: F811
    _claimed_elsewhere("she takes metformin", minutes_ago=0)
    bot = ScriptedBot(echo)
    other = make_harness(bot, stale_after=timedelta(minutes=2))
    assert other.run(other.channel.replay_kept(bot.handle_message)) == 0 and bot.calls == 0


def test_two_replicas_never_take_the_same_message_and_a_conversation_keeps_its_order(db):
    first = _claimed_elsewhere("first", minutes_ago=10)
    second = _claimed_elsewhere("second", minutes_ago=9)
    taken = shared_spool.take_due(CHANNEL_SMS, timedelta(seconds=30))
    assert taken.sid == first.sid and taken.body["text"] == "first"
    # The second is not due while the first of its conversation is unanswered, and the first is taken.
    assert shared_spool.take_due(CHANNEL_SMS, timedelta(seconds=30)) is None
    assert idempotency.finish(first.sid, taken.owner, first.phone_hash, PHONE, ["ok"])
    assert shared_spool.take_due(CHANNEL_SMS, timedelta(seconds=30)).sid == second.sid


def test_a_new_message_waits_for_its_conversations_older_kept_ones(make_harness):  # noqa: F811
    from tests.unit.test_channel_twilio import sms

    _claimed_elsewhere("older one", minutes_ago=10)
    bot = ScriptedBot(echo)
    harness = make_harness(bot, stale_after=timedelta(seconds=30))
    assert harness.post(sms("newer one")).messages == ["About 'newer one'."]
    assert [m.text for m in bot.messages] == ["older one", "newer one"]
    assert outbox_bodies() == ["About 'older one'."]


# --- the web chat --------------------------------------------------------------------------------

class FakeSio:
    def __init__(self) -> None:
        self.emitted: list[tuple[str, dict]] = []
        self.manager = SimpleNamespace(rooms={"/": {}})

    async def emit(self, event: str, data: dict | None = None, room: str | None = None, **_: object) -> None:
        self.emitted.append((room, data))


class Web(web_keep.KeepsWebMessages):
    def __init__(self) -> None:
        self.sio, self.bot_message_evt, self.namespace = FakeSio(), "bot_uttered", None

    def _output(self) -> WebOutput:
        return WebOutput(self.sio, self.bot_message_evt)

    def said(self, session_id: str) -> list[str]:
        return [data.get("text") for room, data in self.sio.emitted if room == session_id]


SESSION = "a" * 32


def test_a_web_message_the_bot_could_not_answer_is_kept_and_its_answer_delivered_once(db):
    web, bot = Web(), ScriptedBot(echo, down=True)
    asyncio.run(web.answer_web(SESSION, "m1", "my dad has gout", bot.handle_message))
    assert web.said(SESSION) == [web_keep.KEPT_NOTICE]
    assert row("m1").status == "queued" and row("m1").channel == CHANNEL_WEB and row("m1").body_enc

    bot.down = False
    assert asyncio.run(web._replay_web(bot.handle_message)) == 1  # no browser connected here: kept
    assert web.said(SESSION) == [web_keep.KEPT_NOTICE]
    web.sio.manager.rooms["/"][SESSION] = {"sid1": "eio1"}  # the browser (re)connects to this replica
    assert asyncio.run(web.deliver_kept_answers()) == 1
    assert asyncio.run(web.deliver_kept_answers()) == 0  # once
    assert web.said(SESSION) == [web_keep.KEPT_NOTICE, "About 'my dad has gout'."]
    assert [m.message_id for m in bot.messages] == ["m1", "m1"]  # replayed under its own id


def test_a_web_message_answered_at_once_leaves_nothing_kept(db):
    web, bot = Web(), ScriptedBot(echo)
    asyncio.run(web.answer_web(SESSION, "m2", "hello", bot.handle_message))
    assert web.said(SESSION) == ["About 'hello'."]
    assert row("m2").status == "done" and row("m2").body_enc is None
    web.sio.manager.rooms["/"][SESSION] = {"sid1": "eio1"}
    assert asyncio.run(web.deliver_kept_answers()) == 0


def test_a_renewed_claim_is_not_taken_over_however_slow_the_answer(db):
    slow = _claimed_elsewhere("a slow answer", minutes_ago=10)
    with dbmod.session_scope() as session:
        owner = session.get(InboundMessage, slow.sid).owner
    assert shared_spool.renew({slow.sid: owner}) == 1  # the live process renews its claim
    assert shared_spool.take_due(CHANNEL_SMS, timedelta(seconds=30)) is None
    assert shared_spool.renew({slow.sid: "not-the-owner"}) == 0


def test_a_web_message_that_cannot_be_kept_either_is_asked_again_not_promised(db, monkeypatch):
    web, bot = Web(), ScriptedBot(echo, down=True)

    def database_down(*_, **__):
        raise dbmod.DatabaseUnavailable("down")

    monkeypatch.setattr(idempotency, "claim", database_down)
    monkeypatch.setattr(idempotency, "keep_for_later", database_down)
    asyncio.run(web.answer_web(SESSION, "m3", "hello", bot.handle_message))
    assert web.said(SESSION) == [web_keep.NOT_KEPT_NOTICE]
