"""A message whose turn Rasa saved as handled, by a process that died before the channel recorded
the answer, is answered from the conversation when it is replayed: it is not run through Rasa
again, so it is in the conversation once and its answer goes out once."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from types import SimpleNamespace

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.saved_turns import answer_in_conversation, saved_answer
from bot.channels.twilio_sms import sender_id_for_phone
from bot.dialogue.turn import HANDLED
from tests.unit.test_channel_twilio import ScriptedBot, make_harness  # noqa: F401
from tests.unit.test_channel_twilio_faults import echo, outbox_bodies, row
from tests.unit.test_shared_spool import SESSION, Web, _claimed_elsewhere


def _turn(message_id: str, text: str, replies: list[str], handled: bool = True) -> list:
    events = [UserUttered(text, message_id=message_id), ActionExecuted("action_record")]
    events += [BotUttered(reply) for reply in replies]
    if handled:
        events.append(BotUttered(data={"custom": dict(HANDLED)}))
    return events + [ActionExecuted("action_listen")]


def test_the_saved_answer_is_the_handled_turns_replies_with_its_mark():
    events = _turn("m0", "hi", ["Hello."]) + _turn("m1", "my mum has asthma", ["Noted for mum: asthma."])
    assert saved_answer(events, "m1") == [{"text": "Noted for mum: asthma."}, {"custom": HANDLED}]
    assert saved_answer(events, "m0") == [{"text": "Hello."}, {"custom": HANDLED}]


def test_a_turn_saved_without_the_mark_or_not_saved_has_no_saved_answer():
    failed = _turn("m1", "my mum has asthma", [], handled=False)  # the action server was down
    assert saved_answer(failed, "m1") is None
    assert saved_answer(failed, "m2") is None
    assert saved_answer([], "m1") is None


def test_a_failed_attempt_then_a_handled_copy_gives_the_handled_copys_answer():
    events = _turn("m1", "dad has gout", [], handled=False) + _turn("m1", "dad has gout", ["Noted: gout."])
    assert saved_answer(events, "m1") == [{"text": "Noted: gout."}, {"custom": HANDLED}]


def _app_holding(sender_id: str, events: list) -> SimpleNamespace:
    store = InMemoryTrackerStore(Domain.empty())
    asyncio.run(store.save(DialogueStateTracker.from_events(sender_id, events)))
    return SimpleNamespace(ctx=SimpleNamespace(agent=SimpleNamespace(tracker_store=store)))


def test_no_tracker_store_or_no_conversation_means_rasa_handles_it():
    assert asyncio.run(answer_in_conversation(None, "someone", "m1")) is None
    assert asyncio.run(answer_in_conversation(_app_holding("other", []), "someone", "m1")) is None


def test_an_sms_handled_by_a_replica_that_died_before_recording_it_is_answered_from_the_conversation(
        make_harness):  # noqa: F811
    inbound = _claimed_elsewhere("my mum has asthma")
    bot = ScriptedBot(echo)
    other = make_harness(bot, stale_after=timedelta(seconds=30))
    other.channel._app = _app_holding(sender_id_for_phone(inbound.e164),
                                      _turn(inbound.sid, inbound.text, ["Noted for mum: asthma."]))
    assert other.run(other.channel.replay_kept(bot.handle_message)) == 1
    assert bot.calls == 0  # not run through Rasa a second time
    assert outbox_bodies() == ["Noted for mum: asthma."]  # the answer Rasa saved, sent once
    assert row(inbound.sid).status == "done"


def test_an_sms_whose_saved_turn_has_no_mark_is_run_again(make_harness):  # noqa: F811
    inbound = _claimed_elsewhere("she takes metformin")
    bot = ScriptedBot(echo)
    other = make_harness(bot, stale_after=timedelta(seconds=30))
    other.channel._app = _app_holding(sender_id_for_phone(inbound.e164),
                                      _turn(inbound.sid, inbound.text, [], handled=False))
    assert other.run(other.channel.replay_kept(bot.handle_message)) == 1
    assert bot.calls == 1 and outbox_bodies() == ["About 'she takes metformin'."]


def test_a_kept_web_message_whose_turn_was_saved_is_answered_from_the_conversation(db):
    web, bot = Web(), ScriptedBot(echo, down=True)
    asyncio.run(web.answer_web(SESSION, "w1", "my dad has gout", bot.handle_message))  # kept
    web._app = _app_holding(SESSION, _turn("w1", "my dad has gout", ["Noted for dad: gout."]))
    bot.down = False
    assert asyncio.run(web._replay_web(bot.handle_message)) == 1
    assert bot.calls == 1  # only the first attempt reached Rasa
    web.sio.manager.rooms["/"][SESSION] = {"sid1": "eio1"}
    assert asyncio.run(web.deliver_kept_answers()) == 1
    assert web.said(SESSION)[-1] == "Noted for dad: gout."


def test_a_live_web_claim_is_renewed_while_a_long_replay_runs(db, monkeypatch):
    """The renewals have a task of their own: a replay that takes longer than the stale time does
    not let the claims of messages being answered meanwhile go stale and be taken over."""
    from bot.channels import idempotency, shared_spool
    from bot.channels.models import CHANNEL_WEB

    monkeypatch.setenv("ONESTORY_INBOUND_STALE_SECONDS", "1")
    monkeypatch.setenv("ONESTORY_WEB_REPLAY_INTERVAL", "0.1")
    web, bot = Web(), ScriptedBot(echo, down=True)
    asyncio.run(web.answer_web(SESSION, "w-old", "my dad has gout", bot.handle_message))  # kept
    bot.down, bot.delay = False, 2.5  # its replay will be slow
    live = idempotency.claim("w-live", "b" * 64, body={"session_id": "b" * 32, "message_id": "w-live",
                                                       "text": "hello"}, channel=CHANNEL_WEB)
    web._held["w-live"] = live.owner  # being answered by this process

    async def scenario():
        tasks = [asyncio.ensure_future(web.replay_web_forever(bot.handle_message, None)),
                 asyncio.ensure_future(web.renew_web_forever())]
        await asyncio.sleep(2.0)  # the replay of w-old is still running
        assert "w-old" in web._held
        taken = await asyncio.to_thread(shared_spool.take_due, CHANNEL_WEB, timedelta(seconds=1),
                                        exclude=("w-old",))
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return taken

    assert asyncio.run(scenario()) is None  # w-live's claim stayed fresh


# --- a new message never overtakes an older one held by a process that died ---------------------

def test_a_new_sms_waits_for_an_older_one_still_claimed_by_a_dead_replica(make_harness):  # noqa: F811
    """The older message's claim is still fresh (its replica died a moment ago): the new message
    waits until the claim goes stale, replays the older one, then answers, in order."""
    from tests.unit.test_channel_twilio import sms

    _claimed_elsewhere("yes", minutes_ago=0)
    bot = ScriptedBot(echo)
    harness = make_harness(bot, stale_after=timedelta(seconds=1))
    reply = harness.post(sms("I look after my mum, she has dementia"))
    assert [m.text for m in bot.messages] == ["yes", "I look after my mum, she has dementia"]
    assert reply.messages == ["About 'I look after my mum, she has dementia'."]
    assert outbox_bodies() == ["About 'yes'."]


def test_a_new_sms_behind_an_older_one_the_bot_cannot_answer_is_kept_behind_it(make_harness):  # noqa: F811
    from tests.unit.test_channel_twilio import sms

    older = _claimed_elsewhere("yes", minutes_ago=10)
    bot = ScriptedBot(echo, down=True)
    harness = make_harness(bot, stale_after=timedelta(seconds=30))
    reply = harness.post(sms("my mum has asthma", sid="SM" + "n" * 32))
    assert [m.text for m in bot.messages] == ["yes"]  # the new one was not run ahead of it
    assert row(older.sid).status == "queued" and row("SM" + "n" * 32).status == "queued"
    assert reply.messages and "about 'my mum" not in " ".join(reply.messages).lower()
    bot.down = False
    assert harness.run(harness.channel.replay_kept(bot.handle_message)) == 2
    assert [m.text for m in bot.messages][1:] == ["yes", "my mum has asthma"]


def test_a_new_web_message_waits_for_an_older_one_of_its_session_still_in_other_hands(db, monkeypatch):
    from bot.channels import idempotency, web_keep
    from bot.channels.models import CHANNEL_WEB

    monkeypatch.setenv("ONESTORY_INBOUND_STALE_SECONDS", "1")
    sender = web_keep.session_hash(SESSION)
    idempotency.claim("w-older", sender, body={"session_id": SESSION, "message_id": "w-older", "text": "yes"},
                      channel=CHANNEL_WEB)  # a replica that then died
    web, bot = Web(), ScriptedBot(echo)
    asyncio.run(web.answer_web(SESSION, "w-newer", "my dad has gout", bot.handle_message))
    assert [m.text for m in bot.messages] == ["yes", "my dad has gout"]
    assert web.said(SESSION) == ["About 'my dad has gout'."]
    assert row("w-older").status == "done"
