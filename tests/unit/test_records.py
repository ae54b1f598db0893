"""The care record: consent, facts with provenance and history, audit, encryption, locking."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from bot import crypto
from bot.db import engine, session_scope
from bot.phone import phone_hash
from bot.records import models as m
from bot.records import service as records
from bot.records.audit import Actor

PHONE = "+447700900111"


def _family() -> tuple[str, str]:
    with session_scope() as session:
        carer = records.start_family(session, phone_hash(PHONE), PHONE, "sms", 'replied "yes"')
        return carer.family_id, carer.id


def _actor(carer_id: str) -> Actor:
    return Actor("carer", carer_id, "sms")


def test_start_family_records_consent_and_audit(db):
    family_id, carer_id = _family()
    with session_scope() as session:
        consents = session.execute(select(m.Consent).where(m.Consent.family_id == family_id)).scalars().all()
        assert {c.scope for c in consents} == {records.KEEP_RECORD, records.SHARE_WITH_FAMILY}
        assert all(c.method == 'replied "yes"' and c.channel == "sms" for c in consents)
        purposes = [a.purpose for a in session.execute(select(m.AuditEntry)).scalars()]
        assert "family.create" in purposes and "consent.give" in purposes
        assert records.member_by_phone_hash(session, phone_hash(PHONE)).id == carer_id


def test_fact_has_provenance_and_correction_keeps_history(db):
    family_id, carer_id = _family()
    actor = _actor(carer_id)
    with session_scope() as session:
        mum = records.add_cared_for(session, family_id, actor, "mother", "Margaret")
        records.add_fact(session, family_id, mum.id, actor, "medicine", "medicine:warfarin", "warfarin 3mg")
    with session_scope() as session:
        records.end_facts(session, family_id, None, actor, "medicine:warfarin")
        records.add_fact(session, family_id, mum.id, actor, "medicine", "medicine:apixaban", "apixaban 5mg")
    with session_scope() as session:
        current = records.read_record(session, family_id, actor, "test")
        history = records.read_record(session, family_id, actor, "test", include_history=True)
    assert [f.value for f in current.facts] == ["apixaban 5mg"]
    assert {f.value: f.status for f in history.facts} == {"warfarin 3mg": m.ENDED, "apixaban 5mg": m.CURRENT}
    fact = current.facts[0]
    assert (fact.said_by_kind, fact.said_by_id, fact.channel) == ("carer", carer_id, "sms")
    assert fact.said_at is not None


def test_same_key_new_value_supersedes_and_repeat_is_a_no_op(db):
    family_id, carer_id = _family()
    actor = _actor(carer_id)
    with session_scope() as session:
        dad = records.add_cared_for(session, family_id, actor, "father", None)
        records.add_fact(session, family_id, dad.id, actor, "address", "address:postcode", "EM3 4QT")
        _, created_again = records.add_fact(session, family_id, dad.id, actor, "address", "address:postcode",
                                            "EM3 4QT")
        records.add_fact(session, family_id, dad.id, actor, "address", "address:postcode", "EM1 1AA")
    assert created_again is False
    with session_scope() as session:
        rows = session.execute(select(m.Fact).where(m.Fact.family_id == family_id)).scalars().all()
        by_status = {(crypto.decrypt(r.value_enc), r.status) for r in rows}
        assert by_status == {("EM3 4QT", m.SUPERSEDED), ("EM1 1AA", m.CURRENT)}
        old = next(r for r in rows if r.status == m.SUPERSEDED)
        assert old.superseded_by_id is not None


def test_sensitive_values_are_encrypted_at_rest_and_phone_is_not_stored_plain(db):
    family_id, carer_id = _family()
    actor = _actor(carer_id)
    with session_scope() as session:
        mum = records.add_cared_for(session, family_id, actor, "mother", "Margaret")
        records.add_fact(session, family_id, mum.id, actor, "condition", "condition:dementia", "dementia")
    with engine().connect() as connection:
        dump = " ".join(str(v) for table in ("people", "facts", "audit_log", "consents")
                        for row in connection.execute(text(f"SELECT * FROM {table}")) for v in row)
    for secret in ("Margaret", "dementia", PHONE, "7700900111"):
        assert secret not in dump


def test_audit_log_holds_no_contents_and_records_reads(db):
    family_id, carer_id = _family()
    actor = _actor(carer_id)
    with session_scope() as session:
        mum = records.add_cared_for(session, family_id, actor, "mother", "Edith")
        records.add_fact(session, family_id, mum.id, actor, "condition", "condition:heart failure", "heart failure")
        records.read_record(session, family_id, actor, "summary")
    with session_scope() as session:
        entries = session.execute(select(m.AuditEntry).where(m.AuditEntry.family_id == family_id)).scalars().all()
    assert {(e.action, e.purpose) for e in entries} >= {("read", "summary"), ("write", "fact.add.condition")}
    joined = " ".join(f"{e.purpose} {e.entity} {e.entity_id} {e.actor_id}" for e in entries)
    assert "Edith" not in joined and "heart" not in joined


def test_invited_member_is_not_a_member_until_confirmed(db):
    family_id, carer_id = _family()
    tom = "+447700900222"
    with session_scope() as session:
        inviter = session.get(m.Person, carer_id)
        records.invite(session, inviter, _actor(carer_id), "Tom", "brother", phone_hash(tom), tom)
    with session_scope() as session:
        person = records.member_by_phone_hash(session, phone_hash(tom))
        assert person.status == m.INVITED
        records.confirm_member(session, person, "sms", 'replied "YES"')
    with session_scope() as session:
        assert records.member_by_phone_hash(session, phone_hash(tom)).status == m.CONFIRMED
        assert records.member_by_phone_hash(session, phone_hash("+447700900333")) is None


def test_number_already_in_another_family_cannot_be_invited(db):
    _, first_carer = _family()
    with session_scope() as session:
        other = records.start_family(session, phone_hash("+447700900444"), "+447700900444", "sms", "yes")
        other_id = other.id
    with session_scope() as session, pytest.raises(records.RecordError):
        records.invite(session, session.get(m.Person, other_id), _actor(other_id), "X", None,
                       phone_hash(PHONE), PHONE)


def test_withdrawing_consent_ends_access_and_keeps_history(db):
    family_id, carer_id = _family()
    with session_scope() as session:
        left = records.withdraw_consent(session, session.get(m.Person, carer_id), "sms", "asked")
    assert left == 0
    with session_scope() as session:
        assert records.member_by_phone_hash(session, phone_hash(PHONE)) is None
        consents = session.execute(select(m.Consent).where(m.Consent.person_id == carer_id)).scalars().all()
        assert consents and all(c.withdrawn_at is not None for c in consents)
        assert session.get(m.Family, family_id).status == "closed"


def test_concurrent_writes_from_two_family_members_both_land(db):
    family_id, carer_id = _family()
    with session_scope() as session:
        mum = records.add_cared_for(session, family_id, _actor(carer_id), "mother", None)
        mum_id = mum.id
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            records.write_with_retry(lambda session: records.add_fact(
                session, family_id, mum_id, _actor(carer_id), "need", f"need:item{index}", f"item {index}"))
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with session_scope() as session:
        record = records.read_record(session, family_id, _actor(carer_id), "test")
        family = session.get(m.Family, family_id)
    assert sorted(f.value for f in record.facts) == sorted(f"item {i}" for i in range(8))
    assert family.version >= 10  # every write bumped the version


def test_stale_version_is_detected(db):
    """Without the version column a stale writer would silently overwrite; here it must fail."""
    from sqlalchemy.orm.exc import StaleDataError

    family_id, _ = _family()
    with pytest.raises(StaleDataError), session_scope() as first:
        family = first.get(m.Family, family_id)
        with session_scope() as second:
            records.touch(second.get(m.Family, family_id))
        records.touch(family)
        first.flush()


def test_key_rotation_reencrypts_and_rehashes(db, monkeypatch):
    from bot.records import rotate_keys

    family_id, carer_id = _family()
    with session_scope() as session:
        mum = records.add_cared_for(session, family_id, _actor(carer_id), "mother", "Rose")
        records.add_fact(session, family_id, mum.id, _actor(carer_id), "condition", "condition:copd", "COPD")
    old = crypto.env("ONESTORY_SECRET_KEY")
    monkeypatch.setenv("ONESTORY_SECRET_KEY", f"a-brand-new-secret-key-for-rotation,{old}")
    rotate_keys.rotate()
    monkeypatch.setenv("ONESTORY_SECRET_KEY", "a-brand-new-secret-key-for-rotation")  # old key dropped
    with session_scope() as session:
        member = records.member_by_phone_hash(session, phone_hash(PHONE))
        assert member is not None and member.id == carer_id
        record = records.read_record(session, family_id, _actor(carer_id), "test")
        assert [f.value for f in record.facts] == ["COPD"]
        assert record.cared_for[0].name == "Rose"
        _, created = records.add_fact(session, family_id, mum.id, _actor(carer_id), "condition",
                                      "condition:copd", "COPD")
        assert created is False  # the fact key hash was recomputed under the new key
