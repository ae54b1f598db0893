"""The carer conversation runner (tools/eval): Twilio's signature, TwiML, matching, and whole cases
played against a small fake bot that checks signatures with Twilio's own validator."""
from __future__ import annotations

import json
import random
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from twilio.request_validator import RequestValidator

from tools.eval.__main__ import main as eval_main
from tools.eval.cases import CaseError, Family, check, load_cases, run_case
from tools.eval.client import BotClient, national, parse_twiml, twilio_signature

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "runner-test-token"
PUBLIC = "https://bot.example.org"


# --- signing ---------------------------------------------------------------------------------

@pytest.mark.parametrize("params", [
    {"From": "+447700900123", "Body": "hi", "MessageSid": "SM1", "To": "+447700900000"},
    {"Body": "mum’s on donepezil 10mg 🙏 & co", "From": "+447700900123", "NumMedia": "0"},
    {},
])
def test_signature_is_the_one_twilio_computes_and_validates(params):
    url = PUBLIC + "/webhooks/twilio/webhook"
    ours = twilio_signature(TOKEN, url, params)
    assert ours == RequestValidator(TOKEN).compute_signature(url, params)
    assert RequestValidator(TOKEN).validate(url, params, ours)
    assert not RequestValidator("another-token").validate(url, params, ours)
    assert not RequestValidator(TOKEN).validate("http://localhost:5005/webhooks/twilio/webhook", params, ours)


def test_signature_depends_on_every_parameter_and_not_on_their_order():
    url = PUBLIC + "/webhooks/twilio/webhook"
    a = twilio_signature(TOKEN, url, {"From": "+447700900123", "Body": "hi"})
    assert a == twilio_signature(TOKEN, url, {"Body": "hi", "From": "+447700900123"})
    assert a != twilio_signature(TOKEN, url, {"From": "+447700900123", "Body": "hi!"})


# --- reading answers -------------------------------------------------------------------------

def test_twiml_messages_are_read_with_or_without_a_body_element():
    raw = ("<?xml version='1.0' encoding='UTF-8'?><Response><Message><Body>One</Body></Message>"
           "<Message>Two</Message><Message>  </Message></Response>")
    assert parse_twiml(raw) == ["One", "Two"]
    assert parse_twiml("<Response/>") == [] and parse_twiml("") == []
    assert parse_twiml("Internal Server Error")[0].startswith("<not TwiML>")


def test_national_numbers_are_written_as_uk_callers_write_them():
    assert national("+447700900123") == "07700900123"
    assert national("+12025550123") == "+12025550123"


# --- matching --------------------------------------------------------------------------------

@pytest.mark.parametrize("step, replies, problems", [
    ({"expect_any": ["Dementia", "stroke"]}, ["Noted: DEMENTIA."], []),
    ({"expect_any": ["dementia", "stroke"]}, ["Noted: heart failure."], ["none of ['dementia', 'stroke']"]),
    ({"expect_all": ["dementia", "donepezil"]}, ["dementia", "Donepezil 10mg"], []),
    ({"expect_all": ["dementia", "donepezil"]}, ["dementia"], ["missing 'donepezil'"]),
    ({"expect_none": ["warfarin"]}, ["She takes apixaban."], []),
    ({"expect_none": ["warfarin"]}, ["She takes WARFARIN."], ["should not say 'warfarin'"]),
    ({"expect_regex": [r"^Call \d{3}$"]}, ["Please:", "call 999"], []),
    ({"expect_regex": [r"\b111\b"]}, ["call 1111"], ["no match for /\\b111\\b/"]),
    ({"expect_silence": True}, [], []),
    ({"expect_silence": True}, ["hello"], ["expected no reply"]),
    ({"expect_any": ["hello"]}, [], ["no reply", "none of ['hello']"]),
])
def test_each_kind_of_expectation(step, replies, problems):
    assert check(step, replies) == problems


def test_phone_placeholders_name_each_actor_consistently():
    family = Family(random.Random(7))
    text = family.text("add Tom {phone:B}, and again {phone:B}; not {phone:C}")
    b, c = national(family.phone("B")), national(family.phone("C"))
    assert text == f"add Tom {b}, and again {b}; not {c}"
    assert b != c and b.startswith("07") and len(b) == 11


# --- whole cases against a fake bot -----------------------------------------------------------

class FakeBot(BaseHTTPRequestHandler):
    """Checks X-Twilio-Signature against PUBLIC + path with Twilio's validator, answers each
    MessageSid once (a retry gets the same answer), echoes the body; REST echoes as JSON."""

    seen: dict[str, str] = {}
    received: list[dict] = []

    def do_POST(self):  # noqa: N802  (http.server's naming)
        raw = self.rfile.read(int(self.headers["Content-Length"] or 0)).decode()
        if self.path == "/webhooks/twilio/webhook":
            params = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
            FakeBot.received.append(params)
            if not RequestValidator(TOKEN).validate(PUBLIC + self.path, params,
                                                    self.headers.get("X-Twilio-Signature", "")):
                return self._answer(403, "text/plain", "forbidden")
            sid = params["MessageSid"]
            if sid not in FakeBot.seen:
                FakeBot.seen[sid] = f"You said: {params['Body']} (#{len(FakeBot.seen) + 1})" if params["Body"] else ""
            text = FakeBot.seen[sid]
            body = f"<Response><Message>{text}</Message></Response>" if text else "<Response/>"
            return self._answer(200, "application/xml", body)
        message = json.loads(raw)
        return self._answer(200, "application/json", json.dumps([{"text": f"web {message['sender'][:3]}: "
                                                                          f"{message['message']}"}]))

    def _answer(self, status, kind, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_bot():
    FakeBot.seen, FakeBot.received = {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def client(url: str) -> BotClient:
    return BotClient(url, public_url=PUBLIC, auth_token=TOKEN, timeout=5)


def test_a_case_of_sms_web_replay_forgery_and_silence_passes(fake_bot):
    case = {"id": "all-kinds", "steps": [
        {"as": "A", "say": "hi there", "expect_all": ["you said: hi there"]},
        {"as": "A", "say": "", "replay": True, "expect_all": ["hi there (#1)"]},
        {"as": "A", "say": "add {phone:B}", "expect_regex": [r"add 07\d{9}"]},
        {"as": "B", "say": "yes", "expect_none": ["hi there"]},
        {"as": "A", "say": "forged", "signature": "bad", "expect_status": 403},
        {"as": "A", "say": "", "expect_silence": True},
        {"as": "web", "say": "who helps?", "expect_all": ["web web: who helps?"]},
    ]}
    result = run_case(client(fake_bot), case, rng=random.Random(1))

    assert result.passed, result.transcript()
    sids = [params["MessageSid"] for params in FakeBot.received]
    assert sids[0] == sids[1] and len(set(sids)) == 5  # the replay repeated the MessageSid
    assert FakeBot.received[2]["From"] == FakeBot.received[0]["From"] != FakeBot.received[3]["From"]
    assert FakeBot.received[3]["From"] == "+44" + FakeBot.received[2]["Body"][5:]


def test_a_failing_step_stops_the_case_and_is_reported(fake_bot):
    case = {"id": "fails", "steps": [{"say": "hi", "expect_all": ["goodbye"]}, {"say": "never sent"}]}
    result = run_case(client(fake_bot), case)
    assert not result.passed and len(result.steps) == 1 and len(FakeBot.received) == 1
    assert "FAILED: missing 'goodbye'" in result.transcript()
    assert len(run_case(client(fake_bot), case, keep_going=True).steps) == 2


def test_a_did_you_mean_is_answered_1_only_when_asked_to_and_the_pass_is_marked(fake_bot):
    # The fake bot echoes, so "Is it 1) ... or 2) ...? Reply 1 or 2" comes back as a "did you mean".
    case = {"id": "choice", "steps": [{"say": "Is it 1) respite or 2) a sitter? Reply 1 or 2",
                                       "expect_all": ["you said: 1 ("]}]}
    strict = run_case(client(fake_bot), case)
    assert not strict.passed and len(FakeBot.received) == 1
    followed = run_case(client(fake_bot), case, follow_choice=True)
    assert followed.passed and followed.chose_first and FakeBot.received[-1]["Body"] == "1"
    assert 'the first choice of a "did you mean"' in followed.transcript()
    plain = run_case(client(fake_bot), {"id": "no-list", "steps": [{"say": "hello", "expect_all": ["bye"]}]},
                     follow_choice=True)
    assert not plain.passed and FakeBot.received[-1]["Body"] == "hello"  # no list, no "1"


def test_a_signature_against_the_wrong_public_url_is_refused(fake_bot):
    case = {"id": "url", "steps": [{"say": "hi", "expect_any": ["hi"]}]}
    result = run_case(BotClient(fake_bot, auth_token=TOKEN, timeout=5), case)  # signs for the base URL
    assert result.steps[0].problems == ["HTTP 403, expected 200"]


def test_an_unreachable_bot_is_a_failure_not_a_crash():
    result = run_case(BotClient("http://127.0.0.1:9", timeout=2), {"id": "down", "steps": [{"say": "hi"}]})
    assert result.steps[0].status == 0 and result.steps[0].problems == ["HTTP 0, expected 200"]


def test_the_command_line_filters_reports_json_and_ends_with_the_tally(fake_bot, tmp_path, capsys):
    cases = tmp_path / "cases.yml"
    cases.write_text("""
- {id: one, about: passes, steps: [{say: "hello", expect_all: ["hello"]}]}
- {id: two, about: fails, steps: [{say: "hello", expect_all: ["bye"]}]}
- {id: three, about: not run, steps: [{say: "x"}]}
""")
    report = tmp_path / "report.json"
    code = eval_main([str(cases), "--base-url", fake_bot, "--public-url", PUBLIC, "--auth-token", TOKEN,
                      "--only", "one", "--only", "two", "--json", str(report)])

    out = capsys.readouterr().out.strip().splitlines()
    assert code == 1 and out[-1] == "1 passed, 1 failed"
    assert "PASS one: passes" in out and "FAIL two: fails" in out and not any("three" in line for line in out)
    written = json.loads(report.read_text())
    assert [(r["id"], r["passed"]) for r in written] == [("one", True), ("two", False)]
    assert written[1]["steps"][0]["problems"] == ["missing 'bye'"] and "FAILED" in written[1]["log"]
    assert eval_main([str(cases), "--base-url", fake_bot, "--public-url", PUBLIC, "--auth-token", TOKEN,
                      "--only", "one"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "1 passed, 0 failed"
    assert eval_main([str(cases), "--only", "nope"]) == 2


# --- the cases files -------------------------------------------------------------------------

def conversation_files() -> list[Path]:
    """The files of tests/eval that hold conversations (other evaluation data lives there too)."""
    import yaml

    found = []
    for path in sorted((ROOT / "tests" / "eval").glob("*.yml")):
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(items, list) and items and isinstance(items[0], dict) and "steps" in items[0]:
            found.append(path)
    return found


def test_the_public_set_is_among_the_conversation_files():
    assert ROOT / "tests" / "eval" / "cases-public.yml" in conversation_files()


@pytest.mark.parametrize("path", conversation_files(), ids=lambda p: p.name)
def test_every_committed_cases_file_follows_the_format(path):
    cases = load_cases(path)
    assert cases and all(case["steps"] for case in cases)


@pytest.mark.parametrize("text, message", [
    ("{id: x}", "expected a list"),
    ("- {id: x, steps: [{say: hi, expect_al: [a]}]}", "unknown ['expect_al']"),
    ("- {id: x, steps: [{as: A}]}", "needs `say`"),
    ("- {steps: []}", "needs an id"),
    ("- {id: x, steps: [{say: a}]}\n- {id: x, steps: [{say: b}]}", "used twice"),
])
def test_a_malformed_cases_file_is_named_clearly(tmp_path, text, message):
    path = tmp_path / "bad.yml"
    path.write_text(text)
    with pytest.raises(CaseError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_cases(path)
