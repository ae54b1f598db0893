"""Kinds of need: which lead professionals fit a family (adults, children and families,
maternity and early years, mental health, end of life).

A family's kinds are read from its care record by the rules in data/handoff/kinds.yml (ages,
relationship terms, words in facts); a professional's are listed on them. Assignment uses
`fit`: how many of the family's kinds a professional covers.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Optional

import yaml

from bot.records.service import FactView, PersonView, RecordView
from bot.settings import ROOT

KINDS_FILE = ROOT / "data" / "handoff" / "kinds.yml"
FACT_CATEGORIES = ("condition", "need", "situation", "care_plan", "event", "service", "personal")


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(KINDS_FILE.read_text(encoding="utf-8"))


def all_kinds() -> list[str]:
    return [kind["id"] for kind in _data()["kinds"]]


def labels() -> dict[str, str]:
    return {kind["id"]: kind["label"] for kind in _data()["kinds"]}


def words(kinds: Iterable[str]) -> str:
    """'adults, end of life' for a sentence."""
    names = labels()
    return ", ".join(names.get(kind, kind).lower() for kind in kinds) or "none recorded"


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    return {kind: re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True)) + r")\b",
                             re.IGNORECASE) for kind, ws in _data()["words"].items()}


def _years(facts: list[FactView]) -> Optional[float]:
    for fact in facts:
        if fact.category != "personal":
            continue
        detail = fact.detail or {}
        if "years" in detail:
            return float(detail["years"])
        for unit, per_year in (("months", 12), ("weeks", 52), ("days", 365)):
            if unit in detail:
                return float(detail[unit]) / per_year
    return None


def person_kinds(person: PersonView, facts: list[FactView]) -> set[str]:
    ages, relations = _data()["ages"], _data()["relations"]
    found: set[str] = set()
    years = _years(facts)
    if years is not None:
        if years < ages["early_years_below"]:
            found.add("maternity_early_years")
        found.add("adults" if years >= ages["adult_from"] else "children_families")
    else:
        found |= {kind for kind, terms in relations.items() if (person.relation or "") in terms}
    for fact in facts:
        if fact.category in FACT_CATEGORIES:
            found |= {kind for kind, pattern in _patterns().items() if pattern.search(fact.value)}
    return found


def family_kinds(record: RecordView) -> list[str]:
    """The family's kinds of need, in the data file's order."""
    found: set[str] = set()
    for person in record.cared_for:
        found |= person_kinds(person, record.facts_for(person.id))
    unattached = [f for f in record.facts if f.person_id is None or
                  f.person_id not in {p.id for p in record.cared_for}]
    for fact in unattached:
        if fact.category in FACT_CATEGORIES:
            found |= {kind for kind, pattern in _patterns().items() if pattern.search(fact.value)}
    return [kind for kind in all_kinds() if kind in found]


def fit(professional_kinds: Optional[Iterable[str]], needed: Iterable[str]) -> int:
    """How many of the needed kinds the professional takes."""
    return len(set(professional_kinds or ()) & set(needed))


def missing(professional_kinds: Optional[Iterable[str]], needed: Iterable[str]) -> list[str]:
    have = set(professional_kinds or ())
    return [kind for kind in needed if kind not in have]
