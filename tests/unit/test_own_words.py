"""The carer's own words: kept whole, encrypted, with provenance, on the people they mention, audited."""
from __future__ import annotations

from sqlalchemy import select

from bot.db import session_scope
from bot.records import models as m
from bot.records import notes
from bot.records import service as records
from bot.records.audit import Actor
from bot.records.note_models import Note


def _family():
    with session_scope() as session:
        me = records.start_family(session, "hash-own-words", "+447700900777", "sms", "test")
        actor = Actor("carer", me.id, "sms")
        mum = records.add_cared_for(session, me.family_id, actor, "mother", "Sheila")
        dad = records.add_cared_for(session, me.family_id, actor, "father", "Ron")
        return me.family_id, me.id, mum.id, dad.id


def test_a_note_is_kept_encrypted_on_its_people_and_audited(db):
    family_id, me_id, mum_id, dad_id = _family()
    actor = Actor("carer", me_id, "sms")
    with session_scope() as session:
        notes.add_note(session, family_id, actor, "mum keeps her teeth in a cup by the kettle", [mum_id],
                       {mum_id: ["keeps her teeth in a cup by the kettle"]})
    with session_scope() as session:
        raw = session.execute(select(Note)).scalar_one()
        assert "kettle" not in raw.text_enc and "kettle" not in (raw.rest_enc or "")
        assert raw.said_by_id == me_id and raw.channel == "sms"
        kept = notes.read_notes(session, family_id, actor, "summary")
        purposes = [a.purpose for a in session.execute(select(m.AuditEntry).where(
            m.AuditEntry.family_id == family_id, m.AuditEntry.entity == "note")).scalars()]
    assert [n.text for n in kept] == ["mum keeps her teeth in a cup by the kettle"]
    assert kept[0].person_ids == (mum_id,)
    assert notes.rest_by_person(kept, [mum_id, dad_id]) == {mum_id: ["keeps her teeth in a cup by the kettle"]}
    assert purposes == ["note.add", "summary"]


def test_a_note_can_be_about_several_people(db):
    family_id, me_id, mum_id, dad_id = _family()
    with session_scope() as session:
        notes.add_note(session, family_id, Actor("carer", me_id, "sms"), "mum and dad both like the radio",
                       [mum_id, dad_id, mum_id])
        kept = notes.read_notes(session, family_id, Actor("carer", me_id, "sms"), "summary")
    assert set(kept[0].person_ids) == {mum_id, dad_id}
