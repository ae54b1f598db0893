"""Each message is answered once, keyed by its own id: replays, retries and outages.

The actions mark every turn they handle (even a silent one), so a channel can tell a turn Rasa
swallowed from a turn with nothing to say; a turn stuck on a hanging database is left unmarked.
"""
from __future__ import annotations

import asyncio
import threading
import uuid

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions import adapter
from bot import db as dbmod
from bot.db import session_scope
from bot.dialogue import answered, router
from bot.dialogue.turn import HANDLED, Turn
from bot.handoff import outbox
from bot.phone import phone_hash
from bot.records import models as m
from bot.records import spool
from bot.worker import replay_spooled
from tests.actions.helpers import ACTION_FOR_INTENT, Phone, Web, action_named, said

CARER = "+447700900561"
DOWN = "postgresql://postgres@127.0.0.1:1/unreachable"  # nothing listens on port 1


class Carer(Phone):
    """A carer whose messages carry their own ids, as Rasa passes them to the action server."""

    def send(self, text: str, intent: str, message_id: str | None = None) -> list[dict]:
        message_id = message_id or "SM" + uuid.uuid4().hex
        self.events.append({"event": "user", "text": text, "input_channel": self.input_channel,
                            "message_id": message_id, "metadata": self.metadata(message_id),
                            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}})
        latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [],
                  "message_id": message_id}
        tracker = Tracker(self.sender_id, {}, latest, self.events, False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(action_named(ACTION_FOR_INTENT[intent]).run(dispatcher, tracker, {}))
        self.events += [{"event": "bot", "text": d["text"]} for d in dispatcher.messages if d.get("text")]
        return dispatcher.messages


def texts(messages: list[dict]) -> list[str]:
    return [message["text"] for message in messages if message.get("text")]


def facts() -> int:
    with session_scope() as session:
        return session.execute(select(func.count()).select_from(m.Fact)).scalar_one()


def late_replies(number: str = CARER) -> list[outbox.OutboxEntry]:
    return [entry for entry in outbox.recent_for(number) if entry.purpose == "late_reply"]


def consented(number: str = CARER) -> Carer:
    carer = Carer(number)
    carer.send("hi", "greet")
    carer.send("yes", "affirm")
    return carer


@pytest.fixture
def spool_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ONESTORY_SPOOL_DIR", str(tmp_path / "spool"))
    return tmp_path / "spool"


def during_outage(db_url: str, send):
    dbmod.configure(DOWN)
    try:
        return send()
    finally:
        dbmod.configure(db_url)


# --- the mark a channel checks --------------------------------------------------------------

def test_every_handled_turn_ends_with_the_mark(db):
    messages = Carer(CARER).send("hi", "greet")
    assert texts(messages) and messages[-1] == {**messages[-1], "custom": HANDLED}


def test_a_deliberately_silent_turn_is_still_marked(db, monkeypatch):
    # A professional's takeover: the bot says nothing on purpose, and the channel must know that.
    monkeypatch.setattr(router, "respond", lambda turn: [])
    messages = Carer(CARER).send("are you there?", "greet")
    assert [message.get("custom") for message in messages] == [HANDLED]


def test_a_turn_stuck_on_the_database_is_left_unmarked(db, monkeypatch):
    monkeypatch.setenv("ONESTORY_TURN_TIMEOUT", "0.3")
    release = threading.Event()
    monkeypatch.setattr(router, "respond", lambda turn: release.wait(5) and ["late"])
    try:
        messages = Carer(CARER).send("hello?", "greet")
    finally:
        release.set()
    assert messages == []


@pytest.mark.parametrize("channel", ["socketio", "rest"])
def test_a_web_turn_stuck_on_the_database_is_kept_and_a_rest_turn_asked_again(db, monkeypatch, channel):
    # The web chat keeps a turn left unmarked and answers it later; a REST caller keeps nothing,
    # so it is told instead of left waiting.
    monkeypatch.setenv("ONESTORY_TURN_TIMEOUT", "0.3")
    release = threading.Event()
    monkeypatch.setattr(router, "respond", lambda turn: release.wait(5) and ["late"])
    try:
        dispatcher = CollectingDispatcher()
        web = Web()
        web.events.append({"event": "user", "text": "hello?", "input_channel": channel, "metadata": {}})
        tracker = Tracker(web.sender_id, {}, {"text": "hello?", "intent": {"name": "greet"}}, web.events, False,
                          None, {}, "action_listen")
        asyncio.run(action_named("action_greet").run(dispatcher, tracker, {}))
    finally:
        release.set()
    if channel == "socketio":
        assert dispatcher.messages == []  # no mark: the channel keeps it (bot/channels/web_keep.py)
    else:
        assert [m.get("text") for m in dispatcher.messages if m.get("text")] == [adapter.TRY_AGAIN]
        assert dispatcher.messages[-1].get("custom") == HANDLED


def test_the_action_passes_the_message_id_on(db, monkeypatch):
    seen: list[Turn] = []
    monkeypatch.setattr(router, "respond", lambda turn: seen.append(turn) or ["ok"])
    Carer(CARER).send("hi", "greet", message_id="SM-own-id")
    assert seen[0].message_id == "SM-own-id"


# --- answered once ----------------------------------------------------------------------------

def test_the_same_message_twice_is_stored_once_and_given_the_same_answer(db):
    carer = consented()
    first = carer.send("my mum has COPD", "tell_fact", message_id="SMsame")
    stored = facts()
    again = carer.send("my mum has COPD", "tell_fact", message_id="SMsame")
    assert texts(again) == texts(first) and "copd" in said(texts(first))
    assert facts() == stored == 1


def test_another_sender_cannot_read_an_answer_by_its_message_id(db):
    carer = consented()
    carer.send("my mum has COPD", "tell_fact", message_id="SMmine")
    stranger = Carer("+447700900562")
    assert "copd" not in said(texts(stranger.send("my mum has COPD", "tell_fact", message_id="SMmine")))


def test_concurrent_copies_of_a_message_do_the_work_once(db):
    carer = consented()
    turn = Turn(sender_key=carer.sender_id, channel="sms", text="my dad has asthma", intent="tell_fact",
                phone_hash=phone_hash(CARER), phone_e164=CARER, message_id="SMrace")
    results: list[list[str]] = []
    barrier = threading.Barrier(4)

    def copy() -> None:
        barrier.wait()
        results.append(router.respond(Turn(**{**turn.__dict__, "previous_texts": []})))

    threads = [threading.Thread(target=copy) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({tuple(r) for r in results}) == 1 and "asthma" in said(results[0])
    assert facts() == 1


# --- kept during an outage, keyed on the message's own id -------------------------------------

def test_the_same_words_twice_in_one_outage_are_each_answered(db, spool_dir):
    carer = consented()
    during_outage(db, lambda: carer.send("my mum has COPD", "tell_fact"))
    during_outage(db, lambda: carer.send("my mum has COPD", "tell_fact"))
    assert len(spool.pending()) == 2
    assert spool.replay(replay_spooled) == 2
    assert len(late_replies()) == 2
    assert facts() == 1


def test_the_same_words_in_a_later_outage_are_answered_again(db, spool_dir):
    carer = consented()
    during_outage(db, lambda: carer.send("what do you know about mum?", "ask_record"))
    spool.replay(replay_spooled)
    during_outage(db, lambda: carer.send("what do you know about mum?", "ask_record"))
    spool.replay(replay_spooled)
    assert len(late_replies()) == 2


def test_a_message_sent_twice_during_an_outage_is_answered_once(db, spool_dir):
    carer = consented()
    during_outage(db, lambda: carer.send("my mum has COPD", "tell_fact", message_id="SMtwice"))
    during_outage(db, lambda: carer.send("my mum has COPD", "tell_fact", message_id="SMtwice"))
    assert len(spool.pending()) == 1
    spool.replay(replay_spooled)
    assert [e.body for e in late_replies()] and len(late_replies()) == 1
    assert facts() == 1


def test_a_replay_that_crashed_before_deleting_the_file_sends_nothing_twice(db, spool_dir):
    carer = consented()
    during_outage(db, lambda: carer.send("my mum has COPD", "tell_fact", message_id="SMcrash"))
    (path,) = spool.pending()
    kept = path.read_bytes()
    spool.replay(replay_spooled)
    path.write_bytes(kept)  # as if the worker died between queueing and deleting
    spool.replay(replay_spooled)
    assert len(late_replies()) == 1 and facts() == 1


def test_a_kept_message_answered_meanwhile_by_a_retry_is_not_answered_again(db, spool_dir):
    carer = consented()
    during_outage(db, lambda: carer.send("my mum has COPD", "tell_fact", message_id="SMretried"))
    assert "copd" in said(texts(carer.send("my mum has COPD", "tell_fact", message_id="SMretried")))
    spool.replay(replay_spooled)
    assert late_replies() == [] and spool.pending() == []
    assert facts() == 1


def test_a_message_answered_by_the_outbox_gets_no_second_answer_inline(db, spool_dir):
    carer = consented()
    during_outage(db, lambda: carer.send("my mum has COPD", "tell_fact", message_id="SMlate"))
    spool.replay(replay_spooled)
    assert texts(carer.send("my mum has COPD", "tell_fact", message_id="SMlate")) == []
    assert len(late_replies()) == 1


def test_answers_are_stored_encrypted_and_purged(db):
    carer = consented()
    carer.send("my mum has COPD", "tell_fact", message_id="SMpurge")
    with session_scope() as session:
        rows = session.execute(select(answered.AnsweredTurn)).scalars().all()
        assert rows and all("COPD" not in row.replies_enc for row in rows)
    from datetime import timedelta

    from bot.timeutil import utcnow

    assert answered.purge_before(utcnow() - timedelta(days=1)) == 0
    assert answered.purge_before(utcnow() + timedelta(seconds=1)) == len(rows)


def test_turn_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("ONESTORY_TURN_TIMEOUT", "4.5")
    assert adapter.turn_timeout() == 4.5
    monkeypatch.setenv("ONESTORY_TURN_TIMEOUT", "nonsense")
    assert adapter.turn_timeout() == adapter.DEFAULT_TURN_TIMEOUT
