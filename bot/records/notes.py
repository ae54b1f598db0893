"""Reading and writing the carer's own words. Every read and write is audited, like the facts."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import crypto
from bot.records import models as m
from bot.records.audit import Actor, audit
from bot.records.note_models import Note, NoteSubject
from bot.records.service import touch
from bot.timeutil import as_utc, utcnow


@dataclass(frozen=True)
class NoteView:
    id: str
    text: str  # the whole message, as written
    person_ids: tuple[str, ...]
    rest: dict = field(default_factory=dict)  # person id (or "") -> the parts not structured
    said_by_kind: str = "carer"
    said_by_id: Optional[str] = None
    said_at: Optional[datetime] = None
    channel: str = ""


def add_note(session: Session, family_id: str, actor: Actor, text: str, person_ids: list[str],
             rest: Optional[dict[str, list[str]]] = None) -> Note:
    """Keep a message in the carer's own words, attached to the people it is about."""
    note = Note(family_id=family_id, text_enc=crypto.encrypt(text),
                rest_enc=crypto.encrypt(json.dumps(rest)) if rest else None,
                said_by_kind=actor.kind, said_by_id=actor.id, said_at=utcnow(), channel=actor.channel)
    session.add(note)
    session.flush()
    for person_id in dict.fromkeys(person_ids):
        session.add(NoteSubject(note_id=note.id, person_id=person_id))
    touch(session.get(m.Family, family_id))
    audit(session, actor, "write", family_id, "note", note.id, "note.add")
    return note


def read_notes(session: Session, family_id: str, actor: Actor, purpose: str) -> list[NoteView]:
    """The family's notes, oldest first, audited as one read."""
    notes = list(session.execute(select(Note).where(Note.family_id == family_id)
                                 .order_by(Note.said_at)).scalars())
    subjects: dict[str, list[str]] = {}
    if notes:
        for row in session.execute(select(NoteSubject).where(NoteSubject.note_id.in_([n.id for n in notes]))
                                   ).scalars():
            subjects.setdefault(row.note_id, []).append(row.person_id)
    audit(session, actor, "read", family_id, "note", None, purpose)
    return [NoteView(n.id, crypto.decrypt(n.text_enc), tuple(subjects.get(n.id, ())),
                     json.loads(crypto.decrypt(n.rest_enc)) if n.rest_enc else {},
                     n.said_by_kind, n.said_by_id, as_utc(n.said_at), n.channel) for n in notes]


def rest_by_person(notes: list[NoteView], people: list[str]) -> dict[str, list[str]]:
    """What each person's record holds only in the carer's words (never repeated across people)."""
    found: dict[str, list[str]] = {}
    for note in notes:
        for person_id, parts in note.rest.items():
            owner = person_id or (note.person_ids[0] if note.person_ids else (people[0] if len(people) == 1 else ""))
            if owner:
                found.setdefault(owner, [])
                found[owner] += [p for p in parts if p not in found[owner]]
    return found
