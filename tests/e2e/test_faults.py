"""Fault injection over HTTP with the real servers: nothing a carer texts is lost or doubled.

One stack per backend for the whole module (Rasa, the action server and the worker), with short
timeouts set through the environment:
- SQLite: kill -9 the action server mid-conversation, and Rasa (Twilio retries: the same
  MessageSid again until it gets an answer), then restart them;
- PostgreSQL, behind a TCP proxy (tests/e2e/tcp_proxy.py): kill -9 the action server; the
  database refusing connections; the database hanging (the proxy stops forwarding);
- the web chat (socket.io, as the widget speaks it): kill -9 the action server mid-conversation.
Each case sends a duplicate MessageSid during the outage, and ends with every message answered
exactly once, in the TwiML or through the outbox (never both, never twice), and every fact
stored once in the record.
"""
from __future__ import annotations

import os
import secrets
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sqlalchemy import create_engine, func, select, text
from twilio.request_validator import RequestValidator

from bot import crypto
from bot import db as dbmod
from bot.channels import sms_keywords as kw
from bot.channels import web_keep
from bot.channels.sms_text import sms_messages
from bot.dialogue import texts as dialogue_texts
from bot.handoff import models as hm
from bot.migrate import upgrade
from bot.phone import phone_hash
from bot.records import models as m
from bot.records import web_links
from tests.conftest import PG_ADMIN_URL
from tests.e2e.stack import AUTH_TOKEN, BOT_NUMBER, MODEL, PY, Stack
from tests.e2e.tcp_proxy import TcpProxy

pytestmark = pytest.mark.e2e

# Short timeouts so each fault resolves in seconds, not minutes.
FAST = {
    "ONESTORY_SMS_REPLY_TIMEOUT": "10",  # Twilio waits 15 s; the client below does too
    "ONESTORY_SMS_DB_TIMEOUT": "1.5",
    "ONESTORY_SMS_REPLAY_INTERVAL": "1",
    "ONESTORY_INBOUND_STALE_SECONDS": "5",
    "ONESTORY_TURN_TIMEOUT": "12",  # the first turn after a restart loads the language models
    "ONESTORY_DB_CONNECT_TIMEOUT": "2",
    "ONESTORY_DB_STATEMENT_TIMEOUT": "5",
    "ONESTORY_DB_POOL_TIMEOUT": "3",
    "ONESTORY_SPOOL_REPLAY_SECONDS": "1",
}
TWILIO_TIMEOUT = 15.0
# What the carer is told when the answer comes later: not an answer.
NOTICES = {text for notice in (kw.KEPT_REPLY, kw.HOLDING_REPLY, dialogue_texts.DB_DOWN)
           for text in sms_messages([notice])}
# One fact per message, each new: the answer names it ("Noted for your mum: asthma.").
FACTS = ["asthma", "diabetes", "metformin", "arthritis", "dementia", "glaucoma", "amlodipine", "donepezil",
         "high blood pressure", "salbutamol", "epilepsy", "osteoporosis"]
SAYING = {"metformin": "she takes metformin", "amlodipine": "she takes amlodipine",
          "donepezil": "she takes donepezil", "salbutamol": "she takes salbutamol"}


def saying(fact: str) -> str:
    return SAYING.get(fact, f"my mum has {fact}")


class FaultStack(Stack):
    """The real servers plus the worker, each of which a test can kill -9 and start again.
    `direct_url`: the database as the test reads it (not through the proxy)."""

    direct_url: str = ""
    proxy: TcpProxy | None = None

    def commands(self) -> dict[str, list[str]]:
        rasa = str(Path(PY).with_name("rasa"))
        return {
            "actions": [PY, "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.actions_port)],
            "rasa": [rasa, "run", "--model", str(MODEL), "--endpoints", self.endpoints, "--credentials",
                     "credentials.yml", "--port", str(self.rasa_port), "--enable-api", "--auth-token",
                     "e2e-rasa-token"],
            "worker": [PY, "-m", "bot.worker"],
        }

    def launch_all(self) -> None:
        for name in self.commands():
            self.launch(name)

    def ready_all(self) -> None:
        self.ready("actions")
        self.ready("rasa")

    def start(self) -> None:
        self.launch_all()
        self.ready_all()

    def stop(self) -> None:
        """No need to be gentle with a stack built to be killed."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        for log in self.logs.values():
            log.close()
        self.processes, self.logs = {}, {}

    def launch(self, name: str) -> None:
        if name not in self.logs:
            self.logs[name] = open(self.var_dir / f"{name}.log", "ab")  # noqa: SIM115  (closed in stop())
        self.processes[name] = subprocess.Popen(self.commands()[name], cwd=Path(__file__).resolve().parents[2],
                                                env=self.env(), stdout=self.logs[name],
                                                stderr=subprocess.STDOUT, start_new_session=True)

    def ready(self, name: str) -> None:
        if name == "actions":
            self._wait(f"http://127.0.0.1:{self.actions_port}/health", 120)
        elif name == "rasa":
            self._wait(f"{self.base_url}/", 300)

    def kill(self, name: str) -> None:
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def revive(self, name: str) -> None:
        self.launch(name)
        self.ready(name)


@dataclass
class Sent:
    sid: str
    body: str
    fact: str
    responses: list[list[str]] = field(default_factory=list)  # the texts of each 200 answer


class Carer:
    """A phone texting the bot as Twilio delivers it: signed, 15 s timeout, and (when asked)
    retried with the same MessageSid until an answer comes, as Twilio's retries do."""

    def __init__(self, stack: FaultStack, number: str) -> None:
        self.stack, self.number = stack, number
        self.sent: list[Sent] = []
        self._lock = threading.Lock()

    def text(self, body: str, fact: str = "", sid: str | None = None, retry_for: float = 0.0) -> list[str] | None:
        message = next((s for s in self.sent if s.sid == sid), None) if sid else None
        if message is None:
            message = Sent(sid or "SM" + uuid.uuid4().hex, body, fact)
            with self._lock:
                self.sent.append(message)
        deadline = time.monotonic() + retry_for
        while True:
            replies = self._post(message)
            if replies is not None:
                message.responses.append(replies)
                return replies
            if time.monotonic() >= deadline:
                return None
            time.sleep(2)

    def text_in_background(self, body: str, fact: str, retry_for: float) -> threading.Thread:
        sid = "SM" + uuid.uuid4().hex
        with self._lock:
            self.sent.append(Sent(sid, body, fact))
        thread = threading.Thread(target=self.text, args=(body, fact, sid, retry_for), daemon=True)
        thread.start()
        return thread

    def _post(self, message: Sent) -> list[str] | None:
        url = self.stack.base_url + "/webhooks/twilio/webhook"
        params = {"MessageSid": message.sid, "AccountSid": "AC" + "0" * 32, "From": self.number, "To": BOT_NUMBER,
                  "Body": message.body, "NumMedia": "0"}
        request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(), headers={
            "X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(url, params),
            "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=TWILIO_TIMEOUT) as response:
                raw = response.read().decode()
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return None  # Twilio got no answer: it would retry
        return [(el.find("Body").text if el.find("Body") is not None else el.text or "").strip()
                for el in ElementTree.fromstring(raw).iter("Message")] if raw.strip() else []


# --- checking the outcome --------------------------------------------------------------------------

def late_replies(sid: str) -> list[str]:
    with dbmod.session_scope() as session:
        rows = session.execute(select(hm.OutboundMessage).where(
            hm.OutboundMessage.idempotency_key.like(f"reply:{sid}:%"))).scalars().all()
        return [crypto.decrypt(row.body_enc) for row in rows]


def answered_inline(message: Sent) -> list[list[str]]:
    return [replies for replies in message.responses if any(r not in NOTICES for r in replies)]


def kept_files(stack: FaultStack) -> list[Path]:
    return list((stack.var_dir / "spool").rglob("*.msg"))


def settle(stack: FaultStack, carer: Carer, seconds: float = 120) -> None:
    """Wait until every message has its answer and nothing is kept any more."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        waiting = [s for s in carer.sent if not answered_inline(s) and not late_replies(s.sid)]
        if not waiting and not kept_files(stack):
            time.sleep(3)  # anything still on its way (a second answer would be) has time to land
            return
        time.sleep(1)
    raise AssertionError(f"not answered in {seconds} s: {[s.body for s in waiting]}; kept: {kept_files(stack)}"
                         f"\n{stack.tail('rasa')}\n{stack.tail('actions')}\n{stack.tail('worker')}")


def assert_each_answered_once(carer: Carer) -> None:
    for message in carer.sent:
        inline, late = answered_inline(message), late_replies(message.sid)
        assert message.responses, f"{message.body!r} never got a 200"
        assert (len(inline) == 1) != bool(late), (message.body, message.responses, late)
        answer = " ".join(inline[0] if inline else late).lower()
        assert message.fact.lower() in answer, (message.body, answer)


def assert_each_fact_stored_once(carer: Carer) -> None:
    with dbmod.session_scope() as session:
        person = session.execute(select(m.Person).where(m.Person.phone_hash == phone_hash(carer.number))).scalar_one()
        rows = session.execute(select(m.Fact.person_id, m.Fact.key_hash, func.count()).where(
            m.Fact.family_id == person.family_id).group_by(m.Fact.person_id, m.Fact.key_hash)).all()
    told = {s.fact for s in carer.sent if s.fact}
    assert all(count == 1 for _, _, count in rows), rows
    assert len(rows) == len(told)


def check(stack: FaultStack, carer: Carer) -> None:
    settle(stack, carer)
    try:
        assert_each_answered_once(carer)
        assert_each_fact_stored_once(carer)
    except AssertionError as error:
        logs = "\n".join(f"--- {name}\n{stack.tail(name, 80)}" for name in ("rasa", "actions", "worker"))
        raise AssertionError(f"{error}\n{logs}") from None


def new_carer(stack: FaultStack) -> Carer:
    carer = Carer(stack, "+447700" + str(uuid.uuid4().int)[:6])
    assert carer.text("hi") and carer.text("yes")
    carer.sent.clear()  # the conversation starts here: consent given
    return carer


# --- the stacks ------------------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def _as_the_stack_sees_it():
    """The test reads the stacks' databases with their key, and gives the binding back after."""
    before = str(dbmod._engine.url) if dbmod._engine is not None else None
    key = os.environ.get("ONESTORY_SECRET_KEY")
    os.environ["ONESTORY_SECRET_KEY"] = Stack(database_url="", var_dir=Path(".")).env()["ONESTORY_SECRET_KEY"]
    yield
    if key is None:
        os.environ.pop("ONESTORY_SECRET_KEY", None)
    else:
        os.environ["ONESTORY_SECRET_KEY"] = key
    if before is not None:
        dbmod.configure(before)


def _env(var_dir: Path) -> dict[str, str]:
    return {**FAST, "ONESTORY_SPOOL_DIR": str(var_dir / "spool")}


@pytest.fixture(scope="module")
def fault_stacks(tmp_path_factory) -> Iterator[dict]:
    """Both stacks, their processes launched at once (loading Rasa twice in parallel saves a
    minute or two); each test waits only for the stack it uses."""
    if not MODEL.exists():
        pytest.fail("no trained model: run `make model` first (make test does)")
    stacks: dict = {}
    var_dir = tmp_path_factory.mktemp("faults-sqlite")
    url = f"sqlite:///{var_dir / 'onestory.db'}"
    upgrade(url)
    stacks["sqlite"] = FaultStack(database_url=url, var_dir=var_dir, extra_env=_env(var_dir))
    stacks["sqlite"].direct_url = url
    admin, name = None, f"onestory_faults_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 2})
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:
        if os.environ.get("CI") or os.environ.get("ONESTORY_REQUIRE_POSTGRES") == "1":
            raise
        admin = None
    if admin is not None:
        direct = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        upgrade(direct)
        proxy = TcpProxy(5432)
        var_dir = tmp_path_factory.mktemp("faults-postgresql")
        # Everything OneStory runs reaches the database through the proxy; Rasa's tracker stays local.
        stack = FaultStack(database_url=f"postgresql://postgres@{proxy.url_host}/{name}", var_dir=var_dir,
                           extra_env=_env(var_dir))
        stack.direct_url, stack.proxy = direct, proxy
        stacks["postgresql"] = stack
    for stack in stacks.values():
        stack.launch_all()
    yield stacks
    for stack in stacks.values():
        stack.stop()
    if admin is not None:
        stacks["postgresql"].proxy.close()
        dbmod.configure("sqlite://")
        with admin.connect() as connection:
            connection.execute(text(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="module")
def sqlite_stack(fault_stacks) -> FaultStack:
    stack = fault_stacks["sqlite"]
    stack.ready_all()
    return stack


@pytest.fixture(scope="module")
def pg_stack(fault_stacks) -> FaultStack:
    if "postgresql" not in fault_stacks:
        pytest.skip("PostgreSQL does not answer")
    stack = fault_stacks["postgresql"]
    stack.ready_all()
    return stack


@pytest.fixture(params=["sqlite", "postgresql"])
def any_stack(request) -> FaultStack:
    stack = request.getfixturevalue(f"{'sqlite' if request.param == 'sqlite' else 'pg'}_stack")
    dbmod.configure(stack.direct_url)
    return stack


@pytest.fixture
def pg(pg_stack) -> Iterator[tuple[FaultStack, TcpProxy]]:
    dbmod.configure(pg_stack.direct_url)
    yield pg_stack, pg_stack.proxy
    pg_stack.proxy.restore()


# --- the faults ------------------------------------------------------------------------------------

def test_action_server_killed_mid_conversation(any_stack):
    stack = any_stack
    carer = new_carer(stack)
    facts = iter(FACTS)
    for _ in range(2):
        fact = next(facts)
        carer.text(saying(fact), fact)
    fact = next(facts)
    in_flight = carer.text_in_background(saying(fact), fact, retry_for=0)
    time.sleep(0.4)
    stack.kill("actions")  # kill -9, whatever it was doing
    in_flight.join()
    for _ in range(2):
        fact = next(facts)
        assert carer.text(saying(fact), fact) == sms_messages([kw.KEPT_REPLY])
    duplicate = carer.sent[-1]
    assert carer.text(duplicate.body, duplicate.fact, sid=duplicate.sid) == sms_messages([kw.KEPT_REPLY])
    stack.revive("actions")
    fact = next(facts)
    carer.text(saying(fact), fact)
    check(stack, carer)


def test_rasa_killed_mid_conversation_and_twilio_retries(sqlite_stack):
    stack = sqlite_stack
    dbmod.configure(stack.direct_url)
    carer = new_carer(stack)
    facts = iter(FACTS)
    fact = next(facts)
    carer.text(saying(fact), fact)
    fact = next(facts)
    in_flight = carer.text_in_background(saying(fact), fact, retry_for=240)
    time.sleep(0.5)
    stack.kill("rasa")
    fact = next(facts)
    while_down = carer.text_in_background(saying(fact), fact, retry_for=240)
    stack.revive("rasa")
    in_flight.join()
    while_down.join()
    fact = next(facts)
    carer.text(saying(fact), fact)
    check(stack, carer)


def test_database_refusing_connections(pg):
    stack, proxy = pg
    carer = new_carer(stack)
    facts = iter(FACTS)
    fact = next(facts)
    carer.text(saying(fact), fact)
    proxy.refuse()
    for _ in range(2):
        fact = next(facts)
        assert set(carer.text(saying(fact), fact)) <= NOTICES
    duplicate = carer.sent[-1]
    assert set(carer.text(duplicate.body, duplicate.fact, sid=duplicate.sid)) <= NOTICES
    proxy.restore()
    fact = next(facts)
    carer.text(saying(fact), fact)
    check(stack, carer)


def test_database_hanging(pg):
    stack, proxy = pg
    carer = new_carer(stack)
    facts = iter(FACTS)
    fact = next(facts)
    carer.text(saying(fact), fact)
    proxy.hang()
    for _ in range(2):
        fact = next(facts)
        started = time.monotonic()
        replies = carer.text(saying(fact), fact)
        assert replies is not None and time.monotonic() - started < TWILIO_TIMEOUT  # Twilio was answered
        assert set(replies) <= NOTICES
    duplicate = carer.sent[-1]
    assert set(carer.text(duplicate.body, duplicate.fact, sid=duplicate.sid)) <= NOTICES
    proxy.restore()
    fact = next(facts)
    carer.text(saying(fact), fact)
    check(stack, carer)


# --- the web chat ----------------------------------------------------------------------------------

class WebCarer:
    """A browser on the web chat (socket.io, as the widget speaks it), linked to a carer's record."""

    def __init__(self, stack: FaultStack, person_phone: str) -> None:
        import socketio

        self.session_id = secrets.token_hex(16)
        self.received: list[str] = []
        self.sent: list[Sent] = []
        self._confirmed = threading.Event()
        self.client = socketio.Client(reconnection=True)
        self.client.on("session_confirm", lambda *_: self._confirmed.set())
        self.client.on("bot_uttered", lambda message: self.received.append(str((message or {}).get("text") or "")))
        self.client.connect(stack.base_url, transports=["polling"], socketio_path="socket.io", wait_timeout=30)
        self.client.emit("session_request", {"session_id": self.session_id})
        assert self._confirmed.wait(30)
        with dbmod.session_scope() as session:
            person = session.execute(select(m.Person).where(m.Person.phone_hash == phone_hash(person_phone))
                                     ).scalar_one()
            web_links.link(session, self.session_id, person)
        self.number = person_phone

    def say(self, body: str, fact: str = "") -> None:
        self.sent.append(Sent("web", body, fact))
        self.client.emit("user_uttered", {"message": body, "session_id": self.session_id})

    def wait_for(self, count: int, seconds: float = 60) -> list[str]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        return list(self.received)

    def close(self) -> None:
        self.client.disconnect()


def test_action_server_killed_mid_web_chat(sqlite_stack):
    """The web chat loses nothing either: each message while the action server is down is kept,
    the carer is told kindly, and the answer reaches the chat once the action server is back."""
    stack = sqlite_stack
    dbmod.configure(stack.direct_url)
    web = WebCarer(stack, new_carer(stack).number)
    try:
        facts = iter(FACTS)
        fact = next(facts)
        web.say(saying(fact), fact)
        assert any(fact in text.lower() for text in web.wait_for(1))
        fact = next(facts)
        web.say(saying(fact), fact)  # in flight when the action server dies
        time.sleep(0.4)
        stack.kill("actions")
        for _ in range(2):
            fact = next(facts)
            before = len(web.received)
            web.say(saying(fact), fact)
            assert web_keep.KEPT_NOTICE in web.wait_for(before + 1)[before:]
        stack.revive("actions")
        fact = next(facts)
        web.say(saying(fact), fact)

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not all(
                any(s.fact in text.lower() for text in web.received) for s in web.sent):
            time.sleep(1)
        time.sleep(3)  # a second answer, were one on its way, would land
        received = [text.lower() for text in web.received if text != web_keep.KEPT_NOTICE]
        for message in web.sent:  # each answered exactly once, on the chat
            assert sum(message.fact in text for text in received) == 1, (message.body, web.received)
        assert_each_fact_stored_once(web)
    except AssertionError as error:
        logs = "\n".join(f"--- {name}\n{stack.tail(name, 80)}" for name in ("rasa", "actions"))
        raise AssertionError(f"{error}\n{logs}") from None
    finally:
        web.close()
