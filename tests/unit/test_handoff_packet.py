"""The SBAR packet carries the record's facts and the conversation, so nobody asks again."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import packet as packets
from bot.handoff import service
from bot.handoff import staff_models as sm
from bot.records import models as rm
from bot.records import service as records
from tests.unit.handoff_fixtures import family_with_story, load_staff, sms_turn

MONDAY_10AM = datetime(2025, 3, 3, 10, 0, tzinfo=timezone.utc)


def _open(turn, trigger=sm.ASKED, urgency=sm.ROUTINE, **extra):
    with session_scope() as session:
        me = records.member_by_phone_hash(session, turn.phone_hash)
        outcome = service.open_handoff(
            session, sender_key=turn.sender_key, channel=turn.channel, phone_e164=turn.phone_e164, me=me,
            trigger=trigger, urgency=urgency, latest=turn.text, previous=turn.previous_texts,
            asked_for="The carer asked to talk to a person.", now=MONDAY_10AM, **extra)
        return outcome.handoff.id, outcome.carer_text


def test_the_packet_contains_the_records_facts(db):
    load_staff()
    family_id, _ = family_with_story()
    handoff_id, _ = _open(sms_turn("can I speak to a real person please",
                                   previous=["I look after my dad, he has had a stroke, we live at EM3 1AB"]),
                          could_not=["No responsibility rule for: a stairlift repair"])
    with session_scope() as session:
        packet = service.packet_of(session.get(sm.Handoff, handoff_id))
    background = dict(packet.background)
    assert background["My health conditions"] == ["stroke"]
    assert background["My medicines"] == ["warfarin 3mg"]
    assert background["Access to my home"] == ["key safe by the back door, code with the family"]
    assert background["People important to me"] == ["district nurses visit on Tuesdays"]
    assert any("Arthur" in line for line in packet.people)
    assert len(packet.timeline) == 5
    assert "asked to speak to a person" in packet.situation
    assert packet.could_not == ["No responsibility rule for: a stairlift repair"]
    assert packet.recommendation == "The carer asked to talk to a person."
    assert packet.conversation[-1] == ["carer", "can I speak to a real person please"]
    text = packets.as_text(packet)
    for heading in ("SITUATION", "BACKGROUND", "ASSESSMENT", "RECOMMENDATION", "RECENT CONVERSATION"):
        assert heading in text
    with session_scope() as session:  # building it was an audited read, and nothing is stored in clear
        purposes = [a.purpose for a in session.execute(select(rm.AuditEntry).where(
            rm.AuditEntry.family_id == family_id)).scalars()]
        assert "handoff.packet" in purposes
        raw = session.get(sm.Handoff, handoff_id).packet_enc
        assert "warfarin" not in raw


def test_a_carer_without_a_record_shares_only_the_conversation(db):
    load_staff()
    handoff_id, text = _open(sms_turn("I need to talk to someone", phone="+447700900777"))
    with session_scope() as session:
        handoff = session.get(sm.Handoff, handoff_id)
        packet = service.packet_of(handoff)
        assert handoff.family_id is None
        assert session.get(sm.Professional, handoff.assigned_to_id).is_team
    assert packet.has_record is False and packet.background == []
    assert "only what you've said in this chat" in text
