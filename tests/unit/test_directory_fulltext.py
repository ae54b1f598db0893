"""Full-text search over services: documents kept in sync on import and edit, on both engines."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from bot import db as dbmod
from bot.db import session_scope
from bot.directory import fulltext
from bot.directory import maintenance as mt
from bot.directory.importer import import_feed

COUNCIL = "E06999997"


def write_feed(tmp_path: Path, services: list[dict], name: str = "feed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"contents": services}), encoding="utf-8")
    return path


def svc(sid: str, name: str, description: str = "", org: str = "org-1", org_name: str = "Friends of the Park",
        **extra) -> dict:
    return {"id": sid, "name": name, "description": description, "status": "active",
            "organization": {"id": org, "name": org_name, "description": "A charity."}, **extra}


def found(phrases: list[list[str]], authority: str | None = COUNCIL) -> list[str]:
    with dbmod.engine().connect() as conn:
        return [sid for sid, _score in fulltext.match(conn, phrases, authority)]


FEED = [
    svc("cafe", "Memory Café at St Anne's", "A friendly afternoon for people living with dementia and their carers."),
    svc("bank", "Southside Food Bank", "Emergency food parcels on referral.", org="org-2", org_name="Southside Trust"),
    svc("club", "Lunch club", "Hot meals and company for older people.", org="org-3", org_name="Age Friendly Bracken",
        attributes=[{"id": "at-1", "taxonomy_term": {"id": "t-1", "name": "Dementia friendly activities",
                                                     "taxonomy": "LGA services"}}]),
]


def test_import_builds_documents_and_finds_by_name_description_organisation_and_term(db, tmp_path):
    assert import_feed(write_feed(tmp_path, FEED), authority=COUNCIL).written
    assert found([["cafe"]]) == ["cafe"]  # "Café" in the name, accents folded
    assert found([["food", "parcels"]]) == ["bank"]  # a phrase in the description
    assert found([["southside", "trust"]]) == ["bank"]  # the organisation's name
    assert set(found([["dementia"]])) == {"cafe", "club"}  # the description, and a taxonomy term's name
    assert found([["meals"]]) == ["club"]  # stemmed: "meal" and "meals"
    assert found([["dementia"]], authority="E06999996") == []  # another council's services are not offered


def test_the_name_counts_more_than_the_body(db, tmp_path):
    feed = [svc("a", "Carers' support", "Help for anyone."), svc("b", "Drop-in", "Support for carers of all ages.")]
    assert import_feed(write_feed(tmp_path, feed), authority=COUNCIL).written
    assert found([["carers"]]) == ["a", "b"]


def test_reimport_and_removal_keep_the_index_in_step(db, tmp_path):
    assert import_feed(write_feed(tmp_path, FEED), authority=COUNCIL).written
    renamed = [dict(FEED[0], name="Memory Lane Meet-up", description="Tea and company.")] + FEED[1:]
    assert import_feed(write_feed(tmp_path, renamed, "again.json"), authority=COUNCIL).written
    assert found([["cafe"]]) == [] and found([["memory", "lane"]]) == ["cafe"]
    assert import_feed(write_feed(tmp_path, FEED[1:], "fewer.json"), authority=COUNCIL, remove_missing=True).written
    assert found([["memory"]]) == []
    with session_scope() as session:
        assert len(session.execute(select(fulltext.ServiceDocument)).all()) == 2


def test_a_maintainers_edit_is_searchable_at_once(db, tmp_path):
    assert import_feed(write_feed(tmp_path, FEED), authority=COUNCIL).written
    with session_scope() as session:
        mt.edit_service(session, "bank", mt.ServiceChanges(fields={"description": "Free groceries and a warm space."}),
                        mt.Editor("lee.chen"))
    assert found([["groceries"]]) == ["bank"] and found([["parcels"]]) == []


def test_queries_are_words_only(db, tmp_path):
    assert import_feed(write_feed(tmp_path, FEED), authority=COUNCIL).written
    assert found([['"', "OR", "*"], []]) == []  # nothing a search engine would read as syntax
    assert found([["bank"], ["drop", "table"]]) == ["bank"]


def test_each_phrase_is_searched_once_and_longer_phrases_stay_to_rank():
    phrases = [["hospital", "discharge"], ["discharge"], ["discharge"], [], ["leaving", "hospital"]]
    assert fulltext.distinct_phrases(phrases) == [["hospital", "discharge"], ["discharge"], ["leaving", "hospital"]]


def test_every_council_and_one_council_find_the_same_on_each_engine(db, tmp_path):
    assert import_feed(write_feed(tmp_path, FEED), authority=COUNCIL).written
    other = [svc("far", "Dementia café", "For people with dementia.", org="org-9", org_name="Far Trust")]
    assert import_feed(write_feed(tmp_path, other, "other.json"), authority="E06999996").written
    phrases = [["dementia"], ["dementia", "friendly"], ["memory", "cafe"]]
    assert set(found(phrases)) == {"cafe", "club"}
    assert set(found(phrases, authority=None)) == {"cafe", "club", "far"}
    if dbmod.engine().dialect.name == "postgresql":  # ranked from the stored, weighted document
        with dbmod.engine().connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM service_search WHERE document IS NOT NULL").scalar() == 4
