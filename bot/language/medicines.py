"""Medicines from a maintained drug dictionary, with the UK's names over it.

The dictionary comes with the PyPI package drug-named-entity-recognition (it ships its own
dictionary file and looks nothing up on the network unless asked to, which we never do). Its
names are international or US ones; data/vocabulary/medicines_uk.yml gives the UK name to say
back (acetaminophen is paracetamol here) and the UK brands and carers' spellings it lacks.
Ordinary English words that happen to be a brand somewhere are never taken for medicines.
"""
from __future__ import annotations

import bz2
import pickle
import re
from importlib import resources

from bot.language.nlp import english_words, once
from bot.language.vocabulary import FIRST_NAMES, MEDICINES, RELATIONSHIPS, Term, load

_NOT_MEDICINES = {"oxygen", "water", "iron", "salt", "sugar", "alcohol", "nicotine", "cannabis", "caffeine",
                  "vitamin", "vitamins", "glucose", "fluid", "fluids", "milk", "tea", "honey", "gas", "air"}


def _package_variants() -> dict[str, list[str]]:
    """The package's own dictionary file, read directly: importing its finder also builds n-gram
    indexes we never use (and did it twice), which kept a fresh server's first message waiting."""
    source = resources.files("drug_named_entity_recognition") / "drug_ner_dictionary.pkl.bz2"
    with resources.as_file(source) as path, bz2.open(path, "rb") as handle:
        data = pickle.load(handle)  # noqa: S301  (the pinned package's shipped data, not user input)
    return data["drug_variant_to_canonical"]


@once
def dictionary() -> dict[str, str]:
    """Every medicine name the package knows (lower case) -> its canonical name."""
    english = english_words()
    ours = {p.lower() for t in MEDICINES for p in t.phrases}
    found: dict[str, str] = {}
    for variant, canonicals in _package_variants().items():
        word = variant.lower()
        if not canonicals or len(word) < 4 or word in ours:
            continue
        if word in english or word in FIRST_NAMES or word in RELATIONSHIPS or word in _NOT_MEDICINES:
            continue
        if not all(part.isalpha() or "-" in part for part in word.split()) or len(word.split()) > 2:
            continue
        found[word] = canonicals[0]
    return found


@once
def uk_names() -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in (load("medicines_uk").get("uk_names") or {}).items()}


def uk_name(canonical: str) -> str:
    return uk_names().get(canonical.lower(), canonical.lower())


def term_for(surface: str) -> Term | None:
    """A medicine term for a word or two the package knows: "keppra" -> levetiracetam."""
    canonical = dictionary().get(surface.lower())
    if canonical is None:
        return None
    generic = uk_name(canonical)
    return Term("medicine", f"medicine:{generic}", generic, (surface.lower(),))


def _near(a: str, b: str) -> bool:
    """Spelling slips (one or two letters), not another name for the medicine."""
    if abs(len(a) - len(b)) > 2:
        return False
    return sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b)) <= 2


def display(generic: str, said: str) -> str:
    """"levetiracetam (Keppra)" when the carer used a brand; the generic alone otherwise."""
    said_low = said.lower().replace("-", " ")
    if said_low == generic.lower().replace("-", " ") or _near(said_low, generic.lower()) or \
            generic.lower() in said_low:
        return generic
    return f"{generic} ({said[:1].upper() + said[1:]})"


@once
def dosage_forms() -> tuple[tuple[str, ...], ...]:
    """The forms a medicine comes in, as word tuples, longest first ("eye drops" before "drops")."""
    forms = {tuple(str(f).lower().split()) for f in load("medicines_uk").get("dosage_forms") or ()}
    return tuple(sorted(forms, key=len, reverse=True))


@once
def forms_pattern() -> re.Pattern:
    """Any dosage form as whole words: "drops" in "sytron drops, vitamin d drops and folic acid"."""
    return re.compile(r"\b(?:" + "|".join(r"\s+".join(f) for f in dosage_forms()) + r")\b")


def by_form(word: str, form: str) -> Term | None:
    """A word no dictionary knows, said before a dosage form: "matrifen patch", "hylo drops".
    Ordinary English, first names and relationships are never medicines by form alone."""
    word = word.lower()
    if len(word) < 4 or not word.isalpha() or word in english_words() or word in FIRST_NAMES \
            or word in RELATIONSHIPS or word in _NOT_MEDICINES:
        return None
    return Term("medicine", f"medicine:{word}", f"{word} {form}", (word,))

