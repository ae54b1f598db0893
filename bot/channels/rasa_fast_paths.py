"""Two things Rasa 3.6 recomputes on every turn although they never change, computed once.

Profiled under load (README, "Where a turn's time goes"):
- Rasa checks every answer from the action server with `jsonschema.validate(answer, schema)`,
  which first checks the constant schema itself against the JSON Schema meta-schema: about a
  third of a Rasa replica's busy time. Here one validator is built and checked once per process:
  the same schema, the same errors (jsonschema's best match, with Rasa's own hint appended).
- Loading a conversation turns each stored event back into an object through
  `Event.resolve_by_type`, which walks every Event subclass (with `inspect.isabstract` on each)
  for every event: about a tenth of the busy time, growing with the conversation. Here the
  name-to-class table is kept, and rebuilt when a name is not in it (a class imported since).

Installed by the modules Rasa loads from our configuration (the tracker store, the SMS channel),
so every `rasa run` of OneStory has it; the action server never imports Rasa and does not need it.
"""
from __future__ import annotations

import threading
from typing import Any, Optional

from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_lock = threading.Lock()
_validators: list[Validator] = []
_event_classes: dict[str, type[Event]] = {}


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


def _event_table() -> dict[str, type[Event]]:
    table: dict[str, type[Event]] = {}
    for cls in all_subclasses(Event):
        table.setdefault(cls.type_name, cls)  # the first match, as Rasa's own loop returns
    return table


def resolve_by_type(type_name: str, default: Optional[type[Event]] = None) -> Optional[type[Event]]:
    """Event.resolve_by_type, from a table kept between calls."""
    global _event_classes
    found = _event_classes.get(type_name)
    if found is None:
        _event_classes = _event_table()  # a subclass imported since the table was built
        found = _event_classes.get(type_name)
    if found is not None:
        return found
    if type_name == "topic":
        return None  # Rasa's backwards compatibility with old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def install() -> None:
    """Point Rasa at the versions above (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)
