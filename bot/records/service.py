"""Reading and writing the care record. Every function audits what it reads or writes.

Writes go through `write_with_retry` so that two family members writing at the same moment
both land: the family row's version column detects the clash and the loser re-runs its work.
The check only covers what was read after the family row, so every function here that reads
before it writes loads the family first (`family_for_write`), and so does `member_by_phone_hash`,
which starts a carer's turn: whatever the turn read, a write committed since then is caught.
A writer that lost once locks the families it writes before its retry, so it cannot lose again:
optimistic while writes are rare, and progress for everyone when many arrive together.
"""
from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from bot import crypto
from bot.db import session_scope
from bot.records import models as m
from bot.records.audit import Actor, audit
from bot.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)
T = TypeVar("T")

KEEP_RECORD = "keep_record"
SHARE_WITH_FAMILY = "share_with_family"


class RecordError(Exception):
    """A request the record cannot honour (shown to the user in plain words by the caller)."""


@dataclass(frozen=True)
class FactView:
    id: str
    person_id: Optional[str]
    category: str
    value: str
    detail: dict
    status: str
    said_by_kind: str
    said_by_id: Optional[str]
    said_at: datetime
    channel: str
    key: str = ""  # "medicine:warfarin": what a correction or a move names


@dataclass
class PersonView:
    id: str
    role: str
    name: Optional[str]
    relation: Optional[str]
    status: str


@dataclass
class RecordView:
    family_id: str
    cared_for: list[PersonView] = field(default_factory=list)
    carers: list[PersonView] = field(default_factory=list)
    facts: list[FactView] = field(default_factory=list)

    def facts_for(self, person_id: Optional[str], category: Optional[str] = None) -> list[FactView]:
        return [f for f in self.facts if (person_id is None or f.person_id == person_id)
                and (category is None or f.category == category)]


_WRITTEN = "onestory_families_written"


def write_with_retry(work: Callable[[Session], T], attempts: int = 6) -> T:
    """Run `work` in a transaction, re-running it if another writer changed the family first.

    A re-run first locks the families the lost attempt wrote (SELECT ... FOR UPDATE, which on
    SQLite takes the write lock), in one order, and reads their current versions under the lock.
    """
    written: set[str] = set()
    for attempt in range(attempts):
        try:
            with session_scope() as session:
                if written:
                    session.execute(select(m.Family).where(m.Family.id.in_(sorted(written)))
                                    .order_by(m.Family.id).with_for_update()).scalars().all()
                session.info[_WRITTEN] = written
                return work(session)
        except StaleDataError:
            if attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0, 0.02 * (attempt + 1)))  # jitter: writers that clashed drift apart
    raise AssertionError("unreachable")


def family_for_write(session: Session, family_id: str) -> m.Family:
    """The family row, loaded before the reads a write depends on so its version covers them.

    A row the session already holds is kept as first loaded: the earliest version is the one
    that must still be current when the write commits.
    """
    family = session.get(m.Family, family_id)
    if family is None:
        raise RecordError("no such family")
    session.info.setdefault(_WRITTEN, set()).add(family_id)  # locked first if this attempt loses
    return family


def touch(family: m.Family) -> None:
    """Mark the family changed: bumps its version so concurrent writers notice each other."""
    family.updated_at = utcnow()


def fact_key_hash(key: str) -> str:
    return crypto.keyed_hash(key.strip().lower(), "fact-key")


def name_of(person: m.Person) -> Optional[str]:
    return crypto.decrypt(person.name_enc) if person.name_enc else None


def person_view(person: m.Person) -> PersonView:
    return PersonView(person.id, person.role, name_of(person), person.relation, person.status)


# --- membership ------------------------------------------------------------------------------

def member_by_phone_hash(session: Session, phone_hash: str) -> Optional[m.Person]:
    """The carer (invited or confirmed) whose phone has this keyed hash."""
    # The family comes in the same query: its version is pinned before anything else is read.
    return session.execute(select(m.Person).options(joinedload(m.Person.family)).where(
        m.Person.phone_hash == phone_hash, m.Person.role == m.CARER,
        m.Person.status.in_((m.INVITED, m.CONFIRMED)))).scalar_one_or_none()


def start_family(session: Session, phone_hash: str, phone_e164: Optional[str], channel: str,
                 consent_method: str) -> m.Person:
    """A new family with its first carer, who has just consented to us keeping the record."""
    family = m.Family(status="open")
    session.add(family)
    session.flush()
    carer = m.Person(family_id=family.id, role=m.CARER, relation="self", phone_hash=phone_hash,
                     phone_enc=crypto.encrypt(phone_e164) if phone_e164 else None,
                     status=m.CONFIRMED, confirmed_at=utcnow())
    session.add(carer)
    session.flush()
    actor = Actor("carer", carer.id, channel)
    for scope in (KEEP_RECORD, SHARE_WITH_FAMILY):
        session.add(m.Consent(family_id=family.id, person_id=carer.id, scope=scope,
                              given_at=utcnow(), method=consent_method, channel=channel))
    audit(session, actor, "write", family.id, "family", family.id, "family.create")
    audit(session, actor, "write", family.id, "consent", carer.id, "consent.give")
    return carer


def invite(session: Session, inviter: m.Person, actor: Actor, name: Optional[str],
           relation: Optional[str], phone_hash: str, phone_e164: str) -> m.Person:
    """Invite another family member; they see nothing until they confirm from that phone."""
    family = family_for_write(session, inviter.family_id)
    existing = session.execute(select(m.Person).where(m.Person.phone_hash == phone_hash)).scalar_one_or_none()
    if existing is not None:
        if existing.family_id == inviter.family_id and existing.status in (m.INVITED, m.CONFIRMED):
            return existing
        raise RecordError("number already linked")
    person = m.Person(family_id=inviter.family_id, role=m.CARER, relation=relation,
                      name_enc=crypto.encrypt(name) if name else None, phone_hash=phone_hash,
                      phone_enc=crypto.encrypt(phone_e164), status=m.INVITED, invited_by_id=inviter.id)
    session.add(person)
    touch(family)
    session.flush()
    audit(session, actor, "write", family.id, "person", person.id, "member.invite")
    return person


def confirm_member(session: Session, person: m.Person, channel: str, method: str) -> None:
    family = family_for_write(session, person.family_id)
    person.status, person.confirmed_at = m.CONFIRMED, utcnow()
    actor = Actor("carer", person.id, channel)
    for scope in (KEEP_RECORD, SHARE_WITH_FAMILY):
        session.add(m.Consent(family_id=person.family_id, person_id=person.id, scope=scope,
                              given_at=utcnow(), method=method, channel=channel))
    touch(family)
    audit(session, actor, "write", person.family_id, "person", person.id, "member.confirm")
    audit(session, actor, "write", person.family_id, "consent", person.id, "consent.give")


def withdraw_consent(session: Session, person: m.Person, channel: str, method: str) -> int:
    """Withdraw this member's consent and end their access. Returns confirmed members left."""
    family = family_for_write(session, person.family_id)
    now = utcnow()
    for consent in session.execute(select(m.Consent).where(
            m.Consent.person_id == person.id, m.Consent.withdrawn_at.is_(None))).scalars():
        consent.withdrawn_at, consent.withdrawn_method = now, method
    person.status, person.removed_at = m.REMOVED, now
    person.phone_hash = None  # the number no longer opens this record
    remaining = [p for p in family.people if p.role == m.CARER and p.status == m.CONFIRMED and p.id != person.id]
    if not remaining:
        family.status = "closed"
    touch(family)
    audit(session, Actor("carer", person.id, channel), "write", family.id, "consent", person.id,
          "consent.withdraw")
    return len(remaining)


def inviter_name(session: Session, person: m.Person) -> Optional[str]:
    inviter = session.get(m.Person, person.invited_by_id) if person.invited_by_id else None
    return name_of(inviter) if inviter else None


# --- cared-for people ------------------------------------------------------------------------

def cared_for(session: Session, family_id: str) -> list[m.Person]:
    family_for_write(session, family_id)  # "is mum here yet?" is read before adding her
    return list(session.execute(select(m.Person).where(
        m.Person.family_id == family_id, m.Person.role == m.CARED_FOR,
        m.Person.status == m.ACTIVE).order_by(m.Person.created_at)).scalars())


def find_cared_for(session: Session, family_id: str, relation: Optional[str], name: Optional[str]
                   ) -> Optional[m.Person]:
    """Match by name, then relationship; with one cared-for person and no clash, that person."""
    people = cared_for(session, family_id)
    if name:
        for person in people:
            if (name_of(person) or "").lower() == name.lower():
                return person
    if relation:
        for person in people:
            if person.relation == relation:
                return person
    if len(people) == 1:
        only = people[0]
        name_clash = name and name_of(only) and name_of(only).lower() != name.lower()
        relation_clash = relation and only.relation and only.relation != relation
        if not name_clash and not (relation_clash and name):
            return only
    return None


def add_cared_for(session: Session, family_id: str, actor: Actor, relation: Optional[str],
                  name: Optional[str]) -> m.Person:
    family = family_for_write(session, family_id)
    person = m.Person(family_id=family_id, role=m.CARED_FOR, relation=relation,
                      name_enc=crypto.encrypt(name) if name else None, status=m.ACTIVE)
    session.add(person)
    touch(family)
    session.flush()
    audit(session, actor, "write", family_id, "person", person.id, "cared_for.add")
    return person


def update_cared_for(session: Session, person: m.Person, actor: Actor, relation: Optional[str],
                     name: Optional[str]) -> None:
    """Fill in a name or relationship we did not have; never overwrite one silently."""
    family = family_for_write(session, person.family_id)
    changed = False
    if name and not person.name_enc:
        person.name_enc, changed = crypto.encrypt(name), True
    if relation and not person.relation:
        person.relation, changed = relation, True
    if changed:
        touch(family)
        audit(session, actor, "write", person.family_id, "person", person.id, "cared_for.update")


def rename_cared_for(session: Session, person: m.Person, actor: Actor, name: str) -> Optional[str]:
    """A name put right ("her name is Jean not Joan"). The old name stays in the history as a
    superseded "personal:name" fact; returns it (None when there was nothing to change)."""
    old = name_of(person)
    if old == name:
        return None
    family = family_for_write(session, person.family_id)
    if old:
        was, _ = add_fact(session, person.family_id, person.id, actor, "personal", "personal:name", old)
        was.status, was.ended_at, was.ended_by_id = m.SUPERSEDED, utcnow(), actor.id
    person.name_enc = crypto.encrypt(name)
    touch(family)
    audit(session, actor, "write", person.family_id, "person", person.id, "cared_for.rename")
    return old


# --- facts -----------------------------------------------------------------------------------

def add_fact(session: Session, family_id: str, person_id: Optional[str], actor: Actor, category: str,
             key: str, value: str, detail: Optional[dict] = None) -> tuple[m.Fact, bool]:
    """Store a fact; a different value under the same key supersedes the old one.

    Returns (fact, created): telling us the same thing twice changes nothing.
    """
    family = family_for_write(session, family_id)
    key_hash = fact_key_hash(key)
    current = session.execute(select(m.Fact).where(
        m.Fact.family_id == family_id, m.Fact.key_hash == key_hash, m.Fact.status == m.CURRENT,
        m.Fact.person_id.is_(None) if person_id is None else m.Fact.person_id == person_id,
    )).scalars().all()
    for old in current:
        if crypto.decrypt(old.value_enc) == value:
            return old, False
    fact = m.Fact(family_id=family_id, person_id=person_id, category=category, key_hash=key_hash,
                  key_enc=crypto.encrypt(key.strip().lower()),
                  value_enc=crypto.encrypt(value),
                  detail_enc=crypto.encrypt(json.dumps(detail)) if detail else None,
                  status=m.CURRENT, said_by_kind=actor.kind, said_by_id=actor.id, said_at=utcnow(),
                  channel=actor.channel)
    session.add(fact)
    session.flush()
    for old in current:
        old.status, old.superseded_by_id = m.SUPERSEDED, fact.id
        old.ended_at, old.ended_by_id = utcnow(), actor.id
        audit(session, actor, "write", family_id, "fact", old.id, "fact.supersede")
    touch(family)
    audit(session, actor, "write", family_id, "fact", fact.id, f"fact.add.{category}")
    return fact, True


def end_facts(session: Session, family_id: str, person_id: Optional[str], actor: Actor, key: str
              ) -> list[m.Fact]:
    """Mark current facts with this key as no longer true. They stay in the history."""
    family = family_for_write(session, family_id)
    key_hash = fact_key_hash(key)
    query = select(m.Fact).where(m.Fact.family_id == family_id, m.Fact.key_hash == key_hash,
                                 m.Fact.status == m.CURRENT)
    if person_id is not None:
        query = query.where(m.Fact.person_id == person_id)
    ended = list(session.execute(query).scalars())
    for fact in ended:
        fact.status, fact.ended_at, fact.ended_by_id = m.ENDED, utcnow(), actor.id
        audit(session, actor, "write", family_id, "fact", fact.id, "fact.end")
    if ended:
        touch(family)
    return ended


def move_fact(session: Session, family_id: str, fact_id: str, to_person_id: str, actor: Actor
              ) -> Optional[m.Fact]:
    """A fact told about the wrong person moves to the right one; the old row stays as history."""
    old = session.get(m.Fact, fact_id)
    if old is None or old.family_id != family_id or old.status != m.CURRENT or old.person_id == to_person_id:
        return None
    key = crypto.decrypt(old.key_enc)
    value = crypto.decrypt(old.value_enc)
    detail = json.loads(crypto.decrypt(old.detail_enc)) if old.detail_enc else None
    new, _ = add_fact(session, family_id, to_person_id, actor, old.category, key, value, detail)
    old.status, old.superseded_by_id = m.SUPERSEDED, new.id
    old.ended_at, old.ended_by_id = utcnow(), actor.id
    touch(session.get(m.Family, family_id))
    audit(session, actor, "write", family_id, "fact", old.id, "fact.move")
    return new


def _fact_view(fact: m.Fact) -> FactView:
    return FactView(fact.id, fact.person_id, fact.category, crypto.decrypt(fact.value_enc),
                    json.loads(crypto.decrypt(fact.detail_enc)) if fact.detail_enc else {},
                    fact.status, fact.said_by_kind, fact.said_by_id, as_utc(fact.said_at), fact.channel,
                    crypto.decrypt(fact.key_enc))


def read_record(session: Session, family_id: str, actor: Actor, purpose: str,
                include_history: bool = False) -> RecordView:
    """The whole record as plain values, audited as one read."""
    people = list(session.execute(select(m.Person).where(m.Person.family_id == family_id)
                                  .order_by(m.Person.created_at)).scalars())
    query = select(m.Fact).where(m.Fact.family_id == family_id).order_by(m.Fact.said_at)
    if not include_history:
        query = query.where(m.Fact.status == m.CURRENT)
    facts = [_fact_view(f) for f in session.execute(query).scalars()]
    audit(session, actor, "read", family_id, "family", family_id, purpose)
    return RecordView(
        family_id=family_id,
        cared_for=[person_view(p) for p in people if p.role == m.CARED_FOR and p.status == m.ACTIVE],
        carers=[person_view(p) for p in people if p.role == m.CARER and p.status != m.REMOVED],
        facts=facts)
