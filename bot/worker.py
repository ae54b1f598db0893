"""Background jobs: send the outbox, replay messages kept during a database outage, and the
scheduled jobs other modules register (escalation, retention). `python -m bot.worker`."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from bot.channels import idempotency
from bot.db import DatabaseUnavailable
from bot.dialogue import answered, router
from bot.dialogue.turn import Turn
from bot.handoff import outbox
from bot.records import retention, spool
from bot.settings import refuse_development_defaults
from bot.timeutil import utcnow

log = logging.getLogger("onestory.worker")

# (name, seconds between runs, job). Modules add theirs in jobs().
Job = tuple[str, float, Callable[[], object]]


def replay_spooled(data: dict) -> bool:
    """Process one message kept during an outage; text the carer the answer.

    The dialogue queues the replies in the outbox with the turn's own changes, keyed on the
    message's id (bot.dialogue.answered): a message already answered is not answered again,
    and two messages with the same words are each answered. Replies from turns that change
    nothing (the emergency routes) are queued here under the same keys, so never twice.
    """
    turn = Turn(**data)
    turn.reply_by_outbox = True
    try:
        replies = router.respond(turn)
        if replies == [router.texts.DB_DOWN]:
            return False
        if turn.phone_e164:
            for index, reply in enumerate(replies):
                outbox.enqueue_sms(turn.phone_e164, reply, purpose="late_reply",
                                   idempotency_key=answered.reply_key(turn.message_id, index))
    except DatabaseUnavailable:
        return False
    return True


def _seconds(name: str, default: float) -> float:
    try:
        return max(float(os.environ.get(name) or default), 0.5)
    except ValueError:
        return default


def jobs() -> list[Job]:
    found: list[Job] = [
        ("outbox", 2.0, outbox.dispatch_due),
        ("spool", _seconds("ONESTORY_SPOOL_REPLAY_SECONDS", 10.0), lambda: spool.replay(replay_spooled)),
        # Twilio retries within hours; a week of MessageSids is plenty for deduplication.
        ("inbound-purge", 3600.0, lambda: idempotency.purge_before(utcnow() - timedelta(days=7))),
        ("answered-purge", 3600.0, lambda: answered.purge_before(utcnow() - timedelta(days=7))),
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
    found.append(("directory-pull", 300.0, directory_pull))
    return found


def directory_pull() -> list[str]:
    """Pull the councils' Open Referral UK feeds that are due (each feed has its own interval)."""
    from bot.directory import pull

    return [f"{r.url}: {'ok' if r.ok else r.error}" for r in pull.pull_due()]


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
    refuse_development_defaults()  # started directly (supervisord), not only by the launcher
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
