"""Background jobs: send the outbox, replay messages kept during a database outage, and the
scheduled jobs other modules register (escalation, retention). `python -m bot.worker`."""
from __future__ import annotations

import argparse
import hashlib
import logging
import signal
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from bot.channels import idempotency
from bot.db import DatabaseUnavailable
from bot.dialogue import router
from bot.dialogue.turn import Turn
from bot.handoff import outbox
from bot.records import retention, spool
from bot.timeutil import utcnow

log = logging.getLogger("onestory.worker")

# (name, seconds between runs, job). Modules add theirs in jobs().
Job = tuple[str, float, Callable[[], object]]


def replay_spooled(data: dict) -> bool:
    """Process one message kept during an outage; text the carer the answer."""
    turn = Turn(**data)
    try:
        replies = router.respond(turn)
        if replies == [router.texts.DB_DOWN]:
            return False
        if turn.phone_e164:
            for index, reply in enumerate(replies):
                # A stable key (not hash(), which differs per process): a replay after a crash
                # between queueing and deleting the spool file queues nothing twice.
                digest = hashlib.sha256(f"{turn.sender_key}:{turn.text}".encode()).hexdigest()[:32]
                outbox.enqueue_sms(turn.phone_e164, reply, purpose="late_reply",
                                   idempotency_key=f"spool:{digest}:{index}")
    except DatabaseUnavailable:
        return False
    return True


def jobs() -> list[Job]:
    found: list[Job] = [
        ("outbox", 2.0, outbox.dispatch_due),
        ("spool", 10.0, lambda: spool.replay(replay_spooled)),
        # Twilio retries within hours; a week of MessageSids is plenty for deduplication.
        ("inbound-purge", 3600.0, lambda: idempotency.purge_before(utcnow() - timedelta(days=7))),
    ]
    try:  # later modules (escalation, retention) register here when present
        from bot.handoff import escalation

        found.append(("escalation", 30.0, escalation.run_due))
    except ImportError:
        pass
    # Emails through the outbox, and the daily SMS digest for leads with no email address.
    from bot.handoff import email, notifications

    found += [("email", 5.0, email.dispatch_due), ("digest", 600.0, notifications.send_digests)]
    # Issue 5: delete Rasa tracker events past ONESTORY_TRACKER_RETENTION_DAYS, once a day.
    found.append(("retention", 86400.0, retention.run))
    return found


def run_forever(stop: threading.Event) -> None:
    schedule = {name: 0.0 for name, _, _ in jobs()}
    while not stop.is_set():
        now = time.monotonic()
        for name, every, job in jobs():
            if now >= schedule[name]:
                schedule[name] = now + every
                try:
                    job()
                except DatabaseUnavailable:
                    log.warning("%s: database unavailable, will retry", name)
                except Exception:  # a failing job must not stop the others
                    log.exception("%s job failed", name)
        stop.wait(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.worker")
    parser.add_argument("--once", action="store_true", help="run every job once and exit")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    if args.once:
        for name, _, job in jobs():
            log.info("%s: %s", name, job())
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    run_forever(stop)


if __name__ == "__main__":
    main()
