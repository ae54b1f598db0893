"""Real councils' services found without hand-tagging: text match, council, nearness, freshness."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from bot.db import session_scope
from bot.demo import EASTMERE
from bot.dialogue import directory_talk
from bot.dialogue.conversation import Conversation
from bot.dialogue.turn import Turn
from bot.directory import local_search, localities, postcodes, responsibility
from bot.directory.importer import import_feed
from bot.directory.rules import Situation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "directory"
COUNCIL = "E06999997"
TODAY = dt.date.today()


def svc(sid: str, name: str, description: str, *, lat: float = 51.9001, lon: float = -2.9002, assured: int = 30,
        council: str | None = None, **extra) -> dict:
    body = {"id": sid, "name": name, "description": description, "status": "active",
            "assured_date": (TODAY - dt.timedelta(days=assured)).isoformat(),
            "organization": {"id": f"org-{sid}", "name": f"{name} organisers", "description": "A group.",
                             "url": "https://example.org"},
            "service_at_locations": [{"id": f"sal-{sid}", "location": {
                "id": f"loc-{sid}", "name": name, "latitude": lat, "longitude": lon, "location_type": "physical"}}],
            **extra}
    if council:
        body["local_authority_code"] = council
    return body


FEED = [
    svc("cafe-near", "Dementia Café Brackenford", "A memory café for people living with dementia and carers."),
    svc("cafe-far", "Hillside Dementia Café", "A memory café for people living with dementia and carers.",
        lat=51.98, lon=-2.75),
    svc("stale", "Riverside Dementia Café", "A memory café for people living with dementia and carers.",
        assured=900),
    svc("bank", "Southside Food Bank", "Emergency food parcels and a warm space."),
    svc("youth", "Dementia Awareness for Young Carers", "Sessions for young carers.", maximum_age=17),
    svc("closed", "Old Dementia Café", "A memory café, now closed.", status="defunct"),
    svc("other", "Dementia Café in another council", "A memory café.", council="E06999996"),
]


@pytest.fixture
def brackenford(db, tmp_path):
    assert import_feed(EASTMERE, authority="E06999999", authority_name="Eastmere").written  # need vocabulary
    path = tmp_path / "brackenford.json"
    path.write_text(json.dumps({"contents": FEED}), encoding="utf-8")
    report = import_feed(path, authority=COUNCIL, authority_name="Brackenford")
    assert report.written, report.to_table()
    assert postcodes.load(FIXTURES / "onspd_sample.csv").ok
    responsibility.NEED_INDEX.reset()
    return db


def place(session, text: str):
    return localities.place_in(session, text)


def names(services) -> list[str]:
    return [s.name for s in services]


def test_ranks_by_relevance_then_nearness_then_freshness(brackenford):
    with session_scope() as session:
        found = local_search.local_services(session, need_codes=["need.dementia-support"], text="dementia cafe",
                                            place=place(session, "BF1 1AA"), limit=4)
    assert names(found)[:3] == ["Dementia Café Brackenford", "Riverside Dementia Café", "Hillside Dementia Café"]
    assert all(not s.national and s.coverage == "local_authority:Brackenford" for s in found)
    assert "Old Dementia Café" not in names(found)  # defunct
    assert "Dementia Café in another council" not in names(found)


def test_age_and_council_limit_the_matches(brackenford):
    with session_scope() as session:
        adult = local_search.local_services(session, text="young carers dementia", place=place(session, "BF1"),
                                            age=40, limit=10)
        leeds = local_search.local_services(session, text="dementia cafe", place=place(session, "LS6"))
    assert "Dementia Awareness for Young Carers" not in names(adult)
    assert leeds == []


def test_the_carers_own_words_find_what_no_rule_covers(brackenford):
    with session_scope() as session:
        terms = local_search.query_terms(session, [], "is there a food bank near BF2?")
        found = local_search.local_services(session, text="is there a food bank near BF2?",
                                            place=place(session, "BF2"))
    assert terms == [["food"], ["bank"], ["food", "bank"]]  # no filler, no postcode
    assert names(found)[0] == "Southside Food Bank"


def test_a_rule_whose_role_no_service_fills_gets_the_best_matches(brackenford):
    question = "is there a memory cafe for mum in BF1?"  # a need the rule book knows
    with session_scope() as session:
        answer = responsibility.answer_question(session, question, Situation(), place(session, question))
    assert answer.kind == "rule" and answer.rule.role == "role.dementia-support" and answer.services == []
    assert names(answer.matched)[0] == "Dementia Café Brackenford"
    untagged = "is there a dementia cafe in BF1?"  # words the rule book does not know: still found
    with session_scope() as session:
        answer = responsibility.answer_question(session, untagged, Situation(), place(session, untagged))
    assert names(answer.matched)[0] == "Dementia Café Brackenford"


def test_no_rule_offers_matches_only_when_asked_for_somewhere(brackenford):
    with session_scope() as session:
        asked = responsibility.answer_question(session, "is there a food bank near BF2?", Situation(),
                                               place(session, "BF2"))
        not_asked = responsibility.answer_question(session, "who is responsible for the food bank's bins in BF2",
                                                   Situation(), place(session, "BF2"))
    assert asked.kind in ("no_need", "no_rule") and names(asked.matched) == ["Southside Food Bank"]
    assert not_asked.matched == []


def test_the_bot_labels_matches_as_matches(brackenford):
    with session_scope() as session:
        turn = Turn(sender_key="web-local-search", channel="web", text="is there a food bank near bf2?",
                    intent="ask_responsible")
        reply = " ".join(directory_talk.answer(session, turn, None, Conversation()))
    assert "Southside Food Bank" in reply and "Brackenford's directory match what you asked" in reply
    assert "found by their descriptions" in reply and len(reply) <= directory_talk.SMS_ANSWER_LIMIT


def test_eastmere_answers_are_unchanged_by_the_council_search(brackenford):
    with session_scope() as session:
        answer = responsibility.answer_question(session, "who does carers assessments in EM2",
                                                Situation(age_group="adult"), place(session, "EM2"))
    assert answer.kind == "rule" and answer.services and answer.matched == []
    assert "Carers" in answer.services[0].name
