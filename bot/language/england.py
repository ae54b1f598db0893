"""Places in England named in carers' words: a town, a city or a county, and the council for it.

The gazetteer is data/places/england.json (GeoNames towns and their upper-tier council areas, ISO
3166-2 council types; built by scripts/build_england_places.py, sources and licences inside).
Upper-tier councils (counties, unitary authorities, metropolitan and London boroughs) run adult and
children's social care; in a two-tier county the district council runs council tax, housing and
Disabled Facilities Grants.

A town is only read where the words say it is a place ("in Leeds", "we live near Truro", "moved
to Norwich"), or when the bot has just asked where: "Bath", "March" and "Street" are towns too.
Council and county names ("Cornwall", "Norfolk") are read anywhere.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

DATA = Path(__file__).resolve().parents[2] / "data" / "places" / "england.json"
_CUE = (r"(?:\bin|\bat|\bnear|\bnr|\bfrom|\baround|\boutside|\bmoved to|\bmove to|\bmoving to|\bover to|"
        r"\bdown to|\bup to)")
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"}
MAX_WORDS = 4


@dataclass(frozen=True)
class Council:
    code: str  # GeoNames division code or ISO 3166-2 code
    name: str  # "Leeds", "Norfolk"
    kind: str  # two-tier county | unitary authority | metropolitan district | london borough | region
    council: Optional[str]  # "Leeds City Council"; None for a London place whose borough is unknown

    @property
    def two_tier(self) -> bool:
        return self.kind == "two-tier county"


@dataclass(frozen=True)
class EnglishPlace:
    said: str  # the place as the carer wrote it, tidied: "Norwich"
    council: Council


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def council_roles() -> frozenset[str]:
    """Rule-book roles a council plays, so the answer can name the council."""
    return frozenset(_data().get("council_roles", ()))


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, Council], dict[str, str], frozenset[str], frozenset[str]]:
    data = _data()
    councils = {code: Council(code, a["name"], a["kind"], a.get("council"))
                for code, a in data["authorities"].items()}
    council_names = frozenset(k for k, code in data["places"].items() if _key(councils[code].name) == k)
    return councils, data["places"], council_names, frozenset(data.get("district_roles", ()))


def _key(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower().replace("&", "and")).strip()


def district_roles() -> frozenset[str]:
    """Roles a district council plays in a two-tier county (council tax, housing, DFGs)."""
    return _gazetteer()[3]


def council_named(code: str) -> Optional[Council]:
    return _gazetteer()[0].get(code)


def find(text: Optional[str], expecting: bool = False) -> Optional[EnglishPlace]:
    """The first English place named in the text, or None.

    `expecting`: the bot has just asked where, so a bare "Bath" or "leeds" is a place.
    """
    if not text or not isinstance(text, str):
        return None
    councils, places, council_names, _ = _gazetteer()
    words = re.findall(r"[A-Za-z&'-]+", text[:2000])
    lowered = [_key(w) for w in words]
    best: Optional[tuple[int, int, str, str]] = None  # (start, -length, key, said)
    for size in range(MAX_WORDS, 0, -1):
        for start in range(len(words) - size + 1):
            key = " ".join(w for w in lowered[start:start + size] if w)
            if key not in places or key in _MONTHS:
                continue
            said = " ".join(words[start:start + size])
            if not (expecting or (key in council_names and not _is_word(key)) or _cued(text, said)):
                continue
            if best is None or (start, -size) < (best[0], best[1]):
                best = (start, -size, key, said)
    if best is None:
        return None
    council = councils[places[best[2]]]
    return EnglishPlace(" ".join(w[:1].upper() + w[1:] for w in best[3].split()), council)


def _is_word(key: str) -> bool:
    """ "Bury", "Reading", "Derby" are words as well as councils: read them only where cued."""
    from bot.language.nlp import english_words

    return " " not in key and key in english_words()


def _cued(text: str, said: str) -> bool:
    """ "in Leeds", "we live near truro": a place, not a word ("a bath seat")."""
    pattern = _CUE + r"\s+" + re.escape(said) + r"\b"
    return bool(re.search(pattern, text, re.IGNORECASE))
