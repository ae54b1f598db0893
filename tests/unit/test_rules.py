"""bot.directory.rules: loading, validation, candidates, resolution and answer parsing."""
from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

from bot.directory.rules import (
    DEFAULT_RULES_PATH,
    RuleBook,
    RuleBookError,
    Situation,
    parse_clarification,
    situation_from_text,
)


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return RuleBook.load()


@pytest.fixture()
def raw() -> dict:
    return yaml.safe_load(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))


def _minimal(**rule_overrides) -> dict:
    rule = {
        "id": "thing", "title": "A thing", "need": ["need.thing"], "role": "role.team",
        "explanation": "Because.", "if_they_say_not_theirs": "Ask PALS.", "source": "Care Act 2014 s9",
        "source_url": "https://www.legislation.gov.uk/ukpga/2014/23/section/9", "last_reviewed": "2026-11-24",
    }
    rule.update(rule_overrides)
    return {"version": "1", "reviewed": "2026-11-24",
            "roles": [{"code": "role.team", "name": "Team"}, {"code": "role.other", "name": "Other"}],
            "needs": [{"code": "need.thing", "name": "Thing", "synonyms": ["thing"]}],
            "rules": [rule]}


# --- loading and validation -----------------------------------------------------------------

def test_file_loads_with_version_and_review_date(book):
    assert book.version
    assert isinstance(book.reviewed, dt.date)
    assert len(book.rules) >= 45


def test_minimal_file_is_valid():
    rb = RuleBook.from_dict(_minimal())
    assert [r.id for r in rb.rules] == ["thing"]


@pytest.mark.parametrize("override, message", [
    ({"role": "role.nope"}, "unknown role 'role.nope'"),
    ({"need": ["need.nope"]}, "unknown need 'need.nope'"),
    ({"when": {"setting": "on_the_moon"}}, "`setting` must be one or more of"),
    ({"when": {"age_min": 30, "age_max": 20}}, "`age_min` is more than `age_max`"),
    ({"when": {"colour": "red"}}, "unknown conditions ['colour']"),
    ({"source": ""}, "`source` is required"),
    ({"last_reviewed": "yesterday"}, "`last_reviewed` must be a date"),
    ({"source_url": "http://insecure.example"}, "`source_url` must be an https:// URL"),
    ({"otherwise": True, "when": {"setting": "at_home"}}, "can't also have `when`"),
    ({"id": "Not An Id"}, "`id` must be lower-case"),
    ({"surprise": 1}, "unknown keys ['surprise']"),
])
def test_schema_errors_name_the_rule(override, message):
    with pytest.raises(RuleBookError) as exc:
        RuleBook.from_dict(_minimal(**override))
    assert any(message in e for e in exc.value.errors), exc.value.errors
    rid = override.get("id", "thing")
    assert any(f"rule '{rid}'" in e for e in exc.value.errors)


def test_all_problems_are_reported_at_once(raw):
    bad = copy.deepcopy(raw)
    bad["rules"][0]["role"] = "role.invented"
    bad["rules"][1]["need"] = ["need.invented"]
    with pytest.raises(RuleBookError) as exc:
        RuleBook.from_dict(bad)
    assert len(exc.value.errors) == 2
    assert bad["rules"][0]["id"] in str(exc.value) and bad["rules"][1]["id"] in str(exc.value)


def test_missing_version_and_reviewed_are_errors(raw):
    bad = copy.deepcopy(raw)
    del bad["version"], bad["reviewed"]
    with pytest.raises(RuleBookError, match="version"):
        RuleBook.from_dict(bad)


def test_overlapping_rules_with_different_roles_are_rejected():
    data = _minimal(when={"setting": "at_home"})
    data["rules"].append({**data["rules"][0], "id": "thing-2", "role": "role.other",
                          "when": {"setting": ["at_home", "care_home"]}})
    with pytest.raises(RuleBookError, match="overlaps rule 'thing'"):
        RuleBook.from_dict(data)


def test_invalid_yaml_is_reported(tmp_path):
    p = tmp_path / "rules.yml"
    p.write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(RuleBookError, match="not valid YAML"):
        RuleBook.load(p)


# --- candidates -------------------------------------------------------------------------------

def test_candidates_are_the_rules_for_the_need(book):
    ids = [r.id for r in book.candidates(["need.equipment-after-discharge"])]
    assert set(ids) == {"discharge-equipment-in-hospital", "discharge-equipment-at-home",
                        "discharge-equipment-care-home"}
    assert book.candidates(["need.does-not-exist"]) == []


def test_candidates_prefer_rules_covering_more_of_the_asked_needs(book):
    ids = [r.id for r in book.candidates(["need.wound-care", "need.pressure-sores", "need.wheelchair"])]
    assert ids[0] == "district-nursing"
    assert "wheelchair" in ids


# --- resolution: the clarification cases ------------------------------------------------------

def test_commode_unknown_setting_asks_one_question(book):
    res = book.resolve(["need.equipment-after-discharge"])
    assert res.needs_clarification
    assert res.clarification.field == "setting"
    assert "hospital" in res.clarification.question and "home" in res.clarification.question
    assert res.rule is None


def test_commode_in_hospital_is_the_discharge_team(book):
    res = book.resolve(["need.equipment-after-discharge"], Situation(setting="in_hospital"))
    assert res.is_rule and res.rule.role == "role.hospital-discharge-team"


def test_commode_at_home_is_the_equipment_service(book):
    res = book.resolve(["need.equipment-after-discharge"], Situation(setting="at_home"))
    assert res.is_rule and res.rule.role == "role.community-equipment-service"
    assert "discharge team" in res.rule.explanation
    assert "PALS" in res.rule.if_they_say_not_theirs


def test_commode_in_a_care_home_is_the_care_home(book):
    res = book.resolve(["need.equipment-after-discharge"], Situation(setting="care_home"))
    assert res.rule.role == "role.care-home"


def test_commode_story_from_the_message_itself(book):
    text = ("mum came out of hospital on saturday, they said a commode would come on monday but nothing "
            "came. the hospital says it's the GP and the GP says it's the hospital.")
    facts = situation_from_text(text)
    assert facts.setting == "at_home"
    res = book.resolve(["need.equipment-after-discharge", "need.hospital-discharge"], facts)
    assert res.rule.id == "discharge-equipment-at-home"


def test_answer_to_the_question_completes_the_resolution(book):
    res = book.resolve(["need.equipment-after-discharge"])
    value = parse_clarification(res.clarification.field, "she's still on the ward")
    res2 = book.resolve(["need.equipment-after-discharge"], Situation().with_answer(res.clarification.field, value))
    assert res2.rule.id == "discharge-equipment-in-hospital"


def test_baby_five_days_is_the_midwife(book):
    res = book.resolve(["need.new-baby-support"], Situation(baby_age_days=5))
    assert res.rule.role == "role.midwifery"


def test_baby_three_weeks_is_the_health_visitor(book):
    res = book.resolve(["need.new-baby-support"], Situation(baby_age_days=21))
    assert res.rule.role == "role.health-visiting"
    facts = situation_from_text("my baby is 3 weeks old, who should I ask about feeding now, the midwife?")
    assert facts.baby_age_days == 21
    assert book.resolve(["need.new-baby-support"], facts).rule.role == "role.health-visiting"


def test_baby_of_unknown_age_asks_for_the_age_in_days(book):
    res = book.resolve(["need.new-baby-support"])
    assert res.needs_clarification and res.clarification.field == "baby_age_days"
    days = parse_clarification("baby_age_days", "she's 8 days old")  # midwives usually discharge from day 10
    assert book.resolve(["need.new-baby-support"], Situation(baby_age_days=days)).rule.role == "role.midwifery"


def test_a_two_year_old_is_the_health_visitor_and_a_seven_year_old_the_gp(book):
    assert book.resolve(["need.new-baby-support"], Situation(age_years=2)).rule.role == "role.health-visiting"
    assert book.resolve(["need.new-baby-support"], Situation(age_years=7)).rule.role == "role.gp-practice"


def test_adult_or_child_safeguarding(book):
    res = book.resolve(["need.safeguarding-concern"])
    assert res.needs_clarification and res.clarification.field == "age_group"
    assert set(res.clarification.options) == {"child", "adult"}
    adult = book.resolve(["need.safeguarding-concern"], Situation(age_group=parse_clarification("age_group",
                                                                                                  "my mum")))
    child = book.resolve(["need.safeguarding-concern"], Situation(age_group=parse_clarification("age_group",
                                                                                                  "a child")))
    assert adult.rule.role == "role.adult-safeguarding"
    assert child.rule.role == "role.childrens-safeguarding"
    assert book.resolve(["need.safeguarding-concern"], Situation(age_years=40)).rule.role == \
        "role.adult-safeguarding"


def test_adult_or_child_care_assessment(book):
    assert book.resolve(["need.care-needs-assessment"], Situation(age_years=84)).rule.role == \
        "role.council-adult-social-care"
    assert book.resolve(["need.care-needs-assessment"], Situation(age_years=9)).rule.role == \
        "role.council-childrens-disability"


def test_disability_benefit_by_age_and_the_otherwise_fallback(book):
    res = book.resolve(["need.disability-benefits"])
    assert res.needs_clarification and res.clarification.field == "age_years"
    assert res.fallback is not None and res.fallback.otherwise  # offered only if they don't know
    for age, role in ((10, "role.dwp-dla-children"), (30, "role.dwp-pip"), (66, "role.benefits-advice"),
                      (84, "role.dwp-attendance-allowance")):
        assert book.resolve(["need.disability-benefits"], Situation(age_years=age)).rule.role == role


def test_an_adult_of_unknown_age_still_needs_the_age_for_benefits(book):
    res = book.resolve(["need.disability-benefits"], Situation(age_group="adult"))
    assert res.needs_clarification and res.clarification.field == "age_years"


def test_need_type_question_for_complaints(book):
    res = book.resolve(["need.complaint"])
    assert res.clarification.field == "need_type"
    assert book.resolve(["need.complaint"], Situation(need_type="health")).rule.role == "role.pals"
    assert book.resolve(["need.complaint"], Situation(need_type="social_care")).rule.role == \
        "role.council-complaints"


def test_unconditional_rules_need_no_question(book):
    for need, role in (("need.wheelchair", "role.nhs-wheelchair-service"),
                       ("need.continuing-healthcare", "role.icb-chc"),
                       ("need.carers-assessment", "role.council-adult-social-care"),
                       ("need.minor-adaptations", "role.council-occupational-therapy")):
        res = book.resolve([need])
        assert res.is_rule and res.rule.role == role


def test_irrelevant_facts_do_not_block_an_answer(book):
    res = book.resolve(["need.wheelchair"], Situation(setting="in_hospital", age_years=3))
    assert res.rule.role == "role.nhs-wheelchair-service"


def test_no_rule_when_nothing_fits(book):
    assert book.resolve([]).is_no_rule
    assert book.resolve(["need.unknown-thing"]).is_no_rule
    # a known need whose conditions all fail, with no fallback: say so, don't guess
    rb = RuleBook.from_dict(_minimal(when={"setting": "in_hospital"}))
    assert rb.resolve(["need.thing"], Situation(setting="at_home")).is_no_rule


def test_resolution_is_deterministic(book):
    needs = ["need.hospital-discharge", "need.equipment-after-discharge", "need.support-after-discharge"]
    first = book.resolve(needs)
    assert all(book.resolve(needs) == first for _ in range(5))
    assert book.resolve(list(reversed(needs))).clarification == first.clarification
    assert first.needs_clarification and first.clarification.field == "setting"


def test_clarification_text_names_the_topic(book):
    res = book.resolve(["need.equipment-after-discharge"])
    assert res.clarification.text.startswith("About equipment after leaving hospital:")


# --- parsing answers --------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("still in hospital", "in_hospital"), ("she's on the ward", "in_hospital"), ("not home yet", "in_hospital"),
    ("home already", "at_home"), ("she came out on saturday", "at_home"), ("discharged yesterday", "at_home"),
    ("home", "at_home"), ("she's in a nursing home", "care_home"), ("care home", "care_home"),
    ("no idea", None),
])
def test_parse_setting(text, expected):
    assert parse_clarification("setting", text) == expected


@pytest.mark.parametrize("text, expected", [
    ("5 days", 5), ("3 weeks old", 21), ("two weeks", 14), ("a fortnight", 14), ("born yesterday", 1),
    ("2 months", 60), ("10", 10), ("don't know", None),
])
def test_parse_baby_age(text, expected):
    assert parse_clarification("baby_age_days", text) == expected


@pytest.mark.parametrize("field, text, expected", [
    ("age_years", "she's 84", 84), ("age_years", "6 months", 0), ("age_years", "seven", 7),
    ("age_group", "adult", "adult"), ("age_group", "my son", "child"), ("age_group", "15", "child"),
    ("age_group", "42", "adult"), ("need_type", "the hospital", "health"),
    ("need_type", "the council", "social_care"), ("need_type", "", None),
])
def test_parse_other_fields(field, text, expected):
    assert parse_clarification(field, text) == expected


def test_parse_unknown_field_is_an_error():
    with pytest.raises(ValueError):
        parse_clarification("favourite_colour", "blue")


def test_situation_from_text_is_conservative():
    assert situation_from_text("she takes donepezil 10mg at night") == Situation()
    assert situation_from_text("my dad lives at EM3 4QT") == Situation(age_group="adult")
    assert situation_from_text("I look after my mum, she's 84").age_years == 84
    assert situation_from_text("x", Situation(setting="care_home")).setting == "care_home"


@pytest.mark.parametrize(("text", "age"), [
    ("my son's only 7 and autistic", 7), ("nan is nearly 90 now", 90), ("she's a girl of 13", 13),
    ("dad is about 70", 70),
    # distances, times and weights are not ages
    ("the clinic is about 30 minutes away", None), ("he is 12 miles from the hospital", None),
    ("mum is 2 stone lighter since the summer", None),
])
def test_an_age_said_with_a_qualifier_or_as_a_child_of_n(text, age):
    assert situation_from_text(text).age_years == age


@pytest.mark.parametrize(("text", "years", "days"), [
    # abbreviated units: a three-week-old is never three years old
    ("baby is 3 wks old", None, 21), ("she is 6 wk old", None, 42), ("he's 5 mths", None, 150),
    # told beside the person, in brackets or between commas
    ("looking after my grandson (6 wks) most days", None, 42), ("my son (4 months) has reflux", None, 120),
    ("my daughter, 7 weeks, isnt feeding", None, 49), ("mum (june, 84) is on warfarin", 84, None),
    ("my dad (79) keeps falling", 79, None),
    # not ages
    ("dad (Bill) has heart failure", None, None), ("she was on the ward (12) for a week", None, None),
    ("discharged after 3 days, then readmitted", None, None),
])
def test_an_age_in_abbreviated_units_or_beside_the_person(text, years, days):
    found = situation_from_text(text)
    assert (found.age_years, found.baby_age_days) == (years, days)


# --- rules that apply only when the facts show it (`ask: false`) -----------------------------

def _with_child_rule(ask: bool) -> dict:
    data = _minimal(otherwise=True)
    data["rules"].append({**data["rules"][0], "id": "thing-child", "role": "role.other", "otherwise": False,
                          "when": {"age_max": 17}, "ask": ask})
    return data


def test_a_rule_marked_ask_false_is_never_asked_about():
    rb = RuleBook.from_dict(_with_child_rule(ask=False))
    assert rb.resolve(["need.thing"]).rule.id == "thing"  # unknown age: the fallback, no question
    assert rb.resolve(["need.thing"], Situation(age_years=9)).rule.id == "thing-child"
    assert rb.resolve(["need.thing"], Situation(age_group="adult")).rule.id == "thing"
    asked = RuleBook.from_dict(_with_child_rule(ask=True)).resolve(["need.thing"])
    assert asked.needs_clarification and asked.clarification.field == "age_group"


def test_ask_false_needs_conditions_and_a_boolean():
    with pytest.raises(RuleBookError, match="`ask: false` needs `when` conditions"):
        RuleBook.from_dict(_minimal(ask=False))
    with pytest.raises(RuleBookError, match="`ask` must be true or false"):
        RuleBook.from_dict(_minimal(ask="no", when={"age_max": 17}))


def test_an_age_limit_in_years_asks_for_the_age_not_the_baby_age():
    data = _minimal(when={"age_min": 1})
    data["rules"].append({**data["rules"][0], "id": "thing-baby", "role": "role.other", "when": {"age_max": 0}})
    res = RuleBook.from_dict(data).resolve(["need.thing"])
    assert res.clarification.field == "age_years"
def test_facts_in_carers_words_without_old_or_been():
    from bot.directory.rules import parse_clarification, situation_from_text

    assert situation_from_text("my little girl is 7 weeks and not putting on weight").baby_age_days == 49
    assert situation_from_text("she's never been in hospital, can we get a commode").setting == "at_home"
    assert situation_from_text("dads 86 and needs help with everything").age_years == 86
    assert situation_from_text("my son whos 30 with autism").age_years == 30
    assert parse_clarification("setting", "no he's not been in hospital, he's slower at home") == "at_home"
