"""Checking the action server's answers against Rasa's schema without re-checking the schema.

Rasa checks every answer from the action server with `jsonschema.validate(answer, schema)`, and
`validate` first checks the schema itself against the JSON Schema meta-schema: a constant schema,
checked again on every turn. Profiled under load (README, "Where a turn's time goes") that was
about a third of a Rasa replica's busy time. `install()` makes Rasa use one validator, built and
checked once per process: the same schema, the same errors (jsonschema's best match, with Rasa's
own hint appended), only the repeated meta-check gone.

Installed by the modules Rasa loads from our configuration (the tracker store, the SMS channel),
so every `rasa run` of OneStory has it; the action server never imports Rasa and does not need it.
"""
from __future__ import annotations

import threading
from typing import Any

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_lock = threading.Lock()
_validators: list[Validator] = []


def validator() -> Validator:
    """The action-answer validator, its schema checked once (the first time it is asked for)."""
    if not _validators:
        with _lock:
            if not _validators:
                schema = RemoteAction.action_response_format_spec()
                cls = validator_for(schema)
                cls.check_schema(schema)
                _validators.append(cls(schema))
    return _validators[0]


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result, with the validator built once."""
    error = best_match(validator().iter_errors(result))
    if error is None:
        return True
    error.message += (". Failed to validate Action server response from API, make sure your response "
                      "from the Action endpoint is valid. For more information about the format visit "
                      f"{DOCS_BASE_URL}/custom-actions")
    raise error


def install() -> None:
    """Point Rasa's RemoteAction at the check above (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result
