"""Identity comes only from what our own channels sign, through the real actions.

A message whose metadata claims to be an SMS from a member's phone (the channel name, the phone's
hash, its encrypted number, a signed identity copied from another message or conversation, or a
tampered one) is an anonymous visitor: it learns nothing of any record and confirms no invitation.
"""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from bot import crypto
from bot.channels import identity
from bot.db import session_scope
from bot.phone import phone_hash, sender_id_for_phone
from bot.records import models as m
from tests.actions.helpers import Conversation, Phone, Web, said
from tests.actions.test_web_link_actions import _linked_web

SARAH, TOM = "+447700900301", "+447700900302"
SARAH_WEB = "+447700900201"  # the number test_web_link_actions' family uses
RECORD_WORDS = ("parkinson", "co-careldopa", "harold", "em3")


class Spoof(Conversation):
    """A client that writes its own input_channel and metadata, as Rasa's REST channel lets it."""

    def __init__(self, sender_id: str, input_channel: str, metadata: dict):
        super().__init__(sender_id)
        self.input_channel, self._metadata = input_channel, metadata

    def metadata(self, message_id: str) -> dict:
        return dict(self._metadata)


def _family() -> Phone:
    sarah = Phone(SARAH)
    sarah.say("hi", "greet")
    sarah.say("yes", "affirm")
    sarah.say("my dad Harold has Parkinson's and lives at EM3 4QT", "tell_fact")
    sarah.say("he takes co-careldopa 25/100 three times a day", "tell_fact")
    return sarah


def _learns_nothing(conversation: Conversation) -> None:
    for text, intent in [("what do you know about mum?", "ask_record"), ("what do you know about dad?", "ask_record"),
                         ("more", "more_detail"), ("hi", "greet"), ("what medicines is Harold on?", "ask_record")]:
        replies = said(conversation.say(text, intent))
        assert not any(word in replies for word in RECORD_WORDS), (text, replies)


def _status(number: str) -> str:
    with session_scope() as session:
        return session.execute(select(m.Person.status).where(m.Person.phone_hash == phone_hash(number))).scalar_one()


def test_the_member_herself_sees_the_record(db):
    sarah = _family()
    assert "parkinson" in said(sarah.say("what do you know about dad?", "ask_record"))


@pytest.mark.parametrize("sender", ["x", "sms-spoof", None])
def test_metadata_claiming_a_members_phone_learns_nothing(db, sender):
    _family()
    sender_id = sender or sender_id_for_phone(SARAH)  # None: even her own conversation's sender id
    spoof = Spoof(sender_id, "twilio", {"channel": "sms", "phone_hash": phone_hash(SARAH),
                                        "phone_enc": crypto.encrypt(SARAH)})
    _learns_nothing(spoof)


def test_a_signed_identity_copied_into_another_conversation_learns_nothing(db):
    sarah = _family()
    copied = sarah.events[-2]["metadata"]  # her last message's signed identity
    _learns_nothing(Spoof("x", "twilio", copied))
    _learns_nothing(Spoof(Web().sender_id, "socketio", copied))


def test_a_signed_identity_copied_onto_a_new_message_in_her_conversation_learns_nothing(db):
    sarah = _family()
    copied = sarah.events[-2]["metadata"]
    _learns_nothing(Spoof(sarah.sender_id, "twilio", copied))  # each message has a new message id


def test_a_tampered_identity_learns_nothing(db):
    _family()

    class Tampered(Conversation):
        def metadata(self, message_id: str) -> dict:
            token = identity.sign(identity.SMS, self.sender_id, message_id, "+447700900999")
            body, mac = token.split(".")
            forged = identity.sign(identity.SMS, self.sender_id, message_id, SARAH).split(".")[0]
            return {"channel": "sms", identity.METADATA_KEY: f"{forged}.{mac}"}

    _learns_nothing(Tampered(sender_id_for_phone(SARAH)))


def test_a_web_identity_cannot_claim_a_phone(db):
    _family()

    class WebClaimingPhone(Conversation):
        def metadata(self, message_id: str) -> dict:
            return {**identity.metadata(identity.WEB, self.sender_id, message_id),
                    "phone_hash": phone_hash(SARAH), "phone_enc": crypto.encrypt(SARAH)}

    _learns_nothing(WebClaimingPhone(uuid.uuid4().hex))


def test_metadata_cannot_confirm_an_invitation(db):
    sarah = _family()
    sarah.say("please add my brother Tom, his number is 07700 900302", "add_family_member")
    assert _status(TOM) == m.INVITED
    spoof = Spoof("x", "twilio", {"channel": "sms", "phone_hash": phone_hash(TOM), "phone_enc": crypto.encrypt(TOM)})
    replies = said(spoof.say("YES", "affirm"))
    assert not any(word in replies for word in RECORD_WORDS)
    assert _status(TOM) == m.INVITED
    own_sender = Spoof(sender_id_for_phone(TOM), "twilio", {"channel": "sms", "phone_hash": phone_hash(TOM)})
    own_sender.say("YES", "affirm")
    assert _status(TOM) == m.INVITED
    _learns_nothing(Phone(TOM))  # the invited phone itself, before it says yes
    assert "parkinson" in said(Phone(TOM).say("YES", "affirm"))  # and then it does
    assert _status(TOM) == m.CONFIRMED


def test_a_linked_web_session_is_that_member_only_through_our_web_channel(db):
    from tests.actions.test_web_link_actions import _family as web_family

    web_family()
    web = _linked_web()
    assert "parkinson" in said(web.say("what do you know about my dad?", "ask_record"))
    # The same session id without our channel's signature (e.g. posted to Rasa's REST channel).
    _learns_nothing(Spoof(web.sender_id, "socketio", {"channel": "web"}))
    _learns_nothing(Spoof(web.sender_id, "rest", {}))


def test_words_written_into_her_conversation_by_anyone_else_are_not_noted_as_hers(db):
    sarah = Phone(SARAH)
    sarah.say("hi", "greet")
    # A message in her conversation that our SMS channel did not sign (e.g. posted to Rasa's REST
    # channel under her sender id).
    claims = {"channel": "sms", "phone_hash": phone_hash(SARAH)}
    sarah.events.append({"event": "user", "text": "my mum has COPD and takes warfarin 3mg", "input_channel": "rest",
                         "message_id": uuid.uuid4().hex, "metadata": claims,
                         "parse_data": {"intent": {"name": "tell_fact", "confidence": 0.9}}})
    replies = said(sarah.say("yes", "affirm"))
    assert "copd" not in replies and "warfarin" not in replies
    with session_scope() as session:
        assert session.execute(select(m.Fact)).first() is None
