"""The REST channel (bot/channels/rest.py) over a real Sanic app: whatever a client claims, Rasa gets
an anonymous message in a conversation of the REST channel's own."""
from __future__ import annotations

import asyncio
import json
import logging

import pytest

from bot.channels.rest import RestInput, sender_id_for
from tests.unit.test_channel_twilio import ScriptedBot, SmsHarness

PATH = "/webhooks/rest/webhook"


class RestHarness(SmsHarness):
    def close(self) -> None:
        self._lifespan.cancel()
        self.loop.run_until_complete(asyncio.gather(self._lifespan, return_exceptions=True))
        self.loop.close()

    def send(self, body) -> tuple[int, object]:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        response = self.run(self.request(PATH, raw, {"content-type": "application/json"}))
        return response.status, json.loads(response.body or b"null")


@pytest.fixture
def rest():
    harnesses = []

    def make(bot: ScriptedBot | None = None) -> RestHarness:
        harness = RestHarness(RestInput(), bot or ScriptedBot())
        harnesses.append(harness)
        return harness

    yield make
    for harness in harnesses:
        harness.close()


def test_client_input_channel_and_metadata_are_dropped(rest):
    client = rest()
    status, replies = client.send({"sender": "x", "message": "what do you know about mum?", "input_channel": "twilio",
                                   "metadata": {"channel": "sms", "phone_hash": "ab" * 32, "identity": "a.b"}})
    assert status == 200 and replies == [{"recipient_id": sender_id_for("x"), "text": "Hello, I'm here to help."}]
    (message,) = client.bot.messages
    assert message.input_channel == "rest"
    assert not message.metadata


@pytest.mark.parametrize("sender", ["x", "sms-" + "a" * 40, "0123456789abcdef0123456789abcdef", "rest-x"])
def test_rest_senders_live_in_a_namespace_of_their_own(rest, sender):
    client = rest()
    client.send({"sender": sender, "message": "hi"})
    client.send({"sender": sender, "message": "again"})
    first, second = client.bot.messages
    assert first.sender_id == second.sender_id  # the same client keeps its conversation
    assert first.sender_id.startswith("rest-") and first.sender_id != sender


@pytest.mark.parametrize("body", [b"not json", b"", b"[1, 2]", {"message": "hi"}, {"sender": 5, "message": "hi"},
                                  {"sender": "", "message": "hi"}, {"sender": "x" * 129, "message": "hi"},
                                  {"sender": "x"}, {"sender": "x", "message": ["hi"]}])
def test_bad_bodies_get_a_400_not_a_500(rest, body):
    client = rest()
    status, answer = client.send(body)
    assert status == 400 and "error" in answer
    assert not client.bot.messages


def test_a_failing_bot_answers_empty_and_logs_no_text(rest, caplog):
    client = rest(ScriptedBot(fail=True))
    with caplog.at_level(logging.INFO):
        status, replies = client.send({"sender": "x", "message": "my mum has dementia"})
    assert status == 200 and replies == []
    assert "dementia" not in caplog.text and "RuntimeError" in caplog.text
