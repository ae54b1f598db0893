"""OneStory's tracker store keeps Rasa's events encrypted at rest (SQLite and PostgreSQL), reads
them back for Rasa, and `rotate_keys` re-encrypts them, including rows written before."""
from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from bot import crypto
from bot.channels import identity
from bot.channels.tracker_store import EncryptedSQLTrackerStore
from bot.records import rotate_keys, tracker_events

PHONE = "+447700900777"
SAID = "my mum Edith has dementia and takes donepezil 10mg, she lives at EM3 4QT"
REPLY = "Noted for Edith: dementia; donepezil 10mg at night; EM3 4QT."
PLAINTEXT = ("dementia", "donepezil", "Edith", "EM3 4QT", "7700900777")


@pytest.fixture
def tracker_url(db) -> Iterator[str]:
    """Rasa's events table in the test database of each backend, dropped afterwards."""
    yield db
    engine = create_engine(db)
    EncryptedSQLTrackerStore.Base.metadata.drop_all(engine)
    engine.dispose()


def _store(url: str) -> EncryptedSQLTrackerStore:
    return EncryptedSQLTrackerStore(domain=Domain.empty(), host=url)


def _conversation(sender: str = "sms-test") -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, [])
    tracker.update(UserUttered(SAID, {"name": "tell_fact", "confidence": 0.9}, message_id="SM1",
                               metadata=identity.metadata(identity.SMS, sender, "SM1", PHONE)))
    tracker.update(BotUttered(REPLY))
    return tracker


def _rows(url: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text("SELECT * FROM events ORDER BY id"))]
    engine.dispose()
    return rows


def _texts(store: EncryptedSQLTrackerStore, sender: str = "sms-test") -> list[str]:
    tracker = asyncio.run(store.retrieve(sender))
    return [event.as_dict().get("text") for event in tracker.events]


def test_events_are_stored_encrypted_and_read_back(tracker_url):
    store = _store(tracker_url)
    asyncio.run(store.save(_conversation()))
    rows = _rows(tracker_url)
    assert len(rows) == 2
    stored = json.dumps([[str(value) for value in row] for row in rows])
    assert not [word for word in PLAINTEXT if word.lower() in stored.lower()]
    assert _texts(store) == [SAID, REPLY]


def test_a_conversation_continues_across_saves(tracker_url):
    store = _store(tracker_url)
    asyncio.run(store.save(_conversation()))
    tracker = asyncio.run(store.retrieve("sms-test"))
    tracker.update(UserUttered("more", {"name": "more_detail"}))
    asyncio.run(store.save(tracker))
    assert _texts(store) == [SAID, REPLY, "more"]
    assert len(_rows(tracker_url)) == 3


def _plain_rasa_rows(url: str) -> None:
    """Rows as Rasa's own SQL store writes them (before this store was configured)."""
    engine = create_engine(url)
    EncryptedSQLTrackerStore.Base.metadata.create_all(engine)
    with engine.begin() as connection:
        for event in _conversation("sms-old").events:
            connection.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                                    "VALUES ('sms-old', :kind, :stamp, :data)"),
                               {"kind": event.type_name, "stamp": event.timestamp, "data": json.dumps(event.as_dict())})
    engine.dispose()


def test_rows_written_before_encryption_are_still_read(tracker_url):
    _plain_rasa_rows(tracker_url)
    assert _texts(_store(tracker_url), "sms-old") == [SAID, REPLY]


def test_rotate_keys_reencrypts_tracker_events_and_encrypts_old_plaintext_rows(tracker_url, monkeypatch):
    _plain_rasa_rows(tracker_url)
    asyncio.run(_store(tracker_url).save(_conversation()))
    before = _rows(tracker_url)
    old = crypto.env("ONESTORY_SECRET_KEY")
    monkeypatch.setenv("ONESTORY_SECRET_KEY", f"a-brand-new-secret-key-for-rotation,{old}")
    assert rotate_keys.main(tracker_url) == 0
    monkeypatch.setenv("ONESTORY_SECRET_KEY", "a-brand-new-secret-key-for-rotation")  # old key dropped
    after = _rows(tracker_url)
    assert len(after) == len(before) == 4
    assert all(a[-1] != b[-1] for a, b in zip(after, before, strict=True))
    assert not any(tracker_events.is_plaintext(row[-1]) for row in after)
    store = _store(tracker_url)
    assert _texts(store) == [SAID, REPLY] and _texts(store, "sms-old") == [SAID, REPLY]


def test_rotating_a_tracker_store_that_does_not_exist_yet_creates_nothing(tmp_path):
    assert tracker_events.rotate(f"sqlite:///{tmp_path / 'none.db'}") == 0
    assert not (tmp_path / "none.db").exists()
