"""The risk policy (data/risk/policy.yml), both ways, from a table of sentences as carers write them."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.channels.sms_text import GSM_BASIC, GSM_EXTENSION
from bot.handoff import risk

CASES = yaml.safe_load((Path(__file__).parent / "data" / "risk_cases.yml").read_text(encoding="utf-8"))
RISKY = CASES["risky"]
NOT_RISKY = CASES["not_risky"]


def test_the_table_is_big_enough_both_ways():
    assert len(RISKY) >= 30 and len(NOT_RISKY) >= 30


@pytest.mark.parametrize("case", RISKY, ids=[c["text"][:50] for c in RISKY])
def test_risky_words_are_found(case):
    found = risk.detect(case["text"])
    assert found is not None, case["text"]
    assert found.kind == case["kind"], (found.kinds, case)
    for kind in case.get("also", []):
        assert kind in found.kinds
    if "care_setting" in case:
        assert found.care_setting == case["care_setting"]
    if "attorney" in case:
        assert found.attorney == case["attorney"]
    if "safeguarding" in case:
        assert found.safeguarding == case["safeguarding"]


@pytest.mark.parametrize("text", NOT_RISKY, ids=[t[:50] for t in NOT_RISKY])
def test_words_that_only_look_risky_are_not(text):
    assert risk.detect(text) is None, (text, risk.detect(text))


SUICIDAL = [c["text"] for c in RISKY if c["kind"] == "self_harm"]


@pytest.mark.parametrize("text", SUICIDAL, ids=[t[:50] for t in SUICIDAL])
def test_every_suicidal_cue_gets_999_111_option_2_samaritans_and_shout(text):
    reply = risk.reply(risk.detect(text))
    for route in ("999", "111", "option 2", "116 123", "SHOUT to 85258"):
        assert route in reply, (route, reply)


def test_abuse_gets_the_councils_safeguarding_route_and_the_cqc_for_a_care_home():
    home = risk.reply(risk.detect("the care home leaves her in wet pads all day, I think they're neglecting her"))
    assert "adult safeguarding" in home and "CQC" in home and "999" in home
    family = risk.reply(risk.detect("my brother is taking money out of mums account"))
    assert "adult safeguarding" in family and "CQC" not in family
    child = risk.reply(risk.detect("someone at school is hurting my son, he's 9"))
    assert "children's safeguarding" in child and "adult" not in child


def test_an_attorney_misusing_money_also_gets_the_office_of_the_public_guardian():
    attorney = risk.reply(risk.detect("my brother has power of attorney and is spending dads money on himself"))
    assert "adult safeguarding" in attorney and "Office of the Public Guardian" in attorney
    family = risk.reply(risk.detect("my brother is taking money out of mums account"))
    assert "Public Guardian" not in family


def test_a_message_with_two_risks_gets_both_routes_most_serious_first():
    found = risk.detect("carers havent come for 2 days and she says she wants to end it all")
    assert found.kinds[:1] == ("self_harm",) and "missed_care" in found.kinds
    reply = risk.reply(found)
    assert reply.index("116 123") < reply.index("Care visits")


def test_without_a_risk_found_the_reply_still_gives_999():
    assert "999" in risk.reply(None)


def test_an_alarm_on_the_classifier_alone_gives_the_mental_health_lines_too():
    """Words the policy does not know ("he says there's nothing left for him now") can be a crisis:
    999 first, then NHS 111 option 2 and Samaritans."""
    reply = risk.reply(None)
    assert reply.index("999") < reply.index("116 123")
    assert "option 2" in reply and "116 123" in reply


def test_classifier_only_routes_must_exist(tmp_path):
    import yaml as _yaml

    data = _yaml.safe_load(risk.POLICY_PATH.read_text(encoding="utf-8"))
    data["classifier_only"] = ["no-such-route"]
    path = tmp_path / "policy.yml"
    path.write_text(_yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(risk.RiskPolicyError, match="no-such-route"):
        risk.load_policy(path)


def test_every_reply_is_plain_sms_text():
    texts = [route.text for route in risk.policy().routes.values()]
    assert all(set(t) <= GSM_BASIC | GSM_EXTENSION for t in texts)


def test_every_category_is_sourced_and_short_enough_to_store():
    for category in risk.policy().categories:
        assert category.sources and all(s["url"].startswith("https://") for s in category.sources), category.id
        assert len(category.id) <= risk.MAX_KIND_LENGTH
    assert risk.labels()["self_harm"] == "self-harm or suicidal talk"


# --- the intent classifier alone, on a short follow-up ---------------------------------------------

@pytest.mark.parametrize("text", ["and mum?", "what about dad", "for her?", "2", "ok thanks", "same for nan",
                                  "and him", "yes please"])
def test_a_short_follow_up_never_brings_the_emergency_reply_on_the_classifier_alone(text):
    assert risk.classifier_may_alarm(text) is False


@pytest.mark.parametrize("text", ["help me please", "please help, it's mum", "he's gone really quiet and grey",
                                  "and now she won't wake up"])
def test_other_messages_may_still_alarm_on_the_classifier(text):
    assert risk.classifier_may_alarm(text) is True


# --- the policy file is checked -------------------------------------------------------------------

def _policy_file(tmp_path, **changes) -> Path:
    data = yaml.safe_load(risk.POLICY_PATH.read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_broken_policy_is_refused_with_every_problem_named(tmp_path):
    data = yaml.safe_load(risk.POLICY_PATH.read_text(encoding="utf-8"))
    first = dict(data["categories"][0], routes=["no-such-route"], cues=["(unclosed"])
    second = dict(data["categories"][1], id="a_kind_name_far_too_long_to_store")
    path = _policy_file(tmp_path, categories=[first, second])
    with pytest.raises(risk.RiskPolicyError) as exc:
        risk.load_policy(path)
    text = str(exc.value)
    assert "unknown route 'no-such-route'" in text and "bad pattern" in text and "at most 24" in text
