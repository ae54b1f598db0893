"""A real-shaped council feed, imported with its bad records skipped, answers carers at once."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.demo import EASTMERE
from bot.directory import responsibility
from bot.directory.cli import main as cli_main
from bot.directory.importer import import_feed
from tests.actions.helpers import Phone, said

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "directory"
COUNCIL = "E06999997"


@pytest.fixture(autouse=True)
def councils(db):
    assert import_feed(EASTMERE, authority="E06999999", authority_name="Eastmere").written
    assert cli_main(["import", str(FIXTURES / "brackenford_oruk3.json"), "--authority", COUNCIL,
                     "--authority-name", "Brackenford", "--skip-invalid"]) == 0
    assert cli_main(["postcodes", "load", str(FIXTURES / "brackenford_postcodes.csv")]) == 0
    responsibility.NEED_INDEX.reset()
    yield


def test_a_carer_asking_for_somewhere_near_hears_the_councils_services():
    replies = Phone("+447700900701").say("is there a dementia cafe near BF3 1AA?", "ask_responsible")
    text = said(replies)
    assert "dementia café" in text
    assert any(area in text for area in ("millbrook", "ashby vale", "orchard park"))  # BF3's own, the nearest
    assert "brackenford's directory" in text and "01632" in text
    assert "mobile" not in text


def test_a_responsibility_question_names_the_role_and_the_best_local_matches():
    replies = Phone("+447700900702").say("who do I ask for a carer's assessment? we live in BF2", "ask_responsible")
    text = said(replies)
    assert "responsible: council adult social care" in text
    assert "brackenford's directory" in text and "01632" in text
    # Ranking differs between SQLite's FTS5 (bm25) and PostgreSQL's ts_rank: either carers' service is right.
    assert "adult social care – front door" in text or "carers" in text
    assert "england's rule" not in text


def test_outside_every_loaded_council_the_national_rule_and_no_directory_yet():
    text = said(Phone("+447700900704").say("who decides on NHS continuing healthcare? we live in LS6",
                                           "ask_responsible"))
    assert "council's directory yet" in text and ("integrated care board" in text or "icb" in text)
