"""Rasa's check of the action server's answers: same verdicts, schema meta-checked once."""
from __future__ import annotations

from unittest import mock

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

import bot.channels.tracker_store  # noqa: F401  (Rasa loads it; loading it installs the check)
import bot.channels.twilio_sms  # noqa: F401
from bot.channels import action_results

GOOD = {"events": [{"event": "slot", "name": "x", "value": 1}],
        "responses": [{"text": "hello"}, {"json_message": {"handled": True}}]}


@pytest.fixture
def action() -> RemoteAction:
    return RemoteAction("action_greet", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_rasa_uses_the_check_that_meta_checks_the_schema_once(action):
    assert RemoteAction._validate_action_result is action_results.validate_action_result
    assert action._validate_action_result(GOOD)  # builds the validator
    with mock.patch.object(type(action_results.validator()), "check_schema",
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
