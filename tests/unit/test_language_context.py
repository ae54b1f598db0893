"""ConText (medspaCy) decides whether a mention is so: negated, ended, hypothetical, suspected or
someone else's. Negated and hypothetical mentions never become current facts; a suspected
condition is carried as hedged, in the carer's words."""
from __future__ import annotations

import json

import pytest

from bot.language.context import RULES_PATH, assess
from bot.language.facts import understand
from bot.language.reading import CURRENT, ENDED, HEDGED, NEGATED, read


@pytest.mark.parametrize(("text", "phrase", "status"), [
    ("she doesn't have diabetes", "diabetes", "negated"),
    ("she doesnt have diabetes", "diabetes", "negated"),
    ("no allergies", "allergies", "negated"),
    ("mum isnt allergic to penicillin", "penicillin", "negated"),
    ("he used to take warfarin", "warfarin", "ended"),
    ("he no longer takes simvastatin", "simvastatin", "ended"),
    ("she's not on donepezil any more", "donepezil", "ended"),
    ("if she gets a chest infection", "chest infection", "hypothetical"),
    ("she takes aspirin to prevent strokes", "strokes", "hypothetical"),
    ("they think it might be dementia", "dementia", "hedged"),
    ("they're testing for dementia", "dementia", "hedged"),
    ("they're not sure if it's parkinsons", "parkinsons", "hedged"),
    ("my neighbour has MS", "ms", "other"),
    ("my friend's mum has dementia", "dementia", "other"),
    ("mum has diabetes", "diabetes", "current"),
])
def test_context_reads_each_kind_of_mention(text: str, phrase: str, status: str) -> None:
    assert assess(text, phrase).status == status


@pytest.mark.parametrize(("text", "phrase"), [
    ("she doesnt have diabetes, she has dementia", "dementia"),  # the next clause is not negated
    ("she has no diabetes and has dementia", "dementia"),  # nor is a new verb after "and"
    ("its not penicillin its erythromycin shes allergic to", "allergic to"),  # nor a new subject
    ("dad has dementia but not diabetes", "dementia"),  # the cue is after it
    ("my neighbour helps mum who has dementia", "dementia"),  # "who" starts a clause about mum
])
def test_a_cue_reaches_only_as_far_as_its_clause(text: str, phrase: str) -> None:
    assert assess(text, phrase).status == "current"


def test_a_negated_fact_is_never_current() -> None:
    reading = read("she doesn't have diabetes")
    assert "condition:diabetes" not in {f.key for f in reading.current}
    assert [(f.key, f.status) for f in reading.facts] == [("condition:diabetes", NEGATED)]
    assert reading.ended_keys == ("condition:diabetes",)  # a recorded diabetes is ended


def test_no_allergies_records_no_allergy() -> None:
    reading = read("mum has no allergies")
    assert not [f for f in reading.current if f.category == "allergy"]
    assert all(f.status == NEGATED for f in reading.facts)


def test_not_allergic_is_not_an_allergy() -> None:
    reading = read("mum isnt allergic to penicillin")
    assert not reading.current
    assert [(f.key, f.status) for f in reading.facts] == [("allergy:penicillin", NEGATED)]


def test_used_to_is_ended_not_current() -> None:
    reading = read("he used to take warfarin")
    assert [(f.key, f.status) for f in reading.facts] == [("medicine:warfarin", ENDED)]


def test_a_hypothetical_is_not_stored() -> None:
    reading = read("if she gets a chest infection she goes downhill fast")
    assert not [f for f in reading.facts if "chest infection" in f.key]


def test_a_suspected_condition_is_hedged_with_the_carers_words() -> None:
    reading = read("they think mum might have dementia")
    assert not reading.current
    [fact] = reading.hedged
    assert (fact.key, fact.status, fact.person.relationship) == ("condition:dementia", HEDGED, "mother")
    assert fact.said == "they think mum might have dementia"
    assert reading.tells  # so the dialogue keeps the message as a note, in the carer's words


def test_someone_elses_condition_is_not_stored() -> None:
    assert not read("my neighbour has MS").facts
    reading = read("mum has diabetes and her neighbour has MS")
    assert [(f.key, f.status) for f in reading.facts] == [("condition:diabetes", CURRENT)]


def test_understanding_tells_negated_from_ended() -> None:
    u = understand("she doesn't have diabetes but she used to take warfarin")
    assert set(u.ended_keys) == {"condition:diabetes", "medicine:warfarin"}
    assert u.negated_keys == ["condition:diabetes"]


def test_the_rule_file_has_a_source_and_drops_only_packaged_rules() -> None:
    from medspacy.context import ConTextRule
    from medspacy.context.context import DEFAULT_RULES_FILEPATH

    data = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    assert "ConText" in data["source"] and "medspaCy" in data["source"]
    packaged = {r.literal.lower() for r in ConTextRule.from_json(DEFAULT_RULES_FILEPATH)}
    assert set(data["drop_default"]) <= packaged  # each drop names a rule that exists, with a reason
    assert all(reason.strip() for reason in data["drop_default"].values())
    assert {r["category"] for r in data["context_rules"]} <= set(data["categories"]) | {"TERMINATE"}
    assert {t for ts in data["terminating_types"].values() for t in ts} <= set(data["categories"])


@pytest.mark.parametrize(("text", "kept"), [
    ("mum is 88 with heart failure", ["condition:heart failure"]),
    ("mum is 88 and not living with heart failure", []),
    ("mum is 88, they think she might be living with heart failure", []),
    ("mum is 88 and her friend with copd visits", []),
])
def test_the_living_with_pass_asks_context_too(text: str, kept: list[str]) -> None:
    from bot.language.facts import Understanding
    from bot.language.facts.second_passes import conditions_after_with
    from bot.language.mentions import PersonMention

    understood = conditions_after_with(text, Understanding(subject=PersonMention("mother", None)))
    assert [f.key for f in understood.facts] == kept
