"""Web-chat codes and links: hash-only storage, expiry, single use, five tries, rate limits, and
the same outcome for an unknown number (without a text)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import crypto
from bot.db import session_scope
from bot.handoff import outbox
from bot.phone import phone_hash
from bot.records import models as m
from bot.records import service as records
from bot.records import web_links as links
from bot.records.web_link_models import WebCode, WebLink
from bot.timeutil import utcnow

MEMBER, OTHER, UNKNOWN = "+447700900301", "+447700900302", "+447700900399"
SESSION = "a" * 32


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(links, "clock", fake)
    return fake


def _member(number: str = MEMBER) -> str:
    with session_scope() as session:
        return records.start_family(session, phone_hash(number), number, "sms", "test").id


def _request(number: str = MEMBER, session_id: str = SESSION) -> links.Requested:
    with session_scope() as session:
        return links.request_code(session, session_id, number)


def _check(code: str, session_id: str = SESSION) -> links.CheckResult:
    with session_scope() as session:
        result = links.check_code(session, session_id, code)
        if result.person is not None:
            session.expunge(result.person)
        return result


def _texted_code(number: str = MEMBER) -> str:
    bodies = [e.body for e in outbox.recent_for(number) if e.purpose == "web_code"]
    assert bodies
    return re.search(r"\b(\d{6})\b", bodies[0]).group(1)


def _codes() -> list[WebCode]:
    with session_scope() as session:
        return list(session.execute(select(WebCode).order_by(WebCode.created_at)).scalars())


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "999999"


def test_code_is_texted_and_stored_only_as_a_salted_keyed_hash(db, clock):
    _member()
    assert _request() is links.Requested.SENT
    code = _texted_code()
    [row] = _codes()
    assert code not in (row.code_hash, row.salt, row.sender_hash, row.phone_hash)
    assert row.code_hash == crypto.keyed_hash(f"{row.salt}:{code}", "web-link-code")
    assert row.code_hash != crypto.keyed_hash(code, "phone")  # a purpose of its own
    assert row.sender_hash != SESSION and row.phone_hash == phone_hash(MEMBER)
    assert row.expires_at is not None
    entry = outbox.recent_for(MEMBER)[0]
    assert entry.purpose == "web_code" and "10 minutes" in entry.body


def test_two_codes_never_share_a_salt(db, clock):
    _member()
    _request(session_id="b" * 32)
    _request(session_id="c" * 32)
    first, second = _codes()
    assert first.salt != second.salt and first.code_hash != second.code_hash


def test_right_code_links_once_only(db, clock):
    person_id = _member()
    _request()
    code = _texted_code()
    result = _check(code)
    assert result.outcome is links.Checked.LINKED and result.person.id == person_id
    assert _check(code).outcome is links.Checked.NO_CODE  # single use
    with session_scope() as session:
        assert links.linked_person(session, SESSION).id == person_id


def test_code_expires_after_ten_minutes(db, clock):
    _member()
    _request()
    code = _texted_code()
    clock.advance(minutes=10, seconds=1)
    assert _check(code).outcome is links.Checked.NO_CODE
    with session_scope() as session:
        assert links.linked_person(session, SESSION) is None


def test_code_still_works_just_before_expiry(db, clock):
    _member()
    _request()
    clock.advance(minutes=9, seconds=50)
    assert _check(_texted_code()).outcome is links.Checked.LINKED


def test_five_wrong_tries_void_the_code(db, clock):
    _member()
    _request()
    code = _texted_code()
    for left in (4, 3, 2, 1):
        result = _check(_wrong(code))
        assert result.outcome is links.Checked.WRONG and result.tries_left == left
    assert _check(_wrong(code)).outcome is links.Checked.VOIDED
    assert _check(code).outcome is links.Checked.NO_CODE  # the right code no longer works
    [row] = _codes()
    assert row.voided_at is not None and row.attempts == 5


def test_a_code_works_only_in_the_session_that_asked(db, clock):
    _member()
    _request()
    assert _check(_texted_code(), session_id="d" * 32).outcome is links.Checked.NO_CODE


def test_a_new_request_voids_the_previous_code(db, clock):
    _member()
    _request()
    first = _texted_code()
    clock.advance(seconds=5)
    _request()
    second = _texted_code()
    if first != second:
        assert _check(first).outcome is links.Checked.WRONG
    assert _check(second).outcome is links.Checked.LINKED


def test_requests_are_rate_limited_per_number(db, clock):
    _member()
    for n in range(links.MAX_PER_NUMBER):
        assert _request(session_id=f"{n}" * 32) is links.Requested.SENT
    assert _request(session_id="z" * 32) is links.Requested.RATE_LIMITED
    assert len([e for e in outbox.recent_for(MEMBER) if e.purpose == "web_code"]) == links.MAX_PER_NUMBER
    clock.advance(hours=1, seconds=1)
    assert _request(session_id="z" * 32) is links.Requested.SENT


def test_requests_are_rate_limited_per_session(db, clock):
    numbers = [f"+4477009004{n:02d}" for n in range(links.MAX_PER_SESSION + 1)]
    for number in numbers[:-1]:
        assert _request(number) is links.Requested.SENT
    assert _request(numbers[-1]) is links.Requested.RATE_LIMITED


def test_unknown_number_gets_the_same_outcome_and_no_text(db, clock):
    _member()
    assert _request(UNKNOWN) is links.Requested.SENT
    assert outbox.recent_for(UNKNOWN) == []
    [row] = _codes()
    assert row.person_id is None
    # Guesses behave like wrong codes for a known number; none can ever link.
    for _ in range(4):
        assert _check("123456").outcome is links.Checked.WRONG
    assert _check("123456").outcome is links.Checked.VOIDED
    # And the rate limit counts unknown numbers too, so it reveals nothing either.
    for n in range(links.MAX_PER_NUMBER - 1):
        assert _request(UNKNOWN, session_id=f"{n}" * 32) is links.Requested.SENT
    assert _request(UNKNOWN, session_id="y" * 32) is links.Requested.RATE_LIMITED


def test_invited_member_gets_no_code(db, clock):
    _member()
    with session_scope() as session:
        inviter = records.member_by_phone_hash(session, phone_hash(MEMBER))
        records.invite(session, inviter, records.Actor("carer", inviter.id, "sms"), "Tom", "brother",
                       phone_hash(OTHER), OTHER)
    assert _request(OTHER) is links.Requested.SENT
    assert outbox.recent_for(OTHER) == []


def test_short_session_ids_cannot_link(db, clock):
    _member()
    assert _request(session_id="me") is links.Requested.WEAK_SESSION
    assert outbox.recent_for(MEMBER) == []


def test_link_lapses_after_thirty_idle_days_and_use_keeps_it_alive(db, clock):
    _member()
    _request()
    _check(_texted_code())
    for _ in range(3):
        clock.advance(days=29)
        with session_scope() as session:
            assert links.linked_person(session, SESSION) is not None
    clock.advance(days=30, seconds=1)
    with session_scope() as session:
        assert links.linked_person(session, SESSION) is None
    with session_scope() as session:
        assert links.linked_person(session, SESSION) is None  # and stays revoked


def test_links_can_be_revoked_and_end_when_the_member_leaves(db, clock):
    person_id = _member()
    _request()
    _check(_texted_code())
    with session_scope() as session:
        assert links.revoke(session, SESSION) is True
        assert links.linked_person(session, SESSION) is None
    clock.advance(minutes=1)
    _request()
    _check(_texted_code())
    with session_scope() as session:
        person = session.get(m.Person, person_id)
        records.withdraw_consent(session, person, "sms", "test")
    with session_scope() as session:
        assert links.linked_person(session, SESSION) is None
        assert session.execute(select(WebLink)).scalar_one().revoked_at is not None


def test_find_code_reads_what_people_type():
    assert links.find_code("123456") == "123456"
    assert links.find_code("it's 123 456 thanks") == "123456"
    assert links.find_code("123-456") == "123456"
    assert links.find_code("12345") is None and links.find_code("1234567") is None
