"""Several workers share one outbox: each SMS is claimed by one worker and sent once.

On PostgreSQL a worker claims the oldest due message with SELECT ... FOR UPDATE SKIP LOCKED and
keeps the row locked while it sends: another worker skips it without waiting, and a worker that
dies mid-send releases it at once. SQLite has one writer at a time: a conditional update claims.
"""
from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from contextlib import ExitStack

import pytest
from sqlalchemy import select, text

from bot import db as dbmod
from bot.db import Base
from bot.handoff import models as m
from bot.handoff import outbox
from bot.timeutil import utcnow


class Recorder:
    """A provider that remembers every message it accepted, shared by several workers."""

    def __init__(self, pause: float = 0.0) -> None:
        self.pause = pause
        self.lock = threading.Lock()
        self.sent: list[tuple[str, str, str]] = []

    def for_worker(self, name: str):
        recorder = self

        class Sender:
            def send(self, to_e164: str, body: str) -> str:
                time.sleep(recorder.pause)
                with recorder.lock:
                    recorder.sent.append((name, to_e164, body))
                return "SM" + uuid.uuid4().hex

        return Sender()


class Blocking:
    """Blocks in send until released, then fails as if the provider was never reached."""

    def __init__(self) -> None:
        self.entered, self.release = threading.Event(), threading.Event()
        self.bodies: list[str] = []

    def send(self, to_e164: str, body: str) -> str:
        self.bodies.append(body)
        self.entered.set()
        self.release.wait(30)
        raise outbox.SendError("connection reset before Twilio answered")


def queue(count: int) -> list[str]:
    bodies = [f"message {i:03d}" for i in range(count)]
    for i, body in enumerate(bodies):
        outbox.enqueue_sms(f"+4477009{i % 1000:05d}", body, "test")
    return bodies


def statuses() -> Counter:
    with dbmod.session_scope() as session:
        return Counter(session.execute(select(m.OutboundMessage.status)).scalars())


def test_two_workers_at_once_send_every_message_exactly_once(db):
    bodies = queue(60)
    provider = Recorder(pause=0.002)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        sender = provider.for_worker(name)
        try:
            while statuses()[m.PENDING]:
                outbox.dispatch_due(sender=sender, limit=7)
        except BaseException as error:  # surfaced below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(name,)) for name in ("w1", "w2")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert not errors, errors
    sent = Counter(body for _, _, body in provider.sent)
    assert sorted(sent) == bodies and set(sent.values()) == {1}
    assert {name for name, _, _ in provider.sent} == {"w1", "w2"}  # both really worked
    assert statuses() == Counter({m.SENT: 60})


def test_a_slow_send_does_not_hold_up_the_other_messages(db):
    queue(5)
    slow = Blocking()
    first = threading.Thread(target=lambda: outbox.dispatch_due(sender=slow))
    first.start()
    try:
        assert slow.entered.wait(10)
        provider = Recorder()
        assert outbox.dispatch_due(sender=provider.for_worker("w2")) == 4
        assert slow.bodies[0] not in {body for _, _, body in provider.sent}
    finally:
        slow.release.set()
        first.join(30)
    later = Recorder()
    assert outbox.dispatch_due(sender=later.for_worker("w3"), now=utcnow() + outbox.MAX_BACKOFF) == 1
    assert [body for _, _, body in later.sent] == slow.bodies[:1]


def test_an_unexpected_error_while_sending_is_retried_later_not_at_once(db):
    queue(1)

    class Broken:
        calls = 0

        def send(self, to_e164: str, body: str) -> str:
            Broken.calls += 1
            raise RuntimeError("provider library bug")

    now = utcnow()
    assert outbox.dispatch_due(sender=Broken(), now=now) == 0
    assert outbox.dispatch_due(sender=Broken(), now=now) == 0
    [entry] = outbox.recent_for("+447700900000")
    assert Broken.calls == 1 and entry.status == m.PENDING and entry.attempts == 1
    assert outbox.dispatch_due(sender=Recorder().for_worker("w"), now=now + outbox.MAX_BACKOFF) == 1


# --- PostgreSQL: the claim itself -------------------------------------------------------------

@pytest.fixture
def pg(empty_pg_database):
    engine = dbmod.configure(empty_pg_database)
    Base.metadata.create_all(engine)
    yield empty_pg_database
    dbmod.configure("sqlite://")


def test_two_claimers_on_postgresql_never_claim_the_same_row_and_never_wait(pg):
    queue(12)
    now = utcnow()
    claimed: list[int] = []
    with ExitStack() as open_transactions:  # twelve workers, each still sending what it claimed
        for _ in range(13):
            session = open_transactions.enter_context(dbmod.session_scope())
            # A claimer that waited behind another's lock would fail here instead of hanging.
            session.execute(text("SET LOCAL lock_timeout = '2s'"))
            row = outbox.claim_next(session, now)
            if row is not None:
                claimed.append(row.id)
        assert len(claimed) == len(set(claimed)) == 12  # the thirteenth found nothing left
    with dbmod.session_scope() as session:
        assert outbox.claim_next(session, now) is not None  # all released when they ended


def test_on_postgresql_a_worker_that_dies_mid_send_releases_its_message_at_once(pg):
    queue(1)
    stuck = Blocking()
    first = threading.Thread(target=lambda: _swallow(lambda: outbox.dispatch_due(sender=stuck)))
    first.start()
    try:
        assert stuck.entered.wait(10)
        with dbmod.engine().connect() as admin:
            killed = admin.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state = 'idle in transaction'")).scalars().all()
            admin.commit()
        assert killed == [True]
        provider = Recorder()
        assert outbox.dispatch_due(sender=provider.for_worker("w2")) == 1  # not after a timeout: now
        assert [body for _, _, body in provider.sent] == stuck.bodies
    finally:
        stuck.release.set()
        first.join(30)
    assert statuses() == Counter({m.SENT: 1})


def _swallow(job) -> None:
    try:
        job()
    except Exception:  # the dead worker's own ending does not matter here
        pass


# --- sending through Twilio's API -------------------------------------------------------------

def test_twilio_sender_posts_to_the_configured_api_address(db, monkeypatch):
    from tests.fake_twilio import FakeTwilio

    queue(2)
    with FakeTwilio() as twilio:
        monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC" + "1" * 32)
        monkeypatch.setenv("TWILIO_AUTH_TOKEN", "a-real-looking-token")
        monkeypatch.setenv("TWILIO_API_BASE_URL", twilio.url)
        sender = outbox.default_sender()
        assert isinstance(sender, outbox.TwilioSender)
        assert outbox.dispatch_due(sender=sender) == 2
        sent = twilio.sent()
    assert sorted(message["Body"] for message in sent) == ["message 000", "message 001"]
    assert {message["From"] for message in sent} == {"+447700900000"}
    assert all(message["StatusCallback"].endswith("/webhooks/twilio/status") for message in sent)
    with dbmod.session_scope() as session:
        sids = set(session.execute(select(m.OutboundMessage.provider_sid)).scalars())
    assert sids == {message["sid"] for message in sent}
