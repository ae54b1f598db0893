"""The decision table (data/language/acts.yml): Rasa's intent weighed against the reading."""
from __future__ import annotations

import pytest

from bot.language import acts
from bot.language.reading import read

# (Rasa's intent, message, needs found by the directory, services just named, act)
CASES = [
    ("urgent_risk", "and mum?", False, False, "ask_record"),
    ("affirm", "oh and it's Kathleen with a K not Cathleen", False, False, "correct_fact"),
    ("urgent_risk", "if an ambulance comes what do they need to know about mum", False, False, "ask_record"),
    ("urgent_risk", "mum is 94 and frail. she doesnt want to be resuscitated and wants to stay in her own bed "
                    "at home till the end", False, False, "tell_fact"),
    ("deny", "wat do u no about mum", False, False, "ask_record"),
    ("request_human", "how do i talk to lily", False, False, "ask_record"),
    ("ask_responsible", "how do i get into dads", True, False, "ask_record"),
    ("ask_responsible", "how do i get carers for dad", True, False, "ask_responsible"),
    ("urgent_risk", "and mums?", False, False, "ask_record"),
    ("nlu_fallback", "harvey?", False, False, "ask_record"),
    ("out_of_scope", "wat about jack", False, False, "ask_record"),
    ("urgent_risk", "i just want one person who knows us", False, False, "request_human"),
    ("urgent_risk", "how do i get him an ehcp", True, False, "ask_responsible"),
    ("urgent_risk", "he has taken all his tablets at once", False, False, "urgent_risk"),
    ("urgent_risk", "dad passed away last night", False, False, "tell_fact"),
    # Other news keeps the classifier's word: the risk policy decides whether it may alarm.
    ("urgent_risk", "he keeps falling and hit his head, hes on warfarin", False, False, "urgent_risk"),
    ("correct_fact", "wat do u no about mum", False, False, "ask_record"),
    ("bot_help", "who is her GP?", False, False, "ask_record"),
    ("bot_help", "what do the carers need to know about getting in?", False, False, "ask_record"),
    ("bot_help", "what does len take", False, False, "ask_record"),
    ("goodbye", "where is mum now", False, False, "ask_record"),
    ("thank", "thanks, where is mum now", False, False, "ask_record"),
    ("report_service_problem", "mum has moved in with us now, new address is 22 Willow Close EM5 3TT",
     False, False, "tell_fact"),
    ("report_service_problem", "a complaint about the care agency", True, False, "ask_responsible"),
    ("tell_fact", "that place has closed down", False, True, "report_service_problem"),
    ("ask_record", "my husband John takes warfarin 3mg every evening", False, False, "tell_fact"),
    ("tell_fact", "my son was discharged from a section 3 last month, who pays for his aftercare", True, False,
     "ask_responsible"),
    ("ask_responsible", "i care for my hubby Ray who has copd, em5 4rt", False, False, "tell_fact"),
    ("ask_responsible", "where does vera live", False, False, "ask_record"),
    ("bot_help", "is there an actual person i can speak to", False, False, "request_human"),
    ("request_human", "can I speak to a real person please", True, False, "request_human"),
    ("request_human", "he keeps nearly falling getting off the loo, can someone put a rail in", True, False,
     "ask_responsible"),
    ("tell_fact", "actually she stopped the donepezil", False, False, "correct_fact"),
    ("tell_fact", "no sorry the stroke is mums not dads", False, False, "correct_fact"),
    ("nlu_fallback", "how do i get a carers assesment", True, False, "ask_responsible"),
    ("ask_record", "what do you know about mum", False, False, "ask_record"),
    ("ask_responsible", "who is responsible for fixing potholes", False, False, "ask_responsible"),
    ("greet", "hello", False, False, "greet"),
    ("affirm", "yes", False, False, "affirm"),
]


@pytest.mark.parametrize(("intent", "text", "needs", "services", "act"), CASES, ids=[c[1][:40] for c in CASES])
def test_decision_table(intent, text, needs, services, act):
    assert acts.decide(intent, read(text), needs=needs, services_named=services) == act


def test_risk_words_keep_the_emergency_route():
    assert acts.decide("urgent_risk", read("and mum?"), danger=True) == "urgent_risk"


def test_needs_are_only_looked_up_when_a_row_asks():
    calls = []

    def needs():
        calls.append(1)
        return False

    assert acts.decide("greet", read("hello"), needs=needs) == "greet"
    assert calls == []


def test_the_table_is_checked_when_loaded(tmp_path, monkeypatch):
    bad = tmp_path / "acts.yml"
    bad.write_text("- when: {no_such_signal: true}\n  act: keep\n")
    monkeypatch.setattr(acts, "TABLE", bad)
    acts.rows.cache_clear()
    try:
        with pytest.raises(ValueError, match="no_such_signal"):
            acts.rows()
    finally:
        acts.rows.cache_clear()
