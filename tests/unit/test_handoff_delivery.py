"""Delivery that cannot be lost: the outbox retries with backoff, never drops, never sends twice."""
from __future__ import annotations

from datetime import timedelta

from bot.handoff import outbox
from bot.timeutil import utcnow


class FlakyTwilio:
    """Fails `failures` times, then sends; remembers every message it really sent."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0
        self.sent: list[tuple[str, str]] = []

    def send(self, to_e164: str, body: str) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise outbox.SendError("twilio 503: 20500", "20500")
        self.sent.append((to_e164, body))
        return f"SM{self.calls:032d}"


def test_twilio_failing_three_times_then_succeeding_delivers_exactly_one(db):
    outbox.enqueue_sms("07700 900101", "OneStory URGENT handoff", "handoff_alert", idempotency_key="h1:new")
    outbox.enqueue_sms("07700 900101", "OneStory URGENT handoff", "handoff_alert", idempotency_key="h1:new")
    twilio = FlakyTwilio(failures=3)
    now = utcnow()
    for minute in range(0, 30):  # the worker's loop, on a fake clock
        outbox.dispatch_due(sender=twilio, now=now + timedelta(minutes=minute))
    assert twilio.calls == 4
    assert twilio.sent == [("+447700900101", "OneStory URGENT handoff")]
    [entry] = outbox.recent_for("+447700900101")
    assert entry.status == outbox.m.SENT and entry.attempts == 4


def test_a_failed_send_waits_longer_each_time(db):
    outbox.enqueue_sms("+447700900102", "hello", "test")
    twilio = FlakyTwilio(failures=10)
    now = utcnow()
    assert outbox.dispatch_due(sender=twilio, now=now) == 0
    assert outbox.dispatch_due(sender=twilio, now=now + timedelta(seconds=4)) == 0
    assert twilio.calls == 1  # backoff: not yet due again
    outbox.dispatch_due(sender=twilio, now=now + timedelta(seconds=6))
    assert twilio.calls == 2
    outbox.dispatch_due(sender=twilio, now=now + timedelta(seconds=12))
    assert twilio.calls == 2  # second wait is 10s
    outbox.dispatch_due(sender=twilio, now=now + timedelta(seconds=17))
    assert twilio.calls == 3
    assert outbox.recent_for("+447700900102")[0].status == outbox.m.PENDING  # never dropped


def test_web_messages_wait_for_the_widget_and_are_collected_once(db):
    outbox.enqueue_web("web-abc", "Priya (Local area co-ordinator): hello", "handoff_reply", idempotency_key="r1")
    outbox.enqueue_web("web-abc", "Priya (Local area co-ordinator): hello", "handoff_reply", idempotency_key="r1")
    twilio = FlakyTwilio(failures=0)
    outbox.dispatch_due(sender=twilio)
    assert twilio.calls == 0  # web messages are never texted
    assert outbox.collect_web("web-other") == []
    assert outbox.collect_web("web-abc") == ["Priya (Local area co-ordinator): hello"]
    assert outbox.collect_web("web-abc") == []
