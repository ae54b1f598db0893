"""The act to perform for a message: Rasa's intent weighed against the reading, by a data table.

The rows live in data/language/acts.yml (tried in order, first match wins). This module only
computes the signals the rows test and applies the table. The need matcher needs the directory,
so it is passed in as a function and called only when a row asks about needs.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Union

import yaml

from bot.language.nlp import once
from bot.language.reading import Reading
from bot.settings import ROOT

TABLE = ROOT / "data" / "language" / "acts.yml"
KEEP = "keep"
DEATH = "event:death"  # the fact key bot.language gives "passed away", "died"
SIGNALS = ("danger", "follow_up", "question", "asks_who", "asks_for_person", "needs", "record_question",
           "about_record", "tells", "changes", "services_named", "reports_problem", "reports_death",
           "tells_care_plan")


@dataclass(frozen=True)
class Row:
    intents: frozenset[str] | None
    not_intents: frozenset[str]
    flags: tuple[tuple[str, bool], ...]
    act: str


@once
def rows() -> tuple[Row, ...]:
    """The decision table, checked as it is loaded: unknown signals are a mistake in the data."""
    loaded = yaml.safe_load(TABLE.read_text())
    table = []
    for n, entry in enumerate(loaded):
        when = dict(entry.get("when") or {})
        intents = when.pop("intent", None)
        not_intents = when.pop("not_intent", [])
        unknown = set(when) - set(SIGNALS)
        if unknown:
            raise ValueError(f"{TABLE.name} row {n + 1}: unknown condition {sorted(unknown)}")
        table.append(Row(frozenset(intents) if intents is not None else None, frozenset(not_intents),
                         tuple((k, bool(v)) for k, v in when.items()), str(entry["act"])))
    return tuple(table)


class _Signals:
    """The facts about a message the rows test; `needs` is only computed if a row asks."""

    def __init__(self, reading: Reading, needs: Union[bool, Callable[[], bool]], danger: bool,
                 services_named: bool):
        self.reading = reading
        self._needs = needs
        self.values: dict[str, bool] = {
            "danger": danger,
            "follow_up": reading.follow_up,
            "question": reading.question or reading.asks_who,
            "asks_who": reading.asks_who,
            "asks_for_person": reading.asks_for_person,
            "record_question": record_question(reading),
            "about_record": reading.question and reading.topic is not None,
            "tells": reading.tells,
            "changes": bool(reading.ended or reading.moves or reading.fixes or reading.renames),
            "services_named": services_named,
            "reports_problem": reading.reports_problem,
            "reports_death": any(fact.key == DEATH for fact in reading.current),
            "tells_care_plan": any(fact.category == "care_plan" for fact in reading.current),
        }

    def get(self, name: str) -> bool:
        if name == "needs" and "needs" not in self.values:
            self.values["needs"] = bool(self._needs() if callable(self._needs) else self._needs)
        return self.values[name]


def record_question(reading: Reading) -> bool:
    """A question about what the record holds, not about who is responsible."""
    if not reading.question or reading.asks_who:
        return False
    return reading.topic is not None and (reading.focus is not None or reading.topic in STANDALONE_TOPICS)


# Topics that are about the record even when no person is named ("anything about pets?").
STANDALONE_TOPICS = frozenset({"record", "people", "access", "emergency", "care_plan", "gp", "medicine"})


def decide(intent: str, reading: Reading, *, needs: Union[bool, Callable[[], bool]] = False,
           danger: bool = False, services_named: bool = False) -> str:
    """The intent to act on: Rasa's, unless the reading clearly says otherwise."""
    signals = _Signals(reading, needs, danger, services_named)
    for row in rows():
        if row.intents is not None and intent not in row.intents:
            continue
        if intent in row.not_intents:
            continue
        if all(signals.get(name) == value for name, value in row.flags):
            return intent if row.act == KEEP else row.act
    return intent
