"""The words carers use, loaded from data/vocabulary/*.yml (each file names its source and licence).

No word lists live in Python: this module reads the data files once and exposes them in the shapes
the language stage matches against. Keys are stable: the same thing said twice, in other words,
maps to the same key.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from bot.settings import ROOT

DATA = ROOT / "data" / "vocabulary"


@dataclass(frozen=True)
class Term:
    """One thing the record can hold, with the phrases that name it."""

    category: str            # condition | medicine | need | service | care_plan
    key: str                 # e.g. "condition:dementia"
    display: str             # carer-facing text, e.g. "Parkinson's"
    phrases: tuple[str, ...]
    adjective: tuple[str, ...] = ()   # forms used after "is": "diabetic", "autistic"
    detail: tuple[tuple[str, str], ...] = ()
    plural_only: tuple[str, ...] = field(default=())  # surface forms accepted only as written


@cache
def load(name: str) -> dict:
    path: Path = DATA / f"{name}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _terms(category: str, entries: list[dict]) -> list[Term]:
    terms = []
    for entry in entries:
        name = str(entry["name"])
        phrases = [str(p) for p in entry.get("phrases") or [name.lower()]]
        terms.append(Term(category, f"{category}:{entry.get('key') or name.lower()}", name,
                          tuple(dict.fromkeys(p.strip() for p in phrases if str(p).strip())),
                          tuple(str(a) for a in entry.get("adjectives") or ()),
                          tuple(sorted((str(k), str(v)) for k, v in (entry.get("detail") or {}).items()))))
    return terms


def _medicines() -> list[Term]:
    terms = []
    for entry in load("medicines_uk")["medicines"]:
        name = str(entry["name"])
        phrases = [name] + [str(p) for p in entry.get("also") or ()]
        terms.append(Term("medicine", f"medicine:{entry.get('key') or name.lower()}", entry.get("display") or name,
                          tuple(dict.fromkeys(phrases))))
    return terms


# --- health -----------------------------------------------------------------------------------
_CONDITIONS = load("conditions")
CONDITIONS: list[Term] = _terms("condition", _CONDITIONS["conditions"])
CONDITION_WORDS_NEEDING_CARE = set(_CONDITIONS.get("bare_words_needing_care") or ())
MEDICINES: list[Term] = _medicines()

# --- support and services ---------------------------------------------------------------------
_SUPPORT = load("support")
NEEDS: list[Term] = _terms("need", _SUPPORT["needs"])
NEED_WORDS_NEEDING_CARE = set(_SUPPORT["words_needing_care"])
HELP_ACTIVITIES: dict[str, str] = {k: "|".join(v) for k, v in _SUPPORT["help_activities"].items()}
_SERVICES = load("services")
SERVICES: list[Term] = _terms("service", _SERVICES["services"])
WEAK_SERVICES = {f"service:{k}" for k in _SERVICES["weak"]}
CARER_NOT_SERVICE = set(_SERVICES["carer_not_service"])

# --- communication ------------------------------------------------------------------------------
_LANGUAGES = load("languages")
LANGUAGES: list[str] = list(_LANGUAGES["languages"])
SPOKEN_LANGUAGES = tuple(x for x in LANGUAGES if x not in ("Makaton", "BSL"))
FOREIGN_WORDS = set(_LANGUAGES["foreign_words"])

COMMUNICATION_WAYS: list[tuple[str, str, tuple[str, ...], bool]] = [
    (str(w["key"]), str(w["name"]), tuple(str(p).lower() for p in w["phrases"]), bool(w.get("negative_wording")))
    for w in load("communication")["ways"]]

# --- people -------------------------------------------------------------------------------------
_PEOPLE = load("people")
RELATIONSHIPS: dict[str, str] = {word: rel for rel, words in _PEOPLE["relationships"].items() for word in words}
REL_NEED_DETERMINER = set(_PEOPLE["need_determiner"])
REL_THE_OK = set(_PEOPLE["the_ok"])
FEMALE = set(_PEOPLE["female"])
MALE = set(_PEOPLE["male"])
FEMALE_NAMES = " ".join(_PEOPLE["female_names"])
MALE_NAMES = " ".join(_PEOPLE["male_names"])
FEMALE_NAME_SET = set(_PEOPLE["female_names"])
MALE_NAME_SET = set(_PEOPLE["male_names"])
FIRST_NAMES = FEMALE_NAME_SET | MALE_NAME_SET
AMBIGUOUS_NAMES = set(_PEOPLE["ambiguous_names"])

# --- places and appointments --------------------------------------------------------------------
_PLACES = load("places")
POSTCODE_AREAS = set(_PLACES["postcode_areas"])
STREET_SUFFIXES = "|".join(_PLACES["street_suffixes"])
PRACTICE_SUFFIXES = "|".join(_PLACES["practice_suffixes"])
APPOINTMENT_WORDS = "|".join(_PLACES["appointment_words"])
APPOINTMENT_TARGETS = "|".join(_PLACES["appointment_targets"])
