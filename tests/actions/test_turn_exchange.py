"""The turn carries both sides of the conversation so far, so a handoff shows what the assistant said."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.adapter import turn_from_tracker


def test_the_turn_carries_the_assistants_answers_as_well_as_the_carers_messages():
    events = [
        {"event": "user", "text": "old session", "input_channel": "rest"},
        {"event": "action", "name": "action_session_start"},
        {"event": "user", "text": "who provides a commode?", "input_channel": "rest"},
        {"event": "bot", "text": "Eastmere Community Equipment Service provides commodes."},
        {"event": "user", "text": "I want to end it all", "input_channel": "rest"},
    ]
    tracker = Tracker("web-1", {}, {"text": "I want to end it all", "intent": {"name": "urgent_risk"}},
                      events, False, None, {}, "action_listen")
    turn = turn_from_tracker(tracker, "urgent_risk")
    assert turn.previous_exchange == [("carer", "who provides a commode?"),
                                      ("assistant", "Eastmere Community Equipment Service provides commodes.")]
    assert turn.text == "I want to end it all"
