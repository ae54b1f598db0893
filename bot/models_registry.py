"""Imports every SQLAlchemy model so Base.metadata is complete (Alembic and tests use this)."""
import importlib

from bot.handoff import models as _handoff  # noqa: F401
from bot.records import models as _records  # noqa: F401
from bot.records import note_models as _notes  # noqa: F401

# Modules written area by area; each is imported when present.
for _name in ("bot.channels.models", "bot.directory.models", "bot.handoff.staff_models",
              "bot.directory.reports", "bot.records.web_link_models",
              "bot.directory.history",  # service versions + usage
              "bot.directory.authorities", "bot.directory.postcodes", "bot.directory.fulltext",
              "bot.directory.pull", "bot.dialogue.answered"):
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as _error:
        if _error.name != _name:
            raise
