"""Text a web or REST client can choose, through the real actions: a clear answer, never an apology
for our own failure. (REST and web clients choose their own conversation ids and send any bytes.)"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db import session_scope
from bot.demo import EASTMERE
from bot.dialogue import texts
from bot.directory.importer import import_feed
from bot.records import models as m
from tests.actions.helpers import Web, said

SORRY = "something went wrong"


@pytest.fixture(autouse=True)
def eastmere(db):
    assert import_feed(EASTMERE).ok
    yield


@pytest.mark.parametrize("sender", ["web\x00chat-session-0123456789abcdef", "w" * 81, "tab\tin-the-id-0123456789"])
def test_a_conversation_id_the_dialogue_cannot_keep_gets_a_clear_answer(sender):
    replies = Web(sender).say("who do I ask for a carer's assessment? I live in EM2", "ask_responsible")
    assert replies == [texts.BAD_CONVERSATION]
    with session_scope() as session:  # nothing was half-written under the odd id
        assert session.execute(select(func.count()).select_from(m.ConversationState)).scalar_one() == 0


def test_control_characters_in_messages_are_dropped_and_the_question_answered():
    visitor = Web()
    visitor.say("hello\x00\x1b[2J", "greet")  # an earlier message, kept in the tracker as sent
    replies = visitor.say("who do I ask for a carer's\x00 assessment?\x07 I live in EM2", "ask_responsible")
    assert SORRY not in said(replies) and "is responsible" in said(replies)
