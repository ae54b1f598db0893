"""Rasa's per-turn recomputations done once: same answers as Rasa's own code."""
from __future__ import annotations

from unittest import mock

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

import bot.channels.tracker_store  # noqa: F401  (Rasa loads it; loading it installs the check)
import bot.channels.twilio_sms  # noqa: F401
from bot.channels import rasa_fast_paths

GOOD = {"events": [{"event": "slot", "name": "x", "value": 1}],
        "responses": [{"text": "hello"}, {"json_message": {"handled": True}}]}


@pytest.fixture
def action() -> RemoteAction:
    return RemoteAction("action_greet", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_rasa_uses_the_check_that_meta_checks_the_schema_once(action):
    assert RemoteAction._validate_action_result is rasa_fast_paths.validate_action_result
    assert action._validate_action_result(GOOD)  # builds the validator
    with mock.patch.object(type(rasa_fast_paths.validator()), "check_schema",
                           side_effect=AssertionError("schema re-checked on a turn")):
        for _ in range(3):
            assert action._validate_action_result(GOOD)


@pytest.mark.parametrize("bad", [
    {"events": "not a list"},
    {"events": [{"event": "no_such_event"}]},
    {"responses": [42]},
])
def test_a_bad_answer_fails_as_rasa_own_check_fails(action, bad):
    with pytest.raises(jsonschema.ValidationError) as ours:
        action._validate_action_result(bad)
    with pytest.raises(jsonschema.ValidationError) as theirs:
        jsonschema.validate(bad, RemoteAction.action_response_format_spec())
    assert ours.value.message.startswith(theirs.value.message)
    assert "Failed to validate Action server response" in ours.value.message
    assert list(ours.value.path) == list(theirs.value.path)


def test_events_resolve_to_the_classes_rasa_own_lookup_finds():
    from rasa.shared.core import events
    from rasa.shared.utils.common import all_subclasses

    assert events.Event.resolve_by_type is rasa_fast_paths.resolve_by_type
    for cls in all_subclasses(events.Event):
        assert events.Event.resolve_by_type(cls.type_name).type_name == cls.type_name
    stored = [{"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet"}}},
              {"event": "action", "name": "action_greet"}, {"event": "slot", "name": "x", "value": 1}]
    assert [type(e) for e in events.deserialise_events(stored)] == [events.UserUttered, events.ActionExecuted,
                                                                    events.SlotSet]
    assert events.Event.resolve_by_type("topic") is None
    assert events.Event.resolve_by_type("no_such_event", events.UserUttered) is events.UserUttered
    with pytest.raises(ValueError, match="Unknown event name"):
        events.Event.resolve_by_type("no_such_event")


def test_an_event_class_imported_later_is_found(monkeypatch):
    from rasa.shared.core import events

    monkeypatch.setattr(rasa_fast_paths, "_event_classes", {})
    events.Event.resolve_by_type("user")  # the table is built

    class LateEvent(events.SlotSet):
        type_name = "onestory_test_late_event"

    assert events.Event.resolve_by_type("onestory_test_late_event") is LateEvent


def test_resolving_does_not_walk_the_class_tree_each_time(monkeypatch):
    from rasa.shared.core import events

    events.Event.resolve_by_type("user")
    monkeypatch.setattr(rasa_fast_paths, "all_subclasses",
                        mock.Mock(side_effect=AssertionError("class tree walked on a known event")))
    for name in ("user", "bot", "action", "slot", "session_started"):
        assert events.Event.resolve_by_type(name).type_name == name
