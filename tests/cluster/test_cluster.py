"""The production layout under load and under failure: one conversation's messages handled in
order whichever replica gets them; many conversations at once; a Rasa replica and a worker
killed mid-load (HAProxy routes round them, nothing is lost, no SMS is sent twice); both come
back (supervisord restarts them) and rejoin."""
from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from bot.channels import sms_keywords as kw
from bot.channels.sms_text import sms_messages
from bot.phone import sender_id_for_phone
from tests.cluster.conftest import Cluster
from tools.eval.client import BotClient, Reply, national

CONVERSATIONS = 20
# What a carer is told when the answer comes later, by text: not an answer in the webhook.
HOLDING = {text for notice in (kw.HOLDING_REPLY, kw.KEPT_REPLY) for text in sms_messages([notice])}


def new_phone() -> str:
    return "+447" + "".join(random.choice("0123456789") for _ in range(9))


def text_as_twilio(client: BotClient, phone: str, body: str, tries: int = 6) -> Reply:
    """One SMS, retried with the same MessageSid when the bot cannot be reached or answers 5xx,
    as Twilio does when its webhook URL carries retry connection overrides."""
    params = client.sms_params(phone, body)
    for _ in range(tries):
        reply = client.sms(params)
        if reply.status and reply.status < 500:
            return reply
        time.sleep(1)
    return reply


def user_texts(cluster: Cluster, phone: str) -> list[str]:
    return [e.get("text") for e in cluster.tracker_events(sender_id_for_phone(phone)) if e["event"] == "user"]


def said(reply: Reply) -> str:
    return "\n".join(reply.texts).lower()


def test_one_conversation_alternates_between_the_replicas_and_is_handled_in_order(cluster: Cluster):
    replicas = [cluster.client(cluster.replica_url(1)), cluster.client(cluster.replica_url(2))]
    phone = new_phone()
    script = ["hi", "yes", "I look after my mum Margaret, she's 84 and has dementia",
              "she takes donepezil 10mg at night", "what do you know about mum?"]
    replies = [text_as_twilio(replicas[i % 2], phone, body) for i, body in enumerate(script)]

    assert all(reply.status == 200 and reply.texts for reply in replies), [(r.status, r.texts) for r in replies]
    assert "dementia" in said(replies[-1]) and "donepezil" in said(replies[-1])
    assert user_texts(cluster, phone) == script


def test_messages_of_one_conversation_arriving_at_both_replicas_at_once_are_both_kept(cluster: Cluster):
    replicas = [cluster.client(cluster.replica_url(1)), cluster.client(cluster.replica_url(2))]
    phone = new_phone()
    for body in ("hi", "yes"):
        assert text_as_twilio(replicas[0], phone, body).status == 200
    together = ["my dad Harold has Parkinson's", "my dad also has diabetes"]
    with ThreadPoolExecutor(2) as pool:  # the Redis lock store makes the second wait for the first
        replies = list(pool.map(lambda pair: text_as_twilio(*pair), zip(replicas, [phone] * 2, together, strict=True)))
    assert all(reply.status == 200 for reply in replies)

    summary = text_as_twilio(replicas[1], phone, "what do you know about dad?")
    assert "parkinson" in said(summary) and "diabetes" in said(summary), summary.texts
    texts = user_texts(cluster, phone)
    assert sorted(texts[2:4]) == sorted(together) and texts[4:] == ["what do you know about dad?"]


def test_a_replica_and_a_worker_killed_mid_load_lose_nothing_send_nothing_twice_and_rejoin(cluster: Cluster):
    sent_before = len(cluster.twilio.sent())
    turns_done, killed = Counter(), {}
    kill_after = CONVERSATIONS * 2  # about a third of the way through the load
    lock = threading.Lock()
    families = [(new_phone(), new_phone()) for _ in range(CONVERSATIONS)]

    def kill_when_due() -> None:
        with lock:
            turns_done["all"] += 1
            due = turns_done["all"] == kill_after
        if due:
            killed["rasa"] = cluster.kill(2, "rasa")
            killed["worker"] = cluster.kill(2, "worker")

    def conversation(index: int) -> list[tuple[str, Reply]]:
        carer, brother = families[index]
        client = cluster.client()
        script = ["hi", "yes", f"I look after my mum, she has dementia (family {index})",
                  f"please add my brother Tom, his number is {national(brother)}",
                  "she takes donepezil 10mg at night", "what do you know about mum?"]
        out = []
        for body in script:
            out.append((body, text_as_twilio(client, carer, body)))
            kill_when_due()
        return out

    with ThreadPoolExecutor(CONVERSATIONS) as pool:
        results = list(pool.map(conversation, range(CONVERSATIONS)))
    assert set(killed) == {"rasa", "worker"}, "the load ended before the kill"

    # HAProxy routed round the dead replica: every request was answered 200 (Twilio's retries
    # of a refused or failed request included).
    refused = [(i, body, reply.status) for i, turns in enumerate(results) for body, reply in turns
               if reply.status != 200]
    assert not refused, refused

    # supervisord restarts both; the replica rejoins HAProxy's pool.
    cluster.wait_for("node 2's worker restarted", lambda: cluster.program_state(2, "worker") == "RUNNING"
                     and cluster.pid(2, "worker") != killed["worker"], 120)
    cluster.wait_for("rasa2 back in the pool", lambda: all(
        cluster.haproxy().get(f"{backend}/rasa2", "").startswith("UP") for backend in ("rasa", "rasa_sms")), 420)
    assert cluster.pid(2, "rasa") != killed["rasa"]

    # No SMS went out twice, though a worker died mid-load.
    cluster.wait_for("the outbox drained", lambda: set(cluster.outbox_statuses()) <= {"sent", "delivered"}, 60)
    sent = cluster.twilio.sent()[sent_before:]
    twice = [key for key, n in Counter((m["To"], m["Body"]) for m in sent).items() if n > 1]
    assert not twice, twice
    assert sum(cluster.outbox_statuses().values()) == len(cluster.twilio.sent())

    # Each conversation's messages were handled in order; a message the killed replica was
    # working on is handled once, later (its carer was told so and answered by text).
    late = {(i, body) for i, turns in enumerate(results) for body, reply in turns if not answered(reply)}
    for index, (carer, _) in enumerate(families):
        sent_texts = [body for body, _ in results[index]]
        on_time = [body for body in sent_texts if (index, body) not in late]
        handled = user_texts(cluster, carer)
        assert [body for body in handled if body in on_time] == on_time, f"conversation {index} out of order"

    # Nothing lost: every message is in its conversation exactly once, and the record holds
    # what was told, whichever replica (or replay) handled it.
    def all_handled() -> bool:
        return all(sorted(user_texts(cluster, carer)) == sorted(body for body, _ in results[index])
                   for index, (carer, _) in enumerate(families))

    try:
        cluster.wait_for("every message handled once", all_handled, 240)
    except AssertionError:
        sent = {index: Counter(body for body, _ in results[index]) for index in range(len(families))}
        handled = {index: Counter(user_texts(cluster, carer)) for index, (carer, _) in enumerate(families)}
        lost = {i: list(sent[i] - handled[i]) for i in sent if sent[i] - handled[i]}
        twice = {i: list(handled[i] - sent[i]) for i in sent if handled[i] - sent[i]}
        raise AssertionError(f"lost (never handled): {lost}; handled twice: {twice}; "
                             f"{len(late)} messages were not answered in the webhook") from None
    for carer, _ in families:
        summary = said(text_as_twilio(cluster.client(), carer, "what do you know about mum?"))
        assert "dementia" in summary and "donepezil" in summary, summary
    cluster.wait_for("the outbox drained", lambda: set(cluster.outbox_statuses()) <= {"sent", "delivered"}, 60)
    sent = cluster.twilio.sent()[sent_before:]
    assert {m["To"] for m in sent if "invited you" in m["Body"]} == {brother for _, brother in families}
    assert not [key for key, n in Counter((m["To"], m["Body"]) for m in sent).items() if n > 1]

    # The restarted processes do real work: the rejoined replica answers, and with node 1's
    # worker stopped, node 2's new worker sends.
    cluster.supervisorctl(1, "stop", "worker")
    try:
        carer, brother = new_phone(), new_phone()
        rejoined = cluster.client(cluster.replica_url(2))
        for body in ("hi", "yes", "I care for my dad", f"please add my brother Sam, his number is {national(brother)}"):
            assert text_as_twilio(rejoined, carer, body).texts
        cluster.wait_for("node 2's new worker sent the invitation",
                         lambda: any(m["To"] == brother for m in cluster.twilio.sent()), 60)
    finally:
        cluster.supervisorctl(1, "start", "worker")


def answered(reply: Reply) -> bool:
    """Answered in the webhook itself, not with a holding notice (the answer then goes by SMS)."""
    return bool(reply.texts) and not any(text in HOLDING for text in reply.texts)
